//! trace: a run as a list of steps, one per executed statement, each with the allocator events it caused and
//! the text it printed; and time travel to any step.
//!
//! The simulator is deterministic, so the state after step k is exactly the state reached by replaying the
//! first k statements from the start; that is how stepping back works (no inverse events to get wrong). A
//! replay runs with the event log off, so it costs what the allocator costs (tens of ns per operation).

use crate::alloc::{AllocEvent, Heap};
use crate::mscript::{parse, Diag, Machine, Stmt};
use serde::Serialize;

/// One executed statement.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub line: u32,
    pub col: u32,
    /// What the statement printed to stdout.
    pub stdout: String,
    pub events: Vec<AllocEvent>,
}

/// An allocator script run to its end or to its first error.
#[derive(Clone, Debug)]
pub struct MallocRun {
    start: Machine,
    stmts: Vec<Stmt>,
    pub steps: Vec<Step>,
    pub error: Option<Diag>,
    /// The state after the last step.
    pub end: Machine,
}

impl MallocRun {
    /// Parses and runs `src` on a fresh heap. A syntax error leaves zero steps; a runtime error keeps the
    /// steps before it (and their output).
    pub fn new(heap: Heap, src: &str) -> MallocRun {
        let start = Machine::new(heap);
        let mut run = MallocRun {
            end: start.clone(),
            start,
            stmts: Vec::new(),
            steps: Vec::new(),
            error: None,
        };
        match parse(src) {
            Err(d) => run.error = Some(d),
            Ok(stmts) => run.stmts = stmts,
        }
        run.end.heap.log.enabled = true;
        for i in 0..run.stmts.len() {
            let s = &run.stmts[i];
            let mut out = String::new();
            match run.end.exec(s, &mut out) {
                Ok(()) => run.steps.push(Step {
                    line: s.line,
                    col: s.col,
                    stdout: out,
                    events: run.end.heap.log.take(),
                }),
                Err(d) => {
                    run.end.heap.log.take();
                    run.error = Some(d);
                    break;
                }
            }
        }
        run
    }

    /// All stdout of the run.
    pub fn stdout(&self) -> String {
        self.steps.iter().map(|s| s.stdout.as_str()).collect()
    }

    /// The simulated state after the first `k` steps (k is clamped to the number of steps).
    pub fn state_at(&self, k: usize) -> Machine {
        let k = k.min(self.steps.len());
        if k == self.steps.len() {
            return self.end.clone();
        }
        let mut m = self.start.clone();
        m.heap.log.enabled = false;
        let mut sink = String::new();
        for s in &self.stmts[..k] {
            m.exec(s, &mut sink).expect(
                "replaying statements that already ran cannot fail: the simulator is deterministic",
            );
            sink.clear();
        }
        m.heap.log.enabled = true;
        m
    }

    /// Advances a machine that is at step `k` by one step, without recording events.
    pub fn advance(&self, m: &mut Machine, k: usize) {
        if let Some(s) = self.stmts.get(k) {
            let enabled = m.heap.log.enabled;
            m.heap.log.enabled = false;
            let mut sink = String::new();
            m.exec(s, &mut sink)
                .expect("replaying a statement that already ran cannot fail");
            m.heap.log.enabled = enabled;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alloc::stats::malloc_stats;
    use crate::profile::{ArenaAlign, Profile};

    fn heap(v: &str) -> Heap {
        Heap::new(Profile::parse(v, "x86_64").unwrap(), ArenaAlign::Page)
    }

    #[test]
    fn stepping_back_is_exact() {
        let src =
            "a = malloc(16)\nb = malloc(16)\nfree(a)\nc = malloc(600)\nd = malloc(16)\nprint(d)\n";
        let run = MallocRun::new(heap("3.9"), src);
        assert!(run.error.is_none());
        assert_eq!(run.steps.len(), 6);
        // d reuses a's block: LIFO free list.
        let a = match &run.steps[0].events[..] {
            [.., AllocEvent::Malloc { address, .. }] => *address,
            other => panic!("{other:?}"),
        };
        assert_eq!(run.stdout(), format!("{a:#x}\n"));
        let mut m = run.state_at(0);
        for k in 0..run.steps.len() {
            let replay = run.state_at(k);
            let pm = replay.heap.pymalloc.as_ref().unwrap();
            assert_eq!(
                pm.block_states(),
                m.heap.pymalloc.as_ref().unwrap().block_states(),
                "step {k}"
            );
            run.advance(&mut m, k);
        }
        let s = malloc_stats(run.state_at(3).heap.pymalloc.as_ref().unwrap());
        assert_eq!(s.classes[0].blocks_in_use, 1);
    }

    #[test]
    fn runtime_error_keeps_earlier_steps() {
        let run = MallocRun::new(heap("3.12"), "p = malloc(8)\nprint(p)\nfree(x)\nprint(p)\n");
        assert_eq!(run.steps.len(), 2);
        assert_eq!(run.error.as_ref().unwrap().line, 3);
        assert!(run.stdout().starts_with("0x"));
    }
}
