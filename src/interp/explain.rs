//! explain: why `sys.getsizeof(x)` is what it is. Breaks the number into CPython's parts (object header,
//! GC head or pre-header, fixed fields, item storage, spare capacity, side tables) and names the rule and
//! the version range each part follows (sizes.md §1–§7). The parts always sum to `getsizeof`.

use super::vm::{Vm, R};
use crate::object::dict::usable_fraction;
use crate::object::{ObjId, Payload};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Part {
    pub label: String,
    pub bytes: u64,
    pub rule: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub type_name: String,
    pub getsizeof: u64,
    /// Bytes the allocator was asked for (may differ from getsizeof: side buffers, inline values).
    pub allocated: u64,
    pub address: u64,
    pub refcount: i64,
    pub parts: Vec<Part>,
}

impl Explanation {
    /// The CLI's rendering (`pymemsim run --explain NAME`); the page draws the parts itself.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{} at {:#x}: sys.getsizeof = {} bytes (refcount {})\n",
            self.type_name, self.address, self.getsizeof, self.refcount
        );
        for p in &self.parts {
            s.push_str(&format!("  {:>6}  {:<28} {}\n", p.bytes, p.label, p.rule));
        }
        s
    }
}

impl Vm {
    fn gc_part(&self) -> Part {
        let l = &self.layout;
        let rule = match (l.minor, l.wasm) {
            (7, false) if l.patch < 4 => "PyGC_Head: 3 words with a double (3.7.0–3.7.3)",
            (7, false) => "PyGC_Head: padded to long double alignment (3.7.4–3.7.x, bpo-27987)",
            (7, true) => "PyGC_Head (32-bit 3.7)",
            _ => "PyGC_Head: _gc_next, _gc_prev (3.8+)",
        };
        Part {
            label: "GC head".into(),
            bytes: l.gc_head(),
            rule: rule.into(),
        }
    }

    pub fn explain(&mut self, v: ObjId) -> R<Explanation> {
        let l = self.layout;
        let p = l.p;
        let total = self.getsizeof(v)?;
        let type_name = self.type_name(v);
        let o = self.objs.get(v);
        let (address, allocated, refcount) = (o.addr, o.alloc, self.shown_refcount(v));
        let mut parts = Vec::new();
        let head = |label: &str, bytes: u64, rule: &str| Part {
            label: label.into(),
            bytes,
            rule: rule.into(),
        };
        match self.payload(v) {
            Payload::List {
                items,
                allocated: cap,
                ..
            } => {
                parts.push(self.gc_part());
                parts.push(head(
                    "PyListObject",
                    l.list_basic(),
                    "ob_refcnt, ob_type, ob_size, ob_item, allocated",
                ));
                parts.push(head(
                    &format!("{} item pointers", items.len()),
                    items.len() as u64 * p,
                    "ob_item[0..len]",
                ));
                parts.push(head(
                    &format!("{} spare slots", cap - items.len() as u64),
                    (cap - items.len() as u64) * p,
                    if l.minor <= 8 {
                        "list_resize over-allocation n + n/8 + (3 or 6) (3.7–3.8)"
                    } else {
                        "list_resize over-allocation (n + n/8 + 6) & ~3 (3.9+, bpo-38373)"
                    },
                ));
            }
            Payload::Tuple(items) => {
                parts.push(self.gc_part());
                parts.push(head(
                    "PyTupleObject",
                    l.tuple_basic(),
                    if l.minor >= 14 {
                        "var header + ob_hash (3.14+)"
                    } else {
                        "var header (ob_refcnt, ob_type, ob_size)"
                    },
                ));
                parts.push(head(
                    &format!("{} item pointers", items.len()),
                    items.len() as u64 * p,
                    "tuples are exactly sized",
                ));
            }
            Payload::Dict(d) => {
                parts.push(self.gc_part());
                parts.push(head(
                    "PyDictObject",
                    l.dict_basic(),
                    "ma_used, ma_version_tag, ma_keys, ma_values",
                ));
                if let Some(cls) = d.split {
                    let bytes = total - l.gc_head() - l.dict_basic();
                    let rule = if l.minor >= 11 {
                        "values of the class's shared keys: (dk_nentries + dk_usable) pointers (3.11+)"
                    } else {
                        "split-table values: USABLE_FRACTION(class keys size) pointers (PEP 412, ≤3.10)"
                    };
                    let _ = cls;
                    parts.push(head("instance values", bytes, rule));
                } else if d.log2 > 0 {
                    let size = 1u64 << d.log2;
                    parts.push(head(
                        &format!("keys object, {size} slots"),
                        d.keys_size(&l),
                        if l.minor >= 11 {
                            if d.unicode {
                                "header + indices + 2/3 of slots × 16-byte unicode entries (3.11+, bpo-46845)"
                            } else {
                                "header + indices + 2/3 of slots × 24-byte entries (3.11+)"
                            }
                        } else {
                            "header + indices + USABLE_FRACTION(size) × 24-byte entries"
                        },
                    ));
                    let _ = usable_fraction(size);
                } else {
                    parts.push(head("keys", 0, "shared Py_EMPTY_KEYS: not counted (3.8+)"));
                }
            }
            Payload::Set(s) => {
                parts.push(self.gc_part());
                parts.push(head(
                    "PySetObject",
                    l.set_basic(),
                    "fill, used, mask, table, hash, finger, 8-entry smalltable, weakreflist",
                ));
                if s.table_bytes(p) > 0 {
                    parts.push(head(
                        &format!("table of {} entries", s.table.len()),
                        s.table_bytes(p),
                        "set_table_resize: smallest power of two > used×4 once fill×5 ≥ mask×3",
                    ));
                }
            }
            Payload::Str { s, utf8_cached, .. } => {
                let sp = l.str_parts(s, *utf8_cached);
                parts.push(head(
                    if sp.ascii {
                        "PyASCIIObject"
                    } else {
                        "PyCompactUnicodeObject"
                    },
                    sp.header,
                    if l.minor >= 12 {
                        "PEP 393 header without wstr (3.12+, PEP 623)"
                    } else {
                        "PEP 393 header with wstr (≤3.11)"
                    },
                ));
                let n = s.chars().count();
                parts.push(head(
                    &format!("{n} characters + NUL, {} byte(s) each", sp.kind),
                    sp.chars,
                    "(len + 1) × kind: 1 byte up to U+00FF, 2 up to U+FFFF, else 4 (PEP 393)",
                ));
                if sp.utf8 > 0 {
                    parts.push(head(
                        "cached UTF-8 copy + NUL",
                        sp.utf8,
                        "utf8_length + 1, kept once PyUnicode_AsUTF8 has run (non-ASCII only)",
                    ));
                }
            }
            Payload::Int(i) => {
                parts.push(head(
                    "PyLongObject header",
                    l.var_object(),
                    "var header (3.12+: lv_tag)",
                ));
                parts.push(head(
                    &format!("{} 30-bit digits", i.ndigits()),
                    total - l.var_object(),
                    if l.at_least(11, 2) {
                        "at least one digit counted (3.11.2+, gh-100637)"
                    } else {
                        "|ob_size| digits (0 has none before 3.11.2)"
                    },
                ));
            }
            Payload::Instance(inst) => {
                let (basic, gc, has_dict) = match self.payload(inst.class) {
                    Payload::Class(c) => (c.basicsize, c.gc, c.has_dict && c.exc_base.is_none()),
                    _ => (l.object(), false, false),
                };
                if gc {
                    parts.push(self.gc_part());
                }
                let pre = total - basic - if gc { l.gc_head() } else { 0 };
                if pre > 0 {
                    parts.push(head(
                        "managed pre-header",
                        pre,
                        if l.minor >= 12 {
                            "dict and weakref pointers before the GC head (3.12+)"
                        } else {
                            "dict and values pointers before the GC head (3.11)"
                        },
                    ));
                }
                let _ = has_dict;
                parts.push(head(
                    "instance struct",
                    basic,
                    "tp_basicsize: object header + slots (+ __dict__/__weakref__ ≤3.10)",
                ));
            }
            Payload::Bytes(b) => {
                let hdr = l.bytes_size(0) - 1;
                parts.push(head(
                    "PyBytesObject header",
                    hdr,
                    "var header + ob_shash (offsetof(PyBytesObject, ob_sval))",
                ));
                parts.push(head(
                    &format!("{} bytes + NUL", b.len()),
                    total.saturating_sub(hdr),
                    "ob_sval: the data and a trailing NUL, in the same block",
                ));
            }
            _ => {
                parts.push(head(
                    "object",
                    total,
                    "tp_basicsize (+ GC head when the type is GC)",
                ));
            }
        }
        // Keep the parts honest: whatever is not itemised is shown as such.
        let sum: u64 = parts.iter().map(|p| p.bytes).sum();
        if sum < total {
            parts.push(head("other", total - sum, "not itemised"));
        }
        Ok(Explanation {
            type_name,
            getsizeof: total,
            allocated,
            address,
            refcount,
            parts,
        })
    }
}
