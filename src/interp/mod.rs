//! interp: runs a Python program on the simulator. [`parser`] (with [`lexer`]) turns source into the
//! [`ast`]; [`scope`] resolves names per code object (`Python/symtable.c`); [`consts`] decides the
//! compile-time constants (`Python/ast_opt.c`, `compile.c`); [`eval`] executes statements and expressions
//! as CPython's bytecode does, with the object protocols in [`ops`], builtins in [`builtins`] and
//! [`methods`], and the object lifecycle (allocation, refcounts, free lists, deallocation) in [`vm`].

pub mod ast;
pub mod builtins;
pub mod collect;
pub mod consts;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod gen;
pub mod lexer;
pub mod methods;
pub mod ops;
pub mod parser;
pub mod scope;
pub mod stackdepth;
pub mod suggest;
pub mod textio;
pub mod vm;

use crate::alloc::Heap;
use crate::profile::{ArenaAlign, Profile};
use vm::{Flow, Vm};

/// Limits of one run.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Executed statements before the run is stopped.
    pub max_steps: u64,
    /// Bytes of simulated memory.
    pub memory: u64,
    /// Record the allocator events of each top-level statement (kept for the last one run, at most
    /// [`crate::alloc::STATEMENT_EVENT_CAP`]): the page flashes and steps through them. Off for the CLI.
    pub events: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_steps: 1_000_000,
            memory: crate::alloc::DEFAULT_MEMORY_LIMIT,
            events: false,
        }
    }
}

/// An error that ended a run, Python style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyError {
    /// `NameError`, `SyntaxError`, … or `StepLimit` when the step budget ran out.
    pub kind: String,
    pub message: String,
    pub line: u32,
    pub col: u32,
}

/// What a run printed and how it ended.
pub struct RunOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub error: Option<PyError>,
    /// Top-level statement boundaries: (line, col, bytes of stdout printed before it).
    pub marks: Vec<(u32, u32, usize)>,
    /// The interpreter at the end of the run (for the heap views).
    pub vm: Option<Box<Vm>>,
}

impl RunOutput {
    /// The size breakdown of the global `name` at the end of the run.
    pub fn explain(&mut self, name: &str) -> Option<explain::Explanation> {
        let vm = self.vm.as_mut()?;
        let id = vm.dict_get_str(vm.globals, name)?;
        vm.explain(id).ok()
    }
}

/// The internal signal that ends a replay at the requested statement.
pub const STOP: &str = "\0stop";

/// Parses and runs `src` as `__main__` of the given profile.
pub fn run(
    profile: Profile,
    align: ArenaAlign,
    src: &str,
    file: &str,
    limits: Limits,
) -> RunOutput {
    run_until(profile, align, src, file, limits, None)
}

/// Runs `src`, stopping before top-level statement `stop_at` (0-based) when given: the state a learner
/// sees at that step. The simulator is deterministic, so this is exact time travel.
pub fn run_until(
    profile: Profile,
    align: ArenaAlign,
    src: &str,
    file: &str,
    limits: Limits,
    stop_at: Option<usize>,
) -> RunOutput {
    let mut out = run_inner(profile, align, src, file, limits, stop_at, false);
    // At exit CPython finalizes what the module's globals held: a suspended generator's `finally` blocks
    // print then (see `Vm::shutdown`). The state shown stays the one after the last
    // statement, so the teardown runs in a replay whose output is the one kept.
    if stop_at.is_none() && out.vm.as_ref().is_some_and(|vm| vm.needs_shutdown()) {
        let full = run_inner(profile, align, src, file, limits, None, true);
        out.stdout = full.stdout;
        out.stderr = full.stderr;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn run_inner(
    profile: Profile,
    align: ArenaAlign,
    src: &str,
    file: &str,
    limits: Limits,
    stop_at: Option<usize>,
    shutdown: bool,
) -> RunOutput {
    let parsed = parser::parse(src).and_then(|m| {
        let codes = scope::analyze(&m)?;
        Ok((m, codes))
    });
    let (module, codes) = match parsed {
        Ok(m) => m,
        Err(e) => {
            let mut stderr = format!("  File \"{file}\", line {}\n", e.line);
            if let Some(text) = src.lines().nth(e.line.saturating_sub(1) as usize) {
                stderr.push_str(&format!("    {}\n", text.trim_start()));
            }
            stderr.push_str(&format!("{}: {}\n", e.kind, e.message));
            return RunOutput {
                stdout: String::new(),
                stderr,
                exit_code: 1,
                error: Some(PyError {
                    kind: e.kind.to_string(),
                    message: e.message,
                    line: e.line,
                    col: e.col,
                }),
                marks: Vec::new(),
                vm: None,
            };
        }
    };
    let mut heap = Heap::new(profile, align);
    heap.limit = limits.memory;
    // Python runs record statement boundaries; a step's state is rebuilt by replay (run_until). Allocator
    // events are kept only for the statement being run, and only when asked for (`on_statement` clears the
    // log; its cap bounds a statement that loops), so the log cannot grow with the run.
    heap.log.enabled = limits.events;
    let mut vm = Box::new(Vm::new(profile, heap));
    vm.step_limit = limits.max_steps;
    vm.stop_at = stop_at;
    vm.name_slots = vec![vm::NameSlot::EMPTY; codes.nodes as usize];
    vm.codes = codes;
    let result = vm
        .init_builtins()
        .and_then(|_| vm.build_constants(&module))
        .and_then(|_| vm.gc_start())
        .and_then(|_| vm.run_module(&module));
    let mut stderr = std::mem::take(&mut vm.stderr);
    let (exit_code, error) =
        match result {
            Ok(()) => (0, None),
            Err(Flow::Exc(e)) if vm.is_system_exit(e) => {
                let (code, text) = vm.system_exit(e);
                stderr.push_str(&text);
                vm.decref(e);
                (code, None)
            }
            Err(Flow::Exc(e)) => {
                let line_text = vm.exception_line(e);
                let (kind, message) = match line_text.split_once(": ") {
                    Some((k, m)) => (k.to_string(), m.to_string()),
                    None => (line_text.clone(), String::new()),
                };
                // The module's frame, then each frame the exception left, outermost first, named by
                // co_name (caret lines are not drawn).
                let inner: Vec<(u32, u32, u32)> = if vm.tb_exc == e {
                    vm.tb.clone()
                } else {
                    Vec::new()
                };
                stderr.push_str("Traceback (most recent call last):\n");
                let frames =
                    std::iter::once(("<module>", vm.line)).chain(inner.iter().rev().map(
                        |&(code, line, _)| (vm.codes.codes[code as usize].name.as_str(), line),
                    ));
                for (name, line) in frames {
                    stderr.push_str(&format!("  File \"{file}\", line {line}, in {name}\n"));
                    if let Some(text) = src.lines().nth(line.saturating_sub(1) as usize) {
                        stderr.push_str(&format!("    {}\n", text.trim()));
                    }
                }
                stderr.push_str(&line_text);
                stderr.push('\n');
                vm.decref(e);
                // Where it went wrong: the innermost frame's position.
                let (line, col) = inner.first().map_or((vm.line, vm.col), |&(_, l, c)| (l, c));
                (
                    1,
                    Some(PyError {
                        kind,
                        message,
                        line,
                        col,
                    }),
                )
            }
            Err(Flow::Fatal(msg)) if msg == STOP => (0, None),
            Err(Flow::Fatal(msg)) => {
                stderr.push_str(&format!("pymemsim: line {}: {msg}\n", vm.line));
                let kind = if msg.contains("memory") {
                    "MemoryError"
                } else {
                    "StepLimit"
                };
                (
                    1,
                    Some(PyError {
                        kind: kind.into(),
                        message: msg,
                        line: vm.line,
                        col: vm.col,
                    }),
                )
            }
            Err(Flow::Return(_)) | Err(Flow::Break) | Err(Flow::Continue) | Err(Flow::Yield(_)) => {
                (1, None)
            }
        };
    if shutdown
        && !matches!(error, Some(PyError { ref kind, .. }) if kind == "StepLimit" || kind == "MemoryError")
    {
        vm.shutdown();
        stderr.push_str(&std::mem::take(&mut vm.stderr));
    }
    RunOutput {
        stdout: std::mem::take(&mut vm.out),
        stderr,
        exit_code,
        error,
        marks: std::mem::take(&mut vm.marks),
        vm: Some(vm),
    }
}
