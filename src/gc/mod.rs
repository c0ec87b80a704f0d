//! gc: the cyclic collector's bookkeeping and its graph phases, as `Modules/gcmodule.c` (3.7–3.12) and
//! `Python/gc.c` (3.13+) keep them (alloc-gc.md §4). Every tracked object sits in exactly one list: a
//! generation (young first), the permanent generation (`gc.freeze`) or a collection's scratch list. The
//! lists are doubly linked through two side vectors indexed by object id — CPython's `PyGC_Head`
//! `_gc_next`/`_gc_prev` as plain data — so list order, which decides `move_unreachable`'s reordering and
//! the order finalizers run in, is CPython's. This layer knows nothing of payloads: the interpreter hands
//! the phases a `tp_traverse` (the referents of an object, in the type's visiting order) and reference
//! counts, and runs finalizers and `tp_clear` itself.

use crate::object::ObjId;

const NIL: u32 = u32::MAX;
/// Not in any list (`_gc_next == 0`: untracked).
const NOWHERE: u8 = u8::MAX;

/// Which list: the three generations, then the permanent generation and a collection's scratch lists.
pub type ListId = u8;
pub const PERMANENT: ListId = 3;
/// `unreachable` of `gc_collect_main`.
pub const UNREACHABLE: ListId = 4;
/// Survivors of the resurrection check, and other short-lived lists of a collection.
pub const SCRATCH: ListId = 5;
const NLISTS: usize = 6;

#[derive(Clone, Copy, Debug, Default)]
struct Ends {
    head: u32,
    tail: u32,
    len: usize,
}

/// Per-generation statistics (`gc.get_stats()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenStats {
    pub collections: u64,
    pub collected: u64,
    pub uncollectable: u64,
}

/// The collector's state, per interpreter.
#[derive(Clone, Debug)]
pub struct Gc {
    next: Vec<u32>,
    prev: Vec<u32>,
    list: Vec<u8>,
    ends: [Ends; NLISTS],
    /// `gc_refs` during a collection (CPython keeps it in `_gc_prev >> 2`).
    pub refs: Vec<i64>,
    /// `generations[i].count` (3.14.0–3.14.4: young, old[visited], old[pending]).
    pub count: [i64; 3],
    pub threshold: [i64; 3],
    pub enabled: bool,
    pub collecting: bool,
    /// 3.12+: a collection is due at the next eval-breaker check (`_Py_ScheduleGC`).
    pub scheduled: bool,
    pub long_lived_total: u64,
    pub long_lived_pending: u64,
    pub stats: [GenStats; 3],
    /// `gc.set_debug` flags.
    pub debug: u32,
    /// Objects a real interpreter has in each list when `__main__` starts (modules, functions and types
    /// made at startup). They are all reachable, so they only add to the list sizes that `DEBUG_STATS`,
    /// `get_freeze_count` and the incremental collector's work budget see.
    pub startup: [u64; 4],
}

impl Default for Gc {
    fn default() -> Gc {
        Gc {
            next: Vec::new(),
            prev: Vec::new(),
            list: Vec::new(),
            ends: [Ends {
                head: NIL,
                tail: NIL,
                len: 0,
            }; NLISTS],
            refs: Vec::new(),
            count: [0; 3],
            // gcmodule.c's (700, 10, 10) until a profile is applied: `Vm::gc_start` sets each version's.
            threshold: [700, 10, 10],
            enabled: true,
            collecting: false,
            scheduled: false,
            long_lived_total: 0,
            long_lived_pending: 0,
            stats: [GenStats::default(); 3],
            debug: 0,
            startup: [0; 4],
        }
    }
}

impl Gc {
    fn grow(&mut self, id: ObjId) {
        let need = id as usize + 1;
        if self.list.len() < need {
            self.next.resize(need, NIL);
            self.prev.resize(need, NIL);
            self.list.resize(need, NOWHERE);
            self.refs.resize(need, 0);
        }
    }

    /// The list `id` is in, if tracked.
    pub fn list_of(&self, id: ObjId) -> Option<ListId> {
        match self.list.get(id as usize) {
            Some(&l) if l != NOWHERE => Some(l),
            _ => None,
        }
    }

    pub fn is_tracked(&self, id: ObjId) -> bool {
        self.list_of(id).is_some()
    }

    pub fn len(&self, l: ListId) -> usize {
        self.ends[l as usize].len
    }

    pub fn is_empty(&self, l: ListId) -> bool {
        self.len(l) == 0
    }

    /// `gc_list_append`: link `id` at the tail of list `l`.
    pub fn append(&mut self, id: ObjId, l: ListId) {
        self.grow(id);
        debug_assert_eq!(self.list[id as usize], NOWHERE);
        let e = &mut self.ends[l as usize];
        self.prev[id as usize] = e.tail;
        self.next[id as usize] = NIL;
        if e.tail == NIL {
            e.head = id;
        } else {
            self.next[e.tail as usize] = id;
        }
        e.tail = id;
        e.len += 1;
        self.list[id as usize] = l;
    }

    /// `gc_list_remove`: unlink `id` (untrack). Untracked objects are left alone.
    pub fn remove(&mut self, id: ObjId) {
        let Some(l) = self.list_of(id) else { return };
        let (p, n) = (self.prev[id as usize], self.next[id as usize]);
        let e = &mut self.ends[l as usize];
        if p == NIL {
            e.head = n;
        } else {
            self.next[p as usize] = n;
        }
        if n == NIL {
            e.tail = p;
        } else {
            self.prev[n as usize] = p;
        }
        e.len -= 1;
        self.list[id as usize] = NOWHERE;
    }

    /// `gc_list_move`: unlink and append to `l`.
    pub fn move_to(&mut self, id: ObjId, l: ListId) {
        self.remove(id);
        self.append(id, l);
    }

    /// Each generation's length as CPython counts it: the tracked objects and the startup ones.
    pub fn sizes(&self) -> [u64; 3] {
        [0, 1, 2].map(|g| self.len(g) as u64 + self.startup[g as usize])
    }

    /// The permanent generation's length (`gc.get_freeze_count()`), startup objects included.
    pub fn frozen(&self) -> u64 {
        self.len(PERMANENT) as u64 + self.startup[PERMANENT as usize]
    }

    /// `gc_list_merge(from, to)`: everything in `from` goes to the tail of `to`, in order. Between the
    /// generations and the permanent list, the real interpreter's startup objects move along.
    pub fn merge(&mut self, from: ListId, to: ListId) {
        if from == to {
            return;
        }
        if from <= PERMANENT && to <= PERMANENT {
            let s = std::mem::take(&mut self.startup[from as usize]);
            self.startup[to as usize] += s;
        }
        for id in self.members(from) {
            self.move_to(id, to);
        }
    }

    /// The members of `l`, head to tail.
    pub fn members(&self, l: ListId) -> Vec<ObjId> {
        let mut out = Vec::with_capacity(self.len(l));
        let mut c = self.ends[l as usize].head;
        while c != NIL {
            out.push(c);
            c = self.next[c as usize];
        }
        out
    }

    /// The first member of `l`.
    pub fn head(&self, l: ListId) -> Option<ObjId> {
        let h = self.ends[l as usize].head;
        (h != NIL).then_some(h)
    }

    fn next_of(&self, id: ObjId) -> Option<ObjId> {
        let n = self.next[id as usize];
        (n != NIL).then_some(n)
    }

    /// Steps 2–4 of a collection (`deduce_unreachable`, 3.9+; inline before): `update_refs` copies each
    /// candidate's reference count into `gc_refs`, `subtract_refs` takes away the references candidates
    /// hold to each other, and `move_unreachable` walks `young` in order, moving the objects nothing
    /// outside reaches to `unreachable` and pulling back (to the tail of `young`) whatever a reachable
    /// object refers to. That pull-back is why a chain reachable only from its end comes out reversed.
    /// `refcnt` gives an object's count; `traverse` its referents in `tp_traverse` order.
    pub fn deduce_unreachable(
        &mut self,
        young: ListId,
        unreachable: ListId,
        refcnt: &dyn Fn(ObjId) -> i64,
        traverse: &mut dyn FnMut(ObjId, &mut Vec<ObjId>),
        trace: Option<&mut Deduced>,
    ) {
        let members = self.members(young);
        for &id in &members {
            self.refs[id as usize] = refcnt(id);
        }
        let mut trace = trace;
        if let Some(t) = trace.as_deref_mut() {
            t.after_update = members.iter().map(|&i| self.refs[i as usize]).collect();
        }
        let mut buf = Vec::new();
        for &id in &members {
            buf.clear();
            traverse(id, &mut buf);
            for &r in &buf {
                if self.list_of(r) == Some(young) {
                    // A count below zero would mean a reference the simulator does not count; the
                    // collector must never free such an object, so the floor is 0 (`gc_refs > 0` asserts).
                    let g = &mut self.refs[r as usize];
                    if *g > 0 {
                        *g -= 1;
                    }
                }
            }
        }
        if let Some(t) = trace.as_deref_mut() {
            t.after_subtract = members.iter().map(|&i| self.refs[i as usize]).collect();
        }
        // move_unreachable. visit_reachable ignores objects already scanned (CPython clears their
        // COLLECTING flag); only objects with gc_refs > 0 are scanned, so a referent still at 0 is one
        // not scanned yet.
        let mut cur = self.head(young);
        while let Some(id) = cur {
            if self.refs[id as usize] > 0 {
                buf.clear();
                traverse(id, &mut buf);
                for &r in &buf {
                    match self.list_of(r) {
                        Some(l) if l == unreachable => {
                            self.move_to(r, young);
                            self.refs[r as usize] = 1;
                        }
                        Some(l) if l == young && self.refs[r as usize] == 0 => {
                            self.refs[r as usize] = 1;
                        }
                        _ => {}
                    }
                }
                cur = self.next_of(id);
            } else {
                let n = self.next_of(id);
                self.move_to(id, unreachable);
                cur = n;
            }
        }
        if let Some(t) = trace {
            t.reachable = self.members(young);
            t.unreachable = self.members(unreachable);
        }
    }
}

/// What one `deduce_unreachable` found, for the trace: `gc_refs` of each candidate (in the order the
/// candidates were listed) after `update_refs` and after `subtract_refs`, then the two lists.
#[derive(Clone, Debug, Default)]
pub struct Deduced {
    pub after_update: Vec<i64>,
    pub after_subtract: Vec<i64>,
    pub reachable: Vec<ObjId>,
    pub unreachable: Vec<ObjId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(u32, u32)]) -> impl FnMut(ObjId, &mut Vec<ObjId>) + '_ {
        move |id, out| out.extend(edges.iter().filter(|e| e.0 == id).map(|e| e.1))
    }

    #[test]
    fn lists_keep_order_through_moves() {
        let mut g = Gc::default();
        for i in 0..5 {
            g.append(i, 0);
        }
        g.remove(2);
        g.move_to(0, 1);
        assert_eq!(g.members(0), vec![1, 3, 4]);
        g.merge(0, 1);
        assert_eq!(g.members(1), vec![0, 1, 3, 4]);
        assert!(!g.is_tracked(2));
        assert_eq!(g.len(0), 0);
    }

    #[test]
    fn a_cycle_is_unreachable_and_an_anchored_chain_is_reordered() {
        // 0 <-> 1 is a cycle nothing outside refers to. 4 -> 3 -> 2 is a chain held from outside at 4:
        // the walk meets 2 and 3 first (gc_refs 0) and moves them out, then 4 pulls them back behind it
        // in the order it reaches them.
        let mut g = Gc::default();
        for i in 0..5 {
            g.append(i, 0);
        }
        let rc = |_: ObjId| 1;
        let edges = [(0, 1), (1, 0), (4, 3), (3, 2)];
        let mut t = Deduced::default();
        g.deduce_unreachable(0, UNREACHABLE, &rc, &mut graph(&edges), Some(&mut t));
        assert_eq!(t.after_update, vec![1, 1, 1, 1, 1]);
        assert_eq!(t.after_subtract, vec![0, 0, 0, 0, 1]);
        assert_eq!(g.members(UNREACHABLE), vec![0, 1]);
        assert_eq!(g.members(0), vec![4, 3, 2]);
    }
}
