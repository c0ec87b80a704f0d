//! methods: the methods of builtin objects (`Objects/listobject.c`, `dictobject.c`, `setobject.c`,
//! `unicodeobject.c`, `bytesobject.c`, `bytearrayobject.c`), with each container method growing or
//! shrinking storage the way CPython's does (`list_resize` for insert/pop/remove, `PyByteArray_Resize`).

use super::eval::Sent;
use super::vm::{Vm, R};
use crate::object::bigint::BigInt;
use crate::object::dict::Key;
use crate::object::unicase;
use crate::object::{Int, ObjId, Payload, Ty};

/// How an item left a list, which decides whether the version shrinks its buffer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// `pop()` of the last item.
    PopLast,
    /// `list_ass_slice`: `pop(i)` of another item, `remove`, `del l[a:b]`.
    Slice,
    /// `del l[i]` (`list_ass_item`).
    DelItem,
}

impl Vm {
    /// The buffer after items were removed (sizes measured with pyrun on every interpreter): `pop()` and
    /// `list_ass_slice` (pop(i), remove, del of a slice) call `list_resize(n)`, which shrinks below half
    /// use (and keeps small buffers where `list_keeps_small_buffers`); `del l[i]` (`list_ass_item`) does
    /// too through 3.12, then only shifts items until the releases that keep small buffers. Emptying by
    /// `pop()` frees the buffer from 3.12 (`list_clear`).
    pub fn list_shrink_after_removal(&mut self, l: ObjId, how: Removal) -> R<()> {
        let minor = self.layout.minor;
        let Some((n, _)) = self.list_fill(l) else {
            return Ok(());
        };
        let resize = match how {
            Removal::DelItem => minor <= 12 || self.layout.list_keeps_small_buffers(),
            // list_ass_slice clears a list it leaves empty.
            Removal::Slice if n == 0 => {
                self.list_free_buffer(l);
                return Ok(());
            }
            Removal::Slice => true,
            Removal::PopLast => {
                if minor >= 12 && n == 0 {
                    self.list_free_buffer(l);
                    return Ok(());
                }
                true
            }
        };
        if resize {
            self.list_resize(l, n)?;
        }
        Ok(())
    }

    /// `str.split`, `str.rsplit`, `bytes.split` as `Objects/stringlib/split.h` builds the list:
    /// `PyList_New(PREALLOC_SIZE(maxcount))` (at most 12 slots) filled in place, later pieces appended,
    /// the length fixed at the end without trimming. `maxcount` is `maxsplit`, or when that is negative:
    /// unbounded (≤3.11 str, and bytes), or from 3.12 for str (`_PyUnicode_Split`) `(len-1)/2+1` for
    /// whitespace and `len/len(sep)+1` for a separator. A str shorter than its separator is a one-slot
    /// list; when nothing is split off, an exact str is its own piece. rsplit fills from the right and
    /// reverses in place.
    fn split(&mut self, name: &str, s: ObjId, args: &[ObjId]) -> R<ObjId> {
        let short = name.rsplit('.').next().unwrap_or(name);
        self.arity(short, args, 0, 2)?;
        let bytes = name.starts_with("byte");
        let array = name.starts_with("bytearray");
        let right = short == "rsplit";
        // Work on chars: a bytes object as latin-1, so one char is one byte.
        let text: String = match self.payload(s) {
            Payload::Str { s, .. } => s.clone(),
            Payload::Bytes(b) | Payload::ByteArray { data: b, .. } => {
                b.iter().map(|&x| x as char).collect()
            }
            _ => String::new(),
        };
        let sep: Option<String> = match args.first() {
            Some(&a) if a != self.none => Some(match self.payload(a) {
                Payload::Str { s, .. } if !bytes => s.clone(),
                Payload::Bytes(b) | Payload::ByteArray { data: b, .. } if bytes => {
                    b.iter().map(|&x| x as char).collect()
                }
                _ => {
                    let t = self.type_name(a);
                    return Err(self.type_error(if bytes {
                        format!("a bytes-like object is required, not '{t}'")
                    } else {
                        format!("must be str or None, not {t}")
                    }));
                }
            }),
            _ => None,
        };
        let maxsplit = match args.get(1) {
            Some(&a) => self.int_arg(a)?,
            None => -1,
        };
        if sep.as_deref() == Some("") {
            return Err(self.err("ValueError", "empty separator"));
        }
        let len1 = text.chars().count() as i64;
        let minor = self.layout.minor;
        // The pieces, as char ranges, in the order they are made (right to left for rsplit).
        let chars: Vec<char> = text.chars().collect();
        let space = |c: char| {
            if bytes {
                matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
            } else {
                c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
            }
        };
        let limit = if maxsplit < 0 {
            usize::MAX
        } else {
            maxsplit as usize
        };
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        let n = chars.len();
        let maxcount;
        match &sep {
            None => {
                maxcount = if maxsplit >= 0 {
                    maxsplit
                } else if minor >= 12 && !bytes {
                    // C division truncates: an empty str gives 1.
                    (len1 - 1) / 2 + 1
                } else {
                    i64::MAX
                };
                if !right {
                    let mut i = 0;
                    while pieces.len() < limit {
                        while i < n && space(chars[i]) {
                            i += 1;
                        }
                        if i == n {
                            break;
                        }
                        let j = (i..n).find(|&k| space(chars[k])).unwrap_or(n);
                        pieces.push((i, j));
                        i = j;
                    }
                    while i < n && space(chars[i]) {
                        i += 1;
                    }
                    if i < n {
                        pieces.push((i, n));
                    }
                } else {
                    let mut j = n;
                    while pieces.len() < limit {
                        while j > 0 && space(chars[j - 1]) {
                            j -= 1;
                        }
                        if j == 0 {
                            break;
                        }
                        let i = (0..j).rev().find(|&k| space(chars[k])).map_or(0, |k| k + 1);
                        pieces.push((i, j));
                        j = i;
                    }
                    while j > 0 && space(chars[j - 1]) {
                        j -= 1;
                    }
                    if j > 0 {
                        pieces.push((0, j));
                    }
                }
            }
            Some(p) => {
                let pat: Vec<char> = p.chars().collect();
                let len2 = pat.len() as i64;
                maxcount = if maxsplit >= 0 {
                    maxsplit
                } else if minor >= 12 && !bytes {
                    len1 / len2 + 1
                } else {
                    i64::MAX
                };
                let at = |k: usize| chars[k..].starts_with(&pat);
                if !right {
                    let mut i = 0;
                    let mut k = 0;
                    while pieces.len() < limit && k + pat.len() <= n {
                        if at(k) {
                            pieces.push((i, k));
                            k += pat.len();
                            i = k;
                        } else {
                            k += 1;
                        }
                    }
                    pieces.push((i, n));
                } else {
                    let mut j = n;
                    let mut k = n;
                    while pieces.len() < limit && k >= pat.len() {
                        if at(k - pat.len()) {
                            pieces.push((k, j));
                            k -= pat.len();
                            j = k;
                        } else {
                            k -= 1;
                        }
                    }
                    pieces.push((0, j));
                }
            }
        }
        let shorter_than_sep = !bytes
            && sep
                .as_ref()
                .is_some_and(|p| len1 < p.chars().count() as i64);
        let prealloc = if shorter_than_sep {
            1
        } else if maxcount >= 12 {
            12
        } else {
            maxcount as u64 + 1
        };
        let l = self.new_list_alloc(vec![], prealloc, true)?;
        // Nothing split off: the str itself is the one piece (split_whitespace's "no whitespace", and
        // `count == 0` of the separator splits); bytes are always copied.
        let whole = !array && pieces.len() == 1 && pieces[0] == (0, n);
        let whole = whole
            && (sep.is_some() || !(maxsplit == 0 && chars.first().is_some_and(|&c| space(c))));
        for &(i, j) in &pieces {
            let piece: String = chars[i..j].iter().collect();
            let v = if whole && (sep.is_some() || chars.iter().all(|&c| !space(c))) {
                self.incref(s);
                s
            } else if bytes {
                let b: Vec<u8> = piece.chars().map(|c| c as u8).collect();
                if array {
                    self.new_bytearray(b)?
                } else {
                    self.new_bytes(&b)?
                }
            } else {
                self.new_str(&piece)?
            };
            let (len, allocated) = self.list_fill(l).unwrap_or((0, 0));
            if len < allocated {
                if let Payload::List { items, .. } = &mut self.objs.get_mut(l).payload {
                    items.push(v);
                }
            } else {
                self.list_append(l, v)?;
            }
        }
        if right {
            if let Payload::List { items, .. } = &mut self.objs.get_mut(l).payload {
                items.reverse();
            }
        }
        Ok(l)
    }

    /// The bytes-like argument of a bytes method (`Py_buffer` of bytes or bytearray).
    fn bytes_arg(&mut self, v: ObjId) -> R<Vec<u8>> {
        match self.ty(v) {
            Ty::Bytes | Ty::ByteArray => Ok(self.byte_data(v).to_vec()),
            _ => {
                let t = self.type_name(v);
                Err(self.type_error(format!("a bytes-like object is required, not '{t}'")))
            }
        }
    }

    /// bytes and bytearray methods (`Objects/bytes_methods.c`, `bytesobject.c`): ASCII case and
    /// whitespace only; a bytearray's transforming methods return a bytearray.
    fn bytes_method(&mut self, name: &str, s: ObjId, args: &[ObjId]) -> R<ObjId> {
        let short = name.rsplit('.').next().unwrap_or(name);
        let data = self.byte_data(s).to_vec();
        let result = |vm: &mut Vm, b: Vec<u8>| {
            if vm.ty(s) == Ty::ByteArray {
                vm.new_bytearray(b)
            } else {
                vm.new_bytes(&b)
            }
        };
        match short {
            "join" => {
                self.arity(short, args, 1, 1)?;
                let items = self.seq_fast(args[0])?;
                let mut out = Vec::new();
                for (i, &x) in items.iter().enumerate() {
                    if !matches!(self.ty(x), Ty::Bytes | Ty::ByteArray) {
                        let t = self.type_name(x);
                        self.decref_all(&items);
                        return Err(self.type_error(format!(
                            "sequence item {i}: expected a bytes-like object, {t} found"
                        )));
                    }
                    if i > 0 {
                        out.extend_from_slice(&data);
                    }
                    out.extend_from_slice(self.byte_data(x));
                }
                self.decref_all(&items);
                result(self, out)
            }
            "upper" | "lower" => {
                self.arity(short, args, 0, 0)?;
                let up = short == "upper";
                let b = data
                    .iter()
                    .map(|c| {
                        if up {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .collect();
                result(self, b)
            }
            "strip" | "lstrip" | "rstrip" => {
                self.arity(short, args, 0, 1)?;
                let set: Vec<u8> = match args.first() {
                    Some(&a) if a != self.none => self.bytes_arg(a)?,
                    _ => b" \t\n\r\x0b\x0c".to_vec(),
                };
                let mut i = 0;
                let mut j = data.len();
                if short != "rstrip" {
                    while i < j && set.contains(&data[i]) {
                        i += 1;
                    }
                }
                if short != "lstrip" {
                    while j > i && set.contains(&data[j - 1]) {
                        j -= 1;
                    }
                }
                result(self, data[i..j].to_vec())
            }
            "replace" => {
                self.arity(short, args, 2, 3)?;
                let (old, new) = (self.bytes_arg(args[0])?, self.bytes_arg(args[1])?);
                let mut count = match args.get(2) {
                    Some(&c) => self.int_arg(c)?,
                    None => -1,
                };
                let mut out = Vec::new();
                let mut i = 0;
                while i <= data.len() {
                    if count != 0 && data[i..].starts_with(&old) {
                        out.extend_from_slice(&new);
                        count -= 1;
                        if old.is_empty() {
                            if i < data.len() {
                                out.push(data[i]);
                            }
                            i += 1;
                        } else {
                            i += old.len();
                        }
                    } else if i < data.len() {
                        out.push(data[i]);
                        i += 1;
                    } else {
                        break;
                    }
                }
                result(self, out)
            }
            "count" | "find" | "rfind" | "index" | "rindex" => {
                self.finds_arity(short, args)?;
                // parse_args_finds_byte: a byte value or a bytes-like object.
                let pat = match (self.ty(args[0]), self.payload(args[0])) {
                    (_, &Payload::Int(Int::Small(v))) if (0..256).contains(&v) => vec![v as u8],
                    (Ty::Int | Ty::Bool, _) => {
                        return Err(self.err("ValueError", "byte must be in range(0, 256)"))
                    }
                    (Ty::Bytes | Ty::ByteArray, _) => self.byte_data(args[0]).to_vec(),
                    _ => {
                        let t = self.type_name(args[0]);
                        return Err(self.type_error(format!(
                            "argument should be integer or bytes-like object, not '{t}'"
                        )));
                    }
                };
                let (start, end) = self.sub_bounds(&args[1..], data.len())?;
                let r = sub_search(short, &data, &pat, start, end);
                self.search_result(short, r, "subsection not found")
            }
            "startswith" | "endswith" => {
                self.finds_arity(short, args)?;
                let pats: Vec<ObjId> = match self.payload(args[0]) {
                    Payload::Tuple(t) => t.clone(),
                    _ => vec![args[0]],
                };
                let (start, end) = self.sub_bounds(&args[1..], data.len())?;
                let mut r = false;
                for p in pats {
                    if !matches!(self.ty(p), Ty::Bytes | Ty::ByteArray) {
                        let t = self.type_name(p);
                        return Err(self.type_error(format!(
                            "{short} first arg must be bytes or a tuple of bytes, not {t}"
                        )));
                    }
                    let p = self.bytes_arg(p)?;
                    r |= sub_tail_match(&data, &p, start, end, short == "endswith");
                }
                Ok(self.new_bool(r))
            }
            _ => {
                // splitlines: \n, \r and \r\n only.
                self.arity(short, args, 0, 1)?;
                let keep = match args.first() {
                    Some(&k) => self.truthy(k)?,
                    None => false,
                };
                let l = self.new_list_exact(vec![])?;
                let mut start = 0;
                let mut i = 0;
                while i < data.len() {
                    if data[i] == b'\n' || data[i] == b'\r' {
                        let end = if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
                            i + 2
                        } else {
                            i + 1
                        };
                        let piece = self.new_bytes(&data[start..if keep { end } else { i }])?;
                        self.list_append(l, piece)?;
                        start = end;
                        i = end;
                    } else {
                        i += 1;
                    }
                }
                if start < data.len() {
                    let piece = self.new_bytes(&data[start..])?;
                    self.list_append(l, piece)?;
                }
                Ok(l)
            }
        }
    }

    /// The argument count of find, rfind, index, rindex, count, startswith and endswith (str, bytes,
    /// bytearray): a sub and an optional start and end. `PyArg_ParseTuple("O|OO:find")` words it up to
    /// 3.12; Argument Clinic from 3.13.
    fn finds_arity(&mut self, short: &str, args: &[ObjId]) -> R<()> {
        let n = args.len();
        if (1..=3).contains(&n) {
            return Ok(());
        }
        let msg = match (self.layout.minor >= 13, n == 0) {
            (false, true) => format!("{short}() takes at least 1 argument (0 given)"),
            (false, false) => format!("{short}() takes at most 3 arguments ({n} given)"),
            (true, true) => format!("{short} expected at least 1 argument, got 0"),
            (true, false) => format!("{short} expected at most 3 arguments, got {n}"),
        };
        Err(self.type_error(msg))
    }

    /// `ADJUST_INDICES` (Objects/stringlib/fastsearch.h users) over the optional start and end, each
    /// read by `_PyEval_SliceIndex`: an int (huge ones clamped), a bool, or None. A negative index counts
    /// from the end; end is clamped to the length, start only from below, so start may pass the end.
    fn sub_bounds(&mut self, args: &[ObjId], len: usize) -> R<(usize, usize)> {
        let mut b = [0i64, len as i64];
        for (k, &a) in args.iter().take(2).enumerate() {
            b[k] = match self.payload(a) {
                Payload::None => continue,
                Payload::Int(Int::Small(i)) => *i,
                Payload::Bool(x) => *x as i64,
                Payload::Int(Int::Big(v)) if v.is_negative() => i64::MIN,
                Payload::Int(Int::Big(_)) => i64::MAX,
                _ => {
                    // 3.15 no longer mentions None, though it still takes it.
                    let msg = if self.layout.minor >= 15 {
                        "slice indices must be integers or have an __index__ method"
                    } else {
                        "slice indices must be integers or None or have an __index__ method"
                    };
                    return Err(self.type_error(msg.to_string()));
                }
            };
        }
        let len = len as i64;
        let from_end = |v: i64| {
            if v < 0 {
                v.saturating_add(len).max(0)
            } else {
                v
            }
        };
        Ok((from_end(b[0]) as usize, from_end(b[1]).min(len) as usize))
    }

    /// A search's answer: find/rfind -1 when absent, index/rindex a ValueError, count and the rest
    /// their number.
    fn search_result(&mut self, short: &str, r: Option<usize>, missing: &str) -> R<ObjId> {
        match r {
            Some(i) => self.new_i64(i as i64),
            None if short.ends_with("index") => Err(self.err("ValueError", missing)),
            None => self.new_i64(-1),
        }
    }

    fn str_arg(&mut self, v: ObjId, what: &str) -> R<String> {
        match self.str_of(v) {
            Some(s) => Ok(s.to_string()),
            None => {
                let t = self.type_name(v);
                Err(self.type_error(format!("{what} must be str, not {t}")))
            }
        }
    }

    fn int_arg(&mut self, v: ObjId) -> R<i64> {
        match self.payload(v) {
            Payload::Int(Int::Small(i)) => Ok(*i),
            Payload::Bool(b) => Ok(*b as i64),
            _ => {
                let t = self.type_name(v);
                Err(self.type_error(format!("'{t}' object cannot be interpreted as an integer")))
            }
        }
    }

    /// A method of a builtin object, called with borrowed arguments.
    pub fn call_method(
        &mut self,
        name: &'static str,
        s: ObjId,
        args: &[ObjId],
        kw: &[(String, ObjId)],
    ) -> R<ObjId> {
        let packed = self.pack_varargs(name, args, kw)?;
        let r = self.call_method_impl(name, s, args, kw);
        self.unpack_varargs(packed);
        r
    }

    fn call_method_impl(
        &mut self,
        name: &'static str,
        s: ObjId,
        args: &[ObjId],
        kw: &[(String, ObjId)],
    ) -> R<ObjId> {
        let bound = self.bind_keywords(name, args, kw)?;
        let (args, kw) = match &bound {
            Some((a, k)) => (&a[..], &k[..]),
            None => (args, kw),
        };
        match name {
            "iterator.__length_hint__" => {
                self.arity("__length_hint__", args, 0, 0)?;
                let n = self.length_hint(s);
                self.new_int(Int::from_big(BigInt::from(n)))
            }
            "object.__sizeof__" => {
                self.arity("__sizeof__", args, 0, 0)?;
                let n = self.sizeof_method(s)?;
                self.new_i64(n as i64)
            }
            // ---------------------------------------------------------- generator
            "generator.send" => {
                self.arity("send", args, 1, 1)?;
                self.incref(args[0]);
                self.gen_send(s, Sent::Value(args[0]))
            }
            "generator.throw" => {
                self.arity("throw", args, 1, 1)?;
                self.incref(args[0]);
                let e = self.make_exception(args[0])?;
                self.gen_send(s, Sent::Throw(e))
            }
            "generator.close" => {
                self.arity("close", args, 0, 0)?;
                self.gen_close(s)
            }
            // ---------------------------------------------------------- list
            "list.append" => {
                self.arity("list.append", args, 1, 1)?;
                self.incref(args[0]);
                self.list_append(s, args[0])?;
                Ok(self.none())
            }
            "list.extend" => {
                self.arity("list.extend", args, 1, 1)?;
                self.list_extend(s, args[0])?;
                Ok(self.none())
            }
            "list.insert" => {
                self.arity("insert", args, 2, 2)?;
                let n = self.items_of(s).len() as i64;
                let i = self.int_arg(args[0])?;
                let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
                self.list_resize(s, n as u64 + 1)?;
                self.incref(args[1]);
                if let Payload::List { items, .. } = &mut self.objs.get_mut(s).payload {
                    items.insert(i, args[1]);
                }
                Ok(self.none())
            }
            "list.pop" => {
                self.arity("pop", args, 0, 1)?;
                let n = self.items_of(s).len() as i64;
                if n == 0 {
                    return Err(self.err("IndexError", "pop from empty list"));
                }
                let i = match args.first() {
                    Some(&a) => self.int_arg(a)?,
                    None => -1,
                };
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(self.err("IndexError", "pop index out of range"));
                }
                let v = match &mut self.objs.get_mut(s).payload {
                    Payload::List { items, .. } => items.remove(j as usize),
                    _ => unreachable!(/* a list */),
                };
                let kind = if j == n - 1 {
                    Removal::PopLast
                } else {
                    Removal::Slice
                };
                self.list_shrink_after_removal(s, kind)?;
                Ok(v)
            }
            "list.remove" => {
                self.arity("list.remove", args, 1, 1)?;
                let items = self.seq_items(s);
                for (i, &x) in items.iter().enumerate() {
                    if self.eq(x, args[0])? {
                        if let Payload::List { items, .. } = &mut self.objs.get_mut(s).payload {
                            items.remove(i);
                        }
                        self.list_shrink_after_removal(s, Removal::Slice)?;
                        self.decref(x);
                        return Ok(self.none());
                    }
                }
                Err(self.err("ValueError", "list.remove(x): x not in list"))
            }
            "list.clear" => {
                self.arity("list.clear", args, 0, 0)?;
                self.list_clear(s);
                Ok(self.none())
            }
            "list.copy" => {
                let items = self.seq_items(s);
                for &i in &items {
                    self.incref(i);
                }
                self.new_list_exact(items)
            }
            "list.index" | "tuple.index" => {
                self.arity(name, args, 1, 3)?;
                let items = self.seq_items(s);
                for (i, &x) in items.iter().enumerate() {
                    if self.eq(x, args[0])? {
                        return self.new_i64(i as i64);
                    }
                }
                let msg = if name == "list.index" {
                    // 3.14 changed the message (the repr of x is no longer in it).
                    if self.layout.minor >= 14 {
                        "list.index(x): x not in list".to_string()
                    } else {
                        let r = self.repr(args[0])?;
                        format!("{r} is not in list")
                    }
                } else {
                    "tuple.index(x): x not in tuple".to_string()
                };
                Err(self.err("ValueError", &msg))
            }
            // range_index / range_count: an int is found arithmetically; anything else is compared
            // with each value in turn.
            "range.index" | "range.count" => {
                self.arity(name.trim_start_matches("range."), args, 1, 1)?;
                let x = args[0];
                if matches!(self.payload(x), Payload::Int(_) | Payload::Bool(_)) {
                    let found = self.contains(s, x)?;
                    if name == "range.count" {
                        return self.new_i64(found as i64);
                    }
                    if !found {
                        // 3.14 dropped the repr from the message (measured).
                        if self.layout.minor >= 14 {
                            return Err(self.err("ValueError", "range.index(x): x not in range"));
                        }
                        let r = self.repr(x)?;
                        return Err(self.err("ValueError", &format!("{r} is not in range")));
                    }
                    let Payload::Range(d) = self.payload(s) else {
                        unreachable!(/* a range */)
                    };
                    let v = self.int_of(x).map(|i| i.to_big()).unwrap_or_default();
                    let i = (v - &d.start) / &d.step;
                    return self.new_int(Int::from_big(i));
                }
                let it = self.get_iter(s)?;
                let mut n = 0i64;
                let mut pos = None;
                while let Some(v) = self.iter_next(it)? {
                    let eq = self.eq(v, x);
                    self.decref(v);
                    if eq? {
                        if name == "range.index" {
                            pos = Some(n);
                            break;
                        }
                        n += 1;
                    } else if name == "range.index" {
                        n += 1;
                    }
                }
                self.decref(it);
                if name == "range.count" {
                    return self.new_i64(n);
                }
                match pos {
                    Some(p) => self.new_i64(p),
                    None => Err(self.err("ValueError", "sequence.index(x): x not in sequence")),
                }
            }
            "list.count" | "tuple.count" => {
                self.arity(name, args, 1, 1)?;
                let items = self.seq_items(s);
                let mut n = 0;
                for &x in &items {
                    if self.eq(x, args[0])? {
                        n += 1;
                    }
                }
                self.new_i64(n)
            }
            "list.reverse" => {
                if let Payload::List { items, .. } = &mut self.objs.get_mut(s).payload {
                    items.reverse();
                }
                Ok(self.none())
            }
            "list.sort" => {
                let key = kw
                    .iter()
                    .find(|(k, _)| k == "key")
                    .map(|(_, v)| *v)
                    .filter(|&k| k != self.none);
                let reverse = match kw.iter().find(|(k, _)| k == "reverse") {
                    Some((_, v)) => self.truthy(*v)?,
                    None => false,
                };
                let items = self.seq_items(s);
                let mut keyed = Vec::with_capacity(items.len());
                for &i in &items {
                    let k = match key {
                        Some(kf) => {
                            self.incref(kf);
                            self.incref(i);
                            let r = self.call(kf, vec![i], vec![]);
                            self.decref(kf);
                            r?
                        }
                        None => {
                            self.incref(i);
                            i
                        }
                    };
                    keyed.push((k, i));
                }
                // A stable merge sort with Python comparisons; errors abort with the list unchanged.
                // list_sort_impl with reverse=True reverses, sorts, and reverses back, so equal keys keep
                // their original order.
                let mut err = None;
                let mut sorted = keyed.clone();
                if reverse {
                    sorted.reverse();
                }
                crate::util::sort_by(&mut sorted, &mut |a, b| {
                    if err.is_some() {
                        return false;
                    }
                    match self.compare(a.0, super::ast::CmpOp::Lt, b.0) {
                        Ok(r) => {
                            let t = self.truthy(r).unwrap_or(false);
                            self.decref(r);
                            t
                        }
                        Err(e) => {
                            err = Some(e);
                            false
                        }
                    }
                });
                for (k, _) in &keyed {
                    self.decref(*k);
                }
                if let Some(e) = err {
                    return Err(e);
                }
                let mut out: Vec<ObjId> = sorted.into_iter().map(|(_, i)| i).collect();
                if reverse {
                    out.reverse();
                }
                if let Payload::List { items, .. } = &mut self.objs.get_mut(s).payload {
                    *items = out;
                }
                Ok(self.none())
            }
            // ---------------------------------------------------------- dict
            "dict.get" => {
                self.arity("get", args, 1, 2)?;
                let k = self.key_for(args[0], false)?;
                let found = match self.payload(s) {
                    Payload::Dict(d) => d.get(&k).map(|i| d.entry(i).value),
                    _ => None,
                };
                let v = found.or(args.get(1).copied()).unwrap_or(self.none);
                self.incref(v);
                Ok(v)
            }
            "dict.keys" | "dict.values" | "dict.items" => {
                let ty = match name {
                    "dict.keys" => Ty::DictKeys,
                    "dict.values" => Ty::DictValues,
                    _ => Ty::DictItems,
                };
                self.incref(s);
                let basic = self.layout.object() + self.layout.p;
                self.new_gc(ty, Payload::View(s), basic)
            }
            "dict.pop" => {
                self.arity("pop", args, 1, 2)?;
                // dict_pop_default: an empty dict answers before hashing the key.
                let empty = matches!(self.payload(s), Payload::Dict(d) if d.is_empty());
                if let (true, Some(&d)) = (empty, args.get(1)) {
                    self.incref(d);
                    return Ok(d);
                }
                let k = self.key_for(args[0], false)?;
                let e = match &mut self.objs.get_mut(s).payload {
                    Payload::Dict(d) => d.delete(&k),
                    _ => None,
                };
                match e {
                    Some(e) => {
                        self.decref(e.key);
                        Ok(e.value)
                    }
                    None => match args.get(1) {
                        Some(&d) => {
                            self.incref(d);
                            Ok(d)
                        }
                        None => Err(self.key_error(args[0])),
                    },
                }
            }
            "dict.popitem" => {
                let last = match self.payload(s) {
                    Payload::Dict(d) => d.iter().last().map(|e| e.k.clone()),
                    _ => None,
                };
                let Some(k) = last else {
                    return Err(self.err("KeyError", "popitem(): dictionary is empty"));
                };
                let e = match &mut self.objs.get_mut(s).payload {
                    Payload::Dict(d) => d.delete(&k).expect("present"),
                    _ => unreachable!(/* a dict */),
                };
                // dict_popitem: a PyTuple_New pair, tracked whatever the items.
                self.new_tuple_tracked(vec![e.key, e.value])
            }
            "dict.setdefault" => {
                self.arity("setdefault", args, 1, 2)?;
                let k = self.key_for(args[0], false)?;
                let found = match self.payload(s) {
                    Payload::Dict(d) => d.get(&k).map(|i| d.entry(i).value),
                    _ => None,
                };
                let v = match found {
                    Some(v) => v,
                    None => {
                        let v = args.get(1).copied().unwrap_or(self.none);
                        self.incref(v);
                        self.dict_set(s, args[0], v)?;
                        v
                    }
                };
                self.incref(v);
                Ok(v)
            }
            "dict.update" => {
                if let Some(&a) = args.first() {
                    if self.ty(a) == Ty::Dict {
                        self.dict_merge_into(s, a)?;
                    } else {
                        self.dict_update(s, a)?;
                    }
                }
                for (k, v) in kw {
                    self.incref(*v);
                    self.dict_set_str(s, k, *v)?;
                }
                Ok(self.none())
            }
            "dict.clear" => {
                let (entries, keys) = match &mut self.objs.get_mut(s).payload {
                    Payload::Dict(d) => {
                        let keys = (d.keys_addr.take(), d.log2, d.unicode);
                        d.split = None;
                        (d.clear(), keys)
                    }
                    _ => (Vec::new(), (None, 0, false)),
                };
                if let (Some(a), l, u) = keys {
                    self.free_keys(a, l, u);
                }
                for e in entries {
                    self.decref(e.key);
                    self.decref(e.value);
                }
                Ok(self.none())
            }
            "dict.copy" => self.dict_copy(s),
            "dict.fromkeys" => {
                self.arity("fromkeys", args, 1, 2)?;
                // dict_fromkeys calls the class (`dict()`), then, for an exact dict or set source,
                // resizes once for its length (a dict source's keys kind carries over, 3.11+).
                let d = self.dict_from_type()?;
                let src = args[0];
                let presize = match self.payload(src) {
                    // Py_EMPTY_KEYS (log2 0) is of the unicode kind.
                    Payload::Dict(o) => Some((
                        o.len(),
                        self.layout.minor >= 11 && (o.unicode || o.log2 == 0),
                    )),
                    Payload::Set(o) => Some((o.len(), false)),
                    _ => None,
                };
                if let Some((n, unicode)) = presize {
                    if let Err(e) = self.dict_presize(d, n as u64, unicode) {
                        self.decref(d);
                        return Err(e);
                    }
                }
                let items = match self.collect_iter(src) {
                    Ok(items) => items,
                    Err(e) => {
                        self.decref(d);
                        return Err(e);
                    }
                };
                let v = args.get(1).copied().unwrap_or(self.none);
                for k in items {
                    self.incref(v);
                    let r = self.dict_set(d, k, v);
                    self.decref(k);
                    r?;
                }
                Ok(d)
            }
            // ---------------------------------------------------------- set
            "set.add" => {
                self.arity("set.add", args, 1, 1)?;
                self.frozen_check(s, "add")?;
                self.set_add(s, args[0])?;
                Ok(self.none())
            }
            "set.remove" | "set.discard" => {
                self.arity(name, args, 1, 1)?;
                self.frozen_check(
                    s,
                    if name == "set.remove" {
                        "remove"
                    } else {
                        "discard"
                    },
                )?;
                let k = self.key_for(args[0], true)?;
                let h = self.hash_of(args[0]);
                let removed = match &mut self.objs.get_mut(s).payload {
                    Payload::Set(x) => x.remove(&k, h),
                    _ => None,
                };
                match removed {
                    Some(o) => {
                        self.decref(o);
                        Ok(self.none())
                    }
                    None if name == "set.discard" => Ok(self.none()),
                    None => Err(self.key_error(args[0])),
                }
            }
            "set.pop" => {
                self.frozen_check(s, "pop")?;
                let first = match self.payload(s) {
                    Payload::Set(x) => x.active().into_iter().next(),
                    _ => None,
                };
                let Some((k, _, h)) = first else {
                    return Err(self.err("KeyError", "pop from an empty set"));
                };
                let o = match &mut self.objs.get_mut(s).payload {
                    Payload::Set(x) => x.remove(&k, h),
                    _ => None,
                };
                Ok(o.expect("present"))
            }
            "set.clear" => {
                self.frozen_check(s, "clear")?;
                let (members, table) = match &mut self.objs.get_mut(s).payload {
                    Payload::Set(x) => {
                        let t = x.table_addr.take();
                        (x.clear(), t)
                    }
                    _ => (Vec::new(), None),
                };
                if let Some(t) = table {
                    self.mfree(t);
                }
                if let Payload::Set(x) = &mut self.objs.get_mut(s).payload {
                    x.table_addr = None;
                }
                self.decref_all(&members);
                Ok(self.none())
            }
            "set.copy" => {
                let frozen = self.ty(s) == Ty::FrozenSet;
                let c = self.new_set(frozen)?;
                self.set_update(c, s)?;
                Ok(c)
            }
            "set.update" => {
                for &a in args {
                    self.set_update(s, a)?;
                }
                Ok(self.none())
            }
            "set.union" | "set.intersection" | "set.difference" | "set.symmetric_difference" => {
                let op = match name {
                    "set.union" => super::ast::BinOp::BitOr,
                    "set.intersection" => super::ast::BinOp::BitAnd,
                    "set.difference" => super::ast::BinOp::Sub,
                    _ => super::ast::BinOp::BitXor,
                };
                let mut cur = {
                    self.incref(s);
                    s
                };
                for &a in args {
                    let other = if matches!(self.ty(a), Ty::Set | Ty::FrozenSet) {
                        self.incref(a);
                        a
                    } else {
                        let t = self.new_set(false)?;
                        self.set_update(t, a)?;
                        t
                    };
                    let r = self.binary_op(cur, op, other);
                    self.decref(cur);
                    self.decref(other);
                    cur = r?;
                }
                if cur == s {
                    let c = self.new_set(self.ty(s) == Ty::FrozenSet)?;
                    self.set_update(c, s)?;
                    self.decref(cur);
                    return Ok(c);
                }
                Ok(cur)
            }
            "set.issubset" | "set.issuperset" | "set.isdisjoint" => {
                self.arity(name, args, 1, 1)?;
                let a: Vec<Key> = self
                    .set_members(s)
                    .iter()
                    .filter_map(|&i| self.key_of(i))
                    .collect();
                let other_items = self.collect_iter(args[0])?;
                let b: Vec<Key> = other_items.iter().filter_map(|&i| self.key_of(i)).collect();
                self.decref_all(&other_items);
                let r = match name {
                    "set.issubset" => a.iter().all(|k| b.contains(k)),
                    "set.issuperset" => b.iter().all(|k| a.contains(k)),
                    _ => !a.iter().any(|k| b.contains(k)),
                };
                Ok(self.new_bool(r))
            }
            // ---------------------------------------------------------- str
            "str.join" => {
                self.arity("join", args, 1, 1)?;
                let sep = self.str_of(s).unwrap_or("").to_string();
                let items = self.seq_fast(args[0])?;
                let mut parts = Vec::new();
                for (i, &x) in items.iter().enumerate() {
                    match self.str_of(x) {
                        Some(t) => parts.push(t.to_string()),
                        None => {
                            let t = self.type_name(x);
                            self.decref_all(&items);
                            return Err(self.type_error(format!(
                                "sequence item {i}: expected str instance, {t} found"
                            )));
                        }
                    }
                }
                self.decref_all(&items);
                self.new_str(&parts.join(&sep))
            }
            "str.split" | "str.rsplit" | "bytes.split" | "bytes.rsplit" | "bytearray.split"
            | "bytearray.rsplit" => self.split(name, s, args),
            "bytes.join"
            | "bytearray.join"
            | "bytes.upper"
            | "bytes.lower"
            | "bytearray.upper"
            | "bytearray.lower"
            | "bytes.strip"
            | "bytes.lstrip"
            | "bytes.rstrip"
            | "bytes.replace"
            | "bytes.count"
            | "bytes.find"
            | "bytes.rfind"
            | "bytes.index"
            | "bytes.rindex"
            | "bytes.startswith"
            | "bytes.endswith"
            | "bytes.splitlines"
            | "bytearray.count"
            | "bytearray.find"
            | "bytearray.rfind"
            | "bytearray.index"
            | "bytearray.rindex"
            | "bytearray.startswith"
            | "bytearray.endswith"
            | "bytearray.strip"
            | "bytearray.lstrip"
            | "bytearray.rstrip"
            | "bytearray.replace"
            | "bytearray.splitlines" => self.bytes_method(name, s, args),
            "str.splitlines" => {
                self.arity("splitlines", args, 0, 1)?;
                let keepends = match args.first() {
                    Some(&k) => self.truthy(k)?,
                    None => false,
                };
                let text = self.str_of(s).unwrap_or("").to_string();
                // Py_UNICODE_ISLINEBREAK: \n \r (\r\n as one) \v \f \x1c-\x1e \x85 \u2028 \u2029.
                let mut lines = Vec::new();
                let mut start = 0;
                let mut it = text.char_indices().peekable();
                while let Some((i, c)) = it.next() {
                    if matches!(
                        c,
                        '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'
                            ..='\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
                    ) {
                        let mut end = i + c.len_utf8();
                        if c == '\r' && it.peek().is_some_and(|&(_, n)| n == '\n') {
                            it.next();
                            end += 1;
                        }
                        lines.push(&text[start..if keepends { end } else { i }]);
                        start = end;
                    }
                }
                if start < text.len() {
                    lines.push(&text[start..]);
                }
                let l = self.new_list_exact(vec![])?;
                for line in lines {
                    let id = self.new_str(line)?;
                    self.list_append(l, id)?;
                }
                Ok(l)
            }
            "str.strip" | "str.lstrip" | "str.rstrip" => {
                let text = self.str_of(s).unwrap_or("").to_string();
                let chars: Option<Vec<char>> = match args.first() {
                    Some(&a) if a != self.none => {
                        Some(self.str_arg(a, "strip arg")?.chars().collect())
                    }
                    _ => None,
                };
                let pred = |c: char| match &chars {
                    Some(cs) => cs.contains(&c),
                    None => c.is_whitespace(),
                };
                let r = match name {
                    "str.strip" => text.trim_matches(pred),
                    "str.lstrip" => text.trim_start_matches(pred),
                    _ => text.trim_end_matches(pred),
                };
                if r.len() == text.len() {
                    self.incref(s);
                    return Ok(s);
                }
                self.new_str(r)
            }
            "str.upper" | "str.lower" | "str.title" | "str.capitalize" | "str.swapcase" => {
                let text = self.str_of(s).unwrap_or("").to_string();
                let r = match name {
                    "str.upper" => unicase::upper(&text),
                    "str.lower" => unicase::lower(&text),
                    "str.swapcase" => {
                        let mut out = String::new();
                        for c in text.chars() {
                            if c.is_uppercase() {
                                unicase::push_lower(c, &mut out);
                            } else {
                                unicase::push_upper(c, &mut out);
                            }
                        }
                        out
                    }
                    "str.capitalize" => {
                        let mut cs = text.chars();
                        let mut out = String::new();
                        if let Some(f) = cs.next() {
                            unicase::push_upper(f, &mut out);
                            out += &unicase::lower(cs.as_str());
                        }
                        out
                    }
                    _ => {
                        let mut out = String::new();
                        let mut prev_alpha = false;
                        for c in text.chars() {
                            if c.is_alphabetic() {
                                if prev_alpha {
                                    unicase::push_lower(c, &mut out);
                                } else {
                                    unicase::push_upper(c, &mut out);
                                }
                                prev_alpha = true;
                            } else {
                                out.push(c);
                                prev_alpha = false;
                            }
                        }
                        out
                    }
                };
                self.new_str(&r)
            }
            "str.replace" => {
                self.arity("replace", args, 2, 3)?;
                let text = self.str_of(s).unwrap_or("").to_string();
                let a = self.str_arg(args[0], "replace() argument 1")?;
                let b = self.str_arg(args[1], "replace() argument 2")?;
                let count = match args.get(2) {
                    Some(&c) => self.int_arg(c)?,
                    None => -1,
                };
                let r = if count < 0 {
                    text.replace(&a, &b)
                } else {
                    text.replacen(&a, &b, count as usize)
                };
                self.new_str(&r)
            }
            "str.startswith" | "str.endswith" => {
                self.finds_arity(&name[4..], args)?;
                let hay: Vec<char> = self.str_of(s).unwrap_or("").chars().collect();
                let pats: Vec<ObjId> = match self.payload(args[0]) {
                    Payload::Tuple(t) => t.clone(),
                    _ => vec![args[0]],
                };
                let (start, end) = self.sub_bounds(&args[1..], hay.len())?;
                let mut r = false;
                for p in pats {
                    let Some(p) = self.str_of(p) else {
                        let t = self.type_name(p);
                        let what = if matches!(self.payload(args[0]), Payload::Tuple(_)) {
                            format!("tuple for {} must only contain str, not {t}", &name[4..])
                        } else {
                            format!(
                                "{} first arg must be str or a tuple of str, not {t}",
                                &name[4..]
                            )
                        };
                        return Err(self.type_error(what));
                    };
                    let p: Vec<char> = p.chars().collect();
                    r |= sub_tail_match(&hay, &p, start, end, name == "str.endswith");
                    if r {
                        break;
                    }
                }
                Ok(self.new_bool(r))
            }
            "str.find" | "str.rfind" | "str.index" | "str.rindex" | "str.count" => {
                let short = &name[4..];
                self.finds_arity(short, args)?;
                let text = self.str_of(s).unwrap_or("");
                // Char positions, as the str's code points (ASCII: its bytes).
                let hay: Vec<char> = text.chars().collect();
                let pat: Vec<char> = match self.str_of(args[0]) {
                    Some(p) => p.chars().collect(),
                    None => {
                        let t = self.type_name(args[0]);
                        // Argument Clinic from 3.13 names the method and the argument.
                        let what = if self.layout.minor >= 13 {
                            format!("{short}() argument 1 must be str, not {t}")
                        } else {
                            format!("must be str, not {t}")
                        };
                        return Err(self.type_error(what));
                    }
                };
                let (start, end) = self.sub_bounds(&args[1..], hay.len())?;
                let r = sub_search(short, &hay, &pat, start, end);
                self.search_result(short, r, "substring not found")
            }
            "str.partition" => {
                self.arity(name, args, 1, 1)?;
                let text = self.str_of(s).unwrap_or("").to_string();
                let pat = self.str_arg(args[0], "argument")?;
                let (a, b, c) = match text.split_once(pat.as_str()) {
                    Some((a, c)) => (a.to_string(), pat.clone(), c.to_string()),
                    None => (text.clone(), String::new(), String::new()),
                };
                let x = self.new_str(&a)?;
                let y = self.new_str(&b)?;
                let z = self.new_str(&c)?;
                // PyTuple_New(3): tracked whatever the items.
                self.new_tuple_tracked(vec![x, y, z])
            }
            "str.format" => {
                let text = self.str_of(s).unwrap_or("").to_string();
                let r = self.str_format(&text, args, kw)?;
                self.new_str(&r)
            }
            "str.isdigit" | "str.isalpha" | "str.isalnum" | "str.isspace" | "str.isupper"
            | "str.islower" | "str.isidentifier" => {
                let t = self.str_of(s).unwrap_or("").to_string();
                let r = !t.is_empty()
                    && match name {
                        "str.isdigit" => t.chars().all(|c| c.is_ascii_digit()),
                        "str.isalpha" => t.chars().all(char::is_alphabetic),
                        "str.isalnum" => t.chars().all(char::is_alphanumeric),
                        "str.isspace" => t.chars().all(char::is_whitespace),
                        "str.isupper" => {
                            t.chars().any(char::is_uppercase) && !t.chars().any(char::is_lowercase)
                        }
                        "str.islower" => {
                            t.chars().any(char::is_lowercase) && !t.chars().any(char::is_uppercase)
                        }
                        _ => {
                            t.chars()
                                .next()
                                .is_some_and(|c| c == '_' || c.is_alphabetic())
                                && t.chars().all(|c| c == '_' || c.is_alphanumeric())
                        }
                    };
                Ok(self.new_bool(r))
            }
            "str.zfill" | "str.center" | "str.ljust" | "str.rjust" => {
                let t = self.str_of(s).unwrap_or("").to_string();
                let Some(&wa) = args.first() else {
                    return Err(
                        self.type_error(format!("{name}() takes at least 1 argument (0 given)"))
                    );
                };
                // A width at most the length (negative too) gives the str back; one beyond the
                // simulator's string bound is the MemoryError a real build would reach first.
                let w = self.int_arg(wa)?.max(0) as usize;
                if w > 1 << 28 {
                    return Err(self.err("MemoryError", ""));
                }
                let fill = match args.get(1) {
                    Some(&f) => self
                        .str_arg(f, "fill character")?
                        .chars()
                        .next()
                        .unwrap_or(' '),
                    None => ' ',
                };
                let n = t.chars().count();
                if n >= w {
                    self.incref(s);
                    return Ok(s);
                }
                let pad = w - n;
                let f = |k: usize| fill.to_string().repeat(k);
                let r = match name {
                    "str.zfill" => {
                        let (sign, rest) = if t.starts_with('-') || t.starts_with('+') {
                            t.split_at(1)
                        } else {
                            ("", t.as_str())
                        };
                        format!("{sign}{}{rest}", "0".repeat(pad))
                    }
                    "str.ljust" => format!("{t}{}", f(pad)),
                    "str.rjust" => format!("{}{t}", f(pad)),
                    _ => {
                        let left = pad / 2 + (pad & w & 1);
                        format!("{}{t}{}", f(left), f(pad - left))
                    }
                };
                self.new_str(&r)
            }
            "str.encode" => {
                let t = self.str_of(s).unwrap_or("").to_string();
                self.new_bytes(t.as_bytes())
            }
            // ---------------------------------------------------------- bytes / bytearray
            "bytes.decode" | "bytearray.decode" => {
                let b = match self.payload(s) {
                    Payload::Bytes(b) | Payload::ByteArray { data: b, .. } => b.clone(),
                    _ => Vec::new(),
                };
                match String::from_utf8(b) {
                    Ok(t) => self.new_str(&t),
                    Err(_) => {
                        Err(self.err("UnicodeDecodeError", "'utf-8' codec can't decode bytes"))
                    }
                }
            }
            "bytes.hex" | "bytearray.hex" => {
                // 3.8 added the separator arguments (bpo-22385).
                self.arity("hex", args, 0, if self.layout.minor >= 8 { 2 } else { 0 })?;
                // _Py_strhex_impl: a one-character separator every |bytes_per_sep| bytes, counted
                // from the right when positive, from the left when negative.
                let sep = match args.first() {
                    Some(&a) => {
                        let t = match self.payload(a) {
                            Payload::Str { s, .. } => s.chars().collect::<Vec<char>>(),
                            Payload::Bytes(b) => b.iter().map(|&x| x as char).collect(),
                            _ => return Err(self.type_error("sep must be str or bytes.".into())),
                        };
                        if t.len() != 1 {
                            return Err(self.err("ValueError", "sep must be length 1."));
                        }
                        Some(t[0])
                    }
                    None => None,
                };
                let per = match args.get(1) {
                    Some(&a) => self.int_arg(a)?,
                    None => 1,
                };
                let b = self.byte_data(s).to_vec();
                let n = b.len();
                let group = per.unsigned_abs().max(1) as usize;
                let mut h = String::with_capacity(3 * n);
                for (i, x) in b.iter().enumerate() {
                    // A separator before byte i when a group boundary falls there.
                    let boundary = if per > 0 {
                        (n - i) % group == 0
                    } else {
                        i % group == 0
                    };
                    if let (Some(c), true) = (sep, i > 0 && per != 0 && boundary) {
                        h.push(c);
                    }
                    h.push_str(&format!("{x:02x}"));
                }
                self.new_str(&h)
            }
            "bytearray.append" => {
                self.arity("append", args, 1, 1)?;
                let v = self.int_arg(args[0])?;
                if !(0..256).contains(&v) {
                    return Err(self.err("ValueError", "byte must be in range(0, 256)"));
                }
                let n = self.len_of(s)? as u64;
                self.bytearray_resize(s, n + 1)?;
                if let Payload::ByteArray { data, .. } = &mut self.objs.get_mut(s).payload {
                    data.push(v as u8);
                }
                Ok(self.none())
            }
            "bytearray.extend" => {
                self.arity("extend", args, 1, 1)?;
                let items = self.collect_iter(args[0])?;
                let mut bytes = Vec::new();
                for &i in &items {
                    match self.payload(i) {
                        Payload::Int(Int::Small(b)) if (0..256).contains(b) => bytes.push(*b as u8),
                        _ => {
                            self.decref_all(&items);
                            return Err(self.err("ValueError", "byte must be in range(0, 256)"));
                        }
                    }
                }
                self.decref_all(&items);
                let n = self.len_of(s)? as u64;
                self.bytearray_resize(s, n + bytes.len() as u64)?;
                if let Payload::ByteArray { data, .. } = &mut self.objs.get_mut(s).payload {
                    data.extend(bytes);
                }
                Ok(self.none())
            }
            "bytearray.clear" => {
                self.bytearray_resize(s, 0)?;
                if let Payload::ByteArray { data, .. } = &mut self.objs.get_mut(s).payload {
                    data.clear();
                }
                Ok(self.none())
            }
            // ---------------------------------------------------------- numbers
            "int.bit_length" => {
                let i = self.int_of(s).unwrap_or(Int::Small(0));
                let bits = i.to_big().bits();
                self.new_i64(bits as i64)
            }
            "int.conjugate" | "float.conjugate" => {
                self.incref(s);
                Ok(s)
            }
            "float.is_integer" => {
                let r = matches!(self.payload(s), Payload::Float(x) if x.fract() == 0.0 && x.is_finite());
                Ok(self.new_bool(r))
            }
            other => Err(self.err(
                "NotImplementedError",
                &format!("not supported by the simulator: {other}()"),
            )),
        }
    }

    fn frozen_check(&mut self, s: ObjId, method: &str) -> R<()> {
        if self.ty(s) == Ty::FrozenSet {
            return Err(self.err(
                "AttributeError",
                &format!("'frozenset' object has no attribute '{method}'"),
            ));
        }
        Ok(())
    }

    /// `PyByteArray_Resize`: grow by ~1/8 when within 12.5 % of the allocation, else exactly; shrink only
    /// below half.
    fn bytearray_resize(&mut self, s: ObjId, size: u64) -> R<()> {
        let (alloc, buf) = match self.payload(s) {
            Payload::ByteArray { alloc, buf, .. } => (*alloc, *buf),
            _ => return Ok(()),
        };
        // ≤3.14 `ob_alloc` counts the trailing NUL (exact size + 1); 3.15 keeps the bytes in a bytes object
        // whose own NUL is not counted (exact size): measured with pyrun, 1 to 8 appends give capacities
        // 1 to 8, then 16, 25, 35, 46.
        let nul = if self.layout.minor >= 15 { 0 } else { 1 };
        let new_alloc = if size + nul <= alloc {
            if size < alloc / 2 {
                size + nul
            } else {
                return Ok(());
            }
        } else if size as f64 <= alloc as f64 * 1.125 {
            size + (size >> 3) + if size < 9 { 3 } else { 6 }
        } else {
            size + nul
        };
        let nb = self.mrealloc(buf, new_alloc)?;
        if let Payload::ByteArray { alloc, buf, .. } = &mut self.objs.get_mut(s).payload {
            *alloc = new_alloc;
            *buf = nb;
        }
        Ok(())
    }

    /// `str.format` with positional and keyword fields and format specs.
    fn str_format(&mut self, text: &str, args: &[ObjId], kw: &[(String, ObjId)]) -> R<String> {
        let mut out = String::new();
        let mut auto = 0usize;
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '{' {
                if chars.get(i + 1) == Some(&'{') {
                    out.push('{');
                    i += 2;
                    continue;
                }
                let end = (i..chars.len()).find(|&j| chars[j] == '}');
                let Some(end) = end else {
                    return Err(self.err("ValueError", "Single '{' encountered in format string"));
                };
                let field: String = chars[i + 1..end].iter().collect();
                let (name, spec) = field
                    .split_once(':')
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .unwrap_or((field.clone(), String::new()));
                let (name, conv) = name
                    .split_once('!')
                    .map(|(a, b)| (a.to_string(), b.chars().next()))
                    .unwrap_or((name, None));
                let v = if name.is_empty() {
                    auto += 1;
                    args.get(auto - 1).copied()
                } else if let Ok(n) = name.parse::<usize>() {
                    args.get(n).copied()
                } else {
                    kw.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
                };
                let Some(v) = v else {
                    return Err(if name.is_empty() || name.parse::<usize>().is_ok() {
                        self.err(
                            "IndexError",
                            &format!(
                                "Replacement index {} out of range for positional args tuple",
                                if name.is_empty() {
                                    auto - 1
                                } else {
                                    name.parse().unwrap_or(0)
                                }
                            ),
                        )
                    } else {
                        self.err("KeyError", &name)
                    });
                };
                // render_field formats exact str, int, float and complex itself; anything else goes
                // through PyObject_Format. A conversion makes a str first, then formats that.
                let s = match conv {
                    Some(c @ ('r' | 's' | 'a')) => {
                        let t = match c {
                            'r' => self.repr(v)?,
                            'a' => super::eval::ascii_escape(&self.repr(v)?),
                            _ => self.to_str(v)?,
                        };
                        if spec.is_empty() {
                            t
                        } else {
                            let o = self.new_str(&t)?;
                            let r = self.format(o, &spec);
                            self.decref(o);
                            r?
                        }
                    }
                    Some(c) => {
                        return Err(
                            self.err("ValueError", &format!("Unknown conversion specifier {c}"))
                        )
                    }
                    None if matches!(self.ty(v), Ty::Str | Ty::Int | Ty::Float | Ty::Complex) => {
                        self.format(v, &spec)?
                    }
                    None => self.py_format(v, &spec)?,
                };
                out.push_str(&s);
                i = end + 1;
            } else if c == '}' {
                if chars.get(i + 1) == Some(&'}') {
                    i += 2;
                    out.push('}');
                    continue;
                }
                return Err(self.err("ValueError", "Single '}' encountered in format string"));
            } else {
                out.push(c);
                i += 1;
            }
        }
        Ok(out)
    }
}

#[allow(dead_code)]
fn _unused(_: BigInt) {}

/// find/rfind/index/rindex/count of `pat` in `hay[start..end]` (stringlib's find_internal and count):
/// nothing when the window is shorter than the pattern; an empty pattern is found at the window's
/// start (find) or end (rfind) and counted once more than the window's length.
fn sub_search<T: PartialEq>(
    short: &str,
    hay: &[T],
    pat: &[T],
    start: usize,
    end: usize,
) -> Option<usize> {
    if end < start || end - start < pat.len() {
        return if short == "count" { Some(0) } else { None };
    }
    let w = &hay[start..end];
    let at = |i: &usize| w[*i..].starts_with(pat);
    let last = w.len() - pat.len();
    match short {
        "count" if pat.is_empty() => Some(w.len() + 1),
        "count" => {
            let (mut n, mut i) = (0, 0);
            while i <= last {
                if at(&i) {
                    n += 1;
                    i += pat.len();
                } else {
                    i += 1;
                }
            }
            Some(n)
        }
        "rfind" | "rindex" => (0..=last).rev().find(at).map(|i| i + start),
        _ => (0..=last).find(at).map(|i| i + start),
    }
}

/// startswith/endswith of `pat` within `hay[start..end]` (tailmatch): false when start passes the
/// end or the window is shorter than the pattern.
fn sub_tail_match<T: PartialEq>(
    hay: &[T],
    pat: &[T],
    start: usize,
    end: usize,
    tail: bool,
) -> bool {
    if start > hay.len() || end < start || end - start < pat.len() {
        return false;
    }
    let w = &hay[start..end];
    if tail {
        w.ends_with(pat)
    } else {
        w.starts_with(pat)
    }
}
