//! api: the surface the page, the widget, the npm package and the CLI share.
//!
//! [`Session`] is plain Rust (tested natively): a profile, the last run, and a cursor over its steps with the
//! simulated state at the cursor. On wasm32 the [`wasm`] module wraps it in the `Simulator` class that
//! wasm-bindgen exports. Every argument from JS is checked and every failure becomes a JS `Error` with a
//! readable message; nothing panics across the boundary (the panic hook is only a last resort).

use crate::alloc::pymalloc::PoolState;
use crate::alloc::stats::{debugmallocstats, malloc_stats, FreeListCounts};
use crate::alloc::{AllocEvent, Heap};
use crate::mscript::Machine;
use crate::object::{Payload, Ty};
use crate::profile::{self, Arch, ArenaAlign, Profile, ProfileError, MAX_POOLS_IN_ARENA};
use crate::trace::{MallocRun, Step};
use serde::Serialize;

/// What `new Simulator({...})` accepts (the wasm wrapper rejects unknown keys, so a typo is not ignored).
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub python: Option<String>,
    pub arch: Option<String>,
    pub arena_align: Option<String>,
    /// Cap on simulated memory in bytes (default 1 GiB).
    pub memory_limit: Option<f64>,
    /// Executed-statement budget of Python runs (default 10^6).
    pub max_steps: Option<f64>,
}

pub const DEFAULT_PYTHON: &str = "3.12";

/// An error found in a program, Python style.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ErrorInfo {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    pub line: u32,
    pub col: u32,
}

/// What a run returns.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
    pub stdout: String,
    pub stderr: String,
    pub error: Option<ErrorInfo>,
    pub steps: usize,
    /// The process's exit status, as the CLI exits: 0, 1 after an uncaught exception, `sys.exit`'s code,
    /// 2 for an allocator script's error.
    #[serde(rename = "exitCode")]
    pub exit_code: i32,
}

/// One pool as the arena map draws it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolView {
    pub index: u32,
    pub address: u64,
    pub state: PoolState,
    /// Size class index, or -1 for a pool that has never been carved.
    pub size_class: i32,
    pub block_size: u64,
    pub count: u32,
    pub capacity: u32,
    pub nextoffset: u32,
    pub maxnextoffset: u32,
    /// Block indices, `freeblock` first.
    pub free_list: Vec<u32>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArenaView {
    /// Index in CPython's `arenas[]` descriptor vector.
    pub slot: u32,
    pub address: u64,
    pub first_pool: u64,
    pub ntotalpools: u32,
    pub nfreepools: u32,
    /// Pools below the bump pointer `pool_address`.
    pub carved: u32,
    pub pools: Vec<PoolView>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkView {
    pub address: u64,
    pub size: u64,
}

/// The whole allocator state at the cursor, as plain data.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Layout {
    pub profile: String,
    pub python: String,
    pub arch: &'static str,
    pub has_pymalloc: bool,
    /// Why there is no arena map, when there is none.
    pub note: Option<String>,
    pub arena_size: u64,
    pub pool_size: u64,
    pub pool_overhead: u64,
    pub alignment: u64,
    /// Entries per pool in [`Session::block_states`]; 64 pool slots per arena slot.
    pub stride: u32,
    pub pools_per_arena_slot: u32,
    pub class_sizes: Vec<u64>,
    pub blocks_per_pool: Vec<u32>,
    pub arenas: Vec<ArenaView>,
    pub usable_arenas: Vec<u32>,
    pub chunks: Vec<ChunkView>,
    pub mapped_bytes: u64,
    pub allocated_blocks: u64,
    pub step: usize,
    pub steps: usize,
}

/// A step as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct StepView<'a> {
    pub index: usize,
    pub line: u32,
    pub col: u32,
    pub stdout: &'a str,
    /// The allocator's events during the step: for an allocator script, every step's; for a Python run,
    /// only the statement that brought the cursor here (the one before it), at most
    /// [`crate::alloc::STATEMENT_EVENT_CAP`] of them.
    pub events: &'a [AllocEvent],
    /// Events of the step past the cap, counted but not kept.
    #[serde(rename = "eventsDropped")]
    pub events_dropped: u64,
}

/// A profile choice for pickers.
/// A module-level name and the object it is bound to.
#[derive(Clone, Debug, Serialize)]
pub struct NameRef {
    pub name: String,
    pub id: u32,
}

/// One object of [`Session::objects`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjView {
    pub id: u32,
    /// What `id()` returns.
    pub address: u64,
    pub type_name: String,
    pub refcount: i64,
    /// PEP 683 (3.12+): the refcount never changes.
    pub immortal: bool,
    /// Before 3.12, made at interpreter startup and never freed: the count is nominal, its changes exact
    /// (see `Vm::new_static`).
    pub startup: bool,
    /// Bytes the object itself asked the allocator for (0 for static objects).
    pub bytes: u64,
    /// The collector list the object is on: 0–2 the generations, 3 permanent; None if untracked.
    pub generation: Option<i8>,
    /// The objects it refers to, in `tp_traverse` order.
    pub referents: Vec<u32>,
    /// A short value for ints, floats, strings and singletons; empty otherwise.
    pub label: String,
}

/// The owner of a block: [`Session::block_owner`].
#[derive(Clone, Debug, Serialize)]
pub struct BlockOwner {
    /// "object", a side buffer's name, or the free list keeping a dead object's block.
    pub part: &'static str,
    pub object: Option<ObjView>,
}

/// The collector's counters at the cursor: `gc.get_count()`, `gc.get_threshold()`, generation sizes.
#[derive(Clone, Debug, Serialize)]
pub struct GcState {
    pub counts: [i64; 3],
    pub thresholds: [i64; 3],
    pub sizes: [u64; 3],
    pub enabled: bool,
    pub collections: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ObjectsView {
    pub names: Vec<NameRef>,
    pub objects: Vec<ObjView>,
    /// More objects were reachable than the limit.
    pub truncated: bool,
    pub gc: GcState,
}

/// A value short enough for a badge; never calls Python code (no `__repr__`).
fn obj_view(vm: &crate::interp::vm::Vm, id: u32, referents: Vec<u32>) -> ObjView {
    let o = vm.objs.get(id);
    ObjView {
        id,
        address: o.addr,
        type_name: vm.type_name(id),
        refcount: o.refcnt,
        immortal: o.immortal,
        startup: !o.immortal && o.alloc == 0,
        bytes: o.alloc,
        generation: vm.gc.list_of(id).map(|g| g as i8),
        referents,
        label: short_label(&o.payload),
    }
}

fn short_label(p: &Payload) -> String {
    use Payload as P;
    let full = match p {
        P::Int(i) => i.to_big().to_string(),
        P::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        P::Float(x) => crate::interp::fmt::float_repr(*x),
        P::Str { s, .. } => crate::interp::fmt::str_repr(s),
        P::None => "None".to_string(),
        _ => String::new(),
    };
    if full.chars().count() > 24 {
        let head: String = full.chars().take(21).collect();
        format!("{head}...")
    } else {
        full
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ProfileInfo {
    pub series: String,
    pub release: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profiles {
    pub versions: Vec<ProfileInfo>,
    pub arches: Vec<&'static str>,
    pub arena_aligns: Vec<&'static str>,
    pub default_python: &'static str,
}

/// A number as JavaScript prints it (`-1`, `0.5`, `NaN`, `Infinity`), for messages about JS arguments;
/// through `float_repr`, not core's float formatting, which the wasm build does not carry.
fn js_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        (x as i64).to_string()
    } else {
        crate::interp::fmt::float_repr(x)
    }
}

pub fn profiles() -> Profiles {
    Profiles {
        versions: profile::supported_series()
            .into_iter()
            .map(|(series, release)| ProfileInfo { series, release })
            .collect(),
        arches: Arch::ALL.iter().map(|a| a.name()).collect(),
        arena_aligns: vec!["page", "pool", "arena"],
        default_python: DEFAULT_PYTHON,
    }
}

/// The last Python run: its source and the interpreter at the cursor.
struct PyRun {
    src: String,
    file: String,
    steps: usize,
    /// Each top-level statement's (line, col, bytes of stdout printed before it).
    marks: Vec<(u32, u32, usize)>,
    stdout: String,
    vm: Box<crate::interp::vm::Vm>,
}

/// A simulator: one profile, the last run and a cursor over it.
pub struct Session {
    pub profile: Profile,
    pub align: ArenaAlign,
    limit: u64,
    /// Executed-statement budget of Python runs.
    pub max_steps: u64,
    py: Option<PyRun>,
    run: Option<MallocRun>,
    /// Steps executed in `state` (0 = before the first statement).
    pos: usize,
    state: Machine,
}

impl Session {
    pub fn new(opts: &Options) -> Result<Session, ProfileError> {
        let profile = Profile::parse(
            opts.python.as_deref().unwrap_or(DEFAULT_PYTHON),
            opts.arch.as_deref().unwrap_or("x86_64"),
        )?;
        let align = match &opts.arena_align {
            Some(a) => ArenaAlign::parse(a)?,
            None => ArenaAlign::Page,
        };
        let limit = match opts.memory_limit {
            None => crate::alloc::DEFAULT_MEMORY_LIMIT,
            Some(x) if x.is_finite() && x >= 0.0 && x <= u64::MAX as f64 => x as u64,
            Some(x) => {
                return Err(ProfileError(format!(
                    "memoryLimit must be a byte count, not {}",
                    js_number(x)
                )))
            }
        };
        let heap = Self::fresh_heap(profile, align, limit);
        Ok(Session {
            profile,
            align,
            limit,
            max_steps: match opts.max_steps {
                None => crate::interp::Limits::default().max_steps,
                Some(x) if x.is_finite() && x >= 1.0 => x as u64,
                Some(x) => {
                    return Err(ProfileError(format!(
                        "maxSteps must be a positive count, not {}",
                        js_number(x)
                    )))
                }
            },
            py: None,
            run: None,
            pos: 0,
            state: Machine::new(heap),
        })
    }

    fn fresh_heap(profile: Profile, align: ArenaAlign, limit: u64) -> Heap {
        let mut h = Heap::new(profile, align);
        h.limit = limit;
        h
    }

    fn limits(&self) -> crate::interp::Limits {
        crate::interp::Limits {
            max_steps: self.max_steps,
            memory: self.limit,
            events: true,
        }
    }

    /// Runs a Python program; the cursor moves to its end. Steps are its top-level statements.
    pub fn run_python(&mut self, src: &str, file: &str) -> RunResult {
        self.run = None;
        let out = crate::interp::run(self.profile, self.align, src, file, self.limits());
        let steps = out.marks.len();
        let marks = out.marks;
        let result = RunResult {
            stdout: out.stdout.clone(),
            stderr: out.stderr,
            error: out.error.map(|e| ErrorInfo {
                kind: e.kind,
                message: e.message,
                line: e.line,
                col: e.col,
            }),
            steps,
            exit_code: out.exit_code,
        };
        self.py = out.vm.map(|vm| PyRun {
            src: src.to_string(),
            file: file.to_string(),
            steps,
            marks,
            stdout: out.stdout,
            vm,
        });
        self.pos = steps;
        result
    }

    /// Runs an allocator script (see [`crate::mscript`]); the cursor moves to its end.
    pub fn run_malloc(&mut self, src: &str, file: &str) -> RunResult {
        self.py = None;
        let run = MallocRun::new(Self::fresh_heap(self.profile, self.align, self.limit), src);
        let error = run.error.as_ref().map(|d| ErrorInfo {
            kind: d.kind.name().to_string(),
            message: d.message.clone(),
            line: d.line,
            col: d.col,
        });
        let stderr = run
            .error
            .as_ref()
            .map(|d| format!("{file}:{}:{}: {}\n", d.line, d.col, d.message))
            .unwrap_or_default();
        let result = RunResult {
            stdout: run.stdout(),
            stderr,
            exit_code: if error.is_some() { 2 } else { 0 },
            error,
            steps: run.steps.len(),
        };
        self.pos = run.steps.len();
        self.state = run.end.clone();
        self.run = Some(run);
        result
    }

    pub fn steps(&self) -> usize {
        if let Some(p) = &self.py {
            return p.steps;
        }
        self.run.as_ref().map_or(0, |r| r.steps.len())
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    /// Moves the cursor to step `k` (clamped): forward one step is incremental, anything else replays.
    pub fn seek(&mut self, k: usize) -> usize {
        if let Some(p) = &self.py {
            let k = k.min(p.steps);
            if k != self.pos {
                let stop = (k < p.steps).then_some(k);
                let out = crate::interp::run_until(
                    self.profile,
                    self.align,
                    &p.src,
                    &p.file,
                    self.limits(),
                    stop,
                );
                if let (Some(vm), Some(p)) = (out.vm, self.py.as_mut()) {
                    p.vm = vm;
                }
                self.pos = k;
            }
            return k;
        }
        let Some(run) = self.run.as_ref() else {
            return 0;
        };
        let k = k.min(run.steps.len());
        if k == self.pos + 1 {
            run.advance(&mut self.state, self.pos);
        } else if k != self.pos {
            self.state = run.state_at(k);
        }
        self.pos = k;
        k
    }

    /// Step `i` (0-based; step i takes the state from i to i + 1).
    pub fn step_view(&self, i: usize) -> Option<StepView<'_>> {
        if let Some(p) = &self.py {
            // A Python step is one top-level statement: where it starts and what it printed. Its allocator
            // events exist for the statement just run (the replay that reached the cursor recorded them).
            let &(line, col, from) = p.marks.get(i)?;
            let to = p.marks.get(i + 1).map_or(p.stdout.len(), |m| m.2);
            let log = &p.vm.heap.log;
            let here = i + 1 == self.pos;
            return Some(StepView {
                index: i,
                line,
                col,
                stdout: p.stdout.get(from..to).unwrap_or(""),
                events: if here { log.events() } else { &[] },
                events_dropped: if here { log.dropped } else { 0 },
            });
        }
        let s: &Step = self.run.as_ref()?.steps.get(i)?;
        Some(StepView {
            index: i,
            line: s.line,
            col: s.col,
            stdout: &s.stdout,
            events: &s.events,
            events_dropped: 0,
        })
    }

    /// The cyclic collections of the Python run up to the cursor, phase by phase.
    pub fn collections(&self) -> &[crate::interp::collect::GcEvent] {
        match &self.py {
            Some(p) => &p.vm.gc_log,
            None => &[],
        }
    }

    pub fn heap(&self) -> &Heap {
        match &self.py {
            Some(p) => &p.vm.heap,
            None => &self.state.heap,
        }
    }

    /// `sys._debugmallocstats()` at the cursor.
    pub fn report(&self) -> String {
        match &self.py {
            Some(p) => debugmallocstats(&p.vm.heap, &p.vm.free_list_counts()),
            None => debugmallocstats(&self.state.heap, &FreeListCounts::default()),
        }
    }

    /// `sys.getsizeof` of the global `name` explained, at the cursor of a Python run.
    pub fn explain(&mut self, name: &str) -> Option<crate::interp::explain::Explanation> {
        let p = self.py.as_mut()?;
        let id = p.vm.dict_get_str(p.vm.globals, name)?;
        p.vm.explain(id).ok()
    }

    /// Block states for the arena map (see [`Layout::stride`]); empty without pymalloc.
    pub fn block_states(&self) -> &[u8] {
        self.heap()
            .pymalloc
            .as_ref()
            .map_or(&[], |p| p.block_states())
    }

    /// The module's names and the objects reachable from them at the cursor of a Python run, breadth
    /// first, at most `limit` objects; with the collector's counts. None after an allocator script.
    pub fn objects(&self, limit: usize) -> Option<ObjectsView> {
        let vm = &self.py.as_ref()?.vm;
        let mut names = Vec::new();
        let mut queue = std::collections::VecDeque::new();
        let mut seen = crate::util::FxHashSet::default();
        if let Payload::Dict(d) = vm.payload(vm.globals) {
            for e in d.iter() {
                let name = match &e.k {
                    crate::object::dict::Key::Str(s) => s.clone(),
                    _ => continue,
                };
                // The module's own dunders (`__name__`, `__builtins__`, ...) are CPython's scaffolding.
                if name.starts_with("__") && name.ends_with("__") {
                    continue;
                }
                names.push(NameRef { name, id: e.value });
                if seen.insert(e.value) {
                    queue.push_back(e.value);
                }
            }
        }
        let mut objects = Vec::new();
        let mut truncated = false;
        let mut refs = Vec::new();
        while let Some(id) = queue.pop_front() {
            if objects.len() >= limit {
                truncated = true;
                break;
            }
            let o = vm.objs.get(id);
            refs.clear();
            // Modules, classes and functions would pull in the whole runtime: their referents are not
            // followed (the page shows them as leaves).
            let leaf = matches!(o.payload, Payload::Class(_) | Payload::BuiltinType { .. })
                || matches!(o.ty, Ty::Module | Ty::Function | Ty::BuiltinFunction);
            if !leaf {
                vm.gc_referents(id, &mut refs);
            }
            for &r in &refs {
                if seen.insert(r) {
                    queue.push_back(r);
                }
            }
            objects.push(obj_view(vm, id, refs.clone()));
        }
        let gc = &vm.gc;
        Some(ObjectsView {
            names,
            objects,
            truncated,
            gc: GcState {
                counts: gc.count,
                thresholds: gc.threshold,
                sizes: gc.sizes(),
                enabled: gc.enabled,
                collections: vm.gc_log.len(),
            },
        })
    }

    /// What lives in the pymalloc block or malloc chunk at `address` at the cursor of a Python run: an
    /// object (its header), one of its side buffers (a list's `ob_item`, a dict's keys table, a set's table,
    /// 3.11/3.12 instance values), or a dead object kept on a type's free list. None when the block is not
    /// in use by the program's objects (the interpreter's own memory is not modelled per block).
    pub fn block_owner(&self, address: u64) -> Option<BlockOwner> {
        let vm = &self.py.as_ref()?.vm;
        for id in vm.objs.ids() {
            let o = vm.objs.get(id);
            let part = if o.addr == address && o.alloc > 0 {
                "object"
            } else {
                match &o.payload {
                    Payload::List { buf: Some(b), .. } if *b == address => "item array (ob_item)",
                    Payload::ByteArray { buf: Some(b), .. } if *b == address => {
                        "byte buffer (ob_bytes)"
                    }
                    Payload::Dict(d) if d.keys_addr == Some(address) => "keys table (ma_keys)",
                    Payload::Set(t) if t.table_addr == Some(address) => {
                        "hash table (setentry array)"
                    }
                    Payload::Instance(i) if i.values_addr == Some(address) => "values array",
                    _ => continue,
                }
            };
            let mut refs = Vec::new();
            vm.gc_referents(id, &mut refs);
            return Some(BlockOwner {
                part,
                object: Some(obj_view(vm, id, refs)),
            });
        }
        let f = &vm.free;
        let kept = |v: &[u64]| v.contains(&address);
        let list = if kept(&f.lists) {
            "list free list"
        } else if kept(&f.dicts) {
            "dict free list"
        } else if kept(&f.floats) {
            "float free list"
        } else if kept(&f.ints) {
            "int free list"
        } else if kept(&f.dict_keys) {
            "dict keys free list"
        } else if f.tuples.iter().any(|t| kept(t)) {
            "tuple free list"
        } else {
            return None;
        };
        Some(BlockOwner {
            part: list,
            object: None,
        })
    }

    pub fn layout(&self) -> Layout {
        let heap = self.heap();
        let chunks = heap
            .raw
            .chunks()
            .into_iter()
            .map(|(address, size)| ChunkView { address, size })
            .collect();
        let mut l = Layout {
            profile: self.profile.to_string(),
            python: self.profile.version.to_string(),
            arch: self.profile.arch.name(),
            has_pymalloc: heap.pymalloc.is_some(),
            note: None,
            arena_size: 0,
            pool_size: 0,
            pool_overhead: 0,
            alignment: 0,
            stride: 0,
            pools_per_arena_slot: MAX_POOLS_IN_ARENA,
            class_sizes: vec![],
            blocks_per_pool: vec![],
            arenas: vec![],
            usable_arenas: vec![],
            chunks,
            mapped_bytes: heap.mapped_bytes(),
            allocated_blocks: 0,
            step: self.pos,
            steps: self.steps(),
        };
        let Some(pm) = heap.pymalloc.as_ref() else {
            l.note = Some(format!(
                "pymalloc is compiled out of this build (Pyodide configures --without-pymalloc): every object, \
                 small or large, comes from {}'s malloc, so there are no arenas, pools or size classes.",
                if self.profile.arch == Arch::Wasm32 { "Emscripten" } else { "the C library" }
            ));
            return l;
        };
        let g = pm.geometry;
        l.arena_size = g.arena_size;
        l.pool_size = g.pool_size;
        l.pool_overhead = g.pool_overhead;
        l.alignment = g.alignment();
        l.stride = pm.stride();
        l.class_sizes = (0..g.nb_classes() as u16)
            .map(|i| g.class_size(i))
            .collect();
        l.blocks_per_pool = (0..g.nb_classes() as u16)
            .map(|i| g.blocks_per_pool(i))
            .collect();
        l.usable_arenas = pm.usable_arenas();
        l.allocated_blocks = pm.allocated_blocks();
        for (slot, a) in pm.arenas().iter().enumerate() {
            if a.address == 0 {
                continue;
            }
            let slot = slot as u32;
            let carved = pm.carved_pools(slot);
            let pools = (0..a.ntotalpools)
                .map(|k| {
                    let info = pm.pool_info(slot * MAX_POOLS_IN_ARENA + k);
                    let touched = info.state != PoolState::Uncarved;
                    PoolView {
                        index: k,
                        address: info.address,
                        state: info.state,
                        size_class: if touched { info.szidx as i32 } else { -1 },
                        block_size: if touched { g.class_size(info.szidx) } else { 0 },
                        count: info.count,
                        capacity: if touched {
                            g.blocks_per_pool(info.szidx)
                        } else {
                            0
                        },
                        nextoffset: info.nextoffset,
                        maxnextoffset: info.maxnextoffset,
                        free_list: info.free_list,
                    }
                })
                .collect();
            l.arenas.push(ArenaView {
                slot,
                address: a.address,
                first_pool: a.address.div_ceil(g.pool_size) * g.pool_size,
                ntotalpools: a.ntotalpools,
                nfreepools: a.nfreepools,
                carved,
                pools,
            });
        }
        l
    }

    /// Totals that the report prints, for tests and the page's summary line.
    pub fn totals(&self) -> Option<(u64, u64)> {
        let pm = self.heap().pymalloc.as_ref()?;
        let s = malloc_stats(pm);
        Some((s.total(pm), s.narenas * pm.geometry.arena_size))
    }
}

#[cfg(target_arch = "wasm32")]
pub mod wasm {
    //! The wasm-bindgen surface: `Simulator`, `profiles()`.
    use super::*;
    use wasm_bindgen::prelude::*;

    fn js_err(msg: impl std::fmt::Display) -> JsValue {
        js_sys::Error::new(&msg.to_string()).into()
    }

    /// A result as a plain JS object: its JSON text (`crate::json`), parsed once on the JS side.
    fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
        js_sys::JSON::parse(&crate::json::to_string(v).map_err(js_err)?)
    }

    const OPTION_KEYS: [&str; 5] = ["python", "arch", "arenaAlign", "memoryLimit", "maxSteps"];

    /// Reads the options object key by key, so that a misspelt key or a wrong type gets a message naming it.
    fn parse_options(v: &JsValue) -> Result<Options, JsValue> {
        let mut opts = Options::default();
        if v.is_undefined() || v.is_null() {
            return Ok(opts);
        }
        if !v.is_object() || js_sys::Array::is_array(v) {
            return Err(js_err(
                "new Simulator(options): options must be an object such as { python: \"3.12\", arch: \"x86_64\" }",
            ));
        }
        let obj: &js_sys::Object = v.unchecked_ref();
        for key in js_sys::Object::keys(obj).iter() {
            let key = key.as_string().unwrap_or_default();
            if !OPTION_KEYS.contains(&key.as_str()) {
                return Err(js_err(format!(
                    "new Simulator(options): unknown option '{key}'; the options are {}",
                    OPTION_KEYS.join(", ")
                )));
            }
            let value = js_sys::Reflect::get(obj, &JsValue::from_str(&key))?;
            if value.is_undefined() {
                continue;
            }
            let kind = value.js_typeof().as_string().unwrap_or_default();
            let text = || {
                value.as_string().ok_or_else(|| {
                    js_err(format!("new Simulator(options): {key} must be a string such as \"3.12\", not a {kind}"))
                })
            };
            match key.as_str() {
                "python" => opts.python = Some(text()?),
                "arch" => opts.arch = Some(text()?),
                "arenaAlign" => opts.arena_align = Some(text()?),
                "maxSteps" => {
                    opts.max_steps = Some(value.as_f64().ok_or_else(|| {
                        js_err(format!("new Simulator(options): maxSteps must be a number, not a {kind}"))
                    })?)
                }
                _ => {
                    opts.memory_limit = Some(value.as_f64().ok_or_else(|| {
                        js_err(format!("new Simulator(options): memoryLimit must be a number of bytes, not a {kind}"))
                    })?)
                }
            }
        }
        Ok(opts)
    }

    // The TypeScript declarations of everything the API takes and returns. They mirror the Rust structs that
    // serde turns into plain objects (`to_js`: json_compatible, so `Option::None` is `null`, integers are
    // numbers and fixed arrays are arrays); `tests/npm/shapes.mjs` checks every call's results against them
    // in Node and fails on any drift, in either direction. Custom sections end up in the .d.ts only, not in
    // the wasm.
    #[wasm_bindgen(typescript_custom_section)]
    const TS_TYPES: &'static str = r#"
/** CPU architecture: `x86_64` (64-bit, pymalloc) or `wasm32` (as Pyodide builds CPython: 32-bit, no pymalloc). */
export type Arch = "x86_64" | "wasm32";

/** Where mmap puts arena bases: page-aligned (the usual 64-bit Linux case), pool-aligned or arena-aligned. */
export type ArenaAlign = "page" | "pool" | "arena";

/** What `new Simulator(options)` accepts; an unknown key or a wrong type throws an `Error` naming it. */
export interface SimulatorOptions {
    /** "3.7" … "3.15" (the newest release of that series) or an exact release such as "3.7.3"; default "3.12". */
    python?: string;
    /** Default "x86_64". */
    arch?: Arch;
    /** Default "page". */
    arenaAlign?: ArenaAlign;
    /** Cap on simulated memory in bytes (default 1 GiB). */
    memoryLimit?: number;
    /** Executed-statement budget of Python runs (default 10^6). */
    maxSteps?: number;
}

/** An error found in a program or allocator script, Python style (`type` is e.g. "ZeroDivisionError"). */
export interface ErrorInfo {
    /** The exception class, e.g. "NameError"; for allocator scripts SyntaxError, NameError, DoubleFreeError or MemoryError. */
    type: string;
    /** The exception's message (the text after the colon of the traceback's last line). */
    message: string;
    /** 1-based source line. */
    line: number;
    /** 1-based column. */
    col: number;
}

/** What `run` and `runMalloc` return. Errors in the program are returned here, not thrown. */
export interface RunResult {
    /** Everything the program printed, as CPython prints it. */
    stdout: string;
    /** The traceback of an uncaught exception (Python), or `FILE:LINE:COL: message` (allocator scripts); empty otherwise. */
    stderr: string;
    error: ErrorInfo | null;
    /** Top-level statements (Python) or statements (allocator scripts) executed. */
    steps: number;
    /** The exit status the CLI would give: 0; 1 after an uncaught exception; `sys.exit`'s code (its low 8
     * bits; 1 for a message); 2 for an allocator script's error. */
    exitCode: number;
}

/** Where a pymalloc block sits. */
export interface BlockLoc {
    /** Slot in CPython's `arenas[]` descriptor vector. */
    arena: number;
    /** Pool index within the arena. */
    pool: number;
    /** Block index within the pool. */
    block: number;
    /** Size class index. */
    szidx: number;
}

/** A block (pymalloc, `loc` set) or a malloc chunk (`loc` null) was handed out. */
export interface MallocEvent { kind: "malloc"; address: number; nbytes: number; loc: BlockLoc | null; }
/** A block or chunk was returned. */
export interface FreeEvent { kind: "free"; address: number; loc: BlockLoc | null; }
/** realloc kept the block where it was. */
export interface ReallocInPlaceEvent { kind: "realloc_in_place"; address: number; nbytes: number; }
/** `new_arena()` mapped an arena into descriptor slot `arena`. */
export interface NewArenaEvent { kind: "new_arena"; arena: number; address: number; ntotalpools: number; }
/** A wholly free arena was unmapped. */
export interface ReleaseArenaEvent { kind: "release_arena"; arena: number; address: number; }
/** A pool was taken for class `szidx`; `reused` when it last held the same class and kept its free list. */
export interface PoolInitEvent { kind: "pool_init"; arena: number; pool: number; szidx: number; reused: boolean; }

/** One observable change in the allocator, told apart by `kind`. */
export type AllocEvent = MallocEvent | FreeEvent | ReallocInPlaceEvent | NewArenaEvent | ReleaseArenaEvent | PoolInitEvent;

/** Step `index` takes the state from step `index` to `index + 1`. */
export interface StepView {
    /** The step's number, as passed to `step(i)`. */
    index: number;
    /** Where the statement starts (1-based line and column). */
    line: number;
    col: number;
    /** What the statement printed. */
    stdout: string;
    /** The allocator events of the step: every step of an allocator script; for a Python run only the
     * statement that brought the cursor here (step position - 1), at most 10,000 of them. */
    events: AllocEvent[];
    /** Events of the step past that cap, counted but not kept. */
    eventsDropped: number;
}

/** What lives in a block: `blockOwner(address)`. */
export interface BlockOwner {
    /** "object", a side buffer ("item array (ob_item)", "keys table (ma_keys)", ...) or "list free list", ... */
    part: string;
    /** The owning object; null for a dead object kept on a free list. */
    object: ObjectView | null;
}

/** One part of `sys.getsizeof`: the bytes, what they are, and the CPython rule with the versions it applies to. */
export interface ExplanationPart {
    /** What the bytes are, e.g. "GC head" or "6 spare slots". */
    label: string;
    bytes: number;
    /** The CPython rule, with the versions and the issue it comes from. */
    rule: string;
}

/** Why `sys.getsizeof(x)` is what it is; the parts sum to `getsizeof`. */
export interface Explanation {
    /** The object's type name. */
    typeName: string;
    /** What `sys.getsizeof` returns: the sum of `parts`. */
    getsizeof: number;
    /** Bytes the allocator was asked for (may differ from getsizeof: side buffers, inline values). */
    allocated: number;
    /** What `id()` returns. */
    address: number;
    /** What `sys.getrefcount` would show, less its own argument. */
    refcount: number;
    parts: ExplanationPart[];
}

/** A module-level name and the id (in `ObjectsView.objects`) of the object bound to it. */
export interface NameRef {
    /** The global's name. */
    name: string;
    id: number;
}

/** One object reachable from the module's names. */
export interface ObjectView {
    /** The simulator's id (not `id()`): what `NameRef.id` and `referents` refer to. */
    id: number;
    /** What `id()` returns. */
    address: number;
    /** The object's type name (a class's own name for instances). */
    typeName: string;
    /** The reference count, as `sys.getrefcount` sees it less its own argument. */
    refcount: number;
    /** PEP 683 (3.12+): the refcount never changes. */
    immortal: boolean;
    /** Before 3.12, an object made at interpreter startup (None, small ints, builtin types): its count
     * starts from a nominal value, since the references the interpreter holds from startup are not
     * modelled; its changes are CPython's. */
    startup: boolean;
    /** Bytes the object itself asked the allocator for (0 for static objects). */
    bytes: number;
    /** The collector list the object is on: 0–2 the generations, 3 permanent; null if untracked. */
    generation: number | null;
    /** The objects it refers to, in `tp_traverse` order. */
    referents: number[];
    /** A short value for ints, floats, strings and singletons; empty otherwise. */
    label: string;
}

/** The collector's counters: `gc.get_count()`, `gc.get_threshold()`, the generations' sizes. */
export interface GcState {
    /** `gc.get_count()`. */
    counts: [number, number, number];
    /** `gc.get_threshold()`. */
    thresholds: [number, number, number];
    /** Objects in each generation. */
    sizes: [number, number, number];
    /** `gc.isenabled()`. */
    enabled: boolean;
    /** Collections so far (`collections().length`). */
    collections: number;
}

/** The module's names and the objects reachable from them, breadth first. */
export interface ObjectsView {
    names: NameRef[];
    objects: ObjectView[];
    /** More objects were reachable than the limit. */
    truncated: boolean;
    gc: GcState;
}

/** An object in a collection. */
export interface GcObject {
    /** The simulator's id, as in `ObjectView.id`. */
    id: number;
    /** What `id()` returned for it. */
    addr: number;
    /** Its type name. */
    type: string;
}

/** One cyclic collection, phase by phase. */
export interface GcEvent {
    /** Source line being executed when the collection ran. */
    line: number;
    /** The generation collected (3.14.0–3.14.4 incremental: 0 young, 1 an increment, 2 full). */
    generation: number;
    /** "manual" for `gc.collect()`. */
    reason: "automatic" | "manual";
    /** The candidates, in list order. */
    candidates: GcObject[];
    /** `gc_refs` of each candidate after `update_refs`. */
    refsAfterUpdate: number[];
    /** `gc_refs` of each candidate after `subtract_refs`. */
    refsAfterSubtract: number[];
    /** What `move_unreachable` decided (ids). */
    reachable: number[];
    /** The rest: the garbage candidates, in list order. */
    unreachable: number[];
    /** Objects whose `__del__` the collector called, in call order. */
    finalized: number[];
    /** Objects resurrected by their finalizers. */
    resurrected: number[];
    /** Objects freed during `delete_garbage`, in the order their memory was returned. */
    freed: GcObject[];
    /** Objects collected (`gc.get_stats()`'s `collected`). */
    collected: number;
    /** Objects found uncollectable (`gc.get_stats()`'s `uncollectable`). */
    uncollectable: number;
    /** `gc.get_count()` after the collection. */
    countsAfter: [number, number, number];
}

/** A pool's state: not yet carved, on the arena's freepools list, in usedpools, or full. */
export type PoolState = "uncarved" | "empty" | "used" | "full";

/** One pool as the arena map draws it. */
export interface PoolView {
    /** The pool's index in its arena. */
    index: number;
    /** The pool header's address. */
    address: number;
    state: PoolState;
    /** Size class index, or -1 for a pool that has never been carved. */
    sizeClass: number;
    /** Bytes per block of the pool's class (0 if never carved). */
    blockSize: number;
    /** `ref.count`: blocks in use. */
    count: number;
    /** Blocks the pool holds at its class size. */
    capacity: number;
    /** Offset of the next never-used block (blocks above it were never handed out). */
    nextoffset: number;
    /** The largest valid `nextoffset`: once past it, every block of the pool has been handed out once. */
    maxnextoffset: number;
    /** Block indices, `freeblock` first. */
    freeList: number[];
}

/** One arena. */
export interface ArenaView {
    /** Index in CPython's `arenas[]` descriptor vector. */
    slot: number;
    /** The arena's base, as mmap returned it. */
    address: number;
    /** The first pool boundary at or above the base. */
    firstPool: number;
    /** Pools the arena holds (one fewer when its base is not pool-aligned). */
    ntotalpools: number;
    /** Pools not in use: empty ones and those not carved yet. */
    nfreepools: number;
    /** Pools below the bump pointer `pool_address`. */
    carved: number;
    pools: PoolView[];
}

/** A chunk from the C library's malloc (requests of 0 and > 512 bytes; everything on wasm32). */
export interface ChunkView {
    /** The address malloc returned. */
    address: number;
    /** The chunk's size: the request rounded up as the C library rounds it. */
    size: number;
}

/** The whole allocator state at the cursor. */
export interface Snapshot {
    /** E.g. "CPython 3.12.12 on x86_64". */
    profile: string;
    /** The exact release, e.g. "3.12.12". */
    python: string;
    arch: Arch;
    /** False on wasm32: Pyodide builds CPython without pymalloc. */
    hasPymalloc: boolean;
    /** Why there is no arena map, when there is none. */
    note: string | null;
    /** ARENA_SIZE in bytes (0 without pymalloc). */
    arenaSize: number;
    /** POOL_SIZE in bytes. */
    poolSize: number;
    /** POOL_OVERHEAD: the pool header, rounded up to the alignment. */
    poolOverhead: number;
    /** ALIGNMENT: the size class step (8 or 16 bytes). */
    alignment: number;
    /** Entries per pool in `blocks()`. */
    stride: number;
    /** Pool slots per arena slot in `blocks()` (64). */
    poolsPerArenaSlot: number;
    /** Block size of each size class. */
    classSizes: number[];
    /** Blocks a pool holds, per size class. */
    blocksPerPool: number[];
    /** Arenas in use, by descriptor slot. */
    arenas: ArenaView[];
    /** Arena slots in `usable_arenas` order. */
    usableArenas: number[];
    /** Live chunks from the C library's malloc, by address. */
    chunks: ChunkView[];
    /** Bytes mapped: arenas plus the C library's heap. */
    mappedBytes: number;
    /** pymalloc blocks in use. */
    allocatedBlocks: number;
    /** The cursor (`position`). */
    step: number;
    /** The steps of the run (`stepCount`). */
    steps: number;
}

/** A supported series and the release it resolves to. */
export interface ProfileInfo {
    /** E.g. "3.12". */
    series: string;
    /** E.g. "3.12.12". */
    release: string;
}

/** What the simulator supports. */
export interface Profiles {
    /** Each supported series, oldest first. */
    versions: ProfileInfo[];
    /** The supported arches. */
    arches: Arch[];
    /** The arena alignments, the default first. */
    arenaAligns: ArenaAlign[];
    /** The series used when `python` is not given. */
    defaultPython: string;
}
"#;

    #[wasm_bindgen(start)]
    pub fn start() {
        console_error_panic_hook::set_once();
    }

    /// Supported versions, arches and arena alignments.
    #[wasm_bindgen(unchecked_return_type = "Profiles")]
    pub fn profiles() -> Result<JsValue, JsValue> {
        to_js(&super::profiles())
    }

    /// Runs the allocator benchmark workload (`alloc::workload::mixed_ops`) inside wasm, for
    /// `scripts/bench-wasm.mjs` to time. Returns the workload's checksum.
    #[cfg(feature = "bench")]
    #[wasm_bindgen(js_name = benchMixedOps)]
    pub fn bench_mixed_ops(python: &str, arch: &str, ops: f64, live: f64) -> Result<f64, JsValue> {
        let profile = Profile::parse(python, arch).map_err(js_err)?;
        let mut heap = Heap::new(profile, ArenaAlign::Page);
        Ok(crate::alloc::workload::mixed_ops(
            &mut heap,
            ops as u64,
            live as usize,
            0x9e37_79b9_7f4a_7c15,
        ) as f64)
    }

    /// A profile, the last run and a cursor over its steps; every view reads the state at the cursor.
    #[wasm_bindgen]
    pub struct Simulator {
        inner: Session,
    }

    #[wasm_bindgen]
    impl Simulator {
        /// `new Simulator({ python: "3.12", arch: "x86_64", arenaAlign: "page", memoryLimit })`.
        #[wasm_bindgen(constructor)]
        pub fn new(
            #[wasm_bindgen(unchecked_optional_param_type = "SimulatorOptions | null")]
            options: JsValue,
        ) -> Result<Simulator, JsValue> {
            let opts = parse_options(&options)?;
            let inner = Session::new(&opts).map_err(js_err)?;
            Ok(Simulator { inner })
        }

        /// The profile as text, e.g. "CPython 3.12.12 on x86_64".
        #[wasm_bindgen(getter)]
        pub fn profile(&self) -> String {
            self.inner.profile.to_string()
        }

        /// Runs a Python program; returns `{ stdout, stderr, error, steps }` (a step per top-level statement).
        #[wasm_bindgen(unchecked_return_type = "RunResult")]
        pub fn run(
            &mut self,
            #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
        ) -> Result<JsValue, JsValue> {
            let src = source
                .as_string()
                .ok_or_else(|| js_err("run(source): source must be a string"))?;
            to_js(&self.inner.run_python(&src, "<stdin>"))
        }

        /// Runs an allocator script; returns `{ stdout, stderr, error, steps }`.
        #[wasm_bindgen(js_name = runMalloc, unchecked_return_type = "RunResult")]
        pub fn run_malloc(
            &mut self,
            #[wasm_bindgen(unchecked_param_type = "string")] source: JsValue,
        ) -> Result<JsValue, JsValue> {
            let src = source
                .as_string()
                .ok_or_else(|| js_err("runMalloc(source): source must be a string"))?;
            to_js(&self.inner.run_malloc(&src, "<script>"))
        }

        /// Moves to step `k` (0 = before the first statement); returns the step reached.
        pub fn seek(&mut self, k: f64) -> Result<usize, JsValue> {
            if !k.is_finite() || k < 0.0 {
                return Err(js_err(format!(
                    "seek(step): step must be a number ≥ 0, not {}",
                    js_number(k)
                )));
            }
            Ok(self.inner.seek(k as usize))
        }

        /// The executed-statement budget of Python runs.
        #[wasm_bindgen(setter, js_name = maxSteps)]
        pub fn set_max_steps(&mut self, n: f64) {
            if n.is_finite() && n >= 1.0 {
                self.inner.max_steps = n as u64;
            }
        }

        /// The step the cursor is at (0 = before the first statement).
        #[wasm_bindgen(getter)]
        pub fn position(&self) -> usize {
            self.inner.position()
        }

        /// The number of steps of the last run.
        #[wasm_bindgen(getter, js_name = stepCount)]
        pub fn step_count(&self) -> usize {
            self.inner.steps()
        }

        /// Step `i`: `{ index, line, col, stdout, events }`, or null.
        #[wasm_bindgen(unchecked_return_type = "StepView | null")]
        pub fn step(&self, i: f64) -> Result<JsValue, JsValue> {
            if !i.is_finite() || i < 0.0 {
                return Ok(JsValue::NULL);
            }
            match self.inner.step_view(i as usize) {
                Some(v) => to_js(&v),
                None => Ok(JsValue::NULL),
            }
        }

        /// Why `sys.getsizeof(name)` is what it is: `{ typeName, getsizeof, parts: [{label, bytes, rule}] }`,
        /// or null when there is no such global.
        #[wasm_bindgen(unchecked_return_type = "Explanation | null")]
        pub fn explain(
            &mut self,
            #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        ) -> Result<JsValue, JsValue> {
            let n = name
                .as_string()
                .ok_or_else(|| js_err("explain(name): name must be a string"))?;
            match self.inner.explain(&n) {
                Some(e) => to_js(&e),
                None => Ok(JsValue::NULL),
            }
        }

        /// The cyclic collections of the Python run up to the cursor: `[{ line, generation, reason,
        /// candidates: [{id, addr, type}], refsAfterUpdate, refsAfterSubtract, reachable, unreachable,
        /// finalized, resurrected, freed, collected, uncollectable, countsAfter }]`, to replay phase by
        /// phase.
        #[wasm_bindgen(unchecked_return_type = "GcEvent[]")]
        pub fn collections(&self) -> Result<JsValue, JsValue> {
            to_js(&self.inner.collections())
        }

        /// The module's names and the objects reachable from them (at most `limit`, default 500) at the
        /// cursor: `{ names: [{name, id}], objects: [{id, address, typeName, refcount, immortal, bytes,
        /// generation, referents, label}], truncated, gc: {counts, thresholds, sizes, enabled,
        /// collections} }`, or null after an allocator script.
        #[wasm_bindgen(unchecked_return_type = "ObjectsView | null")]
        pub fn objects(
            &self,
            #[wasm_bindgen(unchecked_optional_param_type = "number | null")] limit: JsValue,
        ) -> Result<JsValue, JsValue> {
            let limit = match limit.as_f64() {
                None if limit.is_undefined() || limit.is_null() => 500,
                Some(n) if n.is_finite() && n >= 0.0 => n as usize,
                _ => return Err(js_err("objects(limit): limit must be a number ≥ 0")),
            };
            match self.inner.objects(limit) {
                Some(v) => to_js(&v),
                None => Ok(JsValue::NULL),
            }
        }

        /// What lives in the block or chunk at `address` (a number) at the cursor of a Python run:
        /// `{ part, object }` (an object, one of its side buffers, or a free list's dead object), or null.
        #[wasm_bindgen(js_name = blockOwner, unchecked_return_type = "BlockOwner | null")]
        pub fn block_owner(
            &self,
            #[wasm_bindgen(unchecked_param_type = "number")] address: JsValue,
        ) -> Result<JsValue, JsValue> {
            let a = match address.as_f64() {
                Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 => n as u64,
                _ => {
                    return Err(js_err(
                        "blockOwner(address): address must be a whole number ≥ 0",
                    ))
                }
            };
            match self.inner.block_owner(a) {
                Some(v) => to_js(&v),
                None => Ok(JsValue::NULL),
            }
        }

        /// `sys._debugmallocstats()` text at the cursor.
        pub fn report(&self) -> String {
            self.inner.report()
        }

        /// The allocator state at the cursor as a plain object.
        #[wasm_bindgen(unchecked_return_type = "Snapshot")]
        pub fn snapshot(&self) -> Result<JsValue, JsValue> {
            to_js(&self.inner.layout())
        }

        /// Block states (0 untouched, 1 free, 2 used), `stride` per pool, as a view into wasm memory: valid
        /// until the next call into the simulator.
        pub fn blocks(&self) -> js_sys::Uint8Array {
            // SAFETY: the view aliases memory owned by `self`; JS is told to re-fetch it after every call,
            // and nothing in Rust writes to it while JS holds it (single-threaded).
            unsafe { js_sys::Uint8Array::view(self.inner.block_states()) }
        }
    }
}
