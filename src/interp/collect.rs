//! collect: the cyclic collector run on the interpreter's objects, and the `gc` module
//! (`Modules/gcmodule.c` 3.7–3.12, `Python/gc.c` 3.13+; alloc-gc.md §4). The lists and the graph phases
//! are in [`crate::gc`]; this file decides what is tracked and when, counts allocations, says what each
//! type refers to (`tp_traverse`) and how it breaks its references (`tp_clear`), runs PEP 442 finalizers
//! (`__del__`) on both the refcount and the collector paths, and records every collection as a
//! [`GcEvent`] the page replays phase by phase.

use super::vm::{Flow, Kept, Vm, KEPT_ALL, R};
use crate::gc::{Deduced, GenStats, ListId, PERMANENT, SCRATCH, UNREACHABLE};
use crate::object::{ObjId, Payload, Ty};
use crate::profile::Arch;

/// `gc.DEBUG_*` flags.
pub const DEBUG_STATS: u32 = 1;
pub const DEBUG_COLLECTABLE: u32 = 2;
pub const DEBUG_UNCOLLECTABLE: u32 = 4;
pub const DEBUG_SAVEALL: u32 = 32;
pub const DEBUG_LEAK: u32 = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;

/// One collection, as the page replays it.
#[derive(Clone, Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GcEvent {
    /// Source line being executed when the collection ran.
    pub line: u32,
    /// The generation collected (3.14.0–3.14.4 incremental: 0 young, 1 an increment, 2 full).
    pub generation: u8,
    /// `"automatic"` or `"manual"` (`gc.collect()`).
    pub reason: &'static str,
    /// The candidates (ids, in list order) and their addresses and type names.
    pub candidates: Vec<GcObj>,
    /// `gc_refs` of each candidate after `update_refs` and after `subtract_refs`.
    pub refs_after_update: Vec<i64>,
    pub refs_after_subtract: Vec<i64>,
    /// What `move_unreachable` decided (ids).
    pub reachable: Vec<ObjId>,
    pub unreachable: Vec<ObjId>,
    /// Objects whose `__del__` the collector called, in call order.
    pub finalized: Vec<ObjId>,
    /// Objects resurrected by their finalizers (moved to the older generation).
    pub resurrected: Vec<ObjId>,
    /// Objects freed during `delete_garbage`, in the order their memory was returned.
    pub freed: Vec<GcObj>,
    pub collected: i64,
    pub uncollectable: i64,
    /// `gc.get_count()` after the collection.
    pub counts_after: [i64; 3],
}

impl GcEvent {
    /// The collection as readable lines, one per phase (`pymemsim run --trace`).
    pub fn to_text(&self) -> String {
        let name = |id: &ObjId| {
            self.candidates
                .iter()
                .chain(self.freed.iter())
                .find(|o| o.id == *id)
                .map(|o| format!("{}@{:#x}", o.ty, o.addr))
                .unwrap_or_else(|| format!("#{id}"))
        };
        let list = |ids: &[ObjId]| ids.iter().map(name).collect::<Vec<_>>().join(" ");
        let refs = |r: &[i64]| {
            self.candidates
                .iter()
                .zip(r)
                .map(|(o, g)| format!("{}@{:#x}={g}", o.ty, o.addr))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut t = format!(
            "gc line {}: collecting generation {} ({}), {} candidates\n",
            self.line,
            self.generation,
            self.reason,
            self.candidates.len()
        );
        t += &format!("gc   update_refs: {}\n", refs(&self.refs_after_update));
        t += &format!("gc   subtract_refs: {}\n", refs(&self.refs_after_subtract));
        t += &format!(
            "gc   move_unreachable: reachable [{}] unreachable [{}]\n",
            list(&self.reachable),
            list(&self.unreachable)
        );
        if !self.finalized.is_empty() {
            t += &format!("gc   finalize: {}\n", list(&self.finalized));
        }
        if !self.resurrected.is_empty() {
            t += &format!("gc   resurrected: {}\n", list(&self.resurrected));
        }
        let freed: Vec<String> = self
            .freed
            .iter()
            .map(|o| format!("{}@{:#x}", o.ty, o.addr))
            .collect();
        t += &format!("gc   delete_garbage freed: [{}]\n", freed.join(" "));
        t += &format!(
            "gc   done: {} collected, {} uncollectable, counts ({}, {}, {})\n",
            self.collected,
            self.uncollectable,
            self.counts_after[0],
            self.counts_after[1],
            self.counts_after[2]
        );
        t
    }
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct GcObj {
    pub id: ObjId,
    pub addr: u64,
    #[serde(rename = "type")]
    pub ty: String,
}

/// The collector's state when `__main__` starts, measured with pyrun on each interpreter with
/// `import gc; print(gc.get_count())`: counts, the sizes of the three generations (3.7 reports only the
/// total), collections already made, and `get_freeze_count()`. Startup objects are all reachable; only
/// their number matters.
struct Startup {
    count: [i64; 3],
    sizes: [u64; 3],
    collections: [u64; 3],
    collected: [u64; 3],
    frozen: u64,
    /// Natively, compiling `__main__` allocates GC objects too (each code object's tuples of names and
    /// constants). In tenths of a count: the first function (or lambda or comprehension), each
    /// function, each method more, the first class, each class — fitted to programs with 1, 2, 3 and
    /// 10 functions and classes. Pyodide's counts do not move with the program.
    compile: [i64; 5],
    /// 3.12+: when compiling pushed the count over the threshold, the collection runs at the module's
    /// first eval-breaker check, and this many allocations follow before the first statement.
    residual: i64,
}

fn startup(minor: u8, patch: u8, arch: Arch) -> Startup {
    let s = |count: [i64; 3], sizes, collections, collected, frozen, compile, residual| Startup {
        count,
        sizes,
        collections,
        collected,
        frozen,
        compile,
        residual,
    };
    let w = |c, sz, col, cd, fr| s(c, sz, col, cd, fr, [0; 5], 0);
    const C311: [i64; 5] = [85, 35, 60, 95, 65];
    const C314: [i64; 5] = [70, 60, 90, 75, 70];
    match (arch, minor) {
        (Arch::Wasm32, 10) => w(
            [496, 2, 4],
            [824, 1372, 15566],
            [46, 4, 0],
            [114, 304, 0],
            0,
        ),
        (Arch::Wasm32, 11) => w([389, 9, 3], [912, 2527, 13316], [42, 3, 0], [192, 24, 0], 0),
        (Arch::Wasm32, 12) => w(
            [469, 7, 2],
            [1024, 3320, 13791],
            [29, 2, 0],
            [219, 0, 0],
            375,
        ),
        (Arch::Wasm32, 13) => w(
            [509, 2, 1],
            [1114, 2097, 14724],
            [13, 1, 0],
            [186, 42, 0],
            0,
        ),
        (Arch::Wasm32, 14) => w([521, 0, 0], [885, 0, 19556], [0, 4, 0], [0, 230, 0], 0),
        (Arch::Wasm32, _) => w(
            [645, 3, 1],
            [1150, 2924, 15947],
            [14, 1, 0],
            [153, 68, 0],
            0,
        ),
        (_, 7) => s(
            [607, 9, 0],
            [4570, 0, 0],
            [9, 0, 0],
            [0; 3],
            0,
            [0, 79, 0, 0, 110],
            0,
        ),
        (_, 8) => s([376, 9, 0], [453, 4213, 0], [9, 0, 0], [0; 3], 0, C311, 0),
        (_, 9) => s([523, 9, 0], [605, 4175, 0], [9, 0, 0], [0; 3], 0, C311, 0),
        (_, 10) => s([622, 9, 0], [676, 4205, 0], [9, 0, 0], [0; 3], 0, C311, 0),
        (_, 11) => s(
            [593, 7, 0],
            [591, 4176, 0],
            [7, 0, 0],
            [24, 0, 0],
            0,
            C311,
            0,
        ),
        (_, 12) => s(
            [682, 4, 0],
            [674, 4337, 0],
            [4, 0, 0],
            [24, 0, 0],
            375,
            [40, 70, 60, 130, 65],
            20,
        ),
        (_, 13) if patch < 10 => s(
            [1962, 2, 0],
            [1899, 3828, 0],
            [2, 0, 0],
            [24, 0, 0],
            0,
            C311,
            0,
        ),
        (_, 13) => s(
            [1988, 2, 0],
            [1923, 3826, 0],
            [2, 0, 0],
            [24, 0, 0],
            0,
            C311,
            21,
        ),
        (_, 14) => s(
            [1906, 2, 0],
            [1901, 4116, 0],
            [2, 0, 0],
            [23, 0, 0],
            0,
            C314,
            20,
        ),
        _ => s(
            [1989, 2, 0],
            [1957, 4195, 0],
            [2, 0, 0],
            [23, 0, 0],
            0,
            C314,
            20,
        ),
    }
}

/// The free lists when `__main__` starts (`sys._debugmallocstats()` as a program's first statement,
/// per interpreter), one row each: lists, dicts, floats, 8-slot dict keys (reported 3.13+), bound
/// builtin methods (reported 3.7–3.8; 3.14+ counted by allocation natively with no import, and by
/// `_tracemalloc` on Pyodide, whose `_tracemalloc` import takes 10), frames (≤3.10), then
/// n-tuples for n = 1..=20. Objects taken from them do not count toward a collection, so until the
/// first full collection empties them the counts a program sees depend on them.
#[rustfmt::skip]
static STARTUP_FREE: [[u16; 26]; 16] = [
    // wasm 3.10
    [78, 30, 93, 0, 0, 0, 36, 610, 19, 6, 12, 2, 18, 7, 11, 1, 13, 5, 10, 4, 7, 3, 8, 4, 4, 0],
    // wasm 3.11
    [70, 36, 77, 0, 0, 0, 64, 875, 56, 23, 33, 29, 20, 16, 15, 0, 10, 3, 10, 5, 5, 3, 6, 1, 3, 73],
    // wasm 3.12
    [78, 64, 83, 0, 0, 0, 41, 671, 29, 6, 18, 16, 10, 9, 13, 2, 4, 2, 10, 2, 7, 2, 4, 2, 2, 1],
    // wasm 3.13
    [79, 62, 73, 63, 0, 0, 45, 724, 24, 1, 17, 13, 9, 7, 15, 4, 7, 6, 7, 8, 7, 2, 5, 5, 5, 3],
    // wasm 3.14
    [78, 71, 96, 74, 15, 0, 47, 771, 16, 13, 14, 23, 6, 7, 13, 8, 15, 4, 4, 5, 9, 5, 5, 4, 2, 6],
    // wasm 3.15
    [79, 67, 95, 60, 15, 0, 44, 696, 13, 15, 11, 12, 5, 6, 11, 8, 8, 3, 1, 5, 7, 5, 4, 6, 3, 4],
    // 3.7
    [5, 8, 3, 0, 5, 4, 8, 4, 3, 1, 2, 3, 9, 8, 3, 1, 1, 1, 0, 3, 2, 0, 1, 2, 3, 0],
    // 3.8
    [5, 8, 3, 0, 3, 3, 6, 5, 5, 1, 2, 3, 10, 6, 3, 1, 1, 2, 0, 3, 2, 0, 1, 1, 3, 0],
    // 3.9
    [5, 8, 3, 0, 0, 3, 5, 5, 7, 1, 2, 3, 10, 1, 3, 4, 2, 2, 0, 3, 2, 0, 1, 1, 3, 0],
    // 3.10
    [5, 8, 3, 0, 0, 3, 5, 7, 8, 1, 2, 3, 10, 1, 3, 7, 2, 1, 0, 1, 2, 0, 1, 1, 3, 0],
    // 3.11
    [5, 8, 3, 0, 0, 0, 5, 8, 2, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0],
    // 3.12
    [7, 9, 3, 0, 0, 0, 5, 8, 2, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0],
    // 3.13.0-9
    [7, 9, 3, 4, 0, 0, 5, 8, 11, 1, 1, 5, 6, 3, 3, 5, 2, 8, 2, 1, 1, 2, 2, 2, 1, 0],
    // 3.13.10+
    [8, 9, 3, 2, 0, 0, 5, 8, 11, 1, 0, 3, 4, 3, 3, 5, 2, 8, 3, 1, 2, 2, 1, 3, 1, 0],
    // 3.14
    [8, 9, 3, 2, 1, 0, 5, 8, 7, 1, 2, 2, 4, 1, 3, 1, 4, 4, 9, 1, 2, 3, 0, 6, 1, 0],
    // 3.15
    [9, 9, 3, 2, 1, 0, 4, 7, 6, 1, 2, 2, 1, 1, 3, 1, 6, 4, 10, 0, 2, 1, 2, 4, 1, 1],
];

/// The rest of the free lists when `__main__` starts, rows as in `STARTUP_FREE`: bound methods, list
/// iterators, tuple iterators, the cached slice, ranges, range iterators, compact ints (3.14+),
/// complex numbers (3.15). Measured with `sys.getallocatedblocks()` natively and with `_tracemalloc`
/// on Pyodide (create 40–250 of a kind and count the blocks that were not new; free them and count
/// those that were kept), and by `gc.get_count()` for the GC kinds.
#[rustfmt::skip]
static STARTUP_KEPT: [[u16; 8]; 16] = [
    [0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    [9, 7, 6, 1, 2, 1, 96, 0],
    [9, 2, 3, 1, 2, 1, 95, 0],
    // 3.7, 3.8
    [10, 0, 0, 1, 0, 0, 0, 0],
    [8, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 1, 0, 0, 0, 0],
    // 3.14, 3.15
    [2, 4, 2, 1, 1, 1, 11, 0],
    [2, 1, 1, 1, 1, 1, 11, 0],
];

fn startup_row(minor: u8, patch: u8, arch: Arch) -> usize {
    match (arch, minor) {
        (Arch::Wasm32, m) => m.clamp(10, 15) as usize - 10,
        (_, 13) if patch >= 10 => 13,
        (_, 14) => 14,
        (_, m) if m >= 15 => 15,
        (_, m) => m.clamp(7, 13) as usize - 1,
    }
}

fn startup_free(minor: u8, patch: u8, arch: Arch) -> [u16; 26] {
    STARTUP_FREE[startup_row(minor, patch, arch)]
}

impl Vm {
    /// 3.14.0–3.14.4 run the incremental collector (gh-108362; reverted in 3.14.5, issue #142516).
    pub fn gc_incremental(&self) -> bool {
        self.layout.minor == 14 && self.profile.version.patch <= 4
    }

    /// Sets the collector to the state a real interpreter has when `__main__` starts. Everything the
    /// simulator made before (builtins, the module's constants) is a startup object: it goes to the
    /// oldest generation, as the real ones are long-lived by then.
    pub fn gc_start(&mut self) -> R<()> {
        let v = self.profile.version;
        let st = startup(v.minor, v.patch, self.profile.arch);
        for g in 0..3 {
            self.gc.merge(g, 2);
        }
        // Default thresholds (gc.get_threshold() on each interpreter): (700, 10, 10) through 3.12, then
        // (2000, 10, 10) in 3.13, 3.14.5+ and 3.15; 3.14.0-3.14.4's incremental collector, (2000, 10, 0).
        self.gc.threshold = match (v.minor, self.gc_incremental()) {
            (_, true) => [2000, 10, 0],
            (0..=12, _) => [700, 10, 10],
            _ => [2000, 10, 10],
        };
        let mut count = st.count;
        if self.profile.arch != Arch::Wasm32 {
            use super::scope::CodeKind;
            let (mut defs, mut methods, mut classes) = (0i64, 0i64, 0i64);
            for c in self.codes.codes.iter() {
                match c.kind {
                    CodeKind::Module => {}
                    CodeKind::Class => classes += 1,
                    _ if c.qualname.contains('.') && !c.qualname.contains("<locals>") => {
                        defs += 1;
                        methods += 1;
                    }
                    _ => defs += 1,
                }
            }
            let k = st.compile;
            let first = |n: i64, cost: i64| if n > 0 { cost } else { 0 };
            count[0] += (first(defs, k[0])
                + defs * k[1]
                + methods * k[2]
                + first(classes, k[3])
                + classes * k[4])
                / 10;
            if v.minor == 7 {
                // 3.7's compiler counts one more per distinct constant and name (its constant keys).
                count[0] += self.const_count as i64;
            }
            let t = self.gc.threshold[0];
            if count[0] > t {
                // The collection that compiling set off: synchronous ≤3.11, at the module's first
                // eval-breaker check 3.12+.
                count[0] = if v.minor >= 12 {
                    st.residual
                } else {
                    count[0] - t
                };
                count[1] += 1;
            }
        }
        self.gc.count = count;
        self.fill_startup_freelists()?;
        self.gc.startup = [st.sizes[0], st.sizes[1], st.sizes[2], st.frozen];
        for g in 0..3 {
            self.gc.stats[g] = GenStats {
                collections: st.collections[g],
                collected: st.collected[g],
                uncollectable: 0,
            };
        }
        // No full collection has run at startup on any interpreter measured: what sits in the oldest
        // generation got there by generation-1 collections and is all "pending" (the 25 % rule).
        self.gc.long_lived_total = 0;
        self.gc.long_lived_pending = st.sizes[2];
        self.gc_quiet = false;
        Ok(())
    }

    /// The startup free lists (`startup_free`), as blocks of the right sizes, allocated uncounted.
    fn fill_startup_freelists(&mut self) -> R<()> {
        let v = self.profile.version;
        let mut sf = startup_free(v.minor, v.patch, self.profile.arch);
        if self.profile.arch != Arch::Wasm32 {
            // Compiling `__main__` frees its symbol tables' lists and dicts onto the free lists (up to
            // their capacities): natively about two lists and a dict per scope past the module, and some six
            // dicts more once there is a def or class (fitted with pyrun on 3.7-3.15, programs of 0-8
            // functions, classes and comprehensions). Pyodide's lists start near full and stay so.
            use super::scope::CodeKind;
            let scopes = self.codes.codes.len().saturating_sub(1) as u16;
            let defs = self
                .codes
                .codes
                .iter()
                .any(|c| matches!(c.kind, CodeKind::Function | CodeKind::Class));
            use super::vm::{DICT_MAXFREELIST, LIST_MAXFREELIST};
            sf[0] = (sf[0] + 2 * scopes).min(LIST_MAXFREELIST as u16);
            sf[1] = (sf[1] + if defs { 6 } else { 0 } + scopes).min(DICT_MAXFREELIST as u16);
        }
        let l = self.layout;
        let sizes = [
            l.gc_head() + l.list_basic(),
            l.gc_head() + l.dict_basic(),
            l.float(),
            l.dict_keys_size(3, true),
            self.cfunc_size(),
        ];
        for (i, &n) in sf.iter().enumerate() {
            if i == 5 {
                self.frame_free = n as u32;
                continue;
            }
            let size = match i {
                0..=4 => sizes[i],
                _ => l.gc_head() + l.tuple_basic() + (i as u64 - 5) * l.p,
            };
            for _ in 0..n {
                let a = self.malloc(size)?;
                let fl = &mut self.free;
                match i {
                    0 => fl.lists.push(a),
                    1 => fl.dicts.push(a),
                    2 => fl.floats.push(a),
                    3 => fl.dict_keys.push(a),
                    4 => fl.kept[Kept::CFunc as usize].push(a),
                    _ => fl.tuples[i - 5].push(a),
                }
            }
        }
        let kept = STARTUP_KEPT[startup_row(v.minor, v.patch, self.profile.arch)];
        let kinds = [
            Some(Kept::Method),
            Some(Kept::ListIter),
            Some(Kept::TupleIter),
            Some(Kept::Slice),
            Some(Kept::Range),
            Some(Kept::RangeIter),
            None,
            Some(Kept::Complex),
        ];
        for (kind, &n) in kinds.into_iter().zip(kept.iter()) {
            let size = match kind {
                Some(Kept::Method) => l.gc_head() + l.method(),
                Some(Kept::ListIter | Kept::TupleIter) => l.gc_head() + l.seq_iter(),
                Some(Kept::Slice) => l.gc_head() + l.slice(),
                Some(Kept::Range) => l.range(),
                Some(Kept::RangeIter) => l.range_iter(),
                Some(_) => l.complex(),
                None => l.int_size(1),
            };
            for _ in 0..n {
                let a = self.malloc(size)?;
                match kind {
                    Some(k) => self.free.kept[k as usize].push(a),
                    None => self.free.ints.push(a),
                }
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------------ counting and tracking

    /// `_PyObject_GC_Alloc` (≤3.10) / `gc_alloc` + `_PyObject_GC_Link` (3.11+): memory for a GC object.
    /// The allocation counts in generation 0, and past the threshold a collection runs right here (≤3.11)
    /// or is scheduled for the next eval-breaker check (3.12+, gh-97922).
    pub fn gc_malloc(&mut self, size: u64) -> R<u64> {
        let addr = self.malloc(size)?;
        self.gc_count_alloc();
        Ok(addr)
    }

    /// One GC allocation counted in generation 0 (generational collectors).
    pub fn gc_count_alloc(&mut self) {
        if !self.gc_quiet && !self.gc_incremental() {
            self.gc.count[0] += 1;
            self.gc_maybe_due();
        }
    }

    /// ≤3.10 a call makes a frame object, a GC object (`_PyFrame_New_NoTrack`). The simulator keeps
    /// frames off the heap, but their allocations count: a code object's last frame is kept as its
    /// "zombie" for the next call, and other frames go to a free list of up to 200
    /// (`PyFrame_MAXFREELIST`); only a frame taken from neither is allocated (and counted).
    pub fn frame_enter(&mut self, code: u32) {
        if self.layout.minor > 10 {
            return;
        }
        let zombie = self.zombie_slot(code);
        if *zombie {
            *zombie = false;
        } else if self.frame_free > 0 {
            self.frame_free -= 1;
        } else {
            self.gc_count_alloc();
        }
    }

    /// `frame_dealloc` (≤3.10): the code's zombie slot, else the free list, else `PyObject_GC_Del`.
    pub fn frame_exit(&mut self, code: u32) {
        if self.layout.minor > 10 {
            return;
        }
        let zombie = self.zombie_slot(code);
        if !*zombie {
            *zombie = true;
        } else if self.frame_free < 200 {
            self.frame_free += 1;
        } else {
            self.gc_freed();
        }
    }

    /// `co_zombieframe` of a code object: whether its last frame waits for reuse.
    fn zombie_slot(&mut self, code: u32) -> &mut bool {
        let z = code as usize;
        if self.frame_zombie.len() <= z {
            self.frame_zombie.resize(z + 1, false);
        }
        &mut self.frame_zombie[z]
    }

    /// Calling a type whose `tp_call` takes a tuple builds one from the arguments (`_PyStack_AsTuple`,
    /// `_PyObject_MakeTpCall`), unless the type has a vectorcall: range, list, tuple, dict, set and
    /// frozenset from 3.9 (bpo-37207); bool, float, reversed, map, filter and type from 3.10, enumerate
    /// from 3.11, int and str from 3.13 (measured with gc.get_count around the calls).
    pub fn type_call_builds_args(&self, ty: Ty) -> bool {
        // An exception's call tuple is the one BaseException_new keeps as `args`: call_type makes it.
        if ty == Ty::Exception {
            return false;
        }
        let minor = self.layout.minor;
        let vectorcall_since = match ty {
            Ty::Range | Ty::List | Ty::Tuple | Ty::Dict | Ty::Set | Ty::FrozenSet => 9,
            Ty::Bool
            | Ty::Float
            | Ty::Reversed
            | Ty::Map
            | Ty::Filter
            // type(x) with one argument: type_vectorcall returns the type (measured from 3.10).
            | Ty::Type => 10,
            // enumerate's vectorcall arrived in 3.11 (measured: 3.10 still packs the arguments).
            Ty::Enumerate => 11,
            // int and str from 3.13 (measured: 3.12.1 and 3.12.7 still pack).
            Ty::Int | Ty::Str => 13,
            // zip has no vectorcall in any version: its call always packs the arguments (measured).
            _ => 99,
        };
        minor < vectorcall_since
    }

    /// GC objects a `class` statement leaves behind that the simulator does not make: the weak
    /// reference `add_subclass` files in the base's `tp_subclasses` (3.7-3.15). The class, its
    /// namespace, `__bases__`, `__mro__` and its descriptors are real objects; what CPython makes and
    /// frees on the way (the body's function, `super()` in init_subclass, the call's argument tuple)
    /// nets to nothing. Measured with gc.get_count around class statements, the counts agree where
    /// the free lists are empty (after a full collection); before one, CPython's startup free lists
    /// serve some tuples and dicts that the simulator allocates.
    pub fn class_extra_allocs(&self) -> i64 {
        1
    }

    fn gc_maybe_due(&mut self) {
        let g = &self.gc;
        if g.count[0] > g.threshold[0] && g.enabled && g.threshold[0] != 0 && !g.collecting {
            if self.layout.minor >= 12 {
                self.gc.scheduled = true;
            } else {
                self.gc_auto();
            }
        }
    }

    /// `PyObject_GC_Del`: the memory of a GC object is freed.
    pub fn gc_freed(&mut self) {
        if !self.gc_incremental() && self.gc.count[0] > 0 {
            self.gc.count[0] -= 1;
        }
    }

    /// Whether a new GC object starts tracked, as its constructor decides.
    pub fn track_new(&mut self, id: ObjId) {
        let minor = self.layout.minor;
        let tracked = match &self.objs.get(id).payload {
            // Dicts start untracked and are tracked on the first insertion of something trackable
            // (MAINTAIN_TRACKING), through 3.13; 3.14 tracks every dict at creation (GH-127010).
            Payload::Dict(_) => minor >= 14,
            // 3.14: tuples built from values (BUILD_TUPLE, _PyTuple_FromArray) are tracked only if an
            // item's type is a GC type (`maybe_tracked`); before, every tuple is tracked at creation.
            Payload::Tuple(items) if minor >= 14 => items.iter().any(|&i| self.objs.get(i).has_gc),
            _ => true,
        };
        if tracked {
            self.track(id);
        }
    }

    /// `_PyObject_GC_TRACK`.
    pub fn track(&mut self, id: ObjId) {
        if self.gc.is_tracked(id) || !self.objs.get(id).has_gc {
            return;
        }
        if self.gc_quiet {
            self.gc.append(id, 2);
            return;
        }
        self.gc.append(id, 0);
        if self.gc_incremental() {
            // 3.14.0–3.14.4 count young objects as they are tracked and untracked (measured: an object
            // from a free list counts, a dict counts at creation).
            self.gc.count[0] += 1;
            self.gc_maybe_due();
        }
    }

    /// `_PyObject_GC_UNTRACK`. 3.14.0–3.14.4 lower the young count for any object untracked, old ones
    /// too (measured: an instance from before a full collection, freed, takes one off).
    pub fn untrack(&mut self, id: ObjId) {
        if self.gc.list_of(id).is_some() {
            self.gc.remove(id);
            if self.gc_incremental() && self.gc.count[0] > 0 {
                self.gc.count[0] -= 1;
            }
        }
    }

    /// `_PyObject_GC_MAY_BE_TRACKED`: a GC object, except a tuple that is untracked.
    pub fn may_be_tracked(&self, id: ObjId) -> bool {
        let o = self.objs.get(id);
        o.has_gc && (o.ty != Ty::Tuple || self.gc.is_tracked(id))
    }

    /// `MAINTAIN_TRACKING` (3.7–3.13): storing a trackable key or value tracks an untracked dict. From
    /// 3.14 every dict is tracked from creation, so this never has anything to do there.
    pub fn dict_maintain_tracking(&mut self, d: ObjId, k: ObjId, v: ObjId) {
        if !self.gc.is_tracked(d) && (self.may_be_tracked(k) || self.may_be_tracked(v)) {
            self.track(d);
        }
    }

    /// `_PyTuple_MaybeUntrack`: a tuple none of whose items may be tracked needs no tracking.
    fn tuple_maybe_untrack(&mut self, t: ObjId) {
        let keep = match &self.objs.get(t).payload {
            Payload::Tuple(items) => items.iter().any(|&i| self.may_be_tracked(i)),
            _ => true,
        };
        if !keep {
            self.gc.remove(t);
        }
    }

    /// `_PyDict_MaybeUntrack` (≤3.13, full collections only).
    fn dict_maybe_untrack(&mut self, d: ObjId) {
        let keep = match &self.objs.get(d).payload {
            Payload::Dict(x) => x
                .iter()
                .any(|e| self.may_be_tracked(e.key) || self.may_be_tracked(e.value)),
            _ => true,
        };
        if !keep {
            self.gc.remove(d);
        }
    }

    // ------------------------------------------------------------------ traverse and clear

    /// `tp_traverse`: the objects `id` holds references to, in the order its type visits them. Exactly
    /// the references its dealloc releases, so `gc_refs` never counts one the simulator does not hold.
    pub fn gc_referents(&self, id: ObjId, out: &mut Vec<ObjId>) {
        match &self.objs.get(id).payload {
            // list_traverse and tupletraverse visit items last to first.
            Payload::List { items, .. } | Payload::Tuple(items) => out.extend(items.iter().rev()),
            // dict_traverse: values, or value then key when keys are not all str.
            Payload::Dict(d) => {
                for e in d.iter() {
                    out.push(e.value);
                    if self.ty(e.key) != Ty::Str {
                        out.push(e.key);
                    }
                }
            }
            Payload::Set(s) => out.extend(s.members()),
            Payload::Slice(a, b, c) => out.extend([*a, *b, *c]),
            // func_traverse: globals, defaults, kwdefaults, closure.
            Payload::Function(f) => {
                out.push(f.globals);
                out.extend(f.defaults.iter());
                out.extend(f.kwdefaults.iter().map(|(_, v)| *v));
                out.extend(f.closure.iter());
            }
            Payload::Method { func, self_ } => out.extend([*func, *self_]),
            Payload::Builtin { self_, .. } => out.extend(self_.iter()),
            Payload::Cell(v) => out.extend(v.iter()),
            // subtype_traverse: slots, then the dict (3.11+: the inline values), then the type.
            Payload::Instance(inst) => {
                out.extend(inst.slots.iter().flatten());
                out.extend(inst.values.iter().map(|(_, v)| *v));
                out.extend(inst.dict.iter());
                out.extend(inst.exc_args.iter());
                out.push(inst.class);
            }
            Payload::Exception(e) => {
                out.extend(e.dict.iter());
                out.push(e.args);
            }
            Payload::Iter(st) => {
                use crate::object::IterState as S;
                match &**st {
                    S::Seq { seq, .. } | S::Reversed { seq, .. } => out.push(*seq),
                    S::Dict { dict, result, .. } => {
                        out.push(*dict);
                        out.extend(*result);
                    }
                    S::Set { set, .. } => out.push(*set),
                    S::Enumerate { it, result, .. } => out.extend([*it, *result]),
                    S::Zip { its, result } => out.extend([*its, *result]),
                    S::Map { func, its } => out.extend([*func, *its]),
                    S::Filter { func, it } => out.extend([*func, *it]),
                    S::ExhaustedPair(r) => out.push(*r),
                    S::LongRange { .. } | S::RangeSmall { .. } | S::Exhausted => {}
                }
            }
            Payload::View(d) => out.push(*d),
            Payload::Module { dict, .. } => out.push(*dict),
            // type_traverse: tp_dict, tp_mro, tp_bases, tp_base (ht_module is NULL for a class statement).
            Payload::Class(c) => {
                out.push(c.dict);
                out.extend([c.mro_tuple, c.bases_tuple, c.base].into_iter().flatten());
            }
            // descr_traverse: d_type.
            Payload::Descr { owner, .. } => out.extend(owner.iter()),
            Payload::Generator { .. } => {
                if let Some(f) = self.gens.get(&id) {
                    self.frame_referents(f, out);
                }
            }
            _ => {}
        }
    }

    /// `tp_clear`: breaks the references an unreachable object holds, so refcounting frees the cycle.
    /// Types without `tp_clear` (tuples, methods, iterators, generators) are left to die when what they
    /// refer to is cleared.
    fn gc_clear(&mut self, id: ObjId) {
        let o = self.objs.get_mut(id);
        let mut drop: Vec<ObjId> = Vec::new();
        let mut bufs: Vec<u64> = Vec::new();
        let mut keys = None;
        let mut class_dict = None;
        match &mut o.payload {
            // _list_clear: items last to first, then the item array.
            Payload::List {
                items,
                allocated,
                buf,
            } => {
                drop.extend(std::mem::take(items).into_iter().rev());
                *allocated = 0;
                bufs.extend(buf.take());
            }
            // dict_tp_clear → PyDict_Clear: the old keys object is released entry by entry.
            Payload::Dict(d) => {
                let old = std::mem::replace(&mut **d, crate::object::dict::Dict::empty());
                for e in old.iter() {
                    drop.push(e.key);
                    drop.push(e.value);
                }
                // PyDict_Clear leaves the shared empty keys (Py_EMPTY_KEYS) in every version.
                keys = old.keys_addr.map(|a| (a, old.log2, old.unicode));
            }
            Payload::Set(s) => {
                let old = std::mem::take(&mut **s);
                drop.extend(old.members());
                bufs.extend(old.table_addr);
            }
            Payload::Cell(v) => drop.extend(v.take()),
            // subtype_clear: slots, then the dict or the inline values (the type stays).
            Payload::Instance(inst) => {
                for s in inst.slots.iter_mut() {
                    drop.extend(s.take());
                }
                drop.extend(std::mem::take(&mut inst.values).into_iter().map(|(_, v)| v));
                drop.extend(inst.dict.take());
            }
            // func_clear: defaults, kwdefaults, closure (the globals stay, as 3.11+ keeps them).
            Payload::Function(f) => {
                drop.extend(std::mem::take(&mut f.defaults));
                drop.extend(
                    std::mem::take(&mut f.kwdefaults)
                        .into_iter()
                        .map(|(_, v)| v),
                );
                drop.extend(std::mem::take(&mut f.closure));
            }
            Payload::Exception(e) => drop.extend(e.dict.take()),
            // type_clear: PyDict_Clear(tp_dict), then Py_CLEAR(tp_mro); the rest goes in type_dealloc.
            Payload::Class(c) => {
                class_dict = Some(c.dict);
                drop.extend(c.mro_tuple.take());
            }
            _ => {}
        }
        if let Some(d) = class_dict {
            self.gc_clear(d);
        }
        for d in drop {
            self.decref(d);
        }
        for b in bufs {
            self.mfree(b);
        }
        if let Some((a, log2, unicode)) = keys {
            self.free_keys(a, log2, unicode);
        }
    }

    // ------------------------------------------------------------------ finalizers

    /// The class's `__del__`, if the object is an instance of a class that defines one.
    fn del_method(&self, id: ObjId) -> Option<ObjId> {
        match &self.objs.get(id).payload {
            Payload::Instance(inst) => self.class_lookup(inst.class, "__del__"),
            _ => None,
        }
    }

    /// `PyObject_CallFinalizerFromDealloc`: the refcount reached zero. `__del__` runs once (PEP 442) with
    /// the object temporarily resurrected and tracked again (subtype_dealloc); returns whether it was
    /// resurrected for good.
    pub fn finalize_from_dealloc(&mut self, id: ObjId) -> bool {
        if self.objs.get(id).finalized || self.del_method(id).is_none() {
            return false;
        }
        self.objs.get_mut(id).refcnt = 1;
        self.track(id);
        self.call_finalizer(id);
        let o = self.objs.get_mut(id);
        o.refcnt -= 1;
        o.refcnt > 0
    }

    /// `PyObject_CallFinalizer`: calls `__del__` unless it already ran, marking the object finalized.
    /// An exception in it is printed as unraisable and the run goes on.
    fn call_finalizer(&mut self, id: ObjId) {
        let Some(del) = self.del_method(id) else {
            return;
        };
        if self.objs.get(id).finalized {
            return;
        }
        self.objs.get_mut(id).finalized = true;
        self.incref(del);
        self.incref(id);
        let line = self.line;
        let r = self.call(del, vec![id], Vec::new());
        self.line = line;
        match r {
            Ok(v) => self.decref(v),
            Err(Flow::Exc(e)) => {
                let text = self.exception_line(e);
                let qual = match self.payload(del) {
                    Payload::Function(f) => f.qualname.clone(),
                    _ => "__del__".into(),
                };
                let addr = self.objs.get(del).addr;
                self.stderr.push_str(&format!(
                    "Exception ignored in: <function {qual} at {addr:#x}>\nTraceback (most recent call last):\n{text}\n"
                ));
                self.decref(e);
            }
            Err(Flow::Fatal(m)) => {
                if self.pending_fatal.is_none() {
                    self.pending_fatal = Some(m);
                }
            }
            Err(other) => self.drop_flow(Err(other)),
        }
        self.decref(del);
    }

    // ------------------------------------------------------------------ collection

    /// A collection is due at an eval-breaker check (3.12+): backward jumps, calls, function entry.
    #[inline]
    pub fn eval_breaker(&mut self) -> R<()> {
        if self.gc.scheduled {
            self.gc.scheduled = false;
            if !self.gc.collecting && self.gc.enabled {
                self.gc_auto();
            }
        }
        match self.pending_fatal.take() {
            Some(m) => Err(Flow::Fatal(m)),
            None => Ok(()),
        }
    }

    /// `collect_generations` / `gc_select_generation`: the oldest generation whose count is over its
    /// threshold, skipping a full collection while less than 25 % of the long-lived objects are new
    /// (issue #4074). 3.14.0–3.14.4 collect the young generation as one increment.
    /// From 3.12 the collection scheduled at an allocation runs later, and only if a generation is still
    /// over its threshold then (an explicit gc.collect() in between leaves none: nothing runs).
    fn gc_auto(&mut self) {
        let g = &self.gc;
        let gen = if self.gc_incremental() {
            Some(1)
        } else {
            (0..3usize).rev().find(|&i| {
                g.count[i] > g.threshold[i]
                    && !(i == 2 && g.long_lived_pending < g.long_lived_total / 4)
            })
        };
        if let Some(gen) = gen {
            self.gc_collect_with_callback(gen, "automatic");
        }
    }

    /// `collect_with_callback`: the "start" and "stop" callbacks around one collection. Returns
    /// collected + uncollectable.
    pub fn gc_collect_with_callback(&mut self, gen: usize, reason: &'static str) -> i64 {
        self.gc.collecting = true;
        self.gc_callbacks("start", gen, 0, 0);
        let (m, n) = self.gc_collect_main(gen, reason);
        self.gc_callbacks("stop", gen, m, n);
        self.gc.collecting = false;
        m + n
    }

    fn gc_callbacks(&mut self, phase: &str, gen: usize, collected: i64, uncollectable: i64) {
        let Some(list) = self.gc_callback_list else {
            return;
        };
        let cbs = match self.payload(list) {
            Payload::List { items, .. } if !items.is_empty() => items.clone(),
            _ => return,
        };
        let info = (|| -> R<(ObjId, ObjId)> {
            let p = self.new_str(phase)?;
            let d = self.new_dict()?;
            let g = self.new_i64(gen as i64)?;
            self.dict_set_str(d, "generation", g)?;
            let c = self.new_i64(collected)?;
            self.dict_set_str(d, "collected", c)?;
            let u = self.new_i64(uncollectable)?;
            self.dict_set_str(d, "uncollectable", u)?;
            Ok((p, d))
        })();
        let Ok((p, d)) = info else { return };
        for cb in cbs {
            self.incref(cb);
            self.incref(p);
            self.incref(d);
            match self.call(cb, vec![p, d], Vec::new()) {
                Ok(v) => self.decref(v),
                Err(Flow::Exc(e)) => {
                    let text = self.exception_line(e);
                    self.stderr.push_str(&format!(
                        "Exception ignored on calling the gc callback:\nTraceback (most recent call last):\n{text}\n"
                    ));
                    self.decref(e);
                }
                Err(Flow::Fatal(m)) => {
                    if self.pending_fatal.is_none() {
                        self.pending_fatal = Some(m);
                    }
                }
                Err(other) => self.drop_flow(Err(other)),
            }
            self.decref(cb);
        }
        self.decref(p);
        self.decref(d);
    }

    /// Whether an object with a `__del__` that has not run is still alive (it runs at exit).
    pub fn has_pending_finalizers(&self) -> bool {
        self.objs.ids().any(|id| {
            let o = self.objs.get(id);
            !o.finalized && o.ty == Ty::Instance && self.del_method(id).is_some()
        })
    }

    /// A full collection at interpreter exit: no callbacks, no record.
    pub fn gc_collect_main_quiet(&mut self) {
        let debug = std::mem::replace(&mut self.gc.debug, 0);
        self.gc_collect_main(2, "shutdown");
        self.gc.debug = debug;
    }

    fn gc_obj(&self, id: ObjId) -> GcObj {
        GcObj {
            id,
            addr: self.objs.get(id).addr,
            ty: self.type_name(id),
        }
    }

    /// `deduce_unreachable` over the interpreter's objects: their reference counts and `tp_traverse`.
    fn deduce_unreachable(
        &mut self,
        young: ListId,
        unreachable: ListId,
        trace: Option<&mut Deduced>,
    ) {
        let mut gcs = std::mem::take(&mut self.gc);
        let me = &*self;
        let refcnt = |id: ObjId| me.objs.get(id).refcnt;
        let mut traverse = |id: ObjId, out: &mut Vec<ObjId>| me.gc_referents(id, out);
        gcs.deduce_unreachable(young, unreachable, &refcnt, &mut traverse, trace);
        self.gc = gcs;
    }

    /// `gc_collect_main` (`collect` before 3.13): one collection of generation `gen` and everything
    /// younger (alloc-gc.md §4.5). Returns (collected, uncollectable).
    fn gc_collect_main(&mut self, gen: usize, reason: &'static str) -> (i64, i64) {
        let minor = self.layout.minor;
        let incremental = self.gc_incremental();
        if self.gc.debug & DEBUG_STATS != 0 {
            let s = self.gc.sizes();
            self.stderr.push_str(&format!(
                "gc: collecting generation {gen}...\ngc: objects in each generation: {} {} {}\n",
                s[0], s[1], s[2]
            ));
            if minor >= 12 {
                self.stderr.push_str(&format!(
                    "gc: objects in permanent generation: {}\n",
                    self.gc.frozen()
                ));
            }
        }
        // 3.14.0–3.14.4: generation 0 (gc_collect_young) and 1 (an increment) both collect the young
        // list into the visited old space; the pending space holds startup objects, all reachable.
        let partial = incremental && gen < 2;
        if incremental && !partial {
            // 3.14.0–3.14.4 gc_collect_full: untrack_tuples(young) before the young objects join the
            // old space, so a young tuple of untracked items (a class's `(object,)`) is not garbage.
            for t in self.gc.members(0) {
                if self.ty(t) == Ty::Tuple {
                    self.tuple_maybe_untrack(t);
                }
            }
        }
        let young: ListId = if partial {
            // An increment restarts the young count; get_count()'s other two stay 0 in 3.14.0–3.14.4
            // (measured on 3.14.2 after automatic collections).
            self.gc.count = [0, self.gc.count[1], 0];
            0
        } else {
            // Counters: the next generation counts this collection; this one and the younger
            // restart. The younger generations join the one collected.
            if gen < 2 {
                self.gc.count[gen + 1] += 1;
            }
            for i in 0..=gen {
                self.gc.count[i] = 0;
            }
            for i in 0..gen as ListId {
                self.gc.merge(i, gen as ListId);
            }
            gen as ListId
        };
        let old: ListId = if young < 2 { young + 1 } else { young };
        let mut ev = GcEvent {
            line: self.line,
            generation: gen as u8,
            reason,
            ..Default::default()
        };
        ev.candidates = self
            .gc
            .members(young)
            .into_iter()
            .map(|i| self.gc_obj(i))
            .collect();
        let mut deduced = Deduced::default();
        self.deduce_unreachable(young, UNREACHABLE, Some(&mut deduced));
        ev.refs_after_update = deduced.after_update;
        ev.refs_after_subtract = deduced.after_subtract;
        ev.reachable = deduced.reachable;
        ev.unreachable = deduced.unreachable.clone();
        // untrack_tuples (3.8+; 3.7 does it inside move_unreachable, for the same objects).
        for t in self.gc.members(young) {
            if self.ty(t) == Ty::Tuple {
                self.tuple_maybe_untrack(t);
            }
        }
        if young != old {
            if young == 1 {
                self.gc.long_lived_pending += self.gc.len(young) as u64 + self.gc.startup[1];
            }
            self.gc.merge(young, old);
        } else {
            if minor <= 13 {
                for d in self.gc.members(young) {
                    if self.ty(d) == Ty::Dict {
                        self.dict_maybe_untrack(d);
                    }
                }
            }
            self.gc.long_lived_pending = 0;
            self.gc.long_lived_total = self.gc.len(young) as u64 + self.gc.startup[2];
        }
        // No legacy (tp_del) finalizers and no weak references in the simulated subset: the
        // `finalizers` list stays empty, so nothing is uncollectable.
        let unreachable = self.gc.members(UNREACHABLE);
        // finalize_garbage: each object's tp_finalize once, in list order, holding a reference.
        for id in unreachable {
            if !self.objs.exists(id) || self.gc.list_of(id) != Some(UNREACHABLE) {
                continue;
            }
            if !self.objs.get(id).finalized && self.del_method(id).is_some() {
                ev.finalized.push(id);
                self.incref(id);
                self.call_finalizer(id);
                self.decref(id);
            }
        }
        // The resurrection check.
        let m;
        if minor >= 9 {
            // handle_resurrected_objects: deduce again on what is left; what a finalizer made reachable
            // goes to the older generation.
            self.deduce_unreachable(UNREACHABLE, SCRATCH, None);
            ev.resurrected = self.gc.members(UNREACHABLE);
            self.gc.merge(UNREACHABLE, old);
            self.gc.merge(SCRATCH, UNREACHABLE);
            m = self.gc.len(UNREACHABLE) as i64;
        } else {
            // check_garbage (3.7, 3.8): any resurrection keeps the whole set alive this time.
            let members = self.gc.members(UNREACHABLE);
            for &i in &members {
                self.gc.refs[i as usize] = self.objs.get(i).refcnt;
            }
            let mut buf = Vec::new();
            for &i in &members {
                buf.clear();
                self.gc_referents(i, &mut buf);
                for &r in &buf {
                    if self.gc.list_of(r) == Some(UNREACHABLE) {
                        self.gc.refs[r as usize] -= 1;
                    }
                }
            }
            if members.iter().any(|&i| self.gc.refs[i as usize] > 0) {
                // Nothing is deleted, and nothing is claimed collected (measured on 3.7.16 and 3.8.18).
                ev.resurrected = members;
                self.gc.merge(UNREACHABLE, old);
                m = 0;
            } else {
                m = members.len() as i64;
            }
        }
        // delete_garbage: tp_clear each object still there (or save it under DEBUG_SAVEALL); what
        // survives its clearing goes to the older generation.
        self.gc_freed_log = Some(Vec::new());
        while let Some(id) = self.gc.head(UNREACHABLE) {
            if self.gc.debug & DEBUG_COLLECTABLE != 0 {
                let addr = self.objs.get(id).addr;
                let t = self.type_name(id);
                self.stderr
                    .push_str(&format!("gc: collectable <{t} {addr:#x}>\n"));
            }
            if self.gc.debug & DEBUG_SAVEALL != 0 {
                if let Some(g) = self.gc_garbage {
                    self.incref(id);
                    let _ = self.list_append(g, id);
                }
            } else {
                self.incref(id);
                self.gc_clear(id);
                self.decref(id);
            }
            if self.objs.exists(id) && self.gc.list_of(id) == Some(UNREACHABLE) {
                self.gc.move_to(id, old);
            }
        }
        let freed = self.gc_freed_log.take().unwrap_or_default();
        ev.freed = freed;
        if gen == 2 {
            self.clear_freelists();
        }
        let st = &mut self.gc.stats[gen];
        st.collections += 1;
        st.collected += m as u64;
        if self.gc.debug & DEBUG_STATS != 0 {
            let text = if m == 0 {
                "gc: done, 0.0000s elapsed\n".to_string()
            } else {
                format!("gc: done, {m} unreachable, 0 uncollectable, 0.0000s elapsed\n")
            };
            self.stderr.push_str(&text);
        }
        ev.collected = m;
        ev.counts_after = self.gc.count;
        if self.gc_log.len() < 10_000 {
            self.gc_log.push(ev);
        }
        (m, 0)
    }

    /// `clear_freelists` / `_PyGC_ClearAllFreeLists`, after a full collection: the memory cached by
    /// the free lists is really freed (GC objects through `PyObject_GC_Del`).
    fn clear_freelists(&mut self) {
        let mut fl = std::mem::take(&mut self.free);
        let mut plain = std::mem::take(&mut fl.floats);
        plain.append(&mut fl.ints);
        plain.append(&mut fl.dict_keys);
        for a in plain {
            self.mfree(a);
        }
        let mut plain_later = Vec::new();
        // ≤3.10 the frame free list too (`PyFrame_ClearFreeList`): the frames are GC objects.
        for _ in 0..std::mem::take(&mut self.frame_free) {
            self.gc_freed();
        }
        let mut gc_blocks = std::mem::take(&mut fl.lists);
        gc_blocks.append(&mut fl.dicts);
        // The kept kinds too: 3.7–3.8's method and builtin-method lists (PyMethod_ClearFreeList,
        // PyCFunction_ClearFreeList), and from 3.14 every list, the cached slice included; through 3.13
        // the slice cache outlives collections (measured: the next slice is not a new allocation).
        for k in KEPT_ALL {
            if k == Kept::Slice && self.layout.minor < 14 {
                continue;
            }
            let blocks = std::mem::take(&mut fl.kept[k as usize]);
            if k.is_gc() {
                gc_blocks.extend(blocks);
            } else {
                plain_later.extend(blocks);
            }
        }
        for t in fl.tuples.iter_mut() {
            gc_blocks.append(t);
        }
        for a in gc_blocks {
            self.mfree(a);
            self.gc_freed();
        }
        for a in plain_later {
            self.mfree(a);
        }
        self.free = fl;
    }
}

/// The functions of the `gc` module the simulator provides.
const GC_FUNCS: &[&str] = &[
    "gc.collect",
    "gc.get_count",
    "gc.get_threshold",
    "gc.set_threshold",
    "gc.enable",
    "gc.disable",
    "gc.isenabled",
    "gc.is_tracked",
    "gc.is_finalized",
    "gc.get_referrers",
    "gc.get_referents",
    "gc.get_objects",
    "gc.get_stats",
    "gc.freeze",
    "gc.unfreeze",
    "gc.get_freeze_count",
    "gc.set_debug",
    "gc.get_debug",
];

impl Vm {
    /// The `gc` module: a startup object (builtin modules exist before `__main__` runs).
    pub fn gc_module_obj(&mut self) -> R<ObjId> {
        if let Some(m) = self.gc_module {
            return Ok(m);
        }
        let quiet = std::mem::replace(&mut self.gc_quiet, true);
        let r = self.make_gc_module();
        self.gc_quiet = quiet;
        let m = r?;
        self.gc_module = Some(m);
        // A native interpreter first imports gc here (Pyodide's startup already has): its 17–20
        // functions are builtin-function objects made by PyModule_AddFunctions, which take every entry
        // the builtin-method free list has (at most 16 where there is one, from 3.14; 2–5 in 3.7–3.8).
        if self.profile.arch != Arch::Wasm32 {
            self.free.kept[Kept::CFunc as usize].clear();
        }
        Ok(m)
    }

    fn make_gc_module(&mut self) -> R<ObjId> {
        let d = self.new_dict()?;
        for &name in GC_FUNCS {
            // gc.is_finalized arrived in 3.9 (bpo-39322).
            if name == "gc.is_finalized" && self.layout.minor < 9 {
                continue;
            }
            let f = self.new_static(
                Ty::BuiltinFunction,
                Payload::Builtin { name, self_: None },
                self.layout.object() + 4 * self.layout.p,
            );
            self.dict_set_str(d, &name[3..], f)?;
        }
        let cbs = self.new_list(Vec::new(), 0)?;
        self.incref(cbs);
        self.dict_set_str(d, "callbacks", cbs)?;
        self.gc_callback_list = Some(cbs);
        let garbage = self.new_list(Vec::new(), 0)?;
        self.incref(garbage);
        self.dict_set_str(d, "garbage", garbage)?;
        self.gc_garbage = Some(garbage);
        for (name, v) in [
            ("DEBUG_STATS", DEBUG_STATS),
            ("DEBUG_COLLECTABLE", DEBUG_COLLECTABLE),
            ("DEBUG_UNCOLLECTABLE", DEBUG_UNCOLLECTABLE),
            ("DEBUG_SAVEALL", DEBUG_SAVEALL),
            ("DEBUG_LEAK", DEBUG_LEAK),
        ] {
            let i = self.new_i64(v as i64)?;
            self.dict_set_str(d, name, i)?;
        }
        self.new_gc(
            Ty::Module,
            Payload::Module {
                name: "gc".into(),
                dict: d,
            },
            self.layout.object() + 5 * self.layout.p,
        )
    }

    fn gc_int_tuple(&mut self, v: &[i64]) -> R<ObjId> {
        let mut items = Vec::with_capacity(v.len());
        for &x in v {
            items.push(self.new_i64(x)?);
        }
        // Py_BuildValue makes it with PyTuple_New, which tracks every tuple (3.14 too).
        let t = self.new_tuple(items)?;
        self.track(t);
        Ok(t)
    }

    /// A generation argument: 0, 1 or 2 ("invalid generation" otherwise).
    fn gc_generation_arg(&mut self, v: ObjId) -> R<usize> {
        let g = self.small_int_arg(v)?;
        if !(0..=2).contains(&g) {
            return Err(self.err("ValueError", "invalid generation"));
        }
        Ok(g as usize)
    }

    fn gc_list_of(&mut self, ids: Vec<ObjId>) -> R<ObjId> {
        for &i in &ids {
            self.incref(i);
        }
        let n = ids.len() as u64;
        self.new_list(ids, n)
    }

    /// The tracked objects of the given lists, in list order. The real interpreter's startup objects
    /// are only counted (`Gc::startup`), so they are not among them.
    fn gc_visible(&self, lists: &[ListId]) -> Vec<ObjId> {
        let mut out = Vec::new();
        for &l in lists {
            out.extend(self.gc.members(l));
        }
        out
    }

    pub fn call_gc(&mut self, name: &str, args: &[ObjId], kw: &[(String, ObjId)]) -> R<ObjId> {
        let short = &name[3..];
        let arg = |i: usize, key: &str| {
            args.get(i)
                .copied()
                .or_else(|| kw.iter().find(|(k, _)| k == key).map(|(_, v)| *v))
        };
        match short {
            "collect" => {
                self.arity("collect", args, 0, 1)?;
                let gen = match arg(0, "generation") {
                    Some(v) => self.gc_generation_arg(v)?,
                    None => 2,
                };
                // gc_collect_impl: 0 while a collection is running.
                let n = if self.gc.collecting {
                    0
                } else {
                    self.gc_collect_with_callback(gen, "manual")
                };
                if let Some(m) = self.pending_fatal.take() {
                    return Err(Flow::Fatal(m));
                }
                self.new_i64(n)
            }
            "get_count" => {
                let c = self.gc.count;
                self.gc_int_tuple(&c)
            }
            "get_threshold" => {
                let t = self.gc.threshold;
                self.gc_int_tuple(&t)
            }
            "set_threshold" => {
                self.arity("set_threshold", args, 1, 3)?;
                let incremental = self.gc_incremental();
                for (i, &a) in args.iter().enumerate() {
                    let v = self.small_int_arg(a)?;
                    // 3.14.0–3.14.4 ignore the third value (gh-108362).
                    if !(incremental && i == 2) {
                        self.gc.threshold[i] = v;
                    }
                }
                Ok(self.none())
            }
            "enable" | "disable" => {
                self.gc.enabled = short == "enable";
                Ok(self.none())
            }
            "isenabled" => Ok(self.new_bool(self.gc.enabled)),
            "is_tracked" => {
                self.arity("is_tracked", args, 1, 1)?;
                Ok(self.new_bool(self.gc.is_tracked(args[0])))
            }
            "is_finalized" => {
                self.arity("is_finalized", args, 1, 1)?;
                let o = self.objs.get(args[0]);
                Ok(self.new_bool(o.has_gc && o.finalized))
            }
            "get_referents" => {
                let mut out = Vec::new();
                for &a in args {
                    if self.objs.get(a).has_gc {
                        self.gc_referents(a, &mut out);
                    }
                }
                self.gc_list_of(out)
            }
            "get_referrers" => {
                let mut out = Vec::new();
                let mut buf = Vec::new();
                for id in self.gc_visible(&[0, 1, 2]) {
                    buf.clear();
                    self.gc_referents(id, &mut buf);
                    if buf.iter().any(|r| args.contains(r)) {
                        out.push(id);
                    }
                }
                self.gc_list_of(out)
            }
            "get_objects" => {
                let lists: Vec<ListId> = match arg(0, "generation") {
                    Some(v) if v != self.none => vec![self.gc_generation_arg(v)? as ListId],
                    _ => vec![0, 1, 2],
                };
                let ids = self.gc_visible(&lists);
                self.gc_list_of(ids)
            }
            "get_stats" => {
                let mut items = Vec::with_capacity(3);
                for g in 0..3 {
                    let st = self.gc.stats[g];
                    let d = self.new_dict()?;
                    for (k, v) in [
                        ("collections", st.collections),
                        ("collected", st.collected),
                        ("uncollectable", st.uncollectable),
                    ] {
                        let i = self.new_i64(v as i64)?;
                        self.dict_set_str(d, k, i)?;
                    }
                    items.push(d);
                }
                self.new_list(items, 3)
            }
            "freeze" => {
                for g in 0..3 {
                    self.gc.merge(g, PERMANENT);
                }
                // gc_freeze_impl resets generation 0's count (3.13+: all young counts).
                self.gc.count[0] = 0;
                Ok(self.none())
            }
            "unfreeze" => {
                self.gc.merge(PERMANENT, 2);
                Ok(self.none())
            }
            "get_freeze_count" => {
                let n = self.gc.frozen();
                self.new_i64(n as i64)
            }
            "set_debug" => {
                self.arity("set_debug", args, 1, 1)?;
                self.gc.debug = self.small_int_arg(args[0])? as u32;
                Ok(self.none())
            }
            "get_debug" => self.new_i64(self.gc.debug as i64),
            _ => Err(self.err(
                "NotImplementedError",
                &format!("not supported by the simulator: {name}()"),
            )),
        }
    }

    /// References a suspended generator's frame holds: locals, cells, and what its value stack keeps.
    pub fn frame_referents(&self, f: &super::eval::Frame, out: &mut Vec<ObjId>) {
        use super::eval::{Resume, Sent, TryPart};
        out.extend(f.fast.iter().flatten());
        out.extend(f.cells.iter());
        out.extend(f.pre_iter.iter());
        if let Some(Sent::Value(v) | Sent::Throw(v)) = &f.sent {
            out.push(*v);
        }
        for r in &f.resume {
            match r {
                Resume::For(o) | Resume::YieldFrom(o) | Resume::Try(TryPart::Handler(_, o)) => {
                    out.push(*o)
                }
                Resume::Try(TryPart::Finally(Err(Flow::Exc(o) | Flow::Return(o)))) => out.push(*o),
                _ => {}
            }
        }
    }
}
