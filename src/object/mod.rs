//! object: the simulated object heap. Every Python object is a plain record (`Obj`) in a vector indexed by
//! `ObjId`, with its reference count, the simulated address of its memory (from [`crate::alloc::Heap`]) and
//! a payload. Side buffers that CPython allocates separately (a list's item array, a dict's keys object, a
//! set's table, a bytearray's buffer) carry their own simulated addresses, so each lives in the size class
//! CPython puts it in. Layouts and sizes are in [`layout`]; Python hashing in [`hash`]; the dict and set
//! tables in [`dict`] and [`set`].

pub mod bigint;
pub mod dict;
pub mod hash;
pub mod layout;
pub mod set;
pub mod unicase;

use bigint::BigInt;

pub type ObjId = u32;

/// Builtin types the simulator knows. User classes are `Instance` objects whose class is a `Class` payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    NoneType,
    NotImplementedType,
    Ellipsis,
    Bool,
    Int,
    Float,
    Complex,
    Str,
    Bytes,
    ByteArray,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
    Range,
    Slice,
    Object,
    Type,
    Function,
    BuiltinFunction,
    Method,
    Module,
    Cell,
    ListIter,
    TupleIter,
    RangeIter,
    LongRangeIter,
    StrIter,
    DictKeyIter,
    DictValueIter,
    DictItemIter,
    /// 3.8+ `reversed()` of a dict or its views.
    DictRevKeyIter,
    DictRevValueIter,
    DictRevItemIter,
    SetIter,
    DictKeys,
    DictValues,
    DictItems,
    Enumerate,
    Zip,
    /// `reversed()` of a list.
    ListRevIter,
    /// The `reversed` type: any other sequence, read back through its items.
    Reversed,
    Generator,
    Map,
    Filter,
    BytesIter,
    /// `__dict__`/`__weakref__` descriptors a class gets from `type_new` (descrobject.c).
    GetSetDescr,
    /// A `__slots__` entry's descriptor (descrobject.c).
    MemberDescr,
    /// A class defined with a `class` statement; the payload holds the class object.
    Instance,
    /// An exception instance of a builtin exception class.
    Exception,
}

impl Ty {
    /// The name `type(x).__name__` prints.
    pub fn name(self) -> &'static str {
        match self {
            Ty::NoneType => "NoneType",
            Ty::NotImplementedType => "NotImplementedType",
            Ty::Ellipsis => "ellipsis",
            Ty::Bool => "bool",
            Ty::Int => "int",
            Ty::Float => "float",
            Ty::Complex => "complex",
            Ty::Str => "str",
            Ty::Bytes => "bytes",
            Ty::ByteArray => "bytearray",
            Ty::List => "list",
            Ty::Tuple => "tuple",
            Ty::Dict => "dict",
            Ty::Set => "set",
            Ty::FrozenSet => "frozenset",
            Ty::Range => "range",
            Ty::Slice => "slice",
            Ty::Object => "object",
            Ty::Type => "type",
            Ty::Function => "function",
            Ty::BuiltinFunction => "builtin_function_or_method",
            Ty::Method => "method",
            Ty::Module => "module",
            Ty::Cell => "cell",
            Ty::ListIter => "list_iterator",
            Ty::TupleIter => "tuple_iterator",
            Ty::RangeIter => "range_iterator",
            Ty::LongRangeIter => "longrange_iterator",
            Ty::StrIter => "str_ascii_iterator",
            Ty::DictKeyIter => "dict_keyiterator",
            Ty::DictValueIter => "dict_valueiterator",
            Ty::DictItemIter => "dict_itemiterator",
            Ty::DictRevKeyIter => "dict_reversekeyiterator",
            Ty::DictRevValueIter => "dict_reversevalueiterator",
            Ty::DictRevItemIter => "dict_reverseitemiterator",
            Ty::SetIter => "set_iterator",
            Ty::DictKeys => "dict_keys",
            Ty::DictValues => "dict_values",
            Ty::DictItems => "dict_items",
            Ty::Enumerate => "enumerate",
            Ty::Zip => "zip",
            Ty::ListRevIter => "list_reverseiterator",
            Ty::Reversed => "reversed",
            Ty::Generator => "generator",
            Ty::Map => "map",
            Ty::Filter => "filter",
            Ty::BytesIter => "bytes_iterator",
            Ty::GetSetDescr => "getset_descriptor",
            Ty::MemberDescr => "member_descriptor",
            Ty::Instance => "object",
            Ty::Exception => "BaseException",
        }
    }

    /// Whether instances carry a `PyGC_Head` (`Py_TPFLAGS_HAVE_GC`).
    pub fn is_gc(self) -> bool {
        matches!(
            self,
            Ty::List
                | Ty::Tuple
                | Ty::Dict
                | Ty::Set
                | Ty::FrozenSet
                | Ty::Slice
                | Ty::Type
                | Ty::Function
                | Ty::Method
                // Static builtins are made by `new_static`, untracked; this is for bound ones.
                | Ty::BuiltinFunction
                | Ty::Module
                | Ty::Cell
                | Ty::ListIter
                | Ty::TupleIter
                | Ty::DictKeyIter
                | Ty::DictValueIter
                | Ty::DictItemIter
                | Ty::DictRevKeyIter
                | Ty::DictRevValueIter
                | Ty::DictRevItemIter
                | Ty::ListRevIter
                | Ty::SetIter
                | Ty::DictKeys
                | Ty::DictValues
                | Ty::DictItems
                | Ty::Enumerate
                | Ty::Zip
                | Ty::Reversed
                | Ty::Generator
                | Ty::Map
                | Ty::Filter
                | Ty::Exception
                | Ty::Instance
                | Ty::BytesIter
                | Ty::GetSetDescr
                | Ty::MemberDescr
        )
    }
}

/// Python ints: machine-size fast path, arbitrary precision otherwise. Always normalised (Small when it fits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Int {
    Small(i64),
    /// Boxed so that every object record stays small (most ints are Small).
    Big(Box<BigInt>),
}

impl Int {
    pub fn from_big(b: BigInt) -> Int {
        match i64::try_from(&b) {
            Ok(v) => Int::Small(v),
            Err(_) => Int::Big(Box::new(b)),
        }
    }

    pub fn to_big(&self) -> BigInt {
        match self {
            Int::Small(v) => BigInt::from(*v),
            Int::Big(b) => (**b).clone(),
        }
    }

    /// Number of 30-bit digits CPython stores for this value.
    pub fn ndigits(&self) -> u64 {
        let bits = match self {
            Int::Small(v) => 64 - v.unsigned_abs().leading_zeros() as u64,
            Int::Big(b) => b.bits(),
        };
        bits.div_ceil(30)
    }

    pub fn is_zero(&self) -> bool {
        matches!(self, Int::Small(0))
    }
}

/// How an interned string is held (alloc-gc.md §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interned {
    No,
    Mortal,
    Immortal,
}

/// A user-defined function.
#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    pub qualname: String,
    /// Index of the code in the interpreter's code table.
    pub code: u32,
    pub defaults: Vec<ObjId>,
    pub kwdefaults: Vec<(String, ObjId)>,
    /// Cells captured from enclosing scopes, in the order the code's `freevars` lists them.
    pub closure: Vec<ObjId>,
    /// The module globals dict.
    pub globals: ObjId,
}

/// A class made by a `class` statement.
#[derive(Clone, Debug)]
pub struct Class {
    pub name: String,
    pub qualname: String,
    /// Direct bases (class objects or builtin type objects), and the MRO (self first), for lookups.
    /// The references are held by the `__bases__` and `__mro__` tuples and by `tp_base`.
    pub bases: Vec<ObjId>,
    pub mro: Vec<ObjId>,
    /// `tp_bases` (`(object,)` for a class without bases), `tp_mro` (it holds the class itself, so
    /// every class is in a reference cycle) and `tp_base` (the solid base), once `type_new` set them.
    pub bases_tuple: Option<ObjId>,
    pub mro_tuple: Option<ObjId>,
    pub base: Option<ObjId>,
    /// The class namespace (a dict object).
    pub dict: ObjId,
    /// `__slots__` names, when the class defines them (None: instances have a `__dict__`).
    pub slots: Option<Vec<String>>,
    /// Whether instances have a `__dict__` (no `__slots__`, or a base without slots).
    pub has_dict: bool,
    /// Whether instances have a `__weakref__` slot.
    pub has_weakref: bool,
    /// Instance `tp_basicsize` (without GC head or pre-header).
    pub basicsize: u64,
    /// Whether instances are GC objects (3.7: only when the class adds fields or a base is GC).
    pub gc: bool,
    /// The builtin exception this class derives from, if any.
    pub exc_base: Option<ObjId>,
    /// Shared keys of instance dicts (PEP 412), for sizes.
    pub shared: Option<dict::SharedKeys>,
    /// Instances ever created (3.11+ shared-keys capacity).
    pub instances_created: u64,
    /// Whether `tp_subclasses` exists: add_subclass makes the dict for a base's first subclass.
    pub has_subclasses: bool,
    /// ≤3.10: the class stopped sharing keys (`CACHED_KEYS(tp) = NULL`).
    pub shared_disabled: bool,
}

/// An instance of a user class.
#[derive(Clone, Debug)]
pub struct Instance {
    pub class: ObjId,
    /// The instance `__dict__` object, once it exists (always ≤3.10; on demand 3.11+).
    pub dict: Option<ObjId>,
    /// Managed attribute values (3.11+, before a `__dict__` is materialised): in insertion order.
    pub values: Vec<(String, ObjId)>,
    /// Whether the 3.11+ values array is in use (false once the dict took over).
    pub managed: bool,
    pub slots: Vec<Option<ObjId>>,
    /// Exception arguments (a tuple), for instances of exception subclasses.
    pub exc_args: Option<ObjId>,
    /// Simulated address of the 3.11/3.12 separately allocated values array.
    pub values_addr: Option<u64>,
}

/// Iteration state of the builtin iterators.
#[derive(Clone, Debug)]
pub enum IterState {
    /// Over a list, tuple, str (chars), bytes or bytearray: the sequence and the next index.
    Seq {
        seq: ObjId,
        index: usize,
    },
    /// `longrange_iterator` (a range past C long): owned int objects; `index` only through 3.11,
    /// where each item is computed as start + index * step (3.12+ advances start and counts len down).
    LongRange {
        start: ObjId,
        step: ObjId,
        len: ObjId,
        index: Option<ObjId>,
    },
    /// `range_iterator`: a range within C long, counted without objects.
    RangeSmall {
        next: i64,
        step: i64,
        remaining: u64,
    },
    /// Over a dict's keys/values/items, by entry position, with the size at creation (for the
    /// "changed size during iteration" check).
    Dict {
        dict: ObjId,
        /// The next entry position to look at; for a reverse iterator (3.8+), one past it.
        pos: usize,
        used: usize,
        /// An items iterator's result pair, reused while nothing else holds it (`di_result`).
        result: Option<ObjId>,
    },
    Set {
        set: ObjId,
        pos: usize,
        used: usize,
    },
    Reversed {
        seq: ObjId,
        index: isize,
    },
    /// `en_sit`, `en_index`, and `en_result`: the pair it hands out again while nothing else holds it.
    Enumerate {
        it: ObjId,
        count: BigInt,
        result: ObjId,
    },
    /// `ittuple` (a tuple of the iterators) and the reused `result` tuple.
    Zip {
        its: ObjId,
        result: ObjId,
    },
    /// The function and `iters`, a tuple of the iterators.
    Map {
        func: ObjId,
        its: ObjId,
    },
    Filter {
        func: ObjId,
        it: ObjId,
    },
    Exhausted,
    /// An exhausted dict items iterator, still holding its result pair until it is freed.
    ExhaustedPair(ObjId),
}

/// Exception instance data for builtin exception classes.
#[derive(Clone, Debug)]
pub struct ExcData {
    /// The builtin exception class (a type object).
    pub class: ObjId,
    pub args: ObjId,
    pub dict: Option<ObjId>,
    /// A hint the traceback prints after the message (3.10+ "Did you mean", 3.12+ "Did you forget to
    /// import"): not part of `str(exc)`.
    pub hint: Option<String>,
}

#[derive(Clone, Debug)]
pub enum Payload {
    None,
    NotImplemented,
    Ellipsis,
    Bool(bool),
    Int(Int),
    Float(f64),
    Complex(f64, f64),
    Str {
        s: String,
        interned: Interned,
        utf8_cached: bool,
        /// `ob_shash`: the hash once computed, -1 before (no str hashes to -1).
        hash: std::cell::Cell<i64>,
    },
    Bytes(Vec<u8>),
    ByteArray {
        data: Vec<u8>,
        alloc: u64,
        buf: Option<u64>,
    },
    /// `allocated` item slots at `buf` (None when `ob_item` is NULL).
    List {
        items: Vec<ObjId>,
        allocated: u64,
        buf: Option<u64>,
    },
    Tuple(Vec<ObjId>),
    Dict(Box<dict::Dict>),
    Set(Box<set::Set>),
    Range(Box<RangeData>),
    Slice(ObjId, ObjId, ObjId),
    /// `object()`.
    Object,
    /// A builtin type object (`int`, `list`, `ValueError`, …).
    BuiltinType {
        ty: Ty,
        name: &'static str,
        exc_parent: Option<ObjId>,
    },
    Class(Box<Class>),
    /// A getset or member descriptor: the attribute's name and the class it belongs to (`d_type`, a
    /// strong reference; None for 3.15's `__dict__`/`__weakref__`, which every class shares).
    Descr {
        name: Box<str>,
        owner: Option<ObjId>,
    },
    Instance(Box<Instance>),
    Function(Box<Function>),
    /// A builtin function, or a method of a builtin object bound to `self_`.
    Builtin {
        name: &'static str,
        self_: Option<ObjId>,
    },
    Method {
        func: ObjId,
        self_: ObjId,
    },
    Module {
        name: String,
        dict: ObjId,
    },
    Cell(Option<ObjId>),
    Iter(Box<IterState>),
    /// A dict view: keys, values or items of `dict`.
    View(ObjId),
    /// A generator object of code `code`; its frame, while it has one, is in the interpreter's
    /// generator-frame table (`Vm::gens`).
    Generator {
        code: u32,
        state: GenState,
    },
    Exception(Box<ExcData>),
}

/// A generator's frame state (`gi_frame_state` in 3.11+; `f_lasti`/`gi_running` before).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenState {
    Created,
    Suspended,
    Running,
    Completed,
}

/// `range(start, stop, step)`: the four int objects a `rangeobject` holds (start, stop, step and the
/// length `make_range_object` computes), and their values for arithmetic.
#[derive(Clone, Debug)]
pub struct RangeData {
    pub start: BigInt,
    pub stop: BigInt,
    pub step: BigInt,
    pub len: BigInt,
    /// `start`, `stop`, `step`, `length`: owned references.
    pub objs: [ObjId; 4],
}

/// One object.
#[derive(Clone, Debug)]
pub struct Obj {
    pub ty: Ty,
    pub refcnt: i64,
    /// Simulated address of the object (what `id()` returns).
    pub addr: u64,
    /// Bytes requested from the allocator for the object itself (0 for static objects).
    pub alloc: u64,
    pub immortal: bool,
    /// Whether the object carries a `PyGC_Head` (its type has `Py_TPFLAGS_HAVE_GC`). Whether it is
    /// tracked, and in which generation, is the collector's business (`gc::Gc`).
    pub has_gc: bool,
    /// PEP 442: `tp_finalize` (`__del__`) already ran (`_PyGC_PREV_MASK_FINALIZED`).
    pub finalized: bool,
    pub payload: Payload,
}

/// The object table. Ids are reused after an object is freed, as CPython reuses memory; ids are not
/// addresses (addresses come from the simulated allocator).
#[derive(Clone, Debug, Default)]
pub struct Objects {
    slots: Vec<Option<Obj>>,
    free: Vec<ObjId>,
    pub live: usize,
}

impl Objects {
    pub fn insert(&mut self, o: Obj) -> ObjId {
        self.live += 1;
        match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = Some(o);
                id
            }
            None => {
                self.slots.push(Some(o));
                (self.slots.len() - 1) as ObjId
            }
        }
    }

    pub fn remove(&mut self, id: ObjId) -> Obj {
        self.live -= 1;
        self.free.push(id);
        self.slots[id as usize]
            .take()
            .expect("removing a live object")
    }

    #[inline]
    pub fn get(&self, id: ObjId) -> &Obj {
        self.slots[id as usize].as_ref().expect("a live object")
    }

    #[inline]
    pub fn get_mut(&mut self, id: ObjId) -> &mut Obj {
        self.slots[id as usize].as_mut().expect("a live object")
    }

    pub fn exists(&self, id: ObjId) -> bool {
        self.slots.get(id as usize).is_some_and(|s| s.is_some())
    }

    /// Live object ids, in id order.
    pub fn ids(&self) -> impl Iterator<Item = ObjId> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_some())
            .map(|(i, _)| i as ObjId)
    }
}
