//! layout: struct sizes of CPython's builtin objects per profile, as `sys.getsizeof` sees them and as
//! `PyObject_Malloc` is asked for them. Follows `Include/object.h`, `Include/cpython/*object.h`,
//! `Objects/*object.c` `__sizeof__` implementations and `Python/sysmodule.c` `_PySys_GetSizeOf`
//! (sizes.md §1–§7). Every number is a function of the pointer width and the release.

use crate::profile::{Arch, Profile};

/// Sizes for one profile.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub p: u64,
    pub minor: u8,
    pub patch: u8,
    pub wasm: bool,
}

impl Layout {
    pub fn new(profile: &Profile) -> Layout {
        Layout {
            p: profile.ptr(),
            minor: profile.version.minor,
            patch: profile.version.patch,
            wasm: profile.arch == Arch::Wasm32,
        }
    }

    pub fn at_least(&self, minor: u8, patch: u8) -> bool {
        (self.minor, self.patch) >= (minor, patch)
    }

    /// Whether `list_resize` keeps a buffer of at most 32 slots however little of it is used, and
    /// `del l[i]` resizes again. Measured: present in 3.14.10 and 3.15.2 (the compare with 32 is in their
    /// `list_resize` machine code), absent from 3.14.2 and 3.15.0rc1 (both Pyodide) and earlier; the first
    /// release with it is not known, so it is taken to start right after the last one known without it.
    pub fn list_keeps_small_buffers(&self) -> bool {
        self.at_least(14, 3) && !(self.minor == 15 && self.patch == 0)
    }

    /// Whether dict tables are sized by the 3.10.0–3.13.3 `calculate_log2_keysize` (see `dict::log2_keysize`).
    pub fn keysize_quirk(&self) -> bool {
        (10..=12).contains(&self.minor) || (self.minor == 13 && self.patch < 4)
    }

    /// `sizeof(PyGC_Head)`: 3.7.0–3.7.3 a union with `double` (24 / 16); 3.7.4–3.7.x with `long double`
    /// (32 on x86-64, 16 on wasm32; bpo-27987); 3.8+ two words.
    pub fn gc_head(&self) -> u64 {
        match (self.minor, self.wasm) {
            (7, true) => 16,
            (7, false) if self.patch < 4 => 24,
            (7, false) => 32,
            _ => 2 * self.p,
        }
    }

    /// The managed pre-header of heap-type instances: dict (3.11) or dict + weakref (3.12+) pointers.
    pub fn managed_preheader(&self) -> u64 {
        if self.minor >= 11 {
            2 * self.p
        } else {
            0
        }
    }

    pub fn object(&self) -> u64 {
        2 * self.p
    }

    pub fn var_object(&self) -> u64 {
        3 * self.p
    }

    // ------------------------------------------------------------------ scalars

    /// Bytes per int digit: 30-bit digits in 4 bytes on x86-64, and on Pyodide (`--enable-big-digits=30`).
    pub const DIGIT: u64 = 4;

    /// `int.__sizeof__` for a value with `ndigits` 30-bit digits: 3.11.2+ counts at least one digit
    /// (gh-100637); 3.12+ `lv_tag` keeps the header at the same size.
    pub fn int_size(&self, ndigits: u64) -> u64 {
        let n = if self.at_least(11, 2) {
            ndigits.max(1)
        } else {
            ndigits
        };
        self.var_object() + Self::DIGIT * n
    }

    /// What `_PyLong_New` mallocs: the 3.12+ struct always has room for one digit.
    pub fn int_alloc(&self, ndigits: u64) -> u64 {
        self.var_object() + Self::DIGIT * ndigits.max(1)
    }

    pub fn float(&self) -> u64 {
        2 * self.p + 8
    }

    pub fn complex(&self) -> u64 {
        2 * self.p + 16
    }

    /// `str.__sizeof__` (`unicode_sizeof_impl`): ASCII strings use `PyASCIIObject` + len + 1; others
    /// `PyCompactUnicodeObject` + (len + 1) × kind, plus a cached UTF-8 copy when one exists. The headers lost
    /// `wstr` in 3.12 (PEP 623): 48/72 → 40/56 on 64-bit, 24/36 → 20/28 on wasm32.
    pub fn str_size(&self, s: &str, utf8_cached: bool) -> u64 {
        let p = self.str_parts(s, utf8_cached);
        p.header + p.chars + p.utf8
    }

    /// `unicode_sizeof`'s terms (Objects/unicodeobject.c, PEP 393): the header (PyASCIIObject for ASCII,
    /// else PyCompactUnicodeObject; 3.12 dropped wstr, PEP 623), (len + 1) × kind bytes of characters
    /// (kind 1, 2 or 4 by the widest character), and a cached UTF-8 copy with its NUL when a non-ASCII
    /// string has one.
    pub fn str_parts(&self, s: &str, utf8_cached: bool) -> StrParts {
        let len = s.chars().count() as u64;
        let max = s.chars().map(|c| c as u32).max().unwrap_or(0);
        let (ascii_hdr, compact_hdr) = match (self.minor >= 12, self.wasm) {
            (false, false) => (48, 72),
            (true, false) => (40, 56),
            (false, true) => (24, 36),
            (true, true) => (20, 28),
        };
        if max < 128 {
            return StrParts {
                ascii: true,
                header: ascii_hdr,
                kind: 1,
                chars: len + 1,
                utf8: 0,
            };
        }
        let kind = if max < 256 {
            1
        } else if max < 65536 {
            2
        } else {
            4
        };
        StrParts {
            ascii: false,
            header: compact_hdr,
            kind,
            chars: (len + 1) * kind,
            utf8: if utf8_cached { s.len() as u64 + 1 } else { 0 },
        }
    }

    /// `bytes`: `offsetof(PyBytesObject, ob_sval) + 1 + len` = 33 + len / 17 + len.
    pub fn bytes_size(&self, len: u64) -> u64 {
        self.var_object() + self.p + 1 + len
    }

    /// `bytearray`: `PyByteArrayObject` (56 / 28; 3.15 adds `ob_bytes_object`: 64 / 32) + `ob_alloc`.
    pub fn bytearray_basic(&self) -> u64 {
        self.var_object()
            + 3 * self.p
            + if self.p == 8 { 8 } else { 4 }
            + if self.minor >= 15 { self.p } else { 0 }
    }

    pub fn range(&self) -> u64 {
        self.object() + 4 * self.p
    }

    pub fn slice(&self) -> u64 {
        self.object() + 3 * self.p
    }

    // ------------------------------------------------------------------ containers

    /// `PyListObject`: var header + `ob_item` + `allocated`.
    pub fn list_basic(&self) -> u64 {
        self.var_object() + 2 * self.p
    }

    /// `PyTupleObject` basicsize without items: var header, plus `ob_hash` from 3.14.
    pub fn tuple_basic(&self) -> u64 {
        self.var_object() + if self.minor >= 14 { self.p } else { 0 }
    }

    /// `PyDictObject`: 48 on 64-bit, 32 on wasm32 (the uint64 version tag is 8-aligned).
    pub fn dict_basic(&self) -> u64 {
        if self.wasm {
            32
        } else {
            48
        }
    }

    /// The keys object of a combined table with 2**log2 slots (`_PyDict_KeysSize` / 3.7–3.10 `_PyDict_SizeOf`).
    pub fn dict_keys_size(&self, log2: u8, unicode: bool) -> u64 {
        let size = 1u64 << log2;
        let usable = (size << 1) / 3;
        let ix = if size <= 0xff {
            1
        } else if size <= 0xffff {
            2
        } else if self.p == 4 || size <= 0xffff_ffff {
            4
        } else {
            8
        };
        if self.minor >= 11 {
            let hdr = if self.wasm { 20 } else { 32 };
            let entry = if unicode { 2 * self.p } else { 3 * self.p };
            hdr + ix * size + usable * entry
        } else {
            let hdr = 5 * self.p;
            hdr + ix * size + usable * 3 * self.p
        }
    }

    /// `PySetObject`: fill, used, mask, table, hash, finger, an 8-entry smalltable and weakreflist.
    pub fn set_basic(&self) -> u64 {
        self.object() + 6 * self.p + 8 * 2 * self.p + self.p
    }

    /// `PyFunctionObject` (sizes.md §6 "functions"): 14 pointer-sized words in 3.7, + `vectorcall` (3.8),
    /// + `func_builtins` (3.10), + `func_version` (3.11, padded to a word), + `func_typeparams` (3.12),
    /// + `func_annotate` (3.14).
    pub fn function(&self) -> u64 {
        let words = match self.minor {
            7 => 14,
            8 | 9 => 15,
            10 => 16,
            11 => 17,
            12 | 13 => 18,
            _ => 19,
        };
        words * self.p
    }

    /// `PyGetSetDescrObject` / `PyMemberDescrObject`: PyDescr_COMMON (header, d_type, d_name,
    /// d_qualname) and one pointer (3.7-3.15; measured 64 and 32 bytes with the GC head).
    pub fn descr(&self) -> u64 {
        self.object() + 4 * self.p
    }

    /// `PyMethodObject`: head + im_func, im_self, im_weakreflist (+ vectorcall from 3.8).
    pub fn method(&self) -> u64 {
        self.object() + 3 * self.p + if self.minor >= 8 { self.p } else { 0 }
    }

    /// `PyCellObject`.
    pub fn cell(&self) -> u64 {
        self.object() + self.p
    }

    /// `PyBaseExceptionObject`: head + dict, args, notes (3.11+), traceback, context, cause, suppress_context.
    pub fn exception(&self) -> u64 {
        let fields = if self.minor >= 11 { 6 } else { 5 };
        self.object() + fields * self.p + self.p
    }

    /// A list iterator / tuple iterator: head + index + seq.
    pub fn seq_iter(&self) -> u64 {
        self.object() + 2 * self.p
    }

    /// A range iterator, C-long or long: head + index, start, step, len; 3.12 drops index (measured:
    /// 48 → 40 bytes natively, 24 → 20 on wasm32).
    pub fn range_iter(&self) -> u64 {
        self.object() + if self.minor >= 12 { 3 } else { 4 } * self.p
    }

    /// `sys.getsizeof` of a static builtin type such as `int` or `ValueError`: `sizeof(PyTypeObject)` plus the
    /// version's header term (none ≤3.10; the GC head by type in 3.11–3.12; skipped for static types from
    /// 3.13). Measured with pyrun on every x86_64 release and on wasm32 3.10, 3.12 and 3.14 (half of x86_64).
    pub fn static_type_size(&self) -> u64 {
        let x86 = match self.minor {
            7 => 400,
            8 => 416,
            9 | 10 => 408,
            11 => 424,
            12 => 432,
            13 | 14 => 416,
            _ => 424,
        };
        if self.wasm {
            x86 / 2
        } else {
            x86
        }
    }

    /// `sys.getsizeof` of a class made by a `class` statement with no attributes (`PyHeapTypeObject`, its
    /// GC head, and from 3.11 its cached instance keys). Measured with pyrun on every x86_64 release and on
    /// wasm32 3.10, 3.12 and 3.14; the other wasm32 releases are derived from the x86_64 steps.
    pub fn heap_type_size(&self) -> u64 {
        if self.wasm {
            match self.minor {
                7..=9 => 536,
                10 => 540,
                11 => 880,
                12 => 888,
                13 => 892,
                14 => 896,
                _ => 900,
            }
        } else {
            match self.minor {
                7..=9 => 1064,
                10 => 1072,
                11 => 1688,
                12 => 1704,
                13 => 1712,
                14 => 1720,
                _ => 1728,
            }
        }
    }

    /// A generator object, approximated by its fixed part (its frame lives in it from 3.11).
    /// A generator's basicsize, measured (`type(g).__basicsize__`): 3.7–3.10 a fixed struct with a separate
    /// frame object; 3.11+ the struct up to the embedded frame's slots, which `generator_frame_slots` adds.
    pub fn generator(&self, frame_slots: u64) -> u64 {
        let basic = match (self.minor, self.wasm) {
            (7..=9, _) => 12 * self.p,
            (10, _) => 11 * self.p,
            (11, false) | (14.., false) => 152,
            (11, true) => 80,
            (_, false) => 144,
            (_, true) => 76,
        };
        basic
            + if self.minor >= 11 {
                frame_slots * self.p
            } else {
                0
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(v: &str, a: &str) -> Layout {
        Layout::new(&Profile::parse(v, a).unwrap())
    }

    #[test]
    fn function_sizes_match_sizes_md() {
        let cases = [
            ("3.7.3", 136),
            ("3.7.16", 144),
            ("3.8", 136),
            ("3.10", 144),
            ("3.11", 152),
            ("3.12", 160),
            ("3.13", 160),
            ("3.14", 168),
        ];
        for (v, want) in cases {
            let x = l(v, "x86_64");
            assert_eq!(x.function() + x.gc_head(), want, "{v}");
        }
        let w = l("3.14", "wasm32");
        assert_eq!(w.function() + w.gc_head(), 84);
        let w = l("3.11", "wasm32");
        assert_eq!(w.function() + w.gc_head(), 76);
    }

    #[test]
    fn str_and_dict_sizes() {
        let x = l("3.11", "x86_64");
        assert_eq!(x.str_size("abc", false), 52);
        assert_eq!(x.str_size("\u{20ac}", false), 76);
        let y = l("3.12", "x86_64");
        assert_eq!(y.str_size("\u{e9}", true), 61);
        assert_eq!(y.str_size("\u{1f600}", false), 64);
        assert_eq!(x.dict_keys_size(3, true) + 48 + 16, 184);
        assert_eq!(x.dict_keys_size(3, false) + 48 + 16, 224);
        assert_eq!(l("3.9", "x86_64").dict_keys_size(8, false) + 64, 4696);
        assert_eq!(y.set_basic() + 16, 216);
        assert_eq!(l("3.12", "wasm32").set_basic() + 8, 108);
    }
}

/// The terms of a str's `sys.getsizeof`: [`Layout::str_parts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrParts {
    pub ascii: bool,
    pub header: u64,
    pub kind: u64,
    pub chars: u64,
    pub utf8: u64,
}
