//! What printing allocates, as CPython 3.7–3.15 does it. The text goes to `Vm::out` at once; what is
//! modelled are the objects behind it:
//! - `sys.stdout`'s pending buffer, `_io.TextIOWrapper.write` (Modules/_io/textio.c): the written strs
//!   (or their encoded bytes) wait in `pending_bytes` until 8 KiB have gathered, so a printed str holds
//!   one more reference meanwhile. Output to a pipe (the x86-64 interpreters) is block-buffered;
//!   Pyodide's stdout is line-buffered and flushes at every newline.
//! - `builtin_print` (Python/bltinmodule.c) and `PyFile_WriteObject` (Objects/fileobject.c): the
//!   keyword tuple of its argument parser, the tuple of `*args` (3.11–3.13), and the bound `write`
//!   fetched for every piece written (a `PyCFunctionObject`, on a free list in 3.7, 3.8 and 3.14+).
//! - `Py_ReprEnter` (Objects/object.c): the first repr of a container creates the thread state's dict
//!   and the list it keeps there.
//!
//! Measured with pyrun on the 16 interpreters (research/print-and-repr-objects.md).

use super::vm::{Kept, Vm, R};
use crate::object::{Interned, ObjId, Payload, Ty};
use crate::profile::Arch;

/// `_CHUNK_SIZE` of TextIOWrapper (8192 in every version).
const CHUNK: u64 = 8192;

/// `sys.stdout`'s write buffer.
#[derive(Default)]
pub struct TextIo {
    /// `pending_bytes`: nothing, one str or bytes, or a list of them.
    pending: Option<ObjId>,
    is_list: bool,
    /// `pending_bytes_count`.
    count: u64,
}

impl Vm {
    /// Size of the `PyCFunctionObject` for a bound builtin method (GC head included): head + m_ml,
    /// m_self, m_module, m_weakreflist; 3.8 adds vectorcall.
    pub fn cfunc_size(&self) -> u64 {
        let ptrs = if self.layout.minor >= 8 { 5 } else { 4 };
        self.layout.gc_head() + self.layout.object() + ptrs * self.layout.p
    }

    /// Memory for a bound builtin method (`PyCFunction_NewEx` / `PyCMethod_New`).
    pub fn cfunc_alloc(&mut self) -> R<u64> {
        let size = self.cfunc_size();
        self.kept_alloc(Kept::CFunc, size, true)
    }

    /// `meth_dealloc`: onto the free list while it has room, else `PyObject_GC_Del`.
    pub fn cfunc_release(&mut self, addr: u64) {
        self.kept_release(Kept::CFunc, addr, true);
    }

    /// `builtin_print(*args, sep=' ', end='\n', file=None, flush=False)`.
    pub fn builtin_print(&mut self, args: &[ObjId], kw: &[(String, ObjId)]) -> R<ObjId> {
        let minor = self.layout.minor;
        // The argument parser's keyword tuple ('sep', 'end', 'file', 'flush'), made once and kept:
        // 3.7–3.10 the first time keywords are passed (`_PyArg_ParseStackAndKeywords`), 3.11 at the
        // first call (`_PyArg_UnpackKeywordsWithVararg`); 3.12+ use a static tuple.
        if !self.print_kwtuple && ((minor <= 10 && !kw.is_empty()) || minor == 11) {
            self.print_kwtuple = true;
            let mut names = Vec::with_capacity(4);
            for n in ["sep", "end", "file", "flush"] {
                names.push(self.identifier(n)?);
            }
            self.new_tuple_tracked(names)?;
        }
        let (mut sep, mut end, mut flush) = (None, None, false);
        for (k, v) in kw {
            let v = *v;
            match k.as_str() {
                "sep" | "end" => {
                    if v != self.none && self.ty(v) != Ty::Str {
                        let t = self.type_name(v);
                        return Err(
                            self.type_error(format!("{k} must be None or a string, not {t}"))
                        );
                    }
                    let slot = if k == "sep" { &mut sep } else { &mut end };
                    *slot = (v != self.none).then_some(v);
                }
                // The simulator has no file objects: `file=None` is sys.stdout, as in CPython.
                "file" if v != self.none => {
                    return Err(self.err(
                        "NotImplementedError",
                        "not supported by the simulator: print(file=...)",
                    ))
                }
                "file" => {}
                "flush" => flush = self.truthy(v)?,
                other => {
                    return Err(self.type_error(format!(
                        "'{other}' is an invalid keyword argument for print()"
                    )))
                }
            }
        }
        // 3.11–3.13: Argument Clinic packs `*args` into a new tuple for the call; 3.14 passes the array.
        let packed = if (11..=13).contains(&minor) && !args.is_empty() {
            for &a in args {
                self.incref(a);
            }
            Some(self.new_tuple_tracked(args.to_vec())?)
        } else {
            None
        };
        let r = self.print_pieces(args, sep, end, flush);
        if let Some(t) = packed {
            self.decref(t);
        }
        r?;
        Ok(self.none())
    }

    fn print_pieces(
        &mut self,
        args: &[ObjId],
        sep: Option<ObjId>,
        end: Option<ObjId>,
        flush: bool,
    ) -> R<()> {
        for (i, &a) in args.iter().enumerate() {
            if i > 0 {
                self.write_piece(sep, " ")?;
            }
            self.file_write_object(a)?;
        }
        self.write_piece(end, "\n")?;
        if flush {
            self.stdout_flush()?;
        }
        Ok(())
    }

    /// A `sep` or `end`: the given str object, else `PyFile_WriteString` of the default (a
    /// one-character str, a shared singleton).
    fn write_piece(&mut self, given: Option<ObjId>, default: &str) -> R<()> {
        match given {
            Some(s) => self.file_write_object(s),
            None => {
                let s = self.new_str(default)?;
                let r = self.file_write_object(s);
                self.decref(s);
                r
            }
        }
    }

    /// `PyFile_WriteObject(v, sys.stdout, Py_PRINT_RAW)`: `stdout.write` is fetched (a bound builtin
    /// method), `str(v)` made, and written.
    fn file_write_object(&mut self, v: ObjId) -> R<()> {
        let writer = self.cfunc_alloc()?;
        let s = if self.ty(v) == Ty::Str {
            self.incref(v);
            Ok(v)
        } else {
            self.to_str(v).and_then(|t| self.new_str(&t))
        };
        let r = match s {
            Ok(s) => {
                let r = self.textio_write(s);
                self.decref(s);
                r
            }
            Err(e) => Err(e),
        };
        self.cfunc_release(writer);
        r
    }

    /// `_io.TextIOWrapper.write(text)` on sys.stdout.
    fn textio_write(&mut self, text: ObjId) -> R<()> {
        let minor = self.layout.minor;
        let s = match self.payload(text) {
            Payload::Str { s, .. } => s.clone(),
            _ => return Ok(()),
        };
        self.out.push_str(&s);
        let needflush = self.profile.arch == Arch::Wasm32 && (s.contains('\n') || s.contains('\r'));
        // 3.8+ keep an ASCII str of at most a chunk as it is (bpo-37174, bpo-43260); otherwise, and
        // always in 3.7, its UTF-8 encoding is a new bytes object.
        let (b, len) = if minor >= 8 && s.is_ascii() && s.len() as u64 <= CHUNK {
            self.incref(text);
            (text, s.len() as u64)
        } else {
            (self.bytes_of(s.as_bytes())?, s.len() as u64)
        };
        if minor == 7 {
            // The list is made at the first write (and again after each flush).
            let l = match self.stdout.pending {
                Some(l) => l,
                None => {
                    let l = self.new_list(Vec::new(), 0)?;
                    self.stdout.pending = Some(l);
                    self.stdout.is_list = true;
                    l
                }
            };
            self.list_append(l, b)?;
            self.stdout.count += len;
            if self.stdout.count > CHUNK || needflush {
                self.writeflush()?;
            }
            return Ok(());
        }
        // 3.8–3.12 flush what is pending first when this piece would take it past a chunk; 3.13+
        // only for a piece of a chunk or more (gh-87426).
        let early = if minor <= 12 {
            self.stdout.count + len > CHUNK
        } else {
            len >= CHUNK
        };
        if early {
            self.writeflush()?;
        }
        match self.stdout.pending {
            None => {
                self.stdout.pending = Some(b);
                self.stdout.is_list = false;
            }
            Some(p) if !self.stdout.is_list => {
                let l = self.new_list(vec![p, b], 2)?;
                self.stdout.pending = Some(l);
                self.stdout.is_list = true;
            }
            Some(l) => self.list_append(l, b)?,
        }
        self.stdout.count += len;
        if self.stdout.count >= CHUNK || needflush {
            self.writeflush()?;
        }
        Ok(())
    }

    /// `_textiowrapper_writeflush`: the pending pieces are joined into one bytes object, handed to
    /// the buffer's `write` and released.
    fn writeflush(&mut self) -> R<()> {
        let Some(p) = self.stdout.pending.take() else {
            return Ok(());
        };
        let n = std::mem::take(&mut self.stdout.count);
        let was_list = std::mem::take(&mut self.stdout.is_list);
        let minor = self.layout.minor;
        // The joined bytes: 3.7's `_PyBytes_Join` returns a lone bytes item itself; 3.8+ copy a str,
        // pass a lone bytes, and join a list into a new bytes of the total.
        let lone = match self.payload(p) {
            Payload::List { items, .. } if items.len() == 1 => Some(items[0]),
            _ if !was_list => Some(p),
            _ => None,
        };
        // A new bytes of 0 or 1 byte is a shared singleton (`bytes_of`): nothing is allocated.
        let reused = lone.is_some_and(|x| self.ty(x) == Ty::Bytes);
        let joined = if reused || n <= 1 {
            None
        } else {
            Some(self.malloc(self.layout.bytes_size(n))?)
        };
        self.decref(p);
        // 3.7 calls `buffer.write` through a bound method; BufferedWriter hands more than its 8 KiB
        // buffer straight to `raw.write`, another one.
        if minor == 7 {
            let w = self.cfunc_alloc()?;
            if n > CHUNK {
                let raw = self.cfunc_alloc()?;
                self.cfunc_release(raw);
            }
            self.cfunc_release(w);
        }
        if let Some(a) = joined {
            self.mfree(a);
        }
        Ok(())
    }

    /// `print(..., flush=True)`: `sys.stdout.flush()`. 3.7 fetches it as a bound method and calls the
    /// buffer's `flush`, which writes through `raw.write`, two more.
    fn stdout_flush(&mut self) -> R<()> {
        if self.layout.minor > 7 {
            return self.writeflush();
        }
        let f = self.cfunc_alloc()?;
        self.writeflush()?;
        let bf = self.cfunc_alloc()?;
        let raw = self.cfunc_alloc()?;
        self.cfunc_release(raw);
        self.cfunc_release(bf);
        self.cfunc_release(f);
        Ok(())
    }

    /// The encoded bytes of a piece: one byte is a shared singleton (`characters[]` ≤3.11, static
    /// 3.12+), as `PyBytes_FromStringAndSize` gives it.
    fn bytes_of(&mut self, b: &[u8]) -> R<ObjId> {
        if b.len() != 1 {
            return self.new_bytes(b);
        }
        if let Some(id) = self.bytes_chars[b[0] as usize] {
            self.incref(id);
            return Ok(id);
        }
        let size = self.layout.bytes_size(1);
        let id = self.new_static(Ty::Bytes, Payload::Bytes(b.to_vec()), size);
        self.bytes_chars[b[0] as usize] = Some(id);
        self.incref(id);
        Ok(id)
    }

    /// An identifier string (`_Py_IDENTIFIER` ≤3.11, made on first use and interned; static `_Py_ID`
    /// 3.12+).
    fn identifier(&mut self, name: &str) -> R<ObjId> {
        if let Some(&k) = self.interned.get(name) {
            self.incref(k);
            return Ok(k);
        }
        if self.layout.minor < 12 {
            let s = self.new_str(name)?;
            return Ok(self.intern(s, true));
        }
        let size = self.layout.str_size(name, false);
        let s = self.new_static(
            Ty::Str,
            Payload::Str {
                s: name.to_string(),
                interned: Interned::Immortal,
                utf8_cached: false,
                hash: std::cell::Cell::new(-1),
            },
            size,
        );
        self.interned.insert(name.to_string(), s);
        Ok(s)
    }

    /// `Py_ReprEnter`: the first container repr of the run creates the thread state's dict
    /// (`PyThreadState_GetDict`) and the list it keeps under "Py_Repr"; both stay. Pyodide's
    /// 3.10–3.12 builds have the dict already at startup.
    pub fn repr_enter(&mut self) -> R<()> {
        if self.repr_list_made {
            return Ok(());
        }
        self.repr_list_made = true;
        let pyodide_dict =
            self.profile.arch == Arch::Wasm32 && (10..=12).contains(&self.layout.minor);
        if pyodide_dict {
            self.new_list(Vec::new(), 0)?;
            return Ok(());
        }
        let d = self.new_dict()?;
        let l = self.new_list(Vec::new(), 0)?;
        let k = self.identifier("Py_Repr")?;
        let r = self.dict_set(d, k, l);
        self.decref(k);
        r
    }
}
