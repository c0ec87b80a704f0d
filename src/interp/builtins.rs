//! builtins: the builtin namespace, the builtin types' constructors and methods (`Python/bltinmodule.c`,
//! `Objects/*object.c` method tables), attribute and item access including instance dictionaries
//! (PEP 412 split tables ≤3.10, managed dicts 3.11+), the `sys` module, and `sys.getsizeof`
//! (`_PySys_GetSizeOf` plus each type's `__sizeof__`).

use super::eval::Sent;
use super::vm::{Flow, Kept, Vm, R};
use crate::alloc::stats::{debugmallocstats, FreeListCounts};
use crate::object::bigint::BigInt;
use crate::object::dict::{estimate_log2, log2_keysize, usable_fraction, Dict, Key, SharedKeys};
use crate::object::{Int, IterState, ObjId, Payload, Ty};

const BUILTIN_FUNCS: &[&str] = &[
    "print",
    "len",
    "id",
    "isinstance",
    "issubclass",
    "repr",
    "sum",
    "min",
    "max",
    "abs",
    "sorted",
    "hex",
    "oct",
    "bin",
    "hash",
    "iter",
    "next",
    "getattr",
    "setattr",
    "hasattr",
    "delattr",
    "round",
    "divmod",
    "pow",
    "any",
    "all",
    "chr",
    "ord",
    "callable",
    "vars",
    "input",
    "ascii",
    "format",
];

const TYPES: &[(Ty, &str)] = &[
    (Ty::Object, "object"),
    (Ty::Type, "type"),
    (Ty::Int, "int"),
    (Ty::Bool, "bool"),
    (Ty::Float, "float"),
    (Ty::Complex, "complex"),
    (Ty::Str, "str"),
    (Ty::Bytes, "bytes"),
    (Ty::ByteArray, "bytearray"),
    (Ty::List, "list"),
    (Ty::Tuple, "tuple"),
    (Ty::Dict, "dict"),
    (Ty::Set, "set"),
    (Ty::FrozenSet, "frozenset"),
    (Ty::Range, "range"),
    (Ty::Slice, "slice"),
    (Ty::NoneType, "NoneType"),
    (Ty::Enumerate, "enumerate"),
    (Ty::Zip, "zip"),
    (Ty::Reversed, "reversed"),
    (Ty::Map, "map"),
    (Ty::Filter, "filter"),
    (Ty::Function, "function"),
    (Ty::BuiltinFunction, "builtin_function_or_method"),
    (Ty::Method, "method"),
    (Ty::Module, "module"),
    (Ty::Generator, "generator"),
    (Ty::GetSetDescr, "getset_descriptor"),
    (Ty::MemberDescr, "member_descriptor"),
];

/// Types with no builtin name, made so that `type(x)` of their objects is a type.
const UNNAMED_TYPES: &[(Ty, &str)] = &[
    (Ty::ListIter, "list_iterator"),
    (Ty::TupleIter, "tuple_iterator"),
    (Ty::RangeIter, "range_iterator"),
    (Ty::StrIter, "str_ascii_iterator"),
    (Ty::BytesIter, "bytes_iterator"),
    (Ty::DictKeyIter, "dict_keyiterator"),
    (Ty::DictValueIter, "dict_valueiterator"),
    (Ty::DictItemIter, "dict_itemiterator"),
    (Ty::DictRevKeyIter, "dict_reversekeyiterator"),
    (Ty::DictRevValueIter, "dict_reversevalueiterator"),
    (Ty::DictRevItemIter, "dict_reverseitemiterator"),
    (Ty::ListRevIter, "list_reverseiterator"),
    (Ty::LongRangeIter, "longrange_iterator"),
    (Ty::SetIter, "set_iterator"),
    (Ty::DictKeys, "dict_keys"),
    (Ty::DictValues, "dict_values"),
    (Ty::DictItems, "dict_items"),
    (Ty::Cell, "cell"),
    (Ty::Ellipsis, "ellipsis"),
    (Ty::NotImplementedType, "NotImplementedType"),
];

/// Builtin exception classes and their parents, in creation order.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("BaseException", ""),
    ("Exception", "BaseException"),
    ("SystemExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("StopIteration", "Exception"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("RuntimeError", "Exception"),
    ("RecursionError", "RuntimeError"),
    ("NotImplementedError", "RuntimeError"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("MemoryError", "Exception"),
    ("SyntaxError", "Exception"),
    ("IndentationError", "SyntaxError"),
    ("OSError", "Exception"),
    ("Warning", "Exception"),
];

/// What a store into an instance needs to know of its class's shared keys (see `shared_keys`).
struct SharedInfo {
    log2: u8,
    usable: i64,
    sharers: u64,
    len: usize,
    /// The position of the name being stored among the shared names.
    pos: Option<usize>,
}

/// Arguments after keyword binding: positional, then the keyword-only ones.
type BoundArgs = (Vec<ObjId>, Vec<(String, ObjId)>);

/// How a builtin takes keyword arguments, as its Argument Clinic (or `PyArg_ParseTupleAndKeywords`)
/// signature says: `pos_only` positional-only parameters, then `names` that may be passed either way (a
/// keyword is moved to its position), then `kw_only` names (left as keywords for the builtin to read).
struct KwParams {
    pos_only: usize,
    names: &'static [&'static str],
    kw_only: &'static [&'static str],
}

/// The keyword parameters of builtin `name` (a function, a type, or a method as "type.method") in this
/// version; None when it takes no keyword arguments. `dict()`, `dict.update` and `str.format` take any
/// keywords and are not listed.
fn kw_params(name: &str, minor: u8) -> Option<KwParams> {
    let p = |pos_only, names, kw_only| {
        Some(KwParams {
            pos_only,
            names,
            kw_only,
        })
    };
    match name {
        "print" => p(0, &[], &["sep", "end", "file", "flush"]),
        "min" | "max" => p(0, &[], &["key", "default"]),
        "sorted" | "list.sort" => p(0, &[], &["key", "reverse"]),
        "round" => p(0, &["number", "ndigits"], &[]),
        // 3.8 (bpo-34637, bpo-36027): sum's start and pow's arguments became nameable.
        "sum" if minor >= 8 => p(1, &["start"], &[]),
        "pow" if minor >= 8 => p(0, &["base", "exp", "mod"], &[]),
        "int" => p(1, &["base"], &[]),
        "str" => p(0, &["object", "encoding", "errors"], &[]),
        "bytes" | "bytearray" => p(0, &["source", "encoding", "errors"], &[]),
        "enumerate" => p(0, &["iterable", "start"], &[]),
        "complex" => p(0, &["real", "imag"], &[]),
        // 3.10: zip(strict=) (PEP 618).
        "zip" if minor >= 10 => p(0, &[], &["strict"]),
        "str.split" | "str.rsplit" | "bytes.split" => p(0, &["sep", "maxsplit"], &[]),
        "str.splitlines" => p(0, &["keepends"], &[]),
        "str.encode" | "bytes.decode" | "bytearray.decode" => p(0, &["encoding", "errors"], &[]),
        // 3.13: str.replace(count=) (gh-106487).
        "str.replace" if minor >= 13 => p(2, &["count"], &[]),
        // 3.8: bytes.hex(sep, bytes_per_sep).
        "bytes.hex" | "bytearray.hex" if minor >= 8 => p(0, &["sep", "bytes_per_sep"], &[]),
        "int.to_bytes" => p(0, &["length", "byteorder"], &["signed"]),
        _ => None,
    }
}

/// Attributes every sys module of 3.7–3.15 has that the simulated one lacks: asking for one is "not
/// supported", not an AttributeError CPython would never raise. (getallocatedblocks counts blocks of
/// the objects CPython makes at startup, which the simulated heap does not hold.)
pub(crate) const SYS_UNMODELLED: &[&str] = &[
    "getallocatedblocks",
    "settrace",
    "gettrace",
    "setprofile",
    "getprofile",
    "getswitchinterval",
    "setswitchinterval",
    "stdout",
    "stderr",
    "stdin",
    "argv",
    "path",
    "modules",
    "executable",
    "byteorder",
    "float_info",
    "int_info",
    "hash_info",
    "implementation",
    "flags",
    "getdefaultencoding",
    "getfilesystemencoding",
    "exc_info",
    "_getframe",
    "is_finalizing",
    "hexversion",
    "prefix",
    "maxunicode",
    "builtin_module_names",
    "displayhook",
    "excepthook",
    "float_repr_style",
    "api_version",
    "thread_info",
];

/// Methods parsed with `PyArg_ParseTuple` (METH_VARARGS) up to 3.10: their "takes no keyword arguments"
/// names only the method until 3.11, where the others already say "type.method" from 3.9.
const VARARGS_METHODS: &[&str] = &[
    "str.startswith",
    "str.endswith",
    "str.find",
    "str.rfind",
    "str.index",
    "str.rindex",
    "str.count",
    "bytes.startswith",
    "bytes.endswith",
    "bytes.find",
    "bytes.rfind",
    "bytes.index",
    "bytes.rindex",
    "bytes.count",
];

impl Vm {
    /// Creates the builtin types, exceptions, functions and the `__main__` globals.
    pub fn init_builtins(&mut self) -> R<()> {
        let tsize = self.layout.static_type_size();
        for (i, &(ty, name)) in TYPES.iter().chain(UNNAMED_TYPES).enumerate() {
            // 3.11+ iterates an ASCII str with its own iterator type (measured: str_iterator before).
            let name = if ty == Ty::StrIter && self.layout.minor < 11 {
                "str_iterator"
            } else {
                name
            };
            let id = self.new_static(
                Ty::Type,
                Payload::BuiltinType {
                    ty,
                    name,
                    exc_parent: None,
                },
                tsize,
            );
            self.types[ty as usize] = id;
            if i < TYPES.len()
                && !matches!(
                    ty,
                    Ty::NoneType
                        | Ty::Function
                        | Ty::BuiltinFunction
                        | Ty::Method
                        | Ty::Module
                        | Ty::Generator
                        | Ty::GetSetDescr
                        | Ty::MemberDescr
                )
            {
                self.builtins.insert(name.to_string(), id);
            }
        }
        for &(name, parent) in EXCEPTIONS {
            let p = if parent.is_empty() {
                None
            } else {
                Some(self.builtins[parent])
            };
            let id = self.new_static(
                Ty::Type,
                Payload::BuiltinType {
                    ty: Ty::Exception,
                    name,
                    exc_parent: p,
                },
                tsize,
            );
            self.builtins.insert(name.to_string(), id);
        }
        for &name in BUILTIN_FUNCS {
            let id = self.new_static(
                Ty::BuiltinFunction,
                Payload::Builtin { name, self_: None },
                self.layout.object() + 4 * self.layout.p,
            );
            self.builtins.insert(name.to_string(), id);
        }
        let none = self.none;
        self.builtins.insert("None".into(), none);
        let (ni, el) = (self.not_implemented, self.ellipsis);
        self.builtins.insert("NotImplemented".into(), ni);
        self.builtins.insert("Ellipsis".into(), el);
        let g = self.new_dict()?;
        self.globals = g;
        {
            let (k, v) = ("__name__", "__main__");
            let s = self.new_str(v)?;
            self.dict_set_str(g, k, s)?;
        }
        let n = self.none();
        self.dict_set_str(g, "__doc__", n)?;
        let e = self.new_exception("MemoryError", "")?;
        self.memerr = Some(e);
        Ok(())
    }

    pub fn sys_module(&mut self) -> R<ObjId> {
        if let Some(m) = self.sys_module {
            return Ok(m);
        }
        let d = self.new_dict()?;
        for name in [
            "getsizeof",
            "getrefcount",
            "intern",
            "_debugmallocstats",
            "getrecursionlimit",
            "setrecursionlimit",
            "exit",
        ] {
            let f = self.new_static(
                Ty::BuiltinFunction,
                Payload::Builtin {
                    name: static_name(name),
                    self_: None,
                },
                self.layout.object() + 4 * self.layout.p,
            );
            self.dict_set_str(d, name, f)?;
        }
        let v = self.profile.version;
        let text = format!(
            "{} (main, simulated by pymemsim) [{}]",
            v,
            self.profile.arch.name()
        );
        let s = self.new_str(&text)?;
        self.dict_set_str(d, "version", s)?;
        let parts = [v.minor as i64, v.patch as i64];
        let three = self.new_i64(3)?;
        let mi = self.new_i64(parts[0])?;
        let pa = self.new_i64(parts[1])?;
        let level = self.new_str(match v.level {
            crate::profile::Level::Alpha => "alpha",
            crate::profile::Level::Beta => "beta",
            crate::profile::Level::Candidate => "candidate",
            crate::profile::Level::Final => "final",
        })?;
        let serial = self.new_i64(v.serial as i64)?;
        let vi = self.new_tuple(vec![three, mi, pa, level, serial])?;
        self.dict_set_str(d, "version_info", vi)?;
        let maxsize = if self.layout.p == 8 {
            i64::MAX
        } else {
            i32::MAX as i64
        };
        let m = self.new_i64(maxsize)?;
        self.dict_set_str(d, "maxsize", m)?;
        let bo = self.new_str("little")?;
        self.dict_set_str(d, "byteorder", bo)?;
        let plat = self.new_str(if self.layout.wasm {
            "emscripten"
        } else {
            "linux"
        })?;
        self.dict_set_str(d, "platform", plat)?;
        let name = "sys".to_string();
        let m = self.new_gc(
            Ty::Module,
            Payload::Module { name, dict: d },
            self.layout.object() + 5 * self.layout.p,
        )?;
        self.sys_module = Some(m);
        Ok(m)
    }

    // ------------------------------------------------------------------ attributes

    fn attr_error(&mut self, v: ObjId, name: &str) -> Flow {
        if matches!(self.payload(v), Payload::Module { name: m, .. } if m == "sys")
            && SYS_UNMODELLED.contains(&name)
        {
            return self.err(
                "NotImplementedError",
                &format!("not supported by the simulator: sys.{name}"),
            );
        }
        let msg = match self.payload(v) {
            Payload::Class(c) => format!("type object '{}' has no attribute '{name}'", c.name),
            Payload::BuiltinType { name: n, .. } => {
                format!("type object '{n}' has no attribute '{name}'")
            }
            Payload::Module { name: m, .. } => format!("module '{m}' has no attribute '{name}'"),
            _ => format!("'{}' object has no attribute '{name}'", self.type_name(v)),
        };
        let flow = self.err("AttributeError", &msg);
        if self.layout.minor >= 10 {
            // offer_suggestions_for_attribute_error: dir(obj), which is sorted.
            let mut names = self.dir_names(v);
            crate::util::sort(&mut names);
            let hint = super::suggest::closest(name, names.iter().map(|s| s.as_str()))
                .map(|s| format!("Did you mean: '{s}'?"));
            self.set_hint(&flow, hint);
        }
        flow
    }

    /// What `dir(v)` would list, as far as the simulator knows it: instance attributes, class attributes along
    /// the MRO, builtin methods.
    fn dir_names(&self, v: ObjId) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let add_dict = |vm: &Vm, d: ObjId, out: &mut Vec<String>| {
            if let Payload::Dict(t) = vm.payload(d) {
                for e in t.iter() {
                    if let Key::Str(s) = &e.k {
                        if !out.contains(s) {
                            out.push(s.clone());
                        }
                    }
                }
            }
        };
        let cls = match self.payload(v) {
            Payload::Instance(i) => {
                if let Some(d) = i.dict {
                    add_dict(self, d, &mut out);
                }
                for (n, _) in &i.values {
                    out.push(n.clone());
                }
                Some(i.class)
            }
            Payload::Class(_) => Some(v),
            Payload::Module { dict, .. } => {
                add_dict(self, *dict, &mut out);
                None
            }
            _ => None,
        };
        if let Some(c) = cls {
            if let Payload::Class(k) = self.payload(c) {
                for &m in &k.mro {
                    if let Payload::Class(mc) = self.payload(m) {
                        add_dict(self, mc.dict, &mut out);
                        if let Some(sl) = &mc.slots {
                            out.extend(sl.iter().cloned());
                        }
                    }
                }
            }
        } else {
            for full in methods_of(self.ty(v)) {
                out.push(full.rsplit('.').next().unwrap_or(full).to_string());
            }
        }
        out
    }

    /// A range object over owned start, stop, step and length objects (3.14+: from its free list).
    pub fn new_range(
        &mut self,
        start: BigInt,
        stop: BigInt,
        step: BigInt,
        len: BigInt,
        objs: [ObjId; 4],
    ) -> R<ObjId> {
        let size = self.layout.range();
        let addr = match self.kept_alloc(Kept::Range, size, false) {
            Ok(a) => a,
            Err(e) => {
                self.decref_all(&objs);
                return Err(e);
            }
        };
        let data = crate::object::RangeData {
            start,
            stop,
            step,
            len,
            objs,
        };
        Ok(self.insert_obj(Ty::Range, Payload::Range(Box::new(data)), size, addr))
    }

    /// A bound method object C code makes and drops on its way (an attribute or special-method
    /// lookup before a call): visible as an allocation, and on the free list where there is one.
    pub fn transient_bound(&mut self, name: &'static str, self_: ObjId) -> R<()> {
        let b = self.bound_builtin(name, self_)?;
        self.decref(b);
        Ok(())
    }

    /// A bound builtin method object (`PyCFunctionObject` with `m_self`), allocated as CPython does on
    /// every attribute access.
    fn bound_builtin(&mut self, name: &'static str, self_: ObjId) -> R<ObjId> {
        self.incref(self_);
        let addr = self.cfunc_alloc()?;
        let size = self.cfunc_size();
        Ok(self.insert_obj(
            Ty::BuiltinFunction,
            Payload::Builtin {
                name,
                self_: Some(self_),
            },
            size,
            addr,
        ))
    }

    pub fn get_attr(&mut self, v: ObjId, name: &str) -> R<ObjId> {
        // What the attribute can come from, read without copying the object (a class's or function's
        // strings are read again only for `__name__`/`__qualname__`).
        enum Of {
            Instance {
                class: ObjId,
                exc_args: Option<ObjId>,
            },
            Class,
            Module(ObjId),
            Exception {
                class: ObjId,
                args: ObjId,
                dict: Option<ObjId>,
            },
            BuiltinType(Ty, &'static str),
            Function,
            Complex(f64, f64),
            /// A range's or a slice's start, stop and step objects.
            Bounds([ObjId; 3]),
            Other,
        }
        let of = match self.payload(v) {
            Payload::Instance(i) => Of::Instance {
                class: i.class,
                exc_args: i.exc_args,
            },
            Payload::Class(_) => Of::Class,
            Payload::Module { dict, .. } => Of::Module(*dict),
            Payload::Exception(e) => Of::Exception {
                class: e.class,
                args: e.args,
                dict: e.dict,
            },
            Payload::BuiltinType { ty, name, .. } => Of::BuiltinType(*ty, name),
            Payload::Function(_) => Of::Function,
            Payload::Complex(re, im) => Of::Complex(*re, *im),
            Payload::Range(r) => Of::Bounds([r.objs[0], r.objs[1], r.objs[2]]),
            &Payload::Slice(a, b, c) => Of::Bounds([a, b, c]),
            _ => Of::Other,
        };
        match of {
            Of::Instance { class, exc_args } => {
                if name == "__dict__" && self.class_has_dict(class) {
                    let d = self.instance_dict(v)?;
                    self.incref(d);
                    return Ok(d);
                }
                if name == "__class__" {
                    self.incref(class);
                    return Ok(class);
                }
                // subtype_getweakref: no weak references exist in the simulator, so the slot is NULL.
                if name == "__weakref__" && self.class_has_weakref(class) {
                    return Ok(self.none());
                }
                if let Some(i) = self.slot_index(class, name) {
                    let slot = match self.payload(v) {
                        Payload::Instance(inst) => inst.slots[i],
                        _ => None,
                    };
                    return match slot {
                        Some(x) => {
                            self.incref(x);
                            Ok(x)
                        }
                        // member_get: AttributeError(name) until 3.10 names the type (bpo-43277).
                        None if self.layout.minor <= 9 => Err(self.err("AttributeError", name)),
                        None => Err(self.attr_error(v, name)),
                    };
                }
                if let Some(x) = self.instance_lookup(v, name) {
                    self.incref(x);
                    return Ok(x);
                }
                if name == "args" {
                    if let Some(a) = exc_args {
                        self.incref(a);
                        return Ok(a);
                    }
                }
                if let Some(x) = self.class_lookup(class, name) {
                    if self.ty(x) == Ty::Function {
                        self.incref(x);
                        self.incref(v);
                        let size = self.layout.gc_head() + self.layout.method();
                        let addr = self.kept_alloc(Kept::Method, size, true)?;
                        return Ok(self.insert_obj(
                            Ty::Method,
                            Payload::Method { func: x, self_: v },
                            size,
                            addr,
                        ));
                    }
                    self.incref(x);
                    return Ok(x);
                }
                if name == "__sizeof__" {
                    return self.bound_builtin("object.__sizeof__", v);
                }
                if let Some(ga) = self.class_lookup(class, "__getattr__") {
                    let n = self.new_str(name)?;
                    return self.call_method_value(ga, v, vec![n]);
                }
                Err(self.attr_error(v, name))
            }
            Of::Class => {
                let Payload::Class(c) = self.payload(v) else {
                    unreachable!(/* a class */)
                };
                let held = match name {
                    "__name__" | "__qualname__" => {
                        let n = if name == "__name__" {
                            &c.name
                        } else {
                            &c.qualname
                        }
                        .clone();
                        return self.new_str(&n);
                    }
                    "__dict__" => Some(c.dict),
                    // type_getsets: the tuples and the solid base type_new stored.
                    "__mro__" => c.mro_tuple,
                    "__bases__" => c.bases_tuple,
                    "__base__" => c.base,
                    _ => None,
                };
                if let Some(r) = held {
                    self.incref(r);
                    return Ok(r);
                }
                match self.class_lookup(v, name) {
                    Some(x) => {
                        self.incref(x);
                        Ok(x)
                    }
                    None => Err(self.attr_error(v, name)),
                }
            }
            Of::Module(dict) => match self.dict_get_str(dict, name) {
                Some(x) => {
                    self.incref(x);
                    Ok(x)
                }
                None => Err(self.attr_error(v, name)),
            },
            Of::Exception { class, args, dict } => match name {
                "args" => {
                    self.incref(args);
                    Ok(args)
                }
                // StopIteration.value: its first argument, or None (`StopIteration_init`).
                "value" if class == self.builtins["StopIteration"] => {
                    let v = match self.payload(args) {
                        Payload::Tuple(items) => items.first().copied(),
                        _ => None,
                    }
                    .unwrap_or(self.none);
                    self.incref(v);
                    Ok(v)
                }
                "code" if class == self.builtins["SystemExit"] => {
                    let v = self.system_exit_code(v);
                    self.incref(v);
                    Ok(v)
                }
                "__class__" => {
                    self.incref(class);
                    Ok(class)
                }
                _ => match dict.and_then(|d| self.dict_get_str(d, name)) {
                    Some(x) => {
                        self.incref(x);
                        Ok(x)
                    }
                    None => Err(self.attr_error(v, name)),
                },
            },
            Of::BuiltinType(ty, tname) => {
                if name == "__name__" {
                    return self.new_str(tname);
                }
                if ty == Ty::Dict && name == "fromkeys" {
                    return self.bound_builtin("dict.fromkeys", v);
                }
                Err(self.attr_error(v, name))
            }
            Of::Function => {
                let n = match (self.payload(v), name) {
                    (Payload::Function(f), "__name__") => f.name.clone(),
                    (Payload::Function(f), "__qualname__") => f.qualname.clone(),
                    _ => return Err(self.attr_error(v, name)),
                };
                self.new_str(&n)
            }
            Of::Complex(re, im) if name == "real" || name == "imag" => {
                self.new_float(if name == "real" { re } else { im })
            }
            Of::Bounds(objs) if matches!(name, "start" | "stop" | "step") => {
                let o = objs[["start", "stop", "step"]
                    .iter()
                    .position(|&n| n == name)
                    .unwrap_or(0)];
                self.incref(o);
                Ok(o)
            }
            _ => {
                if name == "__class__" {
                    let t = self.type_of(v);
                    self.incref(t);
                    return Ok(t);
                }
                match method_name(self.ty(v), name) {
                    Some(full) => self.bound_builtin(full, v),
                    None => Err(self.attr_error(v, name)),
                }
            }
        }
    }

    fn class_has_dict(&self, cls: ObjId) -> bool {
        matches!(self.payload(cls), Payload::Class(c) if c.has_dict)
    }

    fn class_has_weakref(&self, cls: ObjId) -> bool {
        matches!(self.payload(cls), Payload::Class(c) if c.has_weakref)
    }

    /// The instance slot of `name` for class `cls`, and how many slots its instances have: `type_new`
    /// lays a class's own `__slots__` after its base's, so the slots of the MRO's far end come first, and
    /// a name declared again further down is that class's slot.
    pub fn slot_layout(&self, cls: ObjId, name: &str) -> (Option<usize>, usize) {
        let Payload::Class(c) = self.payload(cls) else {
            return (None, 0);
        };
        let (mut found, mut count) = (None, 0);
        for &k in c.mro.iter().rev() {
            if let Payload::Class(kc) = self.payload(k) {
                for n in kc.slots.iter().flatten() {
                    if n != "__dict__" && n != "__weakref__" {
                        if n == name {
                            found = Some(count);
                        }
                        count += 1;
                    }
                }
            }
        }
        (found, count)
    }

    fn slot_index(&self, cls: ObjId, name: &str) -> Option<usize> {
        self.slot_layout(cls, name).0
    }

    /// Whether the instance itself (dict, managed values or a slot) holds `name`.
    pub fn instance_attr(&self, v: ObjId, name: &str) -> bool {
        self.instance_lookup(v, name).is_some()
    }

    /// An attribute stored on the instance itself (dict or managed values).
    fn instance_lookup(&self, v: ObjId, name: &str) -> Option<ObjId> {
        let Payload::Instance(inst) = self.payload(v) else {
            return None;
        };
        if let Some(d) = inst.dict {
            return self.dict_get_str(d, name);
        }
        inst.values.iter().find(|(n, _)| n == name).map(|(_, x)| *x)
    }

    /// The class's shared keys, created with the class as `type_new` does for classes with a `__dict__`
    /// (≤3.10: an 8-slot table, 5 usable; 3.11+: `SHARED_KEYS_MAX_SIZE` 30 usable), read as the counters
    /// a store needs and where `name` is among them (None: the class shares no keys).
    fn shared_keys(&mut self, cls: ObjId, name: &str) -> Option<SharedInfo> {
        let minor = self.layout.minor;
        let Payload::Class(c) = &mut self.objs.get_mut(cls).payload else {
            return None;
        };
        if c.shared.is_none() && !c.shared_disabled {
            let (log2, usable) = if minor >= 11 { (6, 30) } else { (3, 5) };
            c.shared = Some(SharedKeys {
                names: Vec::new(),
                log2,
                usable,
                sharers: 0,
            });
        }
        c.shared.as_ref().map(|sk| SharedInfo {
            log2: sk.log2,
            usable: sk.usable,
            sharers: sk.sharers,
            len: sk.names.len(),
            pos: sk.names.iter().position(|n| n == name),
        })
    }

    pub fn init_shared_keys(&mut self, cls: ObjId) {
        let _ = self.shared_keys(cls, "");
    }

    /// `obj.__dict__`: ≤3.10 the instance's dict (made on first use, split if the class shares keys);
    /// 3.11+ a dict materialised from the managed values, sharing the class's keys.
    fn instance_dict(&mut self, v: ObjId) -> R<ObjId> {
        let (cls, dict, values) = match self.payload(v) {
            Payload::Instance(i) => (i.class, i.dict, i.values.clone()),
            _ => unreachable!(/* an instance */),
        };
        if let Some(d) = dict {
            return Ok(d);
        }
        let sk = self.shared_keys(cls, "");
        let d = match sk {
            Some(sk) => {
                let mut t = Dict::empty();
                t.split = Some(cls);
                t.log2 = sk.log2;
                t.usable = i64::MAX / 2;
                let id = self.new_dict_with(t)?;
                if let Payload::Class(c) = &mut self.objs.get_mut(cls).payload {
                    if let Some(s) = c.shared.as_mut() {
                        s.sharers += 1;
                    }
                }
                id
            }
            None => self.new_dict()?,
        };
        for (n, x) in values {
            let k = self.new_str(&n)?;
            let key = Key::Str(n);
            let h = self.hash_of(k);
            if let Payload::Dict(t) = &mut self.objs.get_mut(d).payload {
                t.insert_split(crate::object::dict::Entry {
                    k: key,
                    key: k,
                    value: x,
                    hash: h,
                });
            }
            self.dict_maintain_tracking(d, k, x);
        }
        if let Payload::Instance(i) = &mut self.objs.get_mut(v).payload {
            i.values.clear();
            i.managed = false;
            i.dict = Some(d);
        }
        Ok(d)
    }

    /// `PyObject_SetAttr` (steals `x`).
    pub fn set_attr(&mut self, v: ObjId, name: &str, x: ObjId) -> R<()> {
        enum Of {
            Instance { class: ObjId, managed: bool },
            Dict(ObjId),
            Exception(Option<ObjId>),
            Other,
        }
        let of = match self.payload(v) {
            Payload::Instance(i) => Of::Instance {
                class: i.class,
                managed: i.managed,
            },
            Payload::Class(c) => Of::Dict(c.dict),
            Payload::Exception(e) => Of::Exception(e.dict),
            _ => Of::Other,
        };
        match of {
            Of::Instance { class, managed } => {
                if let Some(i) = self.slot_index(class, name) {
                    let old = match &mut self.objs.get_mut(v).payload {
                        Payload::Instance(ii) => ii.slots[i].replace(x),
                        _ => None,
                    };
                    if let Some(o) = old {
                        self.decref(o);
                    }
                    return Ok(());
                }
                if !self.class_has_dict(class) {
                    self.decref(x);
                    return Err(self.no_attr_to_set(v, name));
                }
                if self.layout.minor >= 11 && managed {
                    return self.managed_store(v, class, name, x);
                }
                let d = self.instance_dict(v)?;
                self.instance_dict_store(d, class, name, x)
            }
            Of::Dict(d) => self.dict_set_str(d, name, x),
            Of::Exception(dict) => {
                let d = match dict {
                    Some(d) => d,
                    None => {
                        let d = self.new_dict()?;
                        if let Payload::Exception(ee) = &mut self.objs.get_mut(v).payload {
                            ee.dict = Some(d);
                        }
                        d
                    }
                };
                self.dict_set_str(d, name, x)
            }
            _ => {
                self.decref(x);
                Err(self.no_attr_to_set(v, name))
            }
        }
    }

    /// `PyObject_GenericSetAttr` on an object without a `__dict__` and no descriptor for `name`: from
    /// 3.13 the message says why the attribute cannot be added (measured on 3.13.0-3.15.2).
    fn no_attr_to_set(&mut self, v: ObjId, name: &str) -> Flow {
        let t = self.type_name(v);
        let msg = if self.layout.minor >= 13 {
            format!(
                "'{t}' object has no attribute '{name}' and no __dict__ for setting new attributes"
            )
        } else {
            format!("'{t}' object has no attribute '{name}'")
        };
        self.err("AttributeError", &msg)
    }

    /// 3.11+ managed values: a known name is stored in place; a new name takes a unit of the shared keys'
    /// usable space; with none left the instance falls back to a combined dict.
    fn managed_store(&mut self, v: ObjId, cls: ObjId, name: &str, x: ObjId) -> R<()> {
        let sk = self.shared_keys(cls, name).expect("a class with __dict__");
        let known = sk.pos.is_some();
        if !known && sk.usable <= 0 {
            // No room: the instance gets a real dict (its values copied), then the store goes there.
            if let Payload::Class(c) = &mut self.objs.get_mut(cls).payload {
                let _ = c;
            }
            let values = match &mut self.objs.get_mut(v).payload {
                Payload::Instance(i) => {
                    i.managed = false;
                    std::mem::take(&mut i.values)
                }
                _ => Vec::new(),
            };
            let d = self.new_dict()?;
            for (n, val) in values {
                self.dict_set_str(d, &n, val)?;
            }
            if let Payload::Instance(i) = &mut self.objs.get_mut(v).payload {
                i.dict = Some(d);
            }
            return self.dict_set_str(d, name, x);
        }
        if !known {
            if let Payload::Class(c) = &mut self.objs.get_mut(cls).payload {
                if let Some(s) = c.shared.as_mut() {
                    s.names.push(name.to_string());
                    s.usable -= 1;
                }
            }
        }
        let old = match &mut self.objs.get_mut(v).payload {
            Payload::Instance(i) => match i.values.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => Some(std::mem::replace(&mut slot.1, x)),
                None => {
                    i.values.push((name.to_string(), x));
                    None
                }
            },
            _ => None,
        };
        if let Some(o) = old {
            self.decref(o);
        }
        Ok(())
    }

    /// A store into an instance dict. Split dicts (PEP 412) keep sharing while attributes arrive in the
    /// class's key order and the shared table has room; otherwise the dict becomes a combined one and, if it
    /// was the only dict sharing the keys, its new table becomes the class's shared keys (≤3.10
    /// `_PyObjectDict_SetItem`); 3.11+ split dicts grow the class keys until they are full.
    fn instance_dict_store(&mut self, d: ObjId, cls: ObjId, name: &str, x: ObjId) -> R<()> {
        let split = matches!(self.payload(d), Payload::Dict(t) if t.split.is_some());
        if !split {
            return self.dict_set_str(d, name, x);
        }
        let minor = self.layout.minor;
        // ≤3.10: when the class has stopped sharing keys (CACHED_KEYS cleared by another instance), its
        // older split dicts keep the old keys, and PyDict_SetItem's insertdict turns one combined at a
        // key out of their order: the conversion below, with no class keys to hand back.
        let sk = self.shared_keys(cls, name).unwrap_or(SharedInfo {
            log2: 0,
            usable: 0,
            sharers: 2,
            len: usize::MAX,
            pos: None,
        });
        let (used, has) = match self.payload(d) {
            Payload::Dict(t) => (t.len(), t.get_str(name).is_some()),
            _ => unreachable!(/* a dict */),
        };
        if has {
            return self.dict_set_str(d, name, x);
        }
        let pos = sk.pos;
        let in_order = match pos {
            Some(i) => i == used,
            None => used == sk.len,
        };
        let room = pos.is_some() || sk.usable > 0;
        if in_order && room {
            if pos.is_none() {
                if let Payload::Class(c) = &mut self.objs.get_mut(cls).payload {
                    if let Some(s) = c.shared.as_mut() {
                        s.names.push(name.to_string());
                        s.usable -= 1;
                    }
                }
            }
            let k = self.new_str(name)?;
            let h = self.hash_of(k);
            if let Payload::Dict(t) = &mut self.objs.get_mut(d).payload {
                t.insert_split(crate::object::dict::Entry {
                    k: Key::Str(name.to_string()),
                    key: k,
                    value: x,
                    hash: h,
                });
            }
            self.dict_maintain_tracking(d, k, x);
            return Ok(());
        }
        // Convert to a combined table sized by insertion_resize (GROWTH_RATE = used * 3).
        let was_only = sk.sharers <= 1;
        let new_log2 = log2_keysize(used as u64 * 3, self.layout.keysize_quirk());
        let keys_addr = self.alloc_keys(new_log2, false)?;
        if let Payload::Dict(t) = &mut self.objs.get_mut(d).payload {
            t.split = None;
            t.resize(
                new_log2,
                minor >= 11 && t.iter().all(|e| matches!(e.k, Key::Str(_))),
            );
            t.keys_addr = Some(keys_addr);
        }
        if let Payload::Class(c) = &mut self.objs.get_mut(cls).payload {
            if let Some(s) = c.shared.as_mut() {
                s.sharers = s.sharers.saturating_sub(1);
            }
            if minor < 11 {
                // ≤3.10: CACHED_KEYS is replaced by this dict's keys only when no other dict shared them.
                if !was_only {
                    c.shared = None;
                    c.shared_disabled = true;
                }
            }
        }
        self.dict_set_str(d, name, x)?;
        if minor < 11 && was_only {
            // make_keys_shared(dict): the combined table becomes the class's new shared keys, and this
            // dict is split again over them.
            let (names, log2, usable) = match self.payload(d) {
                Payload::Dict(t) => (
                    t.iter()
                        .filter_map(|e| {
                            if let Key::Str(s) = &e.k {
                                Some(s.clone())
                            } else {
                                None
                            }
                        })
                        .collect::<Vec<_>>(),
                    t.log2,
                    t.usable,
                ),
                _ => unreachable!(/* a dict */),
            };
            if let Payload::Class(c) = &mut self.objs.get_mut(cls).payload {
                c.shared = Some(SharedKeys {
                    names,
                    log2,
                    usable,
                    sharers: 1,
                });
            }
            let addr = match &mut self.objs.get_mut(d).payload {
                Payload::Dict(t) => {
                    t.split = Some(cls);
                    t.keys_addr.take()
                }
                _ => None,
            };
            if let Some(a) = addr {
                self.mfree(a);
            }
        }
        Ok(())
    }

    pub fn del_attr(&mut self, v: ObjId, name: &str) -> R<()> {
        let of = match self.payload(v) {
            Payload::Instance(i) => Some((Some(i.class), i.dict)),
            Payload::Class(c) => Some((None, Some(c.dict))),
            _ => None,
        };
        let removed = match of {
            Some((Some(class), dict)) => {
                if let Some(i) = self.slot_index(class, name) {
                    let old = match &mut self.objs.get_mut(v).payload {
                        Payload::Instance(ii) => ii.slots[i].take(),
                        _ => None,
                    };
                    // member_set deleting an empty slot: AttributeError(name), in every version.
                    if old.is_none() {
                        return Err(self.err("AttributeError", name));
                    }
                    old
                } else if let Some(d) = dict {
                    if self.dict_del_str(d, name) {
                        return Ok(());
                    }
                    None
                } else {
                    match &mut self.objs.get_mut(v).payload {
                        Payload::Instance(ii) => ii
                            .values
                            .iter()
                            .position(|(n, _)| n == name)
                            .map(|p| ii.values.remove(p).1),
                        _ => None,
                    }
                }
            }
            Some((None, Some(d))) => {
                if self.dict_del_str(d, name) {
                    return Ok(());
                }
                None
            }
            _ => None,
        };
        match removed {
            Some(o) => {
                self.decref(o);
                Ok(())
            }
            None => Err(self.attr_error(v, name)),
        }
    }

    // ------------------------------------------------------------------ items

    fn index_of(&mut self, k: ObjId, len: usize, what: &str) -> R<usize> {
        let i = match self.payload(k) {
            Payload::Int(Int::Small(i)) => *i,
            Payload::Bool(b) => *b as i64,
            Payload::Int(Int::Big(_)) => i64::MAX,
            _ => {
                let t = self.type_name(k);
                // unicode_subscript: no "or slices"; the type named from 3.11, quoted.
                let msg = match what {
                    "string" if self.layout.minor <= 10 => "string indices must be integers".into(),
                    "string" => format!("string indices must be integers, not '{t}'"),
                    _ => format!("{what} indices must be integers or slices, not {t}"),
                };
                return Err(self.type_error(msg));
            }
        };
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            // bytes_subscript says only "index out of range".
            let msg = match what {
                "byte" => "index out of range".to_string(),
                _ => format!("{what} index out of range"),
            };
            return Err(self.err("IndexError", &msg));
        }
        Ok(j as usize)
    }

    /// `range[slice]` (`compute_slice`): the slice's indices over the range's length
    /// (`_PySlice_GetLongIndices`), mapped through the range: a new range of new ints.
    fn range_slice(&mut self, r: ObjId, s: ObjId) -> R<ObjId> {
        let Payload::Range(d) = self.payload(r) else {
            unreachable!(/* a range */)
        };
        let (rstart, rstep, len) = (d.start.clone(), d.step.clone(), d.len.clone());
        let &Payload::Slice(a, b, c) = self.payload(s) else {
            unreachable!(/* a slice */)
        };
        let get = |vm: &mut Vm, x: ObjId| -> R<Option<BigInt>> {
            match vm.payload(x) {
                Payload::None => Ok(None),
                Payload::Int(i) => Ok(Some(i.to_big())),
                &Payload::Bool(v) => Ok(Some(BigInt::from(v as i64))),
                _ => Err(vm.type_error(
                    "slice indices must be integers or None or have an __index__ method".into(),
                )),
            }
        };
        let (sa, sb, sc) = (get(self, a)?, get(self, b)?, get(self, c)?);
        let step = sc.unwrap_or_else(|| BigInt::from(1));
        if step.is_zero() {
            return Err(self.err("ValueError", "slice step cannot be zero"));
        }
        let neg = step.is_negative();
        let (lower, upper) = if neg {
            (BigInt::from(-1), &len - 1)
        } else {
            (BigInt::zero(), len.clone())
        };
        let clamp = |v: Option<BigInt>, dflt: &BigInt| -> BigInt {
            match v {
                None => dflt.clone(),
                Some(v) if v.is_negative() => (v + &len).max(lower.clone()),
                Some(v) => v.min(upper.clone()),
            }
        };
        let (start, stop) = if neg {
            (clamp(sa, &upper), clamp(sb, &lower))
        } else {
            (clamp(sa, &lower), clamp(sb, &upper))
        };
        let (nstart, nstop, nstep) = (
            &rstart + start * &rstep,
            &rstart + stop * &rstep,
            rstep * step,
        );
        let nlen = range_length(&nstart, &nstop, &nstep);
        let mut objs = [0; 4];
        for (slot, v) in objs.iter_mut().zip([&nstart, &nstop, &nstep, &nlen]) {
            match self.new_int(Int::from_big(v.clone())) {
                Ok(o) => *slot = o,
                Err(e) => {
                    let made: Vec<ObjId> = objs.iter().copied().filter(|&o| o != 0).collect();
                    self.decref_all(&made);
                    return Err(e);
                }
            }
        }
        self.new_range(nstart, nstop, nstep, nlen, objs)
    }

    /// `PySlice_GetIndicesEx`: start, stop, step and the selected positions.
    fn slice_indices(&mut self, s: ObjId, len: usize) -> R<Vec<usize>> {
        let &Payload::Slice(a, b, c) = self.payload(s) else {
            unreachable!(/* a slice */)
        };
        let get = |vm: &Vm, x: ObjId| -> Option<i64> {
            match vm.payload(x) {
                Payload::None => None,
                Payload::Int(Int::Small(v)) => Some(*v),
                Payload::Bool(v) => Some(*v as i64),
                Payload::Int(Int::Big(v)) => Some(if v.is_negative() {
                    i64::MIN / 2
                } else {
                    i64::MAX / 2
                }),
                _ => None,
            }
        };
        let step = get(self, c).unwrap_or(1);
        if step == 0 {
            return Err(self.err("ValueError", "slice step cannot be zero"));
        }
        let n = len as i64;
        let clamp = |v: Option<i64>, dflt: i64, lo: i64, hi: i64| -> i64 {
            match v {
                None => dflt,
                Some(v) => {
                    let v = if v < 0 { v + n } else { v };
                    v.clamp(lo, hi)
                }
            }
        };
        let (start, stop) = if step > 0 {
            (clamp(get(self, a), 0, 0, n), clamp(get(self, b), n, 0, n))
        } else {
            (
                clamp(get(self, a), n - 1, -1, n - 1),
                clamp(get(self, b), -1, -1, n - 1),
            )
        };
        let mut out = Vec::new();
        let mut i = start;
        while (step > 0 && i < stop) || (step < 0 && i > stop) {
            out.push(i as usize);
            i += step;
        }
        Ok(out)
    }

    pub fn get_item(&mut self, v: ObjId, k: ObjId) -> R<ObjId> {
        let is_slice = self.ty(k) == Ty::Slice;
        // Fast path: an integer index into a list or tuple, without copying the items.
        if !is_slice {
            if let (
                Payload::List { items, .. } | Payload::Tuple(items),
                Payload::Int(Int::Small(i)),
            ) = (self.payload(v), self.payload(k))
            {
                let n = items.len() as i64;
                let j = if *i < 0 { *i + n } else { *i };
                if (0..n).contains(&j) {
                    let x = items[j as usize];
                    self.incref(x);
                    return Ok(x);
                }
            }
        }
        // Only the length is read before the index is checked (which may raise); the items are read
        // after, so the container is never copied.
        let ty = self.ty(v);
        let len = match self.payload(v) {
            Payload::List { items, .. } | Payload::Tuple(items) => items.len(),
            Payload::Str { s, .. } => s.chars().count(),
            Payload::Bytes(b) | Payload::ByteArray { data: b, .. } => b.len(),
            _ => 0,
        };
        match ty {
            Ty::List | Ty::Tuple => {
                let is_list = ty == Ty::List;
                if is_slice {
                    let idx = self.slice_indices(k, len)?;
                    let all = self.items_of(v);
                    let sel: Vec<ObjId> = idx.iter().map(|&i| all[i]).collect();
                    for &i in &sel {
                        self.incref(i);
                    }
                    // list_subscript / list_slice: exactly sized.
                    return if is_list {
                        self.new_list_exact(sel)
                    } else {
                        self.new_tuple(sel)
                    };
                }
                let i = self.index_of(k, len, if is_list { "list" } else { "tuple" })?;
                let x = self.items_of(v)[i];
                self.incref(x);
                Ok(x)
            }
            Ty::Str => {
                let picked: R<Vec<usize>> = if is_slice {
                    self.slice_indices(k, len)
                } else {
                    self.index_of(k, len, "string").map(|i| vec![i])
                };
                let picked = picked?;
                let Payload::Str { s, .. } = self.payload(v) else {
                    unreachable!(/* a str */)
                };
                let chars: Vec<char> = s.chars().collect();
                let r: String = picked.iter().map(|&i| chars[i]).collect();
                self.new_str(&r)
            }
            Ty::Bytes | Ty::ByteArray => {
                if is_slice {
                    let idx = self.slice_indices(k, len)?;
                    let all = self.byte_data(v);
                    let r: Vec<u8> = idx.iter().map(|&i| all[i]).collect();
                    // bytearray_subscript: a new bytearray of the slice.
                    return if ty == Ty::ByteArray {
                        self.new_bytearray(r)
                    } else {
                        self.new_bytes(&r)
                    };
                }
                let what = if ty == Ty::Bytes { "byte" } else { "bytearray" };
                let i = self.index_of(k, len, what)?;
                let b = self.byte_data(v)[i];
                self.new_i64(b as i64)
            }
            Ty::Range if is_slice => self.range_slice(v, k),
            Ty::Range => {
                let Payload::Range(r) = self.payload(v) else {
                    unreachable!(/* a range */)
                };
                let (start, step) = (r.start.clone(), r.step.clone());
                let len = self.range_len(v).to_usize().unwrap_or(usize::MAX);
                let i = self.index_of(k, len, "range object")?;
                self.new_int(Int::from_big(start + step * BigInt::from(i)))
            }
            Ty::Dict => {
                let found = self.dict_lookup(v, k)?;
                match found {
                    Some(x) => {
                        self.incref(x);
                        Ok(x)
                    }
                    None => Err(self.key_error(k)),
                }
            }
            Ty::Instance => {
                let cls = self.type_of(v);
                if let Some(m) = self.class_lookup(cls, "__getitem__") {
                    self.incref(k);
                    return self.call_method_value(m, v, vec![k]);
                }
                let t = self.type_name(v);
                Err(self.type_error(format!("'{t}' object is not subscriptable")))
            }
            _ => {
                let t = self.type_name(v);
                Err(self.type_error(format!("'{t}' object is not subscriptable")))
            }
        }
    }

    /// `obj[k] = x` (steals `x`).
    pub fn set_item(&mut self, v: ObjId, k: ObjId, x: ObjId) -> R<()> {
        match self.ty(v) {
            Ty::List => {
                if self.ty(k) == Ty::Slice {
                    let new_items = self.collect_iter(x);
                    self.decref(x);
                    let new_items = new_items?;
                    let len = self.items_of(v).len();
                    let idx = self.slice_indices(k, len)?;
                    let step1 = matches!(self.payload(k), Payload::Slice(_, _, c) if self.payload(*c).clone_is_none_or_one());
                    if !step1 {
                        if idx.len() != new_items.len() {
                            let m = format!("attempt to assign sequence of size {} to extended slice of size {}", new_items.len(), idx.len());
                            self.decref_all(&new_items);
                            return Err(self.err("ValueError", &m));
                        }
                        let mut old = Vec::new();
                        if let Payload::List { items, .. } = &mut self.objs.get_mut(v).payload {
                            for (&i, &n) in idx.iter().zip(new_items.iter()) {
                                old.push(std::mem::replace(&mut items[i], n));
                            }
                        }
                        self.decref_all(&old);
                        return Ok(());
                    }
                    // list_ass_slice: resize to the new length, then splice.
                    let (lo, hi) = match (idx.first(), idx.last()) {
                        (Some(&a), Some(&b)) => (a, b + 1),
                        _ => {
                            let &Payload::Slice(a, _, _) = self.payload(k) else {
                                unreachable!()
                            };
                            let start = match self.payload(a) {
                                Payload::Int(Int::Small(s)) => {
                                    let s = if *s < 0 { *s + len as i64 } else { *s };
                                    s.clamp(0, len as i64) as usize
                                }
                                _ => 0,
                            };
                            (start, start)
                        }
                    };
                    // A list left empty is cleared (`_list_clear`: the buffer freed), in every version.
                    let newlen = (len - (hi - lo) + new_items.len()) as u64;
                    if newlen != len as u64 && newlen != 0 {
                        self.list_resize(v, newlen)?;
                    }
                    let removed: Vec<ObjId> = match &mut self.objs.get_mut(v).payload {
                        Payload::List { items, .. } => items.splice(lo..hi, new_items).collect(),
                        _ => Vec::new(),
                    };
                    if newlen == 0 {
                        self.list_free_buffer(v);
                    }
                    // The replaced items are released last to first.
                    for &o in removed.iter().rev() {
                        self.decref(o);
                    }
                    return Ok(());
                }
                let len = self.items_of(v).len();
                let i = match self.index_of(k, len, "list assignment") {
                    Ok(i) => i,
                    Err(e) => {
                        self.decref(x);
                        return Err(e);
                    }
                };
                let old = match &mut self.objs.get_mut(v).payload {
                    Payload::List { items, .. } => std::mem::replace(&mut items[i], x),
                    _ => unreachable!(/* a list */),
                };
                self.decref(old);
                Ok(())
            }
            Ty::Dict => self.dict_set(v, k, x),
            Ty::ByteArray => {
                let b = match self.payload(x) {
                    Payload::Int(Int::Small(b)) if (0..256).contains(b) => *b as u8,
                    _ => {
                        self.decref(x);
                        return Err(self.err("ValueError", "byte must be in range(0, 256)"));
                    }
                };
                self.decref(x);
                let len = match self.payload(v) {
                    Payload::ByteArray { data, .. } => data.len(),
                    _ => 0,
                };
                let i = self.index_of(k, len, "bytearray")?;
                if let Payload::ByteArray { data, .. } = &mut self.objs.get_mut(v).payload {
                    data[i] = b;
                }
                Ok(())
            }
            Ty::Instance => {
                let cls = self.type_of(v);
                if let Some(m) = self.class_lookup(cls, "__setitem__") {
                    self.incref(k);
                    let r = self.call_method_value(m, v, vec![k, x])?;
                    self.decref(r);
                    return Ok(());
                }
                self.decref(x);
                let t = self.type_name(v);
                Err(self.type_error(format!("'{t}' object does not support item assignment")))
            }
            _ => {
                self.decref(x);
                let t = self.type_name(v);
                Err(self.type_error(format!("'{t}' object does not support item assignment")))
            }
        }
    }

    pub fn del_item(&mut self, v: ObjId, k: ObjId) -> R<()> {
        match self.ty(v) {
            Ty::List => {
                let len = self.items_of(v).len();
                let idx = if self.ty(k) == Ty::Slice {
                    self.slice_indices(k, len)?
                } else {
                    vec![self.index_of(k, len, "list assignment")?]
                };
                let mut removed = Vec::new();
                let mut sorted = idx.clone();
                crate::util::sort(&mut sorted);
                if let Payload::List { items, .. } = &mut self.objs.get_mut(v).payload {
                    for &i in sorted.iter().rev() {
                        removed.push(items.remove(i));
                    }
                }
                let n = len - removed.len();
                if self.ty(k) == Ty::Slice && n == 0 {
                    // del l[:] → list_clear: ob_item freed.
                    self.list_free_buffer(v);
                } else {
                    let how = if self.ty(k) == Ty::Slice {
                        super::methods::Removal::Slice
                    } else {
                        super::methods::Removal::DelItem
                    };
                    self.list_shrink_after_removal(v, how)?;
                }
                self.decref_all(&removed);
                Ok(())
            }
            Ty::Dict => {
                let key = self.key_for(k, false)?;
                let e = match &mut self.objs.get_mut(v).payload {
                    Payload::Dict(d) => d.delete(&key),
                    _ => None,
                };
                match e {
                    Some(e) => {
                        self.decref(e.key);
                        self.decref(e.value);
                        Ok(())
                    }
                    None => Err(self.key_error(k)),
                }
            }
            _ => {
                let t = self.type_name(v);
                Err(self.type_error(format!("'{t}' object doesn't support item deletion")))
            }
        }
    }

    pub fn list_free_buffer(&mut self, l: ObjId) {
        let buf = match &mut self.objs.get_mut(l).payload {
            Payload::List { allocated, buf, .. } => {
                *allocated = 0;
                buf.take()
            }
            _ => None,
        };
        if let Some(b) = buf {
            self.mfree(b);
        }
    }

    // ------------------------------------------------------------------ sys.getsizeof

    /// What `sys.getsizeof(v)` returns: `__sizeof__` plus the header term of the version (sizes.md §1).
    pub fn getsizeof(&mut self, v: ObjId) -> R<u64> {
        let l = self.layout;
        let p = l.p;
        let gc = l.gc_head();
        let o = self.objs.get(v);
        let base = match &o.payload {
            Payload::None | Payload::NotImplemented | Payload::Ellipsis | Payload::Object => {
                l.object()
            }
            Payload::Bool(b) => l.int_size(*b as u64),
            Payload::Int(i) => l.int_size(i.ndigits()),
            Payload::Float(_) => l.float(),
            Payload::Complex(..) => l.complex(),
            Payload::Str { s, utf8_cached, .. } => l.str_size(s, *utf8_cached),
            Payload::Bytes(b) => l.bytes_size(b.len() as u64),
            Payload::ByteArray { alloc, .. } => {
                // 3.15: the capacity is a bytes object, counted with its header.
                l.bytearray_basic()
                    + if l.minor >= 15 && *alloc > 0 {
                        l.bytes_size(*alloc)
                    } else {
                        *alloc
                    }
            }
            Payload::List { allocated, .. } => gc + l.list_basic() + allocated * p,
            Payload::Tuple(items) => gc + l.tuple_basic() + items.len() as u64 * p,
            Payload::Dict(d) => {
                let mut n = gc + l.dict_basic();
                if let Some(cls) = d.split {
                    let sk = match self.payload(cls) {
                        Payload::Class(c) => c.shared.clone(),
                        _ => None,
                    };
                    if let Some(sk) = sk {
                        n += if l.minor >= 11 {
                            (sk.names.len() as u64 + sk.usable.max(0) as u64) * p
                        } else {
                            usable_fraction(1 << sk.log2) * p
                        };
                    }
                } else {
                    n += d.keys_size(&l);
                }
                n
            }
            Payload::Set(s) => gc + l.set_basic() + s.table_bytes(p),
            Payload::Range { .. } => l.range(),
            Payload::Slice(..) => gc + l.slice(),
            Payload::Function(_) => gc + l.function(),
            Payload::Method { .. } => gc + l.method(),
            Payload::Cell(_) => gc + l.cell(),
            Payload::Descr { .. } => gc + l.descr(),
            Payload::Module { .. } => gc + l.object() + 5 * p,
            Payload::Builtin { .. } => o.alloc.max(l.object() + 4 * p),
            Payload::BuiltinType { .. } => l.static_type_size(),
            Payload::Class(_) => l.heap_type_size(),
            Payload::Instance(inst) => {
                let (basic, cgc, has_dict) = match self.payload(inst.class) {
                    Payload::Class(c) => (c.basicsize, c.gc, c.has_dict && c.exc_base.is_none()),
                    _ => (l.object(), false, false),
                };
                let pre = if has_dict { l.managed_preheader() } else { 0 };
                let pre = if l.minor >= 12 || has_dict { pre } else { 0 };
                basic + if cgc { gc } else { 0 } + pre
            }
            Payload::Exception(_) => gc + l.exception(),
            Payload::Iter(_) | Payload::View(_) | Payload::Generator { .. } => {
                let a = o.alloc;
                if a > 0 {
                    a
                } else {
                    l.seq_iter()
                }
            }
        };
        Ok(base)
    }

    /// `obj.__sizeof__()`: what `sys.getsizeof` reports without the GC head and pre-header that
    /// `_PySys_GetSizeOf` adds for GC objects.
    pub fn sizeof_method(&mut self, v: ObjId) -> R<u64> {
        let total = self.getsizeof(v)?;
        let l = self.layout;
        let gc = if self.objs.get(v).has_gc {
            l.gc_head()
        } else {
            0
        };
        let pre = match self.payload(v) {
            Payload::Instance(i) => match self.payload(i.class) {
                Payload::Class(c) if c.has_dict && c.exc_base.is_none() => l.managed_preheader(),
                _ => 0,
            },
            _ => 0,
        };
        Ok(total - gc - pre)
    }

    // ------------------------------------------------------------------ builtin calls

    /// The argument-count check of builtin functions and methods, with CPython's wording: `name()` for
    /// exact counts, the bare short name for ranges.
    pub fn arity(&mut self, name: &str, args: &[ObjId], lo: usize, hi: usize) -> R<()> {
        if args.len() >= lo && args.len() <= hi {
            return Ok(());
        }
        let short = name.rsplit('.').next().unwrap_or(name);
        let n = args.len();
        let plural = |k: usize| if k == 1 { "" } else { "s" };
        let msg = match (lo == hi, lo) {
            (true, 0) => format!("{name}() takes no arguments ({n} given)"),
            (true, 1) => format!("{name}() takes exactly one argument ({n} given)"),
            (true, _) => format!("{short} expected {lo} arguments, got {n}"),
            _ if n < lo => format!(
                "{short} expected at least {lo} argument{}, got {n}",
                plural(lo)
            ),
            _ => format!(
                "{short} expected at most {hi} argument{}, got {n}",
                plural(hi)
            ),
        };
        Err(self.type_error(msg))
    }

    /// `builtin_sum_impl` after its start value `result` (owned): exact ints are added in a C long
    /// and exact floats in a double, making no objects, until an item does not fit; from 3.12 the
    /// float sum is compensated (Neumaier). Then `+` item by item.
    fn builtin_sum(&mut self, it: ObjId, mut result: ObjId) -> R<ObjId> {
        // C `long`: 64 bits on x86-64 Linux, 32 on wasm32.
        let long = if self.layout.p == 8 {
            i64::MIN..=i64::MAX
        } else {
            i32::MIN as i64..=i32::MAX as i64
        };
        let small = |vm: &Vm, v: ObjId| match vm.payload(v) {
            Payload::Int(Int::Small(x)) if long.contains(x) => Some(*x),
            &Payload::Bool(b) => Some(b as i64),
            _ => None,
        };
        let mut pending = None;
        if self.ty(result) == Ty::Int {
            if let Some(mut acc) = small(self, result) {
                self.decref(result);
                loop {
                    let Some(item) = self.iter_next(it)? else {
                        return self.new_i64(acc);
                    };
                    if let Some(x) = small(self, item).and_then(|b| acc.checked_add(b)) {
                        if long.contains(&x) {
                            acc = x;
                            self.decref(item);
                            continue;
                        }
                    }
                    // "Restore real objects and process normally": the int so far plus this item.
                    let so_far = self.new_i64(acc)?;
                    let r = self.binary_op(so_far, super::ast::BinOp::Add, item);
                    self.decref(so_far);
                    self.decref(item);
                    result = r?;
                    break;
                }
            }
        }
        if self.ty(result) == Ty::Float {
            let Payload::Float(mut f) = *self.payload(result) else {
                unreachable!(/* a float */)
            };
            let neumaier = self.layout.minor >= 12;
            let mut c = 0.0f64;
            self.decref(result);
            loop {
                let item = self.iter_next(it)?;
                let x = match item.map(|i| (i, self.payload(i))) {
                    Some((_, &Payload::Float(x))) => Some(x),
                    Some((i, _)) => small(self, i).map(|v| v as f64),
                    None => None,
                };
                match (item, x) {
                    (Some(i), Some(x)) => {
                        let t = f + x;
                        if neumaier && self.ty(i) == Ty::Float {
                            c += if f.abs() >= x.abs() {
                                (f - t) + x
                            } else {
                                (x - t) + f
                            };
                        }
                        f = t;
                        self.decref(i);
                    }
                    _ => {
                        // The compensation joins the sum when it is finite (keeping -0.0 and inf).
                        if c != 0.0 && c.is_finite() {
                            f += c;
                        }
                        result = self.new_float(f)?;
                        match item {
                            None => return Ok(result),
                            Some(i) => {
                                pending = Some(i);
                                break;
                            }
                        }
                    }
                }
            }
        }
        loop {
            let item = match pending.take() {
                Some(i) => i,
                None => match self.iter_next(it) {
                    Ok(Some(i)) => i,
                    Ok(None) => return Ok(result),
                    Err(e) => {
                        self.decref(result);
                        return Err(e);
                    }
                },
            };
            let r = self.binary_op(result, super::ast::BinOp::Add, item);
            self.decref(result);
            self.decref(item);
            result = r?;
        }
    }

    /// `KeyError(key)`, raised with the key itself as the argument.
    pub fn key_error(&mut self, k: ObjId) -> Flow {
        self.incref(k);
        let cls = self.builtins["KeyError"];
        match self
            .new_tuple(vec![k])
            .and_then(|t| self.new_exc_instance(cls, t))
        {
            Ok(e) => Flow::Exc(e),
            Err(f) => f,
        }
    }

    pub fn small_int_arg(&mut self, v: ObjId) -> R<i64> {
        match self.payload(v) {
            Payload::Int(Int::Small(i)) => Ok(*i),
            Payload::Bool(b) => Ok(*b as i64),
            Payload::Int(Int::Big(_)) => Err(self.err(
                "OverflowError",
                "Python int too large to convert to C ssize_t",
            )),
            _ => {
                let t = self.type_name(v);
                Err(self.type_error(format!("'{t}' object cannot be interpreted as an integer")))
            }
        }
    }

    /// Builtin functions and methods of builtin objects. Arguments are borrowed.
    /// Checks a builtin's keyword arguments as its parser would and moves those that name a positional
    /// parameter into place. None when there is nothing to move (the arguments stand as they are).
    /// `name` is as `kw_params` lists it; the references stay with the caller's vectors.
    pub fn bind_keywords(
        &mut self,
        name: &str,
        args: &[ObjId],
        kw: &[(String, ObjId)],
    ) -> R<Option<BoundArgs>> {
        if kw.is_empty() || matches!(name, "dict" | "dict.update" | "str.format") {
            return Ok(None);
        }
        let minor = self.layout.minor;
        let short = name.rsplit('.').next().unwrap_or(name);
        let Some(spec) = kw_params(name, minor) else {
            // "takes no keyword arguments": a method is named with its type from 3.9 (3.11 for the
            // METH_VARARGS ones).
            let qualified = name.contains('.')
                && (minor >= 11 || (minor >= 9 && !VARARGS_METHODS.contains(&name)));
            let shown = if qualified { name } else { short };
            return Err(self.type_error(format!("{shown}() takes no keyword arguments")));
        };
        let shown = if name == "sorted" { "sort" } else { short };
        let max = spec.pos_only + spec.names.len();
        if !spec.names.is_empty() && args.len() + kw.len() > max {
            let n = args.len() + kw.len();
            return Err(self.type_error(format!(
                "{shown}() takes at most {max} arguments ({n} given)"
            )));
        }
        let mut pos: Vec<Option<ObjId>> = args.iter().map(|&a| Some(a)).collect();
        let mut rest = Vec::new();
        for (k, v) in kw {
            if let Some(i) = spec.names.iter().position(|n| n == k) {
                let at = spec.pos_only + i;
                if at < args.len() {
                    return Err(self.type_error(format!(
                        "argument for {shown}() given by name ('{k}') and position ({})",
                        at + 1
                    )));
                }
                if pos.len() <= at {
                    pos.resize(at + 1, None);
                }
                pos[at] = Some(*v);
            } else if spec.kw_only.contains(&k.as_str()) {
                rest.push((k.clone(), *v));
            } else {
                // 3.13 (gh-107704) words it as Python functions do; enumerate's own vectorcall keeps
                // the old wording.
                return Err(self.type_error(if minor >= 13 && name != "enumerate" {
                    format!("{shown}() got an unexpected keyword argument '{k}'")
                } else {
                    format!("'{k}' is an invalid keyword argument for {shown}()")
                }));
            }
        }
        // A gap (a later parameter named, an earlier one left out) takes the parameter's default: the
        // builtins read it as `None`.
        let none = self.none;
        Ok(Some((
            pos.into_iter().map(|a| a.unwrap_or(none)).collect(),
            rest,
        )))
    }

    pub fn call_builtin(
        &mut self,
        name: &'static str,
        slf: Option<ObjId>,
        args: &[ObjId],
        kw: &[(String, ObjId)],
    ) -> R<ObjId> {
        if let Some(s) = slf {
            return self.call_method(name, s, args, kw);
        }
        let packed = self.pack_varargs(name, args, kw)?;
        let r = self.call_builtin_bound(name, args, kw);
        self.unpack_varargs(packed);
        r
    }

    /// A METH_VARARGS function is called with its arguments in a tuple (none for no arguments: the
    /// empty tuple is shared) and its keywords in a dict (measured with gc.get_count per version): iter()
    /// in 3.7, max() and min() until 3.13 made them METH_FASTCALL, str/bytes/bytearray find, rfind,
    /// index, rindex, count, startswith and endswith until their 3.13 Argument Clinic conversion,
    /// set.update, union, intersection and difference until 3.14, dict.pop in 3.7, and dict.update
    /// and str.format in every version.
    pub fn pack_varargs(
        &mut self,
        name: &str,
        args: &[ObjId],
        kw: &[(String, ObjId)],
    ) -> R<(Option<ObjId>, Option<ObjId>)> {
        let minor = self.layout.minor;
        let varargs = match name {
            "iter" | "dict.pop" => minor == 7,
            "max" | "min" => minor <= 12,
            // gc.set_threshold parses with PyArg_ParseTuple in every version.
            "dict.update" | "str.format" | "gc.set_threshold" => true,
            "set.update" | "set.union" | "set.intersection" | "set.difference" => minor <= 13,
            // Every method call comes through here: the cheap prefix test first.
            _ if minor <= 12 && (name.starts_with("str.") || name.starts_with("byte")) => matches!(
                name.rsplit('.').next(),
                Some("find" | "rfind" | "index" | "rindex" | "count" | "startswith" | "endswith")
            ),
            _ => false,
        };
        if !varargs {
            return Ok((None, None));
        }
        let t = if args.is_empty() {
            None
        } else {
            for &a in args {
                self.incref(a);
            }
            Some(self.new_tuple_tracked(args.to_vec())?)
        };
        let d = if kw.is_empty() {
            None
        } else {
            let d = self.new_dict()?;
            for (k, v) in kw {
                self.incref(*v);
                self.dict_set_str(d, k, *v)?;
            }
            Some(d)
        };
        Ok((t, d))
    }

    pub fn unpack_varargs(&mut self, (t, d): (Option<ObjId>, Option<ObjId>)) {
        if let Some(d) = d {
            self.decref(d);
        }
        if let Some(t) = t {
            self.decref(t);
        }
    }

    fn call_builtin_bound(
        &mut self,
        name: &'static str,
        args: &[ObjId],
        kw: &[(String, ObjId)],
    ) -> R<ObjId> {
        let bound = self.bind_keywords(name, args, kw)?;
        let (args, kw) = match &bound {
            Some((a, k)) => (&a[..], &k[..]),
            None => (args, kw),
        };
        match name {
            "print" => self.builtin_print(args, kw),
            "len" => {
                self.arity("len", args, 1, 1)?;
                let n = self.len_of(args[0])?;
                self.new_i64(n as i64)
            }
            "id" => {
                self.arity("id", args, 1, 1)?;
                let a = self.objs.get(args[0]).addr;
                self.new_int(Int::from_big(BigInt::from(a)))
            }
            "repr" | "ascii" => {
                self.arity(name, args, 1, 1)?;
                let s = self.repr(args[0])?;
                // PyObject_ASCII: the repr with non-ASCII escaped (\x, \u, \U).
                let s = if name == "ascii" {
                    super::eval::ascii_escape(&s)
                } else {
                    s
                };
                self.new_str(&s)
            }
            "format" => {
                self.arity(name, args, 1, 2)?;
                let spec = if args.len() == 2 {
                    self.str_of(args[1]).unwrap_or("").to_string()
                } else {
                    String::new()
                };
                let s = self.py_format(args[0], &spec)?;
                self.new_str(&s)
            }
            "isinstance" | "issubclass" => {
                self.arity(name, args, 2, 2)?;
                let classes = match self.payload(args[1]) {
                    Payload::Tuple(t) => t.clone(),
                    _ => vec![args[1]],
                };
                let mut r = false;
                for c in classes {
                    if !matches!(
                        self.payload(c),
                        Payload::Class(_) | Payload::BuiltinType { .. }
                    ) {
                        return Err(self.type_error(format!(
                            "{name}() arg 2 must be a type, a tuple of types, or a union"
                        )));
                    }
                    r |= if name == "isinstance" {
                        self.isinstance(args[0], c)
                    } else {
                        self.is_subclass(args[0], c)
                    };
                }
                Ok(self.new_bool(r))
            }
            "hash" => {
                self.arity("hash", args, 1, 1)?;
                self.hashable_key(args[0])?;
                let h = self.hash_of(args[0]);
                self.new_i64(h)
            }
            "abs" => {
                self.arity("abs", args, 1, 1)?;
                match self.payload(args[0]) {
                    Payload::Int(i) => {
                        let r = Int::from_big(i.to_big().abs());
                        self.new_int(r)
                    }
                    &Payload::Bool(b) => self.new_i64(b as i64),
                    &Payload::Float(x) => self.new_float(x.abs()),
                    &Payload::Complex(a, b) => self.new_float(a.hypot(b)),
                    _ => {
                        let t = self.type_name(args[0]);
                        Err(self.type_error(format!("bad operand type for abs(): '{t}'")))
                    }
                }
            }
            "sum" => {
                self.arity("sum", args, 1, 2)?;
                if let Some(&st) = args.get(1) {
                    let what = match self.ty(st) {
                        Ty::Str => Some("strings [use ''.join(seq) instead]"),
                        Ty::Bytes => Some("bytes [use b''.join(seq) instead]"),
                        Ty::ByteArray => Some("bytearray [use b''.join(seq) instead]"),
                        _ => None,
                    };
                    if let Some(w) = what {
                        return Err(self.type_error(format!("sum() can't sum {w}")));
                    }
                }
                let it = self.get_iter(args[0])?;
                let start = match args.get(1) {
                    Some(&st) => {
                        self.incref(st);
                        Ok(st)
                    }
                    None => self.new_i64(0),
                };
                let r = start.and_then(|st| self.builtin_sum(it, st));
                self.decref(it);
                r
            }
            "min" | "max" => {
                let items = if args.len() == 1 {
                    self.collect_iter(args[0])?
                } else {
                    for &a in args {
                        self.incref(a);
                    }
                    args.to_vec()
                };
                let key = kw.iter().find(|(k, _)| k == "key").map(|(_, v)| *v);
                let default = kw.iter().find(|(k, _)| k == "default").map(|(_, v)| *v);
                if items.is_empty() {
                    if let Some(d) = default {
                        self.incref(d);
                        return Ok(d);
                    }
                    let msg = if self.layout.minor >= 12 {
                        format!("{name}() iterable argument is empty")
                    } else {
                        format!("{name}() arg is an empty sequence")
                    };
                    return Err(self.err("ValueError", &msg));
                }
                let op = if name == "min" {
                    super::ast::CmpOp::Lt
                } else {
                    super::ast::CmpOp::Gt
                };
                let mut best = items[0];
                let mut best_key = self.apply_key(key, best)?;
                for &i in &items[1..] {
                    let k = self.apply_key(key, i)?;
                    let c = self.compare(k, op, best_key)?;
                    let better = self.truthy(c)?;
                    self.decref(c);
                    if better {
                        self.decref(best_key);
                        best = i;
                        best_key = k;
                    } else {
                        self.decref(k);
                    }
                }
                self.decref(best_key);
                self.incref(best);
                self.decref_all(&items);
                Ok(best)
            }
            "sorted" => {
                self.arity("sorted", args, 1, 1)?;
                // PySequence_List, then list.sort().
                let l = self.new_list_exact(vec![])?;
                self.list_extend(l, args[0])?;
                // builtin_sorted calls the new list's `sort` attribute: a bound method object, made
                // and dropped (3.7–3.15).
                self.transient_bound("list.sort", l)?;
                self.call_method("list.sort", l, &[], kw)
                    .inspect_err(|_| self.decref(l))
                    .map(|n| self.decref(n))?;
                Ok(l)
            }
            "iter" => {
                self.arity("iter", args, 1, 1)?;
                self.get_iter(args[0])
            }
            "next" => {
                self.arity("next", args, 1, 2)?;
                if args.len() == 1 && self.ty(args[0]) == Ty::Generator {
                    // A generator's return value travels in the StopIteration (PEP 380).
                    let none = self.none();
                    return self.gen_send(args[0], Sent::Value(none));
                }
                match self.iter_next(args[0])? {
                    Some(v) => Ok(v),
                    None if args.len() == 2 => {
                        self.incref(args[1]);
                        Ok(args[1])
                    }
                    None => {
                        let e = self.new_exception("StopIteration", "")?;
                        Err(Flow::Exc(e))
                    }
                }
            }
            "getattr" => {
                self.arity("getattr", args, 2, 3)?;
                let n = self.attr_name(args[1])?;
                match self.get_attr(args[0], &n) {
                    Ok(v) => Ok(v),
                    Err(Flow::Exc(e)) if args.len() == 3 => {
                        self.decref(e);
                        self.incref(args[2]);
                        Ok(args[2])
                    }
                    Err(e) => Err(e),
                }
            }
            "setattr" => {
                self.arity("setattr", args, 3, 3)?;
                let n = self.attr_name(args[1])?;
                self.incref(args[2]);
                self.set_attr(args[0], &n, args[2])?;
                Ok(self.none())
            }
            "delattr" => {
                self.arity("delattr", args, 2, 2)?;
                let n = self.attr_name(args[1])?;
                self.del_attr(args[0], &n)?;
                Ok(self.none())
            }
            "hasattr" => {
                self.arity("hasattr", args, 2, 2)?;
                let n = self.attr_name(args[1])?;
                match self.get_attr(args[0], &n) {
                    Ok(v) => {
                        self.decref(v);
                        Ok(self.new_bool(true))
                    }
                    Err(Flow::Exc(e)) => {
                        self.decref(e);
                        Ok(self.new_bool(false))
                    }
                    Err(e) => Err(e),
                }
            }
            "hex" | "oct" | "bin" => {
                self.arity(name, args, 1, 1)?;
                let Some(i) = self.int_of(args[0]) else {
                    let t = self.type_name(args[0]);
                    return Err(self
                        .type_error(format!("'{t}' object cannot be interpreted as an integer")));
                };
                let b = i.to_big();
                let (prefix, digits) = match name {
                    "hex" => ("0x", format!("{:x}", b.abs())),
                    "oct" => ("0o", format!("{:o}", b.abs())),
                    _ => ("0b", format!("{:b}", b.abs())),
                };
                let s = format!("{}{prefix}{digits}", if b.is_negative() { "-" } else { "" });
                self.new_str(&s)
            }
            "chr" => {
                self.arity("chr", args, 1, 1)?;
                let i = self.small_int_arg(args[0])?;
                match u32::try_from(i).ok().and_then(char::from_u32) {
                    Some(c) => self.new_str(&c.to_string()),
                    None => Err(self.err("ValueError", "chr() arg not in range(0x110000)")),
                }
            }
            "ord" => {
                self.arity("ord", args, 1, 1)?;
                let s = self.str_of(args[0]).map(|s| s.to_string());
                match s {
                    Some(s) if s.chars().count() == 1 => {
                        self.new_i64(s.chars().next().expect("one char") as i64)
                    }
                    Some(s) => Err(self.type_error(format!(
                        "ord() expected a character, but string of length {} found",
                        s.chars().count()
                    ))),
                    None => {
                        let t = self.type_name(args[0]);
                        Err(self.type_error(format!(
                            "ord() expected string of length 1, but {t} found"
                        )))
                    }
                }
            }
            "round" => {
                self.arity("round", args, 1, 2)?;
                // builtin_round_impl looks `__round__` up with _PyObject_LookupSpecial, binding it,
                // through 3.13; 3.14 calls it unbound (measured: no object made).
                if self.layout.minor <= 13
                    && matches!(
                        self.payload(args[0]),
                        Payload::Float(_) | Payload::Int(_) | Payload::Bool(_)
                    )
                {
                    self.transient_bound("int.__round__", args[0])?;
                }
                match (self.payload(args[0]), args.get(1)) {
                    (&Payload::Float(x), None) => {
                        let r = x.round_ties_even();
                        if !r.is_finite() {
                            return Err(self
                                .err("OverflowError", "cannot convert float infinity to integer"));
                        }
                        self.new_int(Int::from_big(BigInt::from_f64_integral(r)))
                    }
                    (&Payload::Float(x), Some(&n)) => {
                        let n = self.small_int_arg(n)?;
                        // float___round___impl: past NDIGITS_MAX (323) x itself, below NDIGITS_MIN
                        // (-308) a zero of x's sign, else double_round.
                        let r = if !x.is_finite() || n > 323 {
                            x
                        } else if n < -308 {
                            0.0 * x
                        } else {
                            super::fmt::round_decimal(x, n)
                        };
                        self.new_float(r)
                    }
                    (Payload::Int(_) | Payload::Bool(_), _) => {
                        let i = self.int_of(args[0]).expect("an int");
                        self.new_int(i)
                    }
                    _ => {
                        let t = self.type_name(args[0]);
                        Err(self.type_error(format!("type {t} doesn't define __round__ method")))
                    }
                }
            }
            "divmod" => {
                self.arity("divmod", args, 2, 2)?;
                let q = self.binary_op(args[0], super::ast::BinOp::FloorDiv, args[1])?;
                let r = self.binary_op(args[0], super::ast::BinOp::Mod, args[1])?;
                // long_divmod / float_divmod: PyTuple_New or Py_BuildValue, tracked whatever the items.
                self.new_tuple_tracked(vec![q, r])
            }
            "pow" => {
                self.arity("pow", args, 2, 3)?;
                let r = self.binary_op(args[0], super::ast::BinOp::Pow, args[1])?;
                if args.len() == 3 {
                    let m = self.binary_op(r, super::ast::BinOp::Mod, args[2]);
                    self.decref(r);
                    return m;
                }
                Ok(r)
            }
            "any" | "all" => {
                self.arity(name, args, 1, 1)?;
                let items = self.collect_iter(args[0])?;
                let want = name == "any";
                let mut res = !want;
                for &i in &items {
                    if self.truthy(i)? == want {
                        res = want;
                        break;
                    }
                }
                self.decref_all(&items);
                Ok(self.new_bool(res))
            }
            "callable" => {
                self.arity("callable", args, 1, 1)?;
                let c = matches!(
                    self.payload(args[0]),
                    Payload::Function(_)
                        | Payload::Builtin { .. }
                        | Payload::Method { .. }
                        | Payload::Class(_)
                        | Payload::BuiltinType { .. }
                );
                Ok(self.new_bool(c))
            }
            "vars" => {
                self.arity("vars", args, 1, 1)?;
                self.get_attr(args[0], "__dict__")
            }
            "input" => Err(self.err(
                "NotImplementedError",
                "not supported by the simulator: input()",
            )),
            // sys functions
            "sys.getsizeof" => {
                self.arity("getsizeof", args, 1, 2)?;
                let n = self.getsizeof(args[0])?;
                self.new_i64(n as i64)
            }
            "sys.getrefcount" => {
                self.arity("getrefcount", args, 1, 1)?;
                let n = self.shown_refcount(args[0]);
                self.new_i64(n)
            }
            "sys.intern" => {
                self.arity("intern", args, 1, 1)?;
                if self.ty(args[0]) != Ty::Str {
                    let t = self.type_name(args[0]);
                    return Err(self.type_error(format!("intern() argument must be str, not {t}")));
                }
                self.incref(args[0]);
                Ok(self.intern(args[0], false))
            }
            "sys._debugmallocstats" => {
                let counts = self.free_list_counts();
                let text = debugmallocstats(&self.heap, &counts);
                self.stderr.push_str(&text);
                Ok(self.none())
            }
            "sys.getrecursionlimit" => self.new_i64(self.recursion_limit as i64),
            "sys.setrecursionlimit" => {
                self.arity("setrecursionlimit", args, 1, 1)?;
                let n = self.small_int_arg(args[0])?;
                if n < 1 {
                    return Err(self.err(
                        "ValueError",
                        "recursion limit must be greater or equal than 1",
                    ));
                }
                self.recursion_limit = (n as u32).min(20_000);
                Ok(self.none())
            }
            // Python/sysmodule.c sys_exit: raises SystemExit(arg), which `except` and `finally` see; the
            // interpreter turns it into the exit status only if it reaches the top (see `system_exit`).
            "sys.exit" => {
                self.arity("exit", args, 0, 1)?;
                let cls = self.builtins["SystemExit"];
                // PyErr_SetObject(PyExc_SystemExit, None) makes an exception without arguments.
                let t = match args.first().filter(|&&a| a != self.none) {
                    Some(&a) => {
                        self.incref(a);
                        self.new_tuple(vec![a])?
                    }
                    None => {
                        let e = self.empty_tuple;
                        self.incref(e);
                        e
                    }
                };
                let e = self.new_exc_instance(cls, t)?;
                Err(Flow::Exc(e))
            }
            gc if gc.starts_with("gc.") => self.call_gc(gc, args, kw),
            other => Err(self.err(
                "NotImplementedError",
                &format!("not supported by the simulator: {other}()"),
            )),
        }
    }

    fn attr_name(&mut self, v: ObjId) -> R<String> {
        match self.str_of(v) {
            Some(s) => Ok(s.to_string()),
            None => {
                let t = self.type_name(v);
                Err(self.type_error(format!("attribute name must be string, not '{t}'")))
            }
        }
    }

    fn apply_key(&mut self, key: Option<ObjId>, v: ObjId) -> R<ObjId> {
        match key {
            Some(k) if k != self.none => {
                self.incref(k);
                self.incref(v);
                let r = self.call(k, vec![v], vec![]);
                self.decref(k);
                r
            }
            _ => {
                self.incref(v);
                Ok(v)
            }
        }
    }

    /// The free-list occupancy `_debugmallocstats` prints.
    pub fn free_list_counts(&self) -> FreeListCounts {
        FreeListCounts {
            named: vec![
                (
                    "PyCFunctionObject",
                    self.free.kept[Kept::CFunc as usize].len() as u64,
                ),
                (
                    "PyMethodObject",
                    self.free.kept[Kept::Method as usize].len() as u64,
                ),
                ("PyDictObject", self.free.dicts.len() as u64),
                ("PyDictKeysObject", self.free.dict_keys.len() as u64),
                ("PyFloatObject", self.free.floats.len() as u64),
                ("PyListObject", self.free.lists.len() as u64),
            ],
            tuples: self.free.tuples.iter().map(|t| t.len() as u64).collect(),
        }
    }

    // ------------------------------------------------------------------ type constructors

    /// Calling a builtin type: `int(x)`, `list(x)`, `ValueError(msg)`, … Arguments are borrowed.
    pub fn call_type(&mut self, t: ObjId, args: &[ObjId], kw: &[(String, ObjId)]) -> R<ObjId> {
        let (ty, tname) = match self.payload(t) {
            Payload::BuiltinType { ty, name, .. } => (*ty, *name),
            _ => unreachable!(/* a builtin type */),
        };
        let bound = self.bind_keywords(tname, args, kw)?;
        let (args, kw) = match &bound {
            Some((a, k)) => (&a[..], &k[..]),
            None => (args, kw),
        };
        if ty == Ty::Exception {
            for &a in args {
                self.incref(a);
            }
            let tuple = self.new_tuple(args.to_vec())?;
            return self.new_exc_instance(t, tuple);
        }
        match ty {
            Ty::Object => {
                self.arity("object", args, 0, 0)?;
                self.new_plain(Ty::Object, Payload::Object, self.layout.object())
            }
            Ty::Type => {
                self.arity("type", args, 1, 1)?;
                let c = self.type_of(args[0]);
                self.incref(c);
                Ok(c)
            }
            Ty::Int => {
                if args.is_empty() {
                    return self.new_i64(0);
                }
                let base = match args
                    .get(1)
                    .or_else(|| kw.iter().find(|(k, _)| k == "base").map(|(_, v)| v))
                {
                    Some(&b) => Some(self.small_int_arg(b)?),
                    None => None,
                };
                // long_new_impl: the base is checked first, then that an explicit base has a string.
                if base.is_some_and(|b| b != 0 && !(2..=36).contains(&b)) {
                    return Err(self.err("ValueError", "int() base must be >= 2 and <= 36, or 0"));
                }
                if base.is_some()
                    && !matches!(self.ty(args[0]), Ty::Str | Ty::Bytes | Ty::ByteArray)
                {
                    return Err(
                        self.type_error("int() can't convert non-string with explicit base".into())
                    );
                }
                match self.payload(args[0]) {
                    Payload::Int(i) => {
                        let i = i.clone();
                        self.new_int(i)
                    }
                    &Payload::Bool(b) => self.new_i64(b as i64),
                    &Payload::Float(x) => {
                        if !x.is_finite() {
                            let m = if x.is_nan() {
                                "cannot convert float NaN to integer"
                            } else {
                                "cannot convert float infinity to integer"
                            };
                            return Err(self.err(
                                if x.is_nan() {
                                    "ValueError"
                                } else {
                                    "OverflowError"
                                },
                                m,
                            ));
                        }
                        let b = BigInt::from_f64_integral(x.trunc());
                        self.new_int(Int::from_big(b))
                    }
                    Payload::Str { .. } | Payload::Bytes(_) | Payload::ByteArray { .. } => {
                        let radix = base.unwrap_or(10);
                        let (text, shown) = match self.payload(args[0]) {
                            Payload::Str { s, .. } => (Some(s.as_str()), super::fmt::str_repr(s)),
                            Payload::Bytes(b) | Payload::ByteArray { data: b, .. } => {
                                (std::str::from_utf8(b).ok(), super::fmt::bytes_repr(b))
                            }
                            _ => unreachable!(/* a str or bytes */),
                        };
                        match text.and_then(|t| parse_int_text(t, radix as u32)) {
                            Some(v) => self.new_int(v),
                            None => Err(self.err(
                                "ValueError",
                                &format!("invalid literal for int() with base {radix}: {shown}"),
                            )),
                        }
                    }
                    _ => {
                        let tn = self.type_name(args[0]);
                        // "a real number" from 3.10, "a number" before (measured).
                        let n = if self.layout.minor >= 10 {
                            "a real number"
                        } else {
                            "a number"
                        };
                        Err(self.type_error(format!("int() argument must be a string, a bytes-like object or {n}, not '{tn}'")))
                    }
                }
            }
            Ty::Bool => {
                let b = match args.first() {
                    Some(&a) => self.truthy(a)?,
                    None => false,
                };
                Ok(self.new_bool(b))
            }
            Ty::Float => {
                let Some(&a) = args.first() else {
                    return self.new_float(0.0);
                };
                match self.payload(a) {
                    &Payload::Float(x) => self.new_float(x),
                    Payload::Int(i) => match i.to_big().to_f64() {
                        Some(x) if x.is_finite() => self.new_float(x),
                        _ => Err(self.err("OverflowError", "int too large to convert to float")),
                    },
                    &Payload::Bool(b) => self.new_float(b as u8 as f64),
                    Payload::Str { s, .. } => match parse_float_text(s) {
                        Some(x) => self.new_float(x),
                        None => {
                            let r = super::fmt::str_repr(s);
                            Err(self.err(
                                "ValueError",
                                &format!("could not convert string to float: {r}"),
                            ))
                        }
                    },
                    _ => {
                        let tn = self.type_name(a);
                        Err(self.type_error(format!(
                            "float() argument must be a string or {}, not '{tn}'",
                            if self.layout.minor >= 10 {
                                "a real number"
                            } else {
                                "a number"
                            }
                        )))
                    }
                }
            }
            Ty::Complex => {
                let re = match args.first() {
                    Some(&a) => self.as_float(a)?,
                    None => 0.0,
                };
                let im = match args.get(1) {
                    Some(&a) => self.as_float(a)?,
                    None => 0.0,
                };
                self.new_complex(re, im)
            }
            Ty::Str => {
                let Some(&a) = args.first() else {
                    return self.new_str("");
                };
                if args.len() > 1 {
                    // unicode_new with an encoding: PyUnicode_FromEncodedObject decodes a bytes-like object.
                    return match self.ty(a) {
                        Ty::Bytes => self.call_method("bytes.decode", a, &args[1..], &[]),
                        Ty::ByteArray => self.call_method("bytearray.decode", a, &args[1..], &[]),
                        _ => {
                            let t = self.type_name(a);
                            let msg = if self.ty(a) == Ty::Str {
                                "decoding str is not supported".to_string()
                            } else {
                                format!("decoding to str: need a bytes-like object, {t} found")
                            };
                            Err(self.type_error(msg))
                        }
                    };
                }
                if self.ty(a) == Ty::Str {
                    self.incref(a);
                    return Ok(a);
                }
                let s = self.to_str(a)?;
                self.new_str(&s)
            }
            Ty::Bytes | Ty::ByteArray => {
                let data: Vec<u8> = match args.first().map(|&a| (a, self.payload(a))) {
                    None => Vec::new(),
                    Some((_, &Payload::Int(Int::Small(n)))) => {
                        if n < 0 {
                            return Err(self.err("ValueError", "negative count"));
                        }
                        if n > 1 << 30 {
                            return Err(self.err("MemoryError", ""));
                        }
                        vec![0; n as usize]
                    }
                    Some((_, Payload::Bytes(b)))
                    | Some((_, Payload::ByteArray { data: b, .. })) => b.clone(),
                    Some((_, Payload::Str { s, .. })) => {
                        if args.len() < 2 && !kw.iter().any(|(k, _)| k == "encoding") {
                            return Err(
                                self.type_error("string argument without an encoding".into())
                            );
                        }
                        s.as_bytes().to_vec()
                    }
                    Some((a, _)) => {
                        let items = self.collect_iter(a)?;
                        let mut out = Vec::new();
                        for &i in &items {
                            match self.payload(i) {
                                Payload::Int(Int::Small(b)) if (0..256).contains(b) => {
                                    out.push(*b as u8)
                                }
                                _ => {
                                    self.decref_all(&items);
                                    return Err(
                                        self.err("ValueError", "bytes must be in range(0, 256)")
                                    );
                                }
                            }
                        }
                        self.decref_all(&items);
                        out
                    }
                };
                if ty == Ty::Bytes {
                    self.new_bytes(&data)
                } else {
                    self.new_bytearray(data)
                }
            }
            Ty::List => {
                self.arity("list", args, 0, 1)?;
                let l = self.new_list_alloc(vec![], 0, false)?;
                if let Some(&a) = args.first() {
                    if let Err(e) = self.list_init(l, a) {
                        self.decref(l);
                        return Err(e);
                    }
                }
                Ok(l)
            }
            Ty::Tuple => {
                self.arity("tuple", args, 0, 1)?;
                let Some(&a) = args.first() else {
                    return self.new_tuple(vec![]);
                };
                if self.ty(a) == Ty::Tuple {
                    self.incref(a);
                    return Ok(a);
                }
                // PySequence_Tuple copies an exact list directly (PyList_AsTuple); anything else is
                // iterated.
                if self.ty(a) == Ty::List {
                    let items = self.items_of(a).to_vec();
                    for &i in &items {
                        self.incref(i);
                    }
                    // _PyTuple_FromArray: 3.14 tracks it only for a GC item, like a tuple display.
                    return self.new_tuple(items);
                }
                // The iterator, then (through 3.13) the length hint that sizes the first tuple; 3.14
                // asks for none (measured: no bound __length_hint__).
                let it = self.get_iter(a)?;
                let hint = if self.layout.minor <= 13 {
                    self.length_hint_checked(a).map(|_| ())
                } else {
                    Ok(())
                };
                let items = hint.and_then(|_| self.collect_iter(it));
                self.decref(it);
                let items = items?;
                // PySequence_Tuple fills a PyTuple_New tuple: tracked whatever the items.
                self.new_tuple_tracked(items)
            }
            Ty::Dict => {
                let d = self.dict_from_type()?;
                if let Some(&a) = args.first() {
                    if let Err(e) = self.dict_merge_into(d, a) {
                        self.decref(d);
                        return Err(e);
                    }
                }
                for (k, v) in kw {
                    self.incref(*v);
                    self.dict_set_str(d, k, *v)?;
                }
                Ok(d)
            }
            Ty::Set | Ty::FrozenSet => {
                self.arity(tname, args, 0, 1)?;
                if ty == Ty::FrozenSet
                    && self.layout.minor <= 9
                    && args.first().is_none_or(|&a| self.len_of(a).ok() == Some(0))
                {
                    // ≤3.9 the empty frozenset is a singleton (removed in 3.10, bpo-39350 follow-up).
                    return self.empty_frozenset();
                }
                let s = self.new_set(ty == Ty::FrozenSet)?;
                if let Some(&a) = args.first() {
                    if let Err(e) = self.set_update(s, a) {
                        self.decref(s);
                        return Err(e);
                    }
                }
                Ok(s)
            }
            Ty::Range => {
                self.arity("range", args, 1, 3)?;
                // range_from_array: PyNumber_Index of each argument (an exact int is itself, a bool
                // its int), 0 and 1 for what is left out.
                let mut objs = Vec::with_capacity(3);
                for &a in args {
                    let o = match self.payload(a) {
                        Payload::Int(_) => {
                            self.incref(a);
                            a
                        }
                        &Payload::Bool(b) => self.new_i64(b as i64)?,
                        _ => {
                            self.decref_all(&objs);
                            let tn = self.type_name(a);
                            return Err(self.type_error(format!(
                                "'{tn}' object cannot be interpreted as an integer"
                            )));
                        }
                    };
                    objs.push(o);
                }
                if objs.len() == 1 {
                    objs.insert(0, self.new_i64(0)?);
                }
                if objs.len() == 2 {
                    objs.push(self.new_i64(1)?);
                }
                let v: Vec<BigInt> = objs
                    .iter()
                    .map(|&o| self.int_of(o).map(|i| i.to_big()).unwrap_or_default())
                    .collect();
                if v[2].is_zero() {
                    self.decref_all(&objs);
                    return Err(self.err("ValueError", "range() arg 3 must not be zero"));
                }
                let (start, stop, step) = (v[0].clone(), v[1].clone(), v[2].clone());
                let len = range_length(&start, &stop, &step);
                // make_range_object: the length object first, then the range.
                let len_o = match self.new_int(Int::from_big(len.clone())) {
                    Ok(l) => l,
                    Err(e) => {
                        self.decref_all(&objs);
                        return Err(e);
                    }
                };
                self.new_range(start, stop, step, len, [objs[0], objs[1], objs[2], len_o])
            }
            Ty::Slice => {
                self.arity("slice", args, 1, 3)?;
                let mut v: Vec<ObjId> = args.to_vec();
                for &a in &v {
                    self.incref(a);
                }
                if v.len() == 1 {
                    let n = self.none();
                    let n2 = self.none();
                    v = vec![n, v[0], n2];
                }
                while v.len() < 3 {
                    v.push(self.none());
                }
                self.new_slice(v[0], v[1], v[2])
            }
            Ty::Enumerate => {
                self.arity("enumerate", args, 1, 2)?;
                let start = match args.get(1) {
                    Some(&s) => self.int_of(s).map(|i| i.to_big()).unwrap_or_default(),
                    None => BigInt::zero(),
                };
                // enum_new: the object, then its iterator, then the result pair (None, None).
                let e = self.new_iter(Ty::Enumerate, IterState::Exhausted)?;
                let it = match self.get_iter(args[0]) {
                    Ok(it) => it,
                    Err(err) => {
                        self.decref(e);
                        return Err(err);
                    }
                };
                let none = self.none;
                self.incref(none);
                self.incref(none);
                let result = self.new_tuple(vec![none, none])?;
                let st = IterState::Enumerate {
                    it,
                    count: start,
                    result,
                };
                if let Payload::Iter(s) = &mut self.objs.get_mut(e).payload {
                    **s = st;
                }
                Ok(e)
            }
            Ty::Zip => {
                // zip_new: the tuple of iterators, each iterator, the result tuple of Nones, then the
                // zip object.
                let none = self.none;
                let n = args.len();
                for _ in 0..n {
                    self.incref(none);
                }
                let its = self.new_tuple_tracked(vec![none; n])?;
                for (i, &a) in args.iter().enumerate() {
                    let it = match self.get_iter(a) {
                        Ok(it) => it,
                        Err(e) => {
                            self.decref(its);
                            return Err(e);
                        }
                    };
                    if let Payload::Tuple(items) = &mut self.objs.get_mut(its).payload {
                        items[i] = it;
                    }
                    self.decref(none);
                }
                for _ in 0..n {
                    self.incref(none);
                }
                let result = self.new_tuple_tracked(vec![none; n])?;
                self.new_iter(Ty::Zip, IterState::Zip { its, result })
            }
            Ty::Map => {
                if args.len() < 2 {
                    return Err(self.type_error("map() must have at least two arguments.".into()));
                }
                // map_new / map_vectorcall: `iters`, a tuple of the iterators, then the object.
                let mut its = Vec::new();
                for &a in &args[1..] {
                    match self.get_iter(a) {
                        Ok(i) => its.push(i),
                        Err(e) => {
                            self.decref_all(&its);
                            return Err(e);
                        }
                    }
                }
                let its = self.new_tuple_tracked(its)?;
                self.incref(args[0]);
                self.new_iter(Ty::Map, IterState::Map { func: args[0], its })
            }
            Ty::Filter => {
                self.arity("filter", args, 2, 2)?;
                let it = self.get_iter(args[1])?;
                self.incref(args[0]);
                self.new_iter(Ty::Filter, IterState::Filter { func: args[0], it })
            }
            Ty::Reversed => {
                self.arity("reversed", args, 1, 1)?;
                self.builtin_reversed(args[0])
            }
            _ => Err(self.type_error(format!("cannot create '{tname}' instances"))),
        }
    }

    fn as_float(&mut self, a: ObjId) -> R<f64> {
        match self.payload(a) {
            Payload::Float(x) => Ok(*x),
            Payload::Int(i) => Ok(i.to_big().to_f64().unwrap_or(f64::INFINITY)),
            Payload::Bool(b) => Ok(*b as u8 as f64),
            _ => {
                let t = self.type_name(a);
                Err(self.type_error(format!("must be real number, not {t}")))
            }
        }
    }

    fn empty_frozenset(&mut self) -> R<ObjId> {
        if self.frozenset_empty.is_none() {
            let s = self.new_set(true)?;
            self.frozenset_empty = Some(s);
        }
        let s = self.frozenset_empty.expect("made above");
        self.incref(s);
        Ok(s)
    }

    pub fn new_bytearray(&mut self, data: Vec<u8>) -> R<ObjId> {
        // PyByteArray_FromStringAndSize: alloc = len + 1 (0 and no buffer when empty). 3.15 keeps the
        // bytes in a bytes object (`ob_bytes_object`): its size is counted, and alloc is the length.
        let alloc = if data.is_empty() {
            0
        } else if self.layout.minor >= 15 {
            data.len() as u64
        } else {
            data.len() as u64 + 1
        };
        let buf = if alloc > 0 {
            Some(self.malloc(alloc)?)
        } else {
            None
        };
        let size = self.layout.bytearray_basic();
        self.new_plain(Ty::ByteArray, Payload::ByteArray { data, alloc, buf }, size)
    }

    /// `list.__init__(iterable)` per version (sizes.md §2.2).
    fn list_init(&mut self, l: ObjId, src: ObjId) -> R<()> {
        let minor = self.layout.minor;
        let has_len = matches!(
            self.ty(src),
            Ty::List
                | Ty::Tuple
                | Ty::Str
                | Ty::Bytes
                | Ty::ByteArray
                | Ty::Range
                | Ty::Dict
                | Ty::Set
                | Ty::FrozenSet
                | Ty::DictKeys
                | Ty::DictValues
                | Ty::DictItems
        );
        let has_len = has_len
            || (self.ty(src) == Ty::Instance && {
                let cls = self.type_of(src);
                self.class_lookup(cls, "__len__").is_some()
            });
        if minor >= 8 && !self.layout.at_least(10, 5) && has_len {
            // 3.8–3.10.4: list___init__ pre-allocates exactly len(iterable), then list_extend.
            let n = self.length_hint_checked(src)?.unwrap_or(0);
            if n > 0 {
                let p = self.layout.p;
                let b = self.malloc(n * p)?;
                if let Payload::List { allocated, buf, .. } = &mut self.objs.get_mut(l).payload {
                    *allocated = n;
                    *buf = Some(b);
                }
            }
            return self.list_extend_sized_or_iter(l, src);
        }
        if minor == 7 {
            // 3.7: list_extend → list_resize(n) (over-allocates) for sized sources.
            return self.list_extend_sized_or_iter(l, src);
        }
        self.list_extend_sized_or_iter(l, src)
    }

    /// list_extend, treating any sized builtin source like CPython's fast path does for lists and tuples
    /// (`PySequence_Fast`) and others through the iterator path with their length hint.
    fn list_extend_sized_or_iter(&mut self, l: ObjId, src: ObjId) -> R<()> {
        self.list_extend(l, src)
    }

    /// `dict()`: `dict_new` allocates through `tp_alloc` (PyType_GenericAlloc, never the free list,
    /// 3.7-3.15), with an 8-slot table through 3.9 and the shared empty keys from 3.10.
    pub fn dict_from_type(&mut self) -> R<ObjId> {
        let d = if self.layout.minor <= 9 {
            Dict::with_table(3, false)
        } else {
            Dict::empty()
        };
        self.new_dict_alloc(d, false)
    }

    /// `dict(mapping_or_pairs)` / `dict_merge`.
    pub fn dict_merge_into(&mut self, d: ObjId, src: ObjId) -> R<()> {
        let minor = self.layout.minor;
        // dict_update_common (3.7–3.8) asks whether the argument has `keys` before merging: for a
        // dict that binds a method object and drops it; 3.9 merges an exact dict without asking.
        if minor <= 8 && self.ty(src) == Ty::Dict {
            self.transient_bound("dict.keys", src)?;
        }
        let other = match self.payload(src) {
            Payload::Dict(o) => Some((
                o.len(),
                o.split.is_none() && o.len() == o.nentries(),
                o.log2,
                o.unicode,
            )),
            _ => None,
        };
        if let Some((len, clean, other_log2, other_unicode)) = other {
            if len == 0 {
                return Ok(());
            }
            let target_empty = matches!(self.payload(d), Payload::Dict(t) if t.is_empty());
            let clone = target_empty
                && if minor >= 11 {
                    clean
                        && (other_log2 == 3
                            || usable_fraction((1u64 << other_log2) / 2) < len as u64)
                } else {
                    minor >= 10 && clean
                };
            if clone {
                return self.dict_clone_into(d, src);
            }
            let (log2, cur) = match self.payload(d) {
                Payload::Dict(t) => (t.log2, t.len()),
                _ => (0, 0),
            };
            let cap = if log2 == 0 {
                0
            } else {
                usable_fraction(1 << log2)
            };
            if cap < len as u64 {
                self.dict_presize(d, (cur + len) as u64, minor >= 11 && other_unicode)?;
            }
        }
        self.dict_update(d, src)
    }

    /// `dictresize(mp, estimate_log2_keysize(n))`: one resize up front for `n` items (with 3.10-3.13.3's
    /// rounding quirk), so the inserts that follow never grow the table.
    pub fn dict_presize(&mut self, d: ObjId, n: u64, unicode: bool) -> R<()> {
        let new_log2 = estimate_log2(n, self.layout.keysize_quirk());
        let addr = self.alloc_keys(new_log2, unicode)?;
        let old = match &mut self.objs.get_mut(d).payload {
            Payload::Dict(t) => {
                let old = (t.keys_addr.take(), t.log2, t.unicode);
                t.resize(new_log2, unicode);
                t.keys_addr = Some(addr);
                old
            }
            _ => (None, 0, false),
        };
        if let (Some(a), l2, u) = old {
            self.free_keys(a, l2, u);
        }
        Ok(())
    }

    /// `clone_combined_dict_keys`: the copy gets a keys object identical to the source's.
    fn dict_clone_into(&mut self, d: ObjId, src: ObjId) -> R<()> {
        let other = match self.payload(src) {
            Payload::Dict(o) => (**o).clone(),
            _ => return Ok(()),
        };
        let addr = self.alloc_keys(other.log2, other.unicode)?;
        for e in other.iter() {
            self.incref(e.key);
            self.incref(e.value);
        }
        let old = match &mut self.objs.get_mut(d).payload {
            Payload::Dict(t) => {
                let old = (t.keys_addr.take(), t.log2, t.unicode);
                let mut copy = other;
                copy.keys_addr = Some(addr);
                copy.split = None;
                **t = copy;
                old
            }
            _ => (None, 0, false),
        };
        if let (Some(a), l2, u) = old {
            self.free_keys(a, l2, u);
        }
        // clone_combined_dict_keys: the copy is tracked when the source is (≤3.13).
        if self.gc.is_tracked(src) {
            self.track(d);
        }
        Ok(())
    }

    /// `dict.copy()` (`PyDict_Copy`): a dense combined dict clones its keys; otherwise a compact rebuild.
    pub fn dict_copy(&mut self, src: ObjId) -> R<ObjId> {
        let (dense, split) = match self.payload(src) {
            Payload::Dict(o) => (o.len() >= o.nentries() * 2 / 3, o.split.is_some()),
            _ => (false, false),
        };
        let d = self.new_dict_with(Dict::empty())?;
        if dense && !split && self.len_of(src)? > 0 {
            self.dict_clone_into(d, src)?;
        } else {
            let n = self.len_of(src)? as u64;
            if n > 0 {
                let log2 = estimate_log2(n, self.layout.keysize_quirk());
                let unicode = self.layout.minor >= 11
                    && matches!(self.payload(src), Payload::Dict(o) if o.iter().all(|e| matches!(e.k, Key::Str(_))));
                let addr = self.alloc_keys(log2, unicode)?;
                if let Payload::Dict(t) = &mut self.objs.get_mut(d).payload {
                    t.resize(log2, unicode);
                    t.keys_addr = Some(addr);
                }
            }
            self.dict_update(d, src)?;
        }
        Ok(d)
    }

    // ------------------------------------------------------------------ trace hook

    /// Called before each top-level statement: the trace's step boundary.
    pub fn on_statement(&mut self, pos: super::ast::Pos) -> R<()> {
        if self.stop_at == Some(self.marks.len()) {
            return Err(Flow::Fatal(super::STOP.into()));
        }
        self.marks.push((pos.line, pos.col, self.out.len()));
        self.heap.log.clear();
        Ok(())
    }
}

trait NoneOrOne {
    fn clone_is_none_or_one(&self) -> bool;
}

impl NoneOrOne for Payload {
    fn clone_is_none_or_one(&self) -> bool {
        matches!(self, Payload::None | Payload::Int(Int::Small(1)))
    }
}

fn static_name(name: &str) -> &'static str {
    match name {
        "getsizeof" => "sys.getsizeof",
        "getrefcount" => "sys.getrefcount",
        "intern" => "sys.intern",
        "_debugmallocstats" => "sys._debugmallocstats",
        "getrecursionlimit" => "sys.getrecursionlimit",
        "setrecursionlimit" => "sys.setrecursionlimit",
        _ => "sys.exit",
    }
}

/// `int(text, base)`: optional sign, `_` between digits, surrounding whitespace.
/// `PyLong_FromString`: `radix` 2..=36, or 0 to take it from the prefix (`0x`, `0o`, `0b`; else decimal,
/// where a leading zero is only allowed in zero itself). After a prefix one underscore may follow.
pub fn parse_int_text(s: &str, radix: u32) -> Option<Int> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let prefix = |b: &str| -> Option<u32> {
        match b.get(..2)?.to_ascii_lowercase().as_str() {
            "0x" => Some(16),
            "0o" => Some(8),
            "0b" => Some(2),
            _ => None,
        }
    };
    let (radix, body) = match prefix(body) {
        Some(r) if radix == 0 || radix == r => {
            (r, body[2..].strip_prefix('_').unwrap_or(&body[2..]))
        }
        _ if radix == 0 => {
            if body.starts_with('0') && body.chars().any(|c| c != '0' && c != '_') {
                return None;
            }
            (10, body)
        }
        _ => (radix, body),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return None;
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    let v = BigInt::parse_bytes(clean.as_bytes(), radix)?;
    Some(Int::from_big(if neg { -v } else { v }))
}

/// `float(str)`: `PyOS_string_to_double` after `_Py_string_to_number_with_underscores` (an underscore
/// only between two digits).
pub fn parse_float_text(s: &str) -> Option<f64> {
    let s = s.trim();
    let b = s.as_bytes();
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if (0..b.len()).any(|i| b[i] == b'_' && !(i > 0 && digit_at(i - 1) && digit_at(i + 1))) {
        return None;
    }
    let t = s.replace('_', "");
    match t.to_ascii_lowercase().as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        _ => super::fmt::parse_decimal(&t),
    }
}

/// The fully qualified builtin method for `obj.name`, if the type has it.
pub fn method_name(ty: Ty, name: &str) -> Option<&'static str> {
    if name == "__sizeof__" {
        return Some("object.__sizeof__");
    }
    // The iterators over a sized thing answer `__length_hint__` (enumerate, zip, map, filter and
    // generators do not).
    if name == "__length_hint__"
        && matches!(
            ty,
            Ty::ListIter
                | Ty::TupleIter
                | Ty::StrIter
                | Ty::BytesIter
                | Ty::RangeIter
                | Ty::LongRangeIter
                | Ty::ListRevIter
                | Ty::Reversed
                | Ty::DictKeyIter
                | Ty::DictValueIter
                | Ty::DictItemIter
                | Ty::DictRevKeyIter
                | Ty::DictRevValueIter
                | Ty::DictRevItemIter
                | Ty::SetIter
        )
    {
        return Some("iterator.__length_hint__");
    }
    methods_of(ty).iter().copied().find(|full| {
        // "type.name": the part after the dot equals `name` (no splitting on this hot path).
        full.len() > name.len()
            && full.ends_with(name)
            && full.as_bytes()[full.len() - name.len() - 1] == b'.'
    })
}

/// The builtin methods the simulator implements for a type, fully qualified.
pub fn methods_of(ty: Ty) -> &'static [&'static str] {
    match ty {
        Ty::List => &[
            "list.append",
            "list.extend",
            "list.insert",
            "list.pop",
            "list.remove",
            "list.clear",
            "list.copy",
            "list.index",
            "list.count",
            "list.sort",
            "list.reverse",
        ],
        Ty::Dict => &[
            "dict.get",
            "dict.keys",
            "dict.values",
            "dict.items",
            "dict.pop",
            "dict.setdefault",
            "dict.update",
            "dict.clear",
            "dict.copy",
            "dict.popitem",
            "dict.fromkeys",
        ],
        Ty::Set | Ty::FrozenSet => &[
            "set.add",
            "set.remove",
            "set.discard",
            "set.pop",
            "set.clear",
            "set.copy",
            "set.update",
            "set.union",
            "set.intersection",
            "set.difference",
            "set.issubset",
            "set.issuperset",
            "set.isdisjoint",
            "set.symmetric_difference",
        ],
        Ty::Str => &[
            "str.join",
            "str.split",
            "str.rsplit",
            "str.strip",
            "str.lstrip",
            "str.rstrip",
            "str.upper",
            "str.lower",
            "str.replace",
            "str.startswith",
            "str.endswith",
            "str.find",
            "str.rfind",
            "str.index",
            "str.rindex",
            "str.count",
            "str.format",
            "str.isdigit",
            "str.isalpha",
            "str.isalnum",
            "str.isspace",
            "str.isupper",
            "str.islower",
            "str.isidentifier",
            "str.title",
            "str.capitalize",
            "str.zfill",
            "str.center",
            "str.ljust",
            "str.rjust",
            "str.encode",
            "str.splitlines",
            "str.swapcase",
            "str.partition",
        ],
        Ty::Bytes => &[
            "bytes.decode",
            "bytes.hex",
            "bytes.count",
            "bytes.find",
            "bytes.rfind",
            "bytes.index",
            "bytes.rindex",
            "bytes.startswith",
            "bytes.endswith",
            "bytes.upper",
            "bytes.lower",
            "bytes.join",
            "bytes.split",
            "bytes.rsplit",
            "bytes.splitlines",
            "bytes.strip",
            "bytes.lstrip",
            "bytes.rstrip",
            "bytes.replace",
        ],
        Ty::ByteArray => &[
            "bytearray.append",
            "bytearray.extend",
            "bytearray.decode",
            "bytearray.hex",
            "bytearray.pop",
            "bytearray.clear",
            "bytearray.copy",
            "bytearray.split",
            "bytearray.rsplit",
            "bytearray.join",
            "bytearray.upper",
            "bytearray.lower",
            "bytearray.count",
            "bytearray.find",
            "bytearray.rfind",
            "bytearray.index",
            "bytearray.rindex",
            "bytearray.startswith",
            "bytearray.endswith",
            "bytearray.strip",
            "bytearray.lstrip",
            "bytearray.rstrip",
            "bytearray.replace",
            "bytearray.splitlines",
        ],
        Ty::Tuple => &["tuple.index", "tuple.count"],
        Ty::Range => &["range.index", "range.count"],
        Ty::Generator => &["generator.send", "generator.throw", "generator.close"],
        Ty::Int | Ty::Bool => &["int.bit_length", "int.to_bytes", "int.conjugate"],
        Ty::Float => &["float.is_integer", "float.hex", "float.conjugate"],
        _ => &[],
    }
}

#[allow(dead_code)]
fn _assert_send(_: SharedKeys) {}

/// The number of values of range(start, stop, step), step ≠ 0 (`compute_range_length`).
pub fn range_length(start: &BigInt, stop: &BigInt, step: &BigInt) -> BigInt {
    let (lo, hi, st) = if step.is_positive() {
        (start.clone(), stop.clone(), step.clone())
    } else {
        (stop.clone(), start.clone(), -step.clone())
    };
    if lo >= hi {
        BigInt::zero()
    } else {
        (hi - lo - 1) / st + 1
    }
}
