//! vm: the interpreter's state and the object lifecycle: creating objects in the simulated heap (through
//! the free lists CPython keeps), reference counting, and deallocation in CPython's order
//! (`Objects/*object.c` `*_dealloc`, `Objects/object.c` `_Py_Dealloc`). Immortality, the small-int cache,
//! singletons and interning follow alloc-gc.md §2–§3 per version.

use super::scope::{Access, CodeTable};
use crate::alloc::Heap;
use crate::object::dict::{Dict, Key};
use crate::object::layout::Layout;
use crate::object::{GenState, Int, Interned, Obj, ObjId, Objects, Payload, Ty};
use crate::profile::{Arch, Profile};
use crate::util::FxHashMap;

/// A non-local exit from evaluation.
#[derive(Debug)]
pub enum Flow {
    /// A raised exception (an owned reference to the exception object).
    Exc(ObjId),
    Return(ObjId),
    Break,
    Continue,
    /// The run must stop: step budget, internal limit. Not catchable by Python code.
    Fatal(String),
    /// A generator frame suspends, yielding the value (see `eval::Resume`); never leaves the generator.
    Yield(ObjId),
}

pub type R<T> = Result<T, Flow>;

/// Where a static (non-heap) object's fake address comes from: the interpreter's data segment.
const STATIC_BASE_X86: u64 = 0x5581_39a0_0000;
const STATIC_BASE_WASM: u64 = 0x0040_0000;

/// Free lists of objects whose memory CPython keeps for reuse, each a LIFO stack of addresses.
#[derive(Clone, Debug, Default)]
pub struct FreeLists {
    pub floats: Vec<u64>,
    pub lists: Vec<u64>,
    pub dicts: Vec<u64>,
    /// 8-slot dict keys objects (3.11+: unicode kind only).
    pub dict_keys: Vec<u64>,
    /// tuples[n] for n-tuples.
    pub tuples: Vec<Vec<u64>>,
    /// 3.14+: compact (1-digit) non-small ints.
    pub ints: Vec<u64>,
    /// The other free lists, by `Kept` kind.
    pub kept: [Vec<u64>; KEPT_KINDS],
}

/// Objects kept on a free list of their own in some versions (see `Vm::kept_max`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// Bound builtin methods (`PyCFunctionObject`).
    CFunc,
    /// Bound methods (`PyMethodObject`).
    Method,
    ListIter,
    TupleIter,
    Slice,
    Range,
    /// The C-long range iterator (`rangeiterobject`), not `longrange_iterator`.
    RangeIter,
    Complex,
}
pub const KEPT_KINDS: usize = 8;
pub const KEPT_ALL: [Kept; KEPT_KINDS] = [
    Kept::CFunc,
    Kept::Method,
    Kept::ListIter,
    Kept::TupleIter,
    Kept::Slice,
    Kept::Range,
    Kept::RangeIter,
    Kept::Complex,
];

impl Kept {
    /// Whether the kind is a GC type (its frees count in generation 0).
    pub fn is_gc(self) -> bool {
        !matches!(self, Kept::Range | Kept::RangeIter | Kept::Complex)
    }
}

/// Free-list capacities, 3.7-3.15: `PyList_MAXFREELIST` and `PyDict_MAXFREELIST` (the dict keys list
/// too) 80, `PyFloat_MAXFREELIST` 100 (3.14's compact-int list as well), `PyTuple_MAXFREELIST` 2000
/// per size.
pub const LIST_MAXFREELIST: usize = 80;
pub const DICT_MAXFREELIST: usize = 80;
pub const FLOAT_MAXFREELIST: usize = 100;
pub const TUPLE_MAXFREELIST: usize = 2000;

/// The count a pre-3.12 startup object (None, small ints, ...) starts from: CPython's depends on everything
/// the interpreter holds at startup, which is not modelled; large enough that a program never frees one.
pub const STARTUP_REFS: i64 = 1_000;

/// A name node's inline cache: how its code reaches the name and, for a name read from a dict, where
/// the last lookup found it (see `Vm::global_lookup`).
#[derive(Clone, Copy, Debug)]
pub struct NameSlot {
    /// The code the access was resolved for (`u32::MAX`: not yet).
    pub code: u32,
    pub access: Access,
    /// The dict last searched and its keys version then (`ObjId::MAX`: nothing cached).
    pub dict: ObjId,
    pub version: u64,
    /// The entry holding the name, or `MISSING` when the dict lacked it and the lookup fell back to
    /// the builtin `builtin`.
    pub index: u32,
    pub builtin: ObjId,
}

impl NameSlot {
    pub const MISSING: u32 = u32::MAX;
    pub const EMPTY: NameSlot = NameSlot {
        code: u32::MAX,
        access: Access::Global,
        dict: ObjId::MAX,
        version: 0,
        index: 0,
        builtin: 0,
    };
}

/// The interpreter.
pub struct Vm {
    pub profile: Profile,
    pub layout: Layout,
    pub heap: Heap,
    pub objs: Objects,
    pub codes: CodeTable,
    /// Per expression node (by `Expr::id`): the name caches.
    pub name_slots: Vec<NameSlot>,
    /// Emptied argument vectors kept for reuse (see `release_vec`).
    pub arg_vecs: Vec<Vec<ObjId>>,
    /// Emptied fast-local vectors of finished frames, for the next calls (see `release_frame`).
    pub fast_pool: Vec<Vec<Option<ObjId>>>,
    pub free: FreeLists,
    pub out: String,
    pub none: ObjId,
    pub true_: ObjId,
    pub false_: ObjId,
    pub ellipsis: ObjId,
    pub not_implemented: ObjId,
    pub empty_tuple: ObjId,
    pub empty_str: ObjId,
    pub empty_bytes: ObjId,
    small_ints: Vec<ObjId>,
    latin1: Vec<Option<ObjId>>,
    pub interned: FxHashMap<String, ObjId>,
    /// Builtin type objects, indexed by `Ty as usize` (0 = not created).
    pub types: Vec<ObjId>,
    pub builtins: FxHashMap<String, ObjId>,
    pub globals: ObjId,
    pub sys_module: Option<ObjId>,
    next_static: u64,
    pub steps: u64,
    pub step_limit: u64,
    pub depth: u32,
    /// 3.12+: C recursion (`c_recursion_remaining`), separate from Python calls: nested comparisons.
    pub c_depth: u32,
    pub recursion_limit: u32,
    /// Deallocations deferred past a nesting depth (CPython's trashcan), run when the outer one finishes.
    dealloc_depth: u32,
    deferred: Vec<ObjId>,
    /// Current source line and column, for tracebacks and trace steps.
    pub line: u32,
    pub col: u32,
    /// The traceback of `tb_exc`, the exception propagating: each frame it has left, innermost
    /// first, as (code, line).
    pub tb_exc: ObjId,
    pub tb: Vec<(u32, u32, u32)>,
    /// Exceptions being handled (innermost last), for bare `raise`.
    pub handling: Vec<ObjId>,
    /// Compile-time constants by expression node: two slots per node id (its fold tag's constant, then
    /// a `for`/`in` display compiled as a constant); `ObjId::MAX` where there is none.
    pub consts: Vec<ObjId>,
    /// How many nodes hold a constant.
    pub const_count: usize,
    /// References held on the stack that CPython would have borrowed (hidden from getrefcount).
    pub borrowed: Vec<ObjId>,
    /// Top-level statement boundaries, for the trace: (line, col, stdout length).
    pub marks: Vec<(u32, u32, usize)>,
    /// Containers whose repr is in progress (`Py_ReprEnter`).
    pub repr_stack: Vec<ObjId>,
    pub stderr: String,
    /// Stop before this top-level statement (time travel by replay).
    pub stop_at: Option<usize>,
    /// The preallocated MemoryError instance.
    pub memerr: Option<ObjId>,
    /// ≤3.9: the empty frozenset singleton, made on first use.
    pub frozenset_empty: Option<ObjId>,
    /// Nesting of tuple keys and hashes being computed (deep nests fall back to identity).
    key_depth: std::cell::Cell<u32>,
    /// The frames of generators that are created or suspended, by generator id (see `gen`).
    pub gens: FxHashMap<ObjId, Box<super::eval::Frame>>,
    /// The cyclic collector's lists and counters (see `collect`).
    pub gc: crate::gc::Gc,
    /// While the interpreter starts up: GC objects go straight to the oldest generation, uncounted.
    pub gc_quiet: bool,
    /// Every collection of the run, phase by phase, for the trace.
    pub gc_log: Vec<super::collect::GcEvent>,
    /// Objects freed while a collection deletes garbage (for its event).
    pub gc_freed_log: Option<Vec<super::collect::GcObj>>,
    /// `gc.callbacks` and `gc.garbage`, once the gc module exists.
    pub gc_callback_list: Option<ObjId>,
    pub gc_garbage: Option<ObjId>,
    pub gc_module: Option<ObjId>,
    /// 3.15's shared `__dict__` and `__weakref__` getset descriptors, once a class needed them.
    pub shared_getsets: [Option<ObjId>; 2],
    /// A run-ending condition met where it cannot propagate (inside a finalizer run by a dealloc);
    /// raised at the next statement.
    pub pending_fatal: Option<String>,
    /// ≤3.10 frame reuse (see `frame_enter`): a zombie frame per code object, and the frame free list.
    pub frame_zombie: Vec<bool>,
    pub frame_free: u32,
    /// sys.stdout's pending writes, print's keyword tuple once made, and whether `Py_ReprEnter`'s
    /// list exists yet (see `textio`).
    pub stdout: super::textio::TextIo,
    pub print_kwtuple: bool,
    pub repr_list_made: bool,
    /// One-byte bytes singletons, made on first use.
    pub bytes_chars: Vec<Option<ObjId>>,
}

/// Small ints cached: -5..=256 in 3.7–3.14 (`NSMALLNEGINTS`/`NSMALLPOSINTS`); 3.15 caches up to 1024.
pub fn small_int_range(minor: u8) -> (i64, i64) {
    if minor >= 15 {
        (-5, 1024)
    } else {
        (-5, 256)
    }
}

impl Vm {
    pub fn new(profile: Profile, heap: Heap) -> Vm {
        let layout = Layout::new(&profile);
        let mut vm = Vm {
            profile,
            layout,
            heap,
            objs: Objects::default(),
            codes: CodeTable::default(),
            name_slots: Vec::new(),
            arg_vecs: Vec::new(),
            fast_pool: Vec::new(),
            free: FreeLists {
                tuples: vec![Vec::new(); 21],
                ..Default::default()
            },
            out: String::new(),
            none: 0,
            true_: 0,
            false_: 0,
            ellipsis: 0,
            not_implemented: 0,
            empty_tuple: 0,
            empty_str: 0,
            empty_bytes: 0,
            small_ints: Vec::new(),
            latin1: vec![None; 256],
            interned: FxHashMap::default(),
            types: vec![0; 64],
            builtins: FxHashMap::default(),
            globals: 0,
            sys_module: None,
            next_static: if profile.arch == Arch::Wasm32 {
                STATIC_BASE_WASM
            } else {
                STATIC_BASE_X86
            },
            steps: 0,
            step_limit: 1_000_000,
            depth: 0,
            c_depth: 0,
            recursion_limit: 1000,
            dealloc_depth: 0,
            deferred: Vec::new(),
            line: 0,
            col: 0,
            tb_exc: ObjId::MAX,
            tb: Vec::new(),
            handling: Vec::new(),
            consts: Vec::new(),
            const_count: 0,
            borrowed: Vec::new(),
            marks: Vec::new(),
            repr_stack: Vec::new(),
            stderr: String::new(),
            stop_at: None,
            memerr: None,
            frozenset_empty: None,
            gens: FxHashMap::default(),
            gc: crate::gc::Gc::default(),
            gc_quiet: true,
            gc_log: Vec::new(),
            gc_freed_log: None,
            gc_callback_list: None,
            gc_garbage: None,
            gc_module: None,
            shared_getsets: [None; 2],
            pending_fatal: None,
            frame_zombie: Vec::new(),
            frame_free: 0,
            stdout: Default::default(),
            print_kwtuple: false,
            repr_list_made: false,
            bytes_chars: vec![None; 256],
            key_depth: std::cell::Cell::new(0),
        };
        vm.none = vm.new_static(Ty::NoneType, Payload::None, 2 * vm.layout.p);
        vm.true_ = vm.new_static(Ty::Bool, Payload::Bool(true), vm.layout.int_size(1));
        vm.false_ = vm.new_static(Ty::Bool, Payload::Bool(false), vm.layout.int_size(0));
        vm.ellipsis = vm.new_static(Ty::Ellipsis, Payload::Ellipsis, 2 * vm.layout.p);
        vm.not_implemented = vm.new_static(
            Ty::NotImplementedType,
            Payload::NotImplemented,
            2 * vm.layout.p,
        );
        let tsize = vm.layout.gc_head() + vm.layout.tuple_basic();
        vm.empty_tuple = vm.new_static(Ty::Tuple, Payload::Tuple(vec![]), tsize);
        let ssize = vm.layout.str_size("", false);
        vm.empty_str = vm.new_static(
            Ty::Str,
            Payload::Str {
                s: String::new(),
                interned: Interned::Immortal,
                utf8_cached: false,
                hash: std::cell::Cell::new(-1),
            },
            ssize,
        );
        vm.empty_bytes = vm.new_static(Ty::Bytes, Payload::Bytes(vec![]), vm.layout.bytes_size(0));
        let (lo, hi) = small_int_range(vm.layout.minor);
        for v in lo..=hi {
            let n = Int::Small(v).ndigits();
            let id = vm.new_static(Ty::Int, Payload::Int(Int::Small(v)), vm.layout.int_alloc(n));
            vm.small_ints.push(id);
        }
        vm
    }

    /// Whether static objects are immortal (3.12+, PEP 683).
    pub fn has_immortals(&self) -> bool {
        self.layout.minor >= 12
    }

    /// An object that lives in the interpreter's static data (or, before 3.12, one made at startup and
    /// never freed): it has an address but no heap block. From 3.12 it is immortal (PEP 683). Before, it
    /// is an ordinary object whose count moves with every reference (`n = 7; m = n` adds one to 7's
    /// count on 3.7-3.11); the references the rest of the interpreter holds at startup are not modelled,
    /// so the count starts from a nominal STARTUP_REFS and only its changes are CPython's.
    pub fn new_static(&mut self, ty: Ty, payload: Payload, size: u64) -> ObjId {
        let align = 16;
        let addr = self.next_static;
        self.next_static += size.div_ceil(align) * align;
        self.objs.insert(Obj {
            ty,
            refcnt: STARTUP_REFS,
            addr,
            alloc: 0,
            immortal: self.has_immortals(),
            has_gc: false,
            finalized: false,
            payload,
        })
    }

    // ------------------------------------------------------------------ reference counting

    #[inline]
    pub fn incref(&mut self, id: ObjId) {
        let o = self.objs.get_mut(id);
        if !o.immortal {
            o.refcnt += 1;
        }
    }

    pub fn decref(&mut self, id: ObjId) {
        let o = self.objs.get_mut(id);
        if o.immortal {
            return;
        }
        o.refcnt -= 1;
        if o.refcnt == 0 {
            self.dealloc(id);
        }
    }

    /// `r`, dropping the reference `held` when it is an error (a half-built result's cleanup).
    pub fn or_release<T>(&mut self, r: R<T>, held: ObjId) -> R<T> {
        if r.is_err() {
            self.decref(held);
        }
        r
    }

    pub fn decref_all(&mut self, ids: &[ObjId]) {
        for &i in ids {
            self.decref(i);
        }
    }

    /// What `sys.getrefcount` shows for an object with `n` counted references.
    pub fn shown_refcount(&self, id: ObjId) -> i64 {
        let o = self.objs.get(id);
        if !o.immortal {
            let hidden = self.borrowed.iter().filter(|&&b| b == id).count() as i64;
            return o.refcnt - hidden;
        }
        let wasm = self.layout.wasm;
        match self.layout.minor {
            // Before 3.12 nothing is immortal: this arm is not reached.
            0..=11 => o.refcnt,
            // 3.12-3.13 `_Py_IMMORTAL_REFCNT`: UINT_MAX on 64-bit builds, UINT_MAX >> 2 on 32-bit.
            12 | 13 => {
                if wasm {
                    (u32::MAX >> 2) as i64
                } else {
                    u32::MAX as i64
                }
            }
            // 3.14+ `_Py_IMMORTAL_INITIAL_REFCNT`: 3 << 30 on 64-bit builds, 7 << 28 on 32-bit.
            _ => {
                if wasm {
                    7 << 28
                } else {
                    3 << 30
                }
            }
        }
    }

    /// `_Py_SetImmortal`: from 3.12 interned strings (and, in 3.15, code constants) become immortal.
    pub fn make_immortal(&mut self, id: ObjId) {
        if self.has_immortals() {
            self.objs.get_mut(id).immortal = true;
        }
    }

    // ------------------------------------------------------------------ allocation

    /// CPython raises a preallocated MemoryError when memory runs out (making one could itself fail).
    fn memory_error(&mut self) -> Flow {
        match self.memerr {
            Some(e) => {
                self.incref(e);
                Flow::Exc(e)
            }
            None => Flow::Fatal("the simulated memory limit was reached while starting up".into()),
        }
    }

    /// `PyObject_Malloc(n)` (or `PyMem_Malloc`: the same allocator in every version simulated).
    pub fn malloc(&mut self, n: u64) -> R<u64> {
        self.heap.malloc(n).map_err(|_| self.memory_error())
    }

    pub fn mfree(&mut self, addr: u64) {
        // Freeing memory the simulator allocated cannot fail; a failure would be a simulator bug.
        let _ = self.heap.free(addr);
    }

    pub fn mrealloc(&mut self, addr: Option<u64>, n: u64) -> R<Option<u64>> {
        match addr {
            None if n == 0 => Ok(None),
            None => Ok(Some(self.malloc(n)?)),
            Some(a) => self
                .heap
                .realloc(a, n)
                .map(Some)
                .map_err(|_| self.memory_error()),
        }
    }

    /// Makes an object of `size` bytes at `addr` (already allocated, fresh or from a free list). A GC
    /// object is tracked as its type's constructor tracks it (see `track_new`).
    pub fn insert_obj(&mut self, ty: Ty, payload: Payload, size: u64, addr: u64) -> ObjId {
        let has_gc = ty.is_gc();
        let id = self.objs.insert(Obj {
            ty,
            refcnt: 1,
            addr,
            alloc: size,
            immortal: false,
            has_gc,
            finalized: false,
            payload,
        });
        if has_gc {
            self.track_new(id);
        }
        id
    }

    /// An object without a GC head (3.7 instances of classes that add no fields), never tracked.
    pub fn insert_plain_obj(&mut self, ty: Ty, payload: Payload, size: u64, addr: u64) -> ObjId {
        self.objs.insert(Obj {
            ty,
            refcnt: 1,
            addr,
            alloc: size,
            immortal: false,
            has_gc: false,
            finalized: false,
            payload,
        })
    }

    /// A new object of a GC type: GC head (+ pre-header) + basic size.
    pub fn new_gc(&mut self, ty: Ty, payload: Payload, basic: u64) -> R<ObjId> {
        let size = self.layout.gc_head() + basic;
        let addr = self.gc_malloc(size)?;
        Ok(self.insert_obj(ty, payload, size, addr))
    }

    pub fn new_plain(&mut self, ty: Ty, payload: Payload, size: u64) -> R<ObjId> {
        let addr = self.malloc(size)?;
        Ok(self.insert_obj(ty, payload, size, addr))
    }

    // ------------------------------------------------------------------ constructors

    pub fn new_bool(&mut self, b: bool) -> ObjId {
        let id = if b { self.true_ } else { self.false_ };
        self.incref(id);
        id
    }

    pub fn none(&mut self) -> ObjId {
        let n = self.none;
        self.incref(n);
        n
    }

    /// `PyLong_From*`: the small-int cache, else a fresh int (3.14+: through the compact-int free list).
    pub fn new_int(&mut self, v: Int) -> R<ObjId> {
        if let Int::Small(x) = v {
            let (lo, hi) = small_int_range(self.layout.minor);
            if (lo..=hi).contains(&x) {
                let id = self.small_ints[(x - lo) as usize];
                self.incref(id);
                return Ok(id);
            }
        }
        let nd = v.ndigits();
        let size = self.layout.int_alloc(nd);
        let addr = if self.layout.minor >= 14 && nd <= 1 {
            match self.free.ints.pop() {
                Some(a) => a,
                None => self.malloc(size)?,
            }
        } else {
            self.malloc(size)?
        };
        Ok(self.insert_obj(Ty::Int, Payload::Int(v), size, addr))
    }

    pub fn new_i64(&mut self, v: i64) -> R<ObjId> {
        self.new_int(Int::Small(v))
    }

    pub fn new_float(&mut self, x: f64) -> R<ObjId> {
        let size = self.layout.float();
        let addr = match self.free.floats.pop() {
            Some(a) => a,
            None => self.malloc(size)?,
        };
        Ok(self.insert_obj(Ty::Float, Payload::Float(x), size, addr))
    }

    pub fn new_complex(&mut self, re: f64, im: f64) -> R<ObjId> {
        let size = self.layout.complex();
        let addr = self.kept_alloc(Kept::Complex, size, false)?;
        Ok(self.insert_obj(Ty::Complex, Payload::Complex(re, im), size, addr))
    }

    /// A new str. The empty string and 1-character latin-1 strings are shared singletons.
    pub fn new_str(&mut self, s: &str) -> R<ObjId> {
        if s.is_empty() {
            let e = self.empty_str;
            self.incref(e);
            return Ok(e);
        }
        let mut it = s.chars();
        if let (Some(c), None) = (it.next(), it.next()) {
            if (c as u32) < 256 {
                return Ok(self.latin1_char(c));
            }
        }
        let size = self.layout.str_size(s, false);
        self.new_plain(
            Ty::Str,
            Payload::Str {
                s: s.to_string(),
                interned: Interned::No,
                utf8_cached: false,
                hash: std::cell::Cell::new(-1),
            },
            size,
        )
    }

    /// The 1-character latin-1 singleton (static in 3.11+; made on first use before). 3.12+ U+0080–U+00FF
    /// singletons carry a UTF-8 copy (sizes.md §6).
    fn latin1_char(&mut self, c: char) -> ObjId {
        if let Some(id) = self.latin1[c as usize] {
            self.incref(id);
            return id;
        }
        let utf8 = self.layout.minor >= 12 && (c as u32) >= 128;
        let size = self.layout.str_size(&c.to_string(), utf8);
        let id = self.new_static(
            Ty::Str,
            Payload::Str {
                s: c.to_string(),
                interned: Interned::Immortal,
                utf8_cached: utf8,
                hash: std::cell::Cell::new(-1),
            },
            size,
        );
        self.latin1[c as usize] = Some(id);
        self.incref(id);
        id
    }

    /// `PyUnicode_InternInPlace`/`sys.intern`: the canonical string of this value. `immortal`: 3.12 makes
    /// every interned string immortal; 3.13+ only names (`intern_strings`), not `sys.intern` results.
    pub fn intern(&mut self, id: ObjId, immortal: bool) -> ObjId {
        let s = match &self.objs.get(id).payload {
            Payload::Str { s, .. } => s.clone(),
            _ => return id,
        };
        if let Some(&canon) = self.interned.get(&s) {
            if canon != id {
                self.incref(canon);
                self.decref(id);
            }
            return canon;
        }
        let o = self.objs.get_mut(id);
        if o.immortal {
            return id;
        }
        let imm = self.layout.minor == 12 || (self.layout.minor >= 13 && immortal);
        if let Payload::Str { interned, .. } = &mut o.payload {
            *interned = if imm {
                Interned::Immortal
            } else {
                Interned::Mortal
            };
        }
        if imm {
            self.make_immortal(id);
        }
        self.interned.insert(s, id);
        id
    }

    pub fn new_bytes(&mut self, b: &[u8]) -> R<ObjId> {
        if b.is_empty() {
            let e = self.empty_bytes;
            self.incref(e);
            return Ok(e);
        }
        let size = self.layout.bytes_size(b.len() as u64);
        self.new_plain(Ty::Bytes, Payload::Bytes(b.to_vec()), size)
    }

    /// A list with exactly `items` (taking ownership of the references) and room for `allocated` slots.
    /// The list object comes from the list free list.
    pub fn new_list(&mut self, items: Vec<ObjId>, allocated: u64) -> R<ObjId> {
        self.new_list_alloc(items, allocated, true)
    }

    /// A list object; `freelist`: PyList_New's paths take the free list's memory, `list()` (tp_alloc,
    /// PyType_GenericAlloc, 3.7-3.15) does not.
    pub fn new_list_alloc(
        &mut self,
        items: Vec<ObjId>,
        allocated: u64,
        freelist: bool,
    ) -> R<ObjId> {
        let allocated = allocated.max(items.len() as u64);
        // PyList_New: the object first (free list or GC allocation), then `ob_item`.
        let size = self.layout.gc_head() + self.layout.list_basic();
        let addr = match freelist.then(|| self.free.lists.pop()).flatten() {
            Some(a) => a,
            None => self.gc_malloc(size)?,
        };
        let buf = if allocated > 0 {
            match self.malloc(allocated * self.layout.p) {
                Ok(b) => Some(b),
                Err(e) => {
                    self.free_obj(addr, true);
                    return Err(e);
                }
            }
        } else {
            None
        };
        Ok(self.insert_obj(
            Ty::List,
            Payload::List {
                items,
                allocated,
                buf,
            },
            size,
            addr,
        ))
    }

    /// A tuple of `items` (owned). `()` is the singleton; small tuples come from the per-size free list.
    pub fn new_tuple(&mut self, items: Vec<ObjId>) -> R<ObjId> {
        let n = items.len();
        if n == 0 {
            let e = self.empty_tuple;
            self.incref(e);
            return Ok(e);
        }
        let size = self.layout.gc_head() + self.layout.tuple_basic() + n as u64 * self.layout.p;
        let addr = match self.tuple_freelist_pop(n) {
            Some(a) => a,
            None => self.gc_malloc(size)?,
        };
        Ok(self.insert_obj(Ty::Tuple, Payload::Tuple(items), size, addr))
    }

    /// A tuple made by PyTuple_New or PyTuple_Pack, which track it whatever its items (3.14's
    /// maybe-tracked rule is only for tuples built from values on the stack).
    pub fn new_tuple_tracked(&mut self, items: Vec<ObjId>) -> R<ObjId> {
        let t = self.new_tuple(items)?;
        if t != self.empty_tuple {
            self.track(t);
        }
        Ok(t)
    }

    /// Sizes served from the tuple free list on creation: 1..19 through 3.12, 1..20 from 3.13
    /// (alloc-gc.md §3.3: 3.11–3.12 push 20-tuples but never pop them).
    fn tuple_freelist_pop(&mut self, n: usize) -> Option<u64> {
        let max_pop = if self.layout.minor >= 13 { 20 } else { 19 };
        if n <= max_pop {
            self.free.tuples[n].pop()
        } else {
            None
        }
    }

    fn tuple_freelist_push(&mut self, n: usize, addr: u64) -> bool {
        let max_push = if self.layout.minor >= 11 { 20 } else { 19 };
        if n >= 1 && n <= max_push && self.free.tuples[n].len() < TUPLE_MAXFREELIST {
            self.free.tuples[n].push(addr);
            true
        } else {
            false
        }
    }

    /// A dict object (from the dict free list) with the given table.
    pub fn new_dict_with(&mut self, d: Dict) -> R<ObjId> {
        self.new_dict_alloc(d, true)
    }

    /// A dict object with the given table; `freelist`: PyDict_New's paths take the free list's memory,
    /// `dict()` (tp_alloc) does not.
    pub fn new_dict_alloc(&mut self, mut d: Dict, freelist: bool) -> R<ObjId> {
        if d.log2 > 0 && d.keys_addr.is_none() {
            d.keys_addr = Some(self.alloc_keys(d.log2, d.unicode)?);
        }
        let size = self.layout.gc_head() + self.layout.dict_basic();
        let addr = match freelist.then(|| self.free.dicts.pop()).flatten() {
            Some(a) => a,
            None => self.gc_malloc(size)?,
        };
        Ok(self.insert_obj(Ty::Dict, Payload::Dict(Box::new(d)), size, addr))
    }

    pub fn new_dict(&mut self) -> R<ObjId> {
        // 3.7: PyDict_New allocates a real 8-slot table; 3.8+ share Py_EMPTY_KEYS.
        let d = if self.layout.minor == 7 {
            Dict::with_table(3, false)
        } else {
            Dict::empty()
        };
        self.new_dict_with(d)
    }

    /// `new_keys_object`: minimum-size keys come from the keys free list (3.11+: unicode ones only).
    pub fn alloc_keys(&mut self, log2: u8, unicode: bool) -> R<u64> {
        let cached = log2 == 3 && (self.layout.minor < 11 || unicode);
        if cached {
            if let Some(a) = self.free.dict_keys.pop() {
                return Ok(a);
            }
        }
        let n = self.layout.dict_keys_size(log2, unicode);
        self.malloc(n)
    }

    pub fn free_keys(&mut self, addr: u64, log2: u8, unicode: bool) {
        let cached = log2 == 3 && (self.layout.minor < 11 || unicode);
        if cached && self.free.dict_keys.len() < DICT_MAXFREELIST {
            self.free.dict_keys.push(addr);
        } else {
            self.mfree(addr);
        }
    }

    pub fn new_set(&mut self, frozen: bool) -> R<ObjId> {
        let ty = if frozen { Ty::FrozenSet } else { Ty::Set };
        self.new_gc(ty, Payload::Set(Box::default()), self.layout.set_basic())
    }

    // ------------------------------------------------------------------ deallocation

    /// `_Py_Dealloc`: the type's dealloc runs at once, depth first. Past a nesting depth the work is
    /// deferred and run when the outermost dealloc finishes (CPython's trashcan keeps C stacks shallow the
    /// same way).
    pub fn dealloc(&mut self, id: ObjId) {
        if self.dealloc_depth > 200 {
            self.deferred.push(id);
            return;
        }
        self.dealloc_depth += 1;
        self.dealloc_now(id);
        self.dealloc_depth -= 1;
        if self.dealloc_depth == 0 {
            while let Some(d) = self.deferred.pop() {
                self.dealloc_depth += 1;
                self.dealloc_now(d);
                self.dealloc_depth -= 1;
            }
        }
    }

    fn dealloc_now(&mut self, id: ObjId) {
        if let Payload::Generator {
            state: GenState::Suspended,
            ..
        } = self.objs.get(id).payload
        {
            if self.gen_finalize(id) {
                return;
            }
        }
        let gc = self.objs.get(id).has_gc;
        if gc {
            // subtype_dealloc: PEP 442 finalizer first; it may resurrect the object.
            if self.finalize_from_dealloc(id) {
                return;
            }
            // PyObject_GC_UnTrack, the first thing every GC type's dealloc does.
            self.untrack(id);
        }
        if id == self.tb_exc {
            self.tb.clear();
            self.tb_exc = ObjId::MAX;
        }
        let o = self.objs.remove(id);
        let addr = o.addr;
        if self.gc_freed_log.is_some() {
            let ty = match &o.payload {
                Payload::Instance(i) => self.class_name(i.class),
                _ => o.ty.name().to_string(),
            };
            if let Some(log) = self.gc_freed_log.as_mut() {
                log.push(super::collect::GcObj { id, addr, ty });
            }
        }
        match o.payload {
            Payload::List { items, buf, .. } => {
                // list_dealloc: items from last to first, then ob_item, then the header to the free list.
                for &i in items.iter().rev() {
                    self.decref(i);
                }
                if let Some(b) = buf {
                    self.mfree(b);
                }
                if self.free.lists.len() < LIST_MAXFREELIST {
                    self.free.lists.push(addr);
                } else {
                    self.free_obj(addr, gc);
                }
            }
            Payload::Tuple(items) => {
                let n = items.len();
                for &i in items.iter().rev() {
                    self.decref(i);
                }
                if !self.tuple_freelist_push(n, addr) {
                    self.free_obj(addr, gc);
                }
            }
            Payload::Dict(d) => {
                for e in d.iter() {
                    let (k, v) = (e.key, e.value);
                    self.decref(k);
                    self.decref(v);
                }
                if let Some(k) = d.keys_addr {
                    self.free_keys(k, d.log2, d.unicode);
                }
                if self.free.dicts.len() < DICT_MAXFREELIST {
                    self.free.dicts.push(addr);
                } else {
                    self.free_obj(addr, gc);
                }
            }
            Payload::Set(s) => {
                for k in s.members() {
                    self.decref(k);
                }
                if let Some(t) = s.table_addr {
                    self.mfree(t);
                }
                self.free_obj(addr, gc);
            }
            Payload::Float(_) => {
                if self.free.floats.len() < FLOAT_MAXFREELIST {
                    self.free.floats.push(addr);
                } else {
                    self.free_obj(addr, gc);
                }
            }
            Payload::Int(v) => {
                if self.layout.minor >= 14
                    && v.ndigits() <= 1
                    && self.free.ints.len() < FLOAT_MAXFREELIST
                {
                    self.free.ints.push(addr);
                } else {
                    self.free_obj(addr, gc);
                }
            }
            Payload::Str { s, interned, .. } => {
                if interned == Interned::Mortal {
                    self.interned.remove(&s);
                }
                self.free_obj(addr, gc);
            }
            Payload::ByteArray { buf, .. } => {
                if let Some(b) = buf {
                    self.mfree(b);
                }
                self.free_obj(addr, gc);
            }
            Payload::Slice(start, stop, step) => {
                // slice_dealloc releases step, start, stop in that order, then keeps the object as the
                // one cached slice if the cache is empty.
                self.decref(step);
                self.decref(start);
                self.decref(stop);
                self.kept_release(Kept::Slice, addr, gc);
            }
            Payload::Function(f) => {
                for &d in f.defaults.iter() {
                    self.decref(d);
                }
                for (_, d) in f.kwdefaults.iter() {
                    self.decref(*d);
                }
                for &c in f.closure.iter() {
                    self.decref(c);
                }
                self.decref(f.globals);
                self.free_obj(addr, gc);
            }
            Payload::Method { func, self_ } => {
                self.decref(func);
                self.decref(self_);
                self.kept_release(Kept::Method, addr, gc);
            }
            Payload::Builtin { self_, .. } => match self_ {
                Some(s) => {
                    self.decref(s);
                    self.kept_release(Kept::CFunc, addr, gc);
                }
                None => self.free_obj(addr, gc),
            },
            Payload::Cell(v) => {
                if let Some(v) = v {
                    self.decref(v);
                }
                self.free_obj(addr, gc);
            }
            Payload::Instance(inst) => {
                for (_, v) in inst.values.iter() {
                    self.decref(*v);
                }
                if let Some(a) = inst.values_addr {
                    self.mfree(a);
                }
                if let Some(d) = inst.dict {
                    self.decref(d);
                }
                for v in inst.slots.iter().flatten() {
                    self.decref(*v);
                }
                if let Some(a) = inst.exc_args {
                    self.decref(a);
                }
                self.decref(inst.class);
                self.free_obj(addr, gc);
            }
            Payload::Exception(e) => {
                self.decref(e.args);
                if let Some(d) = e.dict {
                    self.decref(d);
                }
                self.free_obj(addr, gc);
            }
            Payload::Iter(st) => {
                use crate::object::IterState as S;
                let kept = match o.ty {
                    Ty::ListIter => Some(Kept::ListIter),
                    Ty::TupleIter => Some(Kept::TupleIter),
                    Ty::RangeIter => Some(Kept::RangeIter),
                    _ => None,
                };
                match *st {
                    S::Seq { seq, .. } | S::Reversed { seq, .. } => self.decref(seq),
                    S::Dict { dict, result, .. } => {
                        self.decref(dict);
                        if let Some(r) = result {
                            self.decref(r);
                        }
                    }
                    S::Set { set, .. } => self.decref(set),
                    S::Enumerate { it, result, .. } => {
                        self.decref(it);
                        self.decref(result);
                    }
                    S::Zip { its, result } => {
                        self.decref(its);
                        self.decref(result);
                    }
                    S::Map { func, its } => {
                        self.decref(func);
                        self.decref(its);
                    }
                    S::Filter { func, it } => {
                        self.decref(func);
                        self.decref(it);
                    }
                    S::ExhaustedPair(r) => self.decref(r),
                    S::LongRange {
                        start,
                        step,
                        len,
                        index,
                    } => {
                        // longrangeiter_dealloc: index (≤3.11), start, step, len.
                        if let Some(i) = index {
                            self.decref(i);
                        }
                        self.decref(start);
                        self.decref(step);
                        self.decref(len);
                    }
                    S::RangeSmall { .. } | S::Exhausted => {}
                }
                match kept {
                    Some(k) => self.kept_release(k, addr, gc),
                    None => self.free_obj(addr, gc),
                }
            }
            Payload::Complex(..) => self.kept_release(Kept::Complex, addr, false),
            Payload::Range(r) => {
                // range_dealloc: start, stop, step, length.
                for o in r.objs {
                    self.decref(o);
                }
                self.kept_release(Kept::Range, addr, false)
            }
            Payload::View(d) => {
                self.decref(d);
                self.free_obj(addr, gc);
            }
            Payload::Generator { .. } => {
                if let Some(frame) = self.gens.remove(&id) {
                    self.release_suspended(*frame);
                }
                self.free_obj(addr, gc);
            }
            Payload::Module { dict, .. } => {
                self.decref(dict);
                self.free_obj(addr, gc);
            }
            // type_dealloc: tp_base, tp_dict, tp_bases, tp_mro (the cycle through `__mro__` is broken by
            // type_clear before the class can get here).
            Payload::Class(c) => {
                for r in [c.base, Some(c.dict), c.bases_tuple, c.mro_tuple]
                    .into_iter()
                    .flatten()
                {
                    self.decref(r);
                }
                self.free_obj(addr, gc);
            }
            Payload::Descr { owner, .. } => {
                if let Some(o) = owner {
                    self.decref(o);
                }
                self.free_obj(addr, gc);
            }
            _ => {
                if o.alloc > 0 {
                    self.free_obj(addr, gc);
                }
            }
        }
    }

    /// How many objects of a kind this version keeps for reuse (0: no free list).
    pub fn kept_max(&self, k: Kept) -> usize {
        let m = self.layout.minor;
        match k {
            // PyCFunction_MAXFREELIST and PyMethod_MAXFREELIST, 256 in 3.7–3.8; both removed in 3.9
            // (bpo-37340) and back in 3.14 (Py_pycfunctionobject_MAXFREELIST 16,
            // Py_pymethodobjects_MAXFREELIST 20; measured on every 3.14/3.15 build, Pyodide's too).
            Kept::CFunc | Kept::Method if m <= 8 => 256,
            Kept::CFunc if m >= 14 => 16,
            Kept::Method if m >= 14 => 20,
            // 3.14's Py_list_iters_MAXFREELIST and Py_tuple_iters_MAXFREELIST.
            Kept::ListIter | Kept::TupleIter if m >= 14 => 10,
            // 3.14's Py_ranges_MAXFREELIST and Py_range_iters_MAXFREELIST.
            Kept::Range | Kept::RangeIter if m >= 14 => 6,
            // The one cached slice: `slice_cache` through 3.13, Py_slices_MAXFREELIST 1 from 3.14.
            Kept::Slice => 1,
            // 3.15 keeps 100 complex objects (measured with getallocatedblocks and tracemalloc).
            Kept::Complex if m >= 15 => 100,
            _ => 0,
        }
    }

    /// Memory for an object of a kept kind: the most recently kept one, else a new block (counted by
    /// the collector when `gc`).
    pub fn kept_alloc(&mut self, k: Kept, size: u64, gc: bool) -> R<u64> {
        if let Some(a) = self.free.kept[k as usize].pop() {
            return Ok(a);
        }
        if gc {
            self.gc_malloc(size)
        } else {
            self.malloc(size)
        }
    }

    /// An object of a kept kind dies: onto its free list while there is room, else freed.
    pub fn kept_release(&mut self, k: Kept, addr: u64, gc: bool) {
        if self.free.kept[k as usize].len() < self.kept_max(k) {
            self.free.kept[k as usize].push(addr);
        } else {
            self.free_obj(addr, gc);
        }
    }

    /// Frees an object's own memory: `PyObject_GC_Del` for GC objects, which also takes one off
    /// generation 0's count (when above zero) — unlike a push onto a free list, which does not.
    fn free_obj(&mut self, addr: u64, gc: bool) {
        self.mfree(addr);
        if gc {
            self.gc_freed();
        }
    }

    // ------------------------------------------------------------------ accessors

    pub fn ty(&self, id: ObjId) -> Ty {
        self.objs.get(id).ty
    }

    pub fn payload(&self, id: ObjId) -> &Payload {
        &self.objs.get(id).payload
    }

    pub fn str_of(&self, id: ObjId) -> Option<&str> {
        match &self.objs.get(id).payload {
            Payload::Str { s, .. } => Some(s),
            _ => None,
        }
    }

    pub fn int_of(&self, id: ObjId) -> Option<Int> {
        match &self.objs.get(id).payload {
            Payload::Int(v) => Some(v.clone()),
            Payload::Bool(b) => Some(Int::Small(*b as i64)),
            _ => None,
        }
    }

    /// The equality class of a hashable object, or None when it is unhashable.
    pub fn key_of(&self, id: ObjId) -> Option<Key> {
        Some(match &self.objs.get(id).payload {
            Payload::None => Key::None,
            Payload::Ellipsis => Key::Ellipsis,
            Payload::Bool(b) => Key::Int(Int::Small(*b as i64)),
            Payload::Int(v) => Key::Int(v.clone()),
            Payload::Float(x) => {
                if x.fract() == 0.0 && x.is_finite() && x.abs() < 9.2e18 {
                    Key::Int(Int::Small(*x as i64))
                } else if x.is_nan() {
                    Key::Id(id)
                } else {
                    Key::Float(x.to_bits())
                }
            }
            Payload::Complex(re, im) => {
                if *im == 0.0 {
                    return self.key_of_float(*re, id);
                }
                Key::Complex(re.to_bits(), im.to_bits())
            }
            Payload::Str { s, .. } => Key::Str(s.clone()),
            Payload::Bytes(b) => Key::Bytes(b.clone()),
            Payload::Tuple(items) => {
                // Deeply nested tuples would recurse without bound: past a depth they compare by identity.
                if self.key_depth.get() > 200 {
                    return Some(Key::Id(id));
                }
                self.key_depth.set(self.key_depth.get() + 1);
                let mut ks = Vec::with_capacity(items.len());
                let mut ok = true;
                for &i in items {
                    match self.key_of(i) {
                        Some(k) => ks.push(k),
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                self.key_depth.set(self.key_depth.get() - 1);
                if !ok {
                    return None;
                }
                Key::Tuple(ks)
            }
            Payload::Set(s) if self.ty(id) == Ty::FrozenSet => {
                let mut ks: Vec<Key> = s.active().into_iter().map(|(k, _, _)| k).collect();
                crate::util::sort(&mut ks);
                Key::FrozenSet(ks)
            }
            Payload::List { .. }
            | Payload::Dict(_)
            | Payload::Set(_)
            | Payload::ByteArray { .. } => return None,
            Payload::Instance(inst) => {
                if self.class_defines(inst.class, "__eq__")
                    && !self.class_defines(inst.class, "__hash__")
                {
                    return None;
                }
                Key::Id(id)
            }
            _ => Key::Id(id),
        })
    }

    fn key_of_float(&self, x: f64, id: ObjId) -> Option<Key> {
        Some(if x.fract() == 0.0 && x.is_finite() && x.abs() < 9.2e18 {
            Key::Int(Int::Small(x as i64))
        } else if x.is_nan() {
            Key::Id(id)
        } else {
            Key::Float(x.to_bits())
        })
    }

    /// Whether a user class (or a base) defines `name` in its namespace.
    pub fn class_defines(&self, class: ObjId, name: &str) -> bool {
        self.class_lookup(class, name).is_some()
    }

    /// Looks `name` up along a class's MRO.
    pub fn class_lookup(&self, class: ObjId, name: &str) -> Option<ObjId> {
        let Payload::Class(c) = &self.objs.get(class).payload else {
            return None;
        };
        for &k in &c.mro {
            if let Payload::Class(kc) = &self.objs.get(k).payload {
                if let Payload::Dict(d) = &self.objs.get(kc.dict).payload {
                    if let Some(i) = d.get_str(name) {
                        return Some(d.entry(i).value);
                    }
                }
            }
        }
        None
    }

    /// `hash()` of a hashable object, per version and pointer width.
    pub fn hash_of(&self, id: ObjId) -> i64 {
        use crate::object::hash::*;
        let ptr = self.layout.p;
        let minor = self.layout.minor;
        match &self.objs.get(id).payload {
            Payload::None => {
                if minor >= 12 {
                    // 3.12+: None hashes to a constant (gh-99540).
                    (0xFCA86420u32 as i64) & if ptr == 4 { 0x7fff_ffff } else { -1 }
                } else {
                    (self.objs.get(id).addr >> 4) as i64
                }
            }
            Payload::Bool(b) => *b as i64,
            Payload::Int(Int::Small(v)) => hash_small_int(*v, ptr),
            Payload::Int(Int::Big(b)) => hash_int(b, ptr),
            Payload::Float(x) => hash_float(*x, ptr),
            Payload::Str { s, hash, .. } => {
                if hash.get() == -1 {
                    hash.set(hash_str(s, minor, ptr));
                }
                hash.get()
            }
            Payload::Bytes(b) => hash_bytes(b, minor, ptr),
            Payload::Tuple(items) => {
                if self.key_depth.get() > 200 {
                    return self.objs.get(id).addr as i64;
                }
                self.key_depth.set(self.key_depth.get() + 1);
                let hs: Vec<i64> = items.iter().map(|&i| self.hash_of(i)).collect();
                self.key_depth.set(self.key_depth.get() - 1);
                hash_tuple(&hs, minor, ptr)
            }
            // range_hash: the hash of (len, start, step), with None for start when empty and for step
            // when empty or of one item.
            Payload::Range(r) => {
                let n = r.len.clone();
                let none = self.hash_of(self.none);
                let [start, _, step, len] = r.objs;
                let hs = [
                    self.hash_of(len),
                    if n.is_zero() {
                        none
                    } else {
                        self.hash_of(start)
                    },
                    if n <= crate::object::bigint::BigInt::from(1) {
                        none
                    } else {
                        self.hash_of(step)
                    },
                ];
                hash_tuple(&hs, minor, ptr)
            }
            _ => {
                // Identity hash: the address rotated by 4 bits (`_Py_HashPointer`).
                let a = self.objs.get(id).addr;
                if ptr == 8 {
                    a.rotate_right(4) as i64
                } else {
                    ((a as u32).rotate_right(4)) as i32 as i64
                }
            }
        }
    }
}
