//! eval: executes the AST the way CPython's bytecode for that version executes it, object operation by
//! object operation, so that every allocation, reference and free happens when CPython's does
//! (`Python/compile.c` decides the operations, `Python/ceval.c` performs them). Expressions return owned
//! references (a value pushed on the evaluation stack); stores steal them; discarded values are released.

use super::ast::*;
use super::scope::{Access, NodeTag};
use super::vm::{Flow, NameSlot, Vm, R};
use crate::object::bigint::BigInt;
use crate::object::dict::{Dict, Key};
use crate::object::{Class, Function, Instance, Int, IterState, ObjId, Payload, Ty};
use std::sync::Arc as Rc;

/// Python calls recurse in Rust. Natively the CLI gives the evaluator a 1 GiB stack, so CPython's own limit
/// (1000, or what `sys.setrecursionlimit` sets) is the only one. In wasm the engine's native stack (about
/// 1 MiB in V8, measured: ~1000 levels) is the bound, so calls deeper than this cap raise the same
/// RecursionError instead of overflowing it. A known limit until calls stop recursing in Rust.
#[cfg(target_arch = "wasm32")]
pub const NATIVE_DEPTH_CAP: u32 = 650;
#[cfg(not(target_arch = "wasm32"))]
pub const NATIVE_DEPTH_CAP: u32 = u32::MAX;

impl Vm {
    /// The depth at which RecursionError is raised: CPython's limit, capped by the native stack on wasm.
    // Natively the cap is u32::MAX and clippy sees a no-op; on wasm32 it is the bound that matters.
    #[allow(clippy::unnecessary_min_or_max)]
    pub fn effective_recursion_limit(&self) -> u32 {
        // `depth` is 0 in the module's code, but CPython's module frame counts against the limit:
        // `def g(n): return g(n + 1)` called from module level fails on its 1000th frame (pyrun, 3.7-3.15).
        self.recursion_limit.min(NATIVE_DEPTH_CAP).saturating_sub(1)
    }
}

/// Evaluated call arguments: positional, keyword, and how many were pushed as 3.14 borrowed references.
type CallArgs = (Vec<ObjId>, Vec<(String, ObjId)>, usize);

/// What LOAD_METHOD found.
enum Method {
    /// An ordinary attribute value (owned): called as is.
    Bound(ObjId),
    /// A function on the class (owned): called with the object first.
    Unbound(ObjId),
    /// A method of a builtin type: called on the object directly.
    Builtin(&'static str),
}

/// An activation of a code object.
pub struct Frame {
    pub code: u32,
    pub fast: Vec<Option<ObjId>>,
    pub cells: Vec<ObjId>,
    /// For module and class bodies: the namespace dict names are stored in.
    pub ns: Option<ObjId>,
    pub globals: ObjId,
    /// A generator frame's suspension point while it is suspended or being re-entered (see `Resume`).
    pub resume: Vec<Resume>,
    /// What the generator was resumed with: the value `yield` evaluates to, or an exception it raises.
    pub sent: Option<Sent>,
    /// 3.15+: the iterator a generator expression makes of its iterable (`.0`) before it first runs,
    /// waiting on the frame's stack for the outermost loop.
    pub pre_iter: Option<ObjId>,
}

/// What a suspended generator is resumed with (`next`/`send` or `throw`/`close`).
pub enum Sent {
    Value(ObjId),
    Throw(ObjId),
}

/// One level of a generator frame's suspension point. CPython suspends a frame by saving its instruction
/// pointer and value stack (`Objects/genobject.c`); this tree-walking evaluator instead unwinds the Rust
/// stack with `Flow::Yield`, each enclosing statement pushing the entry that lets it re-enter (innermost
/// first), and on resumption each pops its entry again (outermost first). What CPython keeps on the value
/// stack across a yield — a `for` loop's iterator, the sub-iterator of `yield from`, the exception of an
/// `except` block being handled, a `finally` block's pending exit — is held (owned) here.
pub enum Resume {
    /// The index of the statement, within its block, that contains the suspension point.
    At(usize),
    /// Inside a `for` body; the loop's iterator.
    For(ObjId),
    /// In the body (`true`) or the `else` block (`false`) of an `if`, `while` or `for`.
    Branch(bool),
    /// In a `try` statement.
    Try(TryPart),
    /// At the `yield` itself.
    Yield,
    /// In `yield from`: the sub-iterator.
    YieldFrom(ObjId),
}

pub enum TryPart {
    Body,
    Else,
    /// In handler `n`, handling exception `exc`.
    Handler(usize, ObjId),
    /// In the `finally` block, with the exit that was pending when it began.
    Finally(R<()>),
}

impl Frame {
    pub fn new(code: u32, nfast: usize, ns: Option<ObjId>, globals: ObjId) -> Frame {
        Frame {
            code,
            fast: vec![None; nfast],
            cells: Vec::new(),
            ns,
            globals,
            resume: Vec::new(),
            sent: None,
            pre_iter: None,
        }
    }

    /// Pops this level's entry if the frame is being re-entered at a suspension point.
    fn resuming(&mut self) -> Option<Resume> {
        self.resume.pop()
    }
}

/// Adds one level to a suspension point as `Flow::Yield` passes through: the other flows pass unchanged.
fn suspend<T>(f: &mut Frame, e: Flow, entry: impl FnOnce() -> Resume) -> R<T> {
    if let Flow::Yield(_) = e {
        f.resume.push(entry());
    }
    Err(e)
}

impl Vm {
    // ------------------------------------------------------------------ statements

    pub fn exec_block(&mut self, f: &mut Frame, body: &[Stmt]) -> R<()> {
        let start = match f.resuming() {
            Some(Resume::At(i)) => i,
            Some(other) => {
                f.resume.push(other);
                0
            }
            None => 0,
        };
        for (i, s) in body.iter().enumerate().skip(start) {
            if let Err(e) = self.exec_stmt(f, s) {
                return suspend(f, e, || Resume::At(i));
            }
        }
        Ok(())
    }

    pub fn tick(&mut self, pos: Pos) -> R<()> {
        self.line = pos.line;
        self.steps += 1;
        if let Some(m) = self.pending_fatal.take() {
            return Err(Flow::Fatal(m));
        }
        if self.steps > self.step_limit {
            return Err(Flow::Fatal(format!(
                "the step budget of {} executed statements ran out (a runaway loop?); raise it with --max-steps or the maxSteps option",
                self.step_limit
            )));
        }
        Ok(())
    }

    pub fn exec_stmt(&mut self, f: &mut Frame, s: &Stmt) -> R<()> {
        self.tick(s.pos)?;
        if f.code == 0 && self.depth == 0 {
            self.on_statement(s.pos)?;
        }
        match &s.kind {
            StmtKind::Expr(e) => {
                let v = self.eval(f, e)?;
                self.decref(v);
            }
            StmtKind::Assign(targets, value) => {
                let v = self.eval(f, value)?;
                // Chained assignment: DUP_TOP for every target but the last.
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.incref(v);
                    }
                    self.assign(f, t, v)?;
                }
            }
            StmtKind::AugAssign(target, op, value) => self.aug_assign(f, target, *op, value)?,
            StmtKind::AnnAssign(target, _, value) => {
                if let Some(v) = value {
                    let v = self.eval(f, v)?;
                    self.assign(f, target, v)?;
                }
            }
            StmtKind::Del(targets) => {
                for t in targets {
                    self.delete(f, t)?;
                }
            }
            StmtKind::Pass => {}
            StmtKind::Break => return Err(Flow::Break),
            StmtKind::Continue => return Err(Flow::Continue),
            StmtKind::Return(v) => {
                let r = match v {
                    Some(e) => self.eval(f, e)?,
                    None => self.none(),
                };
                return Err(Flow::Return(r));
            }
            StmtKind::If(test, body, orelse) => {
                let branch = match f.resuming() {
                    Some(Resume::Branch(b)) => b,
                    _ => self.eval_truth(f, test)?,
                };
                let r = self.exec_block(f, if branch { body } else { orelse });
                if let Err(e) = r {
                    return suspend(f, e, || Resume::Branch(branch));
                }
            }
            StmtKind::While(test, body, orelse) => {
                // Re-entered in the body, the loop goes on from there; in the else block, it is over.
                let mut resumed = match f.resuming() {
                    Some(Resume::Branch(false)) => {
                        let r = self.exec_block(f, orelse);
                        return r.or_else(|e| suspend(f, e, || Resume::Branch(false)));
                    }
                    Some(_) => true,
                    None => false,
                };
                let mut broke = false;
                while resumed || self.eval_truth(f, test)? {
                    resumed = false;
                    match self.exec_block(f, body) {
                        Ok(()) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => {
                            broke = true;
                            break;
                        }
                        Err(e) => return suspend(f, e, || Resume::Branch(true)),
                    }
                    // JUMP_BACKWARD checks the eval breaker (a collection scheduled, 3.12+).
                    self.eval_breaker()?;
                    self.tick(s.pos)?;
                }
                if !broke {
                    let r = self.exec_block(f, orelse);
                    return r.or_else(|e| suspend(f, e, || Resume::Branch(false)));
                }
            }
            StmtKind::For(target, iter, body, orelse) => {
                let (it, mut resumed) = match f.resuming() {
                    Some(Resume::For(it)) => (it, true),
                    Some(_) => {
                        let r = self.exec_block(f, orelse);
                        return r.or_else(|e| suspend(f, e, || Resume::Branch(false)));
                    }
                    None => match f.pre_iter.take() {
                        Some(it) => (it, false),
                        None => {
                            let seq = self.eval(f, iter)?;
                            let it = self.get_iter(seq);
                            self.decref(seq);
                            (it?, false)
                        }
                    },
                };
                let mut broke = false;
                loop {
                    if !resumed {
                        let next = match self.iter_next(it) {
                            Ok(n) => n,
                            Err(e) => {
                                self.decref(it);
                                return Err(e);
                            }
                        };
                        let Some(v) = next else { break };
                        if let Err(e) = self.assign(f, target, v) {
                            self.decref(it);
                            return Err(e);
                        }
                    }
                    resumed = false;
                    match self.exec_block(f, body) {
                        Ok(()) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => {
                            broke = true;
                            break;
                        }
                        Err(e @ Flow::Yield(_)) => return suspend(f, e, || Resume::For(it)),
                        Err(e) => {
                            self.decref(it);
                            return Err(e);
                        }
                    }
                    self.eval_breaker()?;
                    self.tick(s.pos)?;
                }
                self.decref(it);
                if !broke {
                    let r = self.exec_block(f, orelse);
                    return r.or_else(|e| suspend(f, e, || Resume::Branch(false)));
                }
            }
            StmtKind::FunctionDef {
                name,
                params,
                decorators,
                ..
            } => {
                let code = self.codes.lookup(s.pos, NodeTag::Def);
                let func =
                    self.decorated(f, decorators, |vm, f| vm.make_function(f, code, params))?;
                self.store_name(f, name, func)?;
            }
            StmtKind::ClassDef {
                name,
                bases,
                decorators,
                ..
            } => {
                let code = self.codes.lookup(s.pos, NodeTag::Class);
                // co_firstlineno: the first decorator's line, or the `class` line.
                let line = decorators.first().map_or(s.pos.line, |d| d.pos.line);
                let cls = self.decorated(f, decorators, |vm, f| {
                    vm.make_class(f, code, name, bases, line)
                })?;
                self.store_name(f, name, cls)?;
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                let (r, pending) = match f.resuming() {
                    Some(Resume::Try(TryPart::Finally(pending))) => (None, pending),
                    Some(Resume::Try(part)) => (
                        Some(self.exec_try(f, body, handlers, orelse, Some(part))),
                        Ok(()),
                    ),
                    _ => (Some(self.exec_try(f, body, handlers, orelse, None)), Ok(())),
                };
                let r = match r {
                    // Suspended inside the try part: finally has not begun.
                    Some(Err(e @ Flow::Yield(_))) => return Err(e),
                    Some(r) if finalbody.is_empty() => return r,
                    Some(r) => r,
                    None => pending,
                };
                // finally runs on every exit; an exit from finally itself replaces the pending one.
                match self.exec_block(f, finalbody) {
                    Ok(()) => return r,
                    Err(e @ Flow::Yield(_)) => {
                        return suspend(f, e, || Resume::Try(TryPart::Finally(r)))
                    }
                    Err(e) => {
                        self.drop_flow(r);
                        return Err(e);
                    }
                }
            }
            StmtKind::Raise(exc, cause) => {
                let Some(exc) = exc else {
                    return match self.handling.last().copied() {
                        Some(e) => {
                            self.incref(e);
                            Err(Flow::Exc(e))
                        }
                        None => Err(self.err("RuntimeError", "No active exception to reraise")),
                    };
                };
                let v = self.eval(f, exc)?;
                if let Some(c) = cause {
                    let c = self.eval(f, c)?;
                    self.decref(c);
                }
                let e = self.make_exception(v)?;
                return Err(Flow::Exc(e));
            }
            StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Import(items) => {
                for (m, alias) in items {
                    let module = self.import(m)?;
                    let n = alias.clone().unwrap_or_else(|| m.clone());
                    self.store_name(f, &n, module)?;
                }
            }
            StmtKind::ImportFrom(m, items) => {
                let module = self.import(m)?;
                for (n, alias) in items {
                    // What the simulated sys lacks is "not supported", as its attribute is.
                    if m == "sys" && super::builtins::SYS_UNMODELLED.contains(&n.as_str()) {
                        self.decref(module);
                        return Err(self.err(
                            "NotImplementedError",
                            &format!("not supported by the simulator: sys.{n}"),
                        ));
                    }
                    let v = self.get_attr(module, n).map_err(|e| {
                        self.drop_flow(Err(e));
                        self.err(
                            "ImportError",
                            &format!("cannot import name '{n}' from '{m}' (unknown location)"),
                        )
                    })?;
                    self.store_name(f, alias.as_ref().unwrap_or(n), v)?;
                }
                self.decref(module);
            }
            StmtKind::Assert(test, msg) => {
                if !self.eval_truth(f, test)? {
                    let e = match msg {
                        Some(m) => {
                            let v = self.eval(f, m)?;
                            let cls = self.builtins["AssertionError"];
                            self.incref(cls);
                            let r = self.call(cls, vec![v], vec![]);
                            self.decref(cls);
                            r?
                        }
                        None => self.new_exception("AssertionError", "")?,
                    };
                    return Err(Flow::Exc(e));
                }
            }
        }
        Ok(())
    }

    /// A `def` or `class` statement's object: decorators evaluated first, the object made, then the
    /// decorators applied innermost (last) first.
    fn decorated(
        &mut self,
        f: &mut Frame,
        decorators: &[Expr],
        make: impl FnOnce(&mut Vm, &mut Frame) -> R<ObjId>,
    ) -> R<ObjId> {
        let mut decos = Vec::new();
        for d in decorators {
            decos.push(self.eval(f, d)?);
        }
        let mut obj = make(self, f)?;
        for d in decos.into_iter().rev() {
            let r = self.call(d, vec![obj], vec![]);
            self.decref(d);
            obj = r?;
        }
        Ok(obj)
    }

    /// Releases the references a pending flow holds.
    pub fn drop_flow(&mut self, r: R<()>) {
        match r {
            Err(Flow::Exc(e)) | Err(Flow::Return(e)) | Err(Flow::Yield(e)) => self.decref(e),
            _ => {}
        }
    }

    /// The try, except and else parts of a `try` statement, re-entered at `at` when resuming a generator.
    fn exec_try(
        &mut self,
        f: &mut Frame,
        body: &[Stmt],
        handlers: &[ExceptHandler],
        orelse: &[Stmt],
        at: Option<TryPart>,
    ) -> R<()> {
        let exc = match at {
            Some(TryPart::Handler(i, exc)) => return self.exec_handler(f, &handlers[i], i, exc),
            Some(TryPart::Else) => {
                let r = self.exec_block(f, orelse);
                return r.or_else(|e| suspend(f, e, || Resume::Try(TryPart::Else)));
            }
            _ => match self.exec_block(f, body) {
                Ok(()) => {
                    let r = self.exec_block(f, orelse);
                    return r.or_else(|e| suspend(f, e, || Resume::Try(TryPart::Else)));
                }
                Err(Flow::Exc(e)) => e,
                Err(other) => return suspend(f, other, || Resume::Try(TryPart::Body)),
            },
        };
        for (i, h) in handlers.iter().enumerate() {
            let matches = match &h.ty {
                None => true,
                Some(t) => {
                    let cls = self.eval(f, t)?;
                    let m = self.exception_matches(exc, cls);
                    self.decref(cls);
                    m
                }
            };
            if !matches {
                continue;
            }
            if let Some(n) = &h.name {
                self.incref(exc);
                self.store_name(f, n, exc)?;
            }
            return self.exec_handler(f, h, i, exc);
        }
        Err(Flow::Exc(exc))
    }

    /// Runs handler `i` for `exc` (owned). A generator suspended in it keeps `exc` as the exception being
    /// handled (CPython's `gi_exc_state`), to be handled again when it resumes.
    fn exec_handler(&mut self, f: &mut Frame, h: &ExceptHandler, i: usize, exc: ObjId) -> R<()> {
        self.handling.push(exc);
        let r = self.exec_block(f, &h.body);
        self.handling.pop();
        if r.is_ok() && self.tb_exc == exc {
            // Handled: its traceback goes with it.
            self.tb.clear();
            self.tb_exc = ObjId::MAX;
        }
        if let Err(e @ Flow::Yield(_)) = r {
            return suspend(f, e, || Resume::Try(TryPart::Handler(i, exc)));
        }
        if let Some(n) = &h.name {
            // `except E as e:` deletes e at the end of the handler.
            let _ = self.delete_name(f, n);
        }
        self.decref(exc);
        r
    }

    // ------------------------------------------------------------------ names

    /// STORE_NAME/STORE_GLOBAL/STORE_FAST of the name node `id`: through the node's slot, so an existing
    /// global is replaced in place without a lookup (as `insertdict` replaces a value: no key is made).
    fn store_name_at(&mut self, f: &mut Frame, id: u32, name: &str, v: ObjId) -> R<()> {
        let d = match self.name_access(f, id, name) {
            Access::Global => f.globals,
            Access::Name if f.ns.is_none() => f.globals,
            _ => return self.store_name(f, name, v),
        };
        let s = &mut self.name_slots[id as usize];
        if let Payload::Dict(x) = &mut self.objs.get_mut(d).payload {
            let at = if s.dict == d && s.version == x.version && s.index != NameSlot::MISSING {
                Some(s.index as usize)
            } else {
                x.get_str(name)
            };
            if let Some(i) = at {
                (s.dict, s.version, s.index) = (d, x.version, i as u32);
                let old = std::mem::replace(&mut x.entry_mut(i).value, v);
                self.dict_value_replaced(d, v, old);
                return Ok(());
            }
        }
        self.dict_set_str(d, name, v)
    }

    pub fn store_name(&mut self, f: &mut Frame, name: &str, v: ObjId) -> R<()> {
        match self.codes.codes[f.code as usize].access(name) {
            Access::Fast(i) => {
                if let Some(old) = f.fast[i].replace(v) {
                    self.decref(old);
                }
            }
            Access::Deref(i) => {
                let cell = f.cells[i];
                let old = match &mut self.objs.get_mut(cell).payload {
                    Payload::Cell(c) => c.replace(v),
                    _ => None,
                };
                if let Some(o) = old {
                    self.decref(o);
                }
            }
            Access::Global => {
                let g = f.globals;
                self.dict_set_str(g, name, v)?;
            }
            Access::Name => {
                let ns = f.ns.unwrap_or(f.globals);
                self.dict_set_str(ns, name, v)?;
            }
        }
        Ok(())
    }

    /// How the code of `f` reaches the name of node `id`, resolved once per node (a node belongs to one
    /// code; the slot remembers which, so a mismatch re-resolves instead of misreading).
    fn name_access(&mut self, f: &Frame, id: u32, name: &str) -> Access {
        let s = &mut self.name_slots[id as usize];
        if s.code != f.code {
            *s = NameSlot {
                code: f.code,
                access: self.codes.codes[f.code as usize].access(name),
                ..NameSlot::EMPTY
            };
        }
        s.access
    }

    /// LOAD_GLOBAL, or LOAD_NAME with the globals as namespace: the value (borrowed) in the dict `d`
    /// or, when `d` lacks the name, in builtins. The node's slot keeps where the name was found, valid
    /// while `d`'s keys version is unchanged (3.11+ caches LOAD_GLOBAL on the keys version the same
    /// way; the lookups and their results are the same in every version, only the simulator's cost).
    fn global_lookup(&mut self, d: ObjId, id: u32, name: &str) -> Option<ObjId> {
        let Payload::Dict(x) = &self.objs.get(d).payload else {
            return None;
        };
        let s = &mut self.name_slots[id as usize];
        if s.dict == d && s.version == x.version {
            return Some(match s.index {
                NameSlot::MISSING => s.builtin,
                i => x.entry(i as usize).value,
            });
        }
        s.dict = d;
        s.version = x.version;
        if let Some(i) = x.get_str(name) {
            s.index = i as u32;
            return Some(x.entry(i).value);
        }
        let b = self.builtins.get(name).copied();
        match b {
            Some(b) => {
                s.index = NameSlot::MISSING;
                s.builtin = b;
            }
            None => s.dict = NameSlot::EMPTY.dict,
        }
        b
    }

    pub fn load_name(&mut self, f: &Frame, id: u32, name: &str) -> R<ObjId> {
        let found = match self.name_access(f, id, name) {
            Access::Fast(i) => match f.fast[i] {
                Some(v) => Some(v),
                None => return Err(self.err("UnboundLocalError", &self.unbound_local_msg(name))),
            },
            Access::Deref(i) => match &self.objs.get(f.cells[i]).payload {
                Payload::Cell(Some(v)) => Some(*v),
                _ => {
                    let msg = if self.layout.minor >= 11 {
                        format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope")
                    } else {
                        format!("free variable '{name}' referenced before assignment in enclosing scope")
                    };
                    return Err(self.err("NameError", &msg));
                }
            },
            Access::Global => self.global_lookup(f.globals, id, name),
            Access::Name => match f.ns {
                None => self.global_lookup(f.globals, id, name),
                // A class body: its namespace first (not cached; it runs once).
                Some(ns) => self
                    .dict_get_str(ns, name)
                    .or_else(|| self.dict_get_str(f.globals, name))
                    .or_else(|| self.builtins.get(name).copied()),
            },
        };
        let v = match found {
            Some(v) => v,
            None => return Err(self.name_error(f, name)),
        };
        self.incref(v);
        Ok(v)
    }

    fn unbound_local_msg(&self, name: &str) -> String {
        if self.layout.minor >= 11 {
            format!("cannot access local variable '{name}' where it is not associated with a value")
        } else {
            format!("local variable '{name}' referenced before assignment")
        }
    }

    fn delete_name(&mut self, f: &mut Frame, name: &str) -> R<()> {
        match self.codes.codes[f.code as usize].access(name) {
            Access::Fast(i) => match f.fast[i].take() {
                Some(v) => self.decref(v),
                None => return Err(self.err("UnboundLocalError", &self.unbound_local_msg(name))),
            },
            Access::Deref(i) => {
                let cell = f.cells[i];
                let old = match &mut self.objs.get_mut(cell).payload {
                    Payload::Cell(c) => c.take(),
                    _ => None,
                };
                if let Some(o) = old {
                    self.decref(o);
                }
            }
            Access::Global | Access::Name => {
                let ns = if self.codes.codes[f.code as usize].access(name) == Access::Global {
                    f.globals
                } else {
                    f.ns.unwrap_or(f.globals)
                };
                if !self.dict_del_str(ns, name) {
                    return Err(self.name_error(f, name));
                }
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------------ assignment

    pub fn assign(&mut self, f: &mut Frame, t: &Expr, v: ObjId) -> R<()> {
        match &t.kind {
            ExprKind::Name(n) => self.store_name_at(f, t.id, n, v),
            ExprKind::Attribute(obj, name) => {
                let o = match self.eval(f, obj) {
                    Ok(o) => o,
                    Err(e) => {
                        self.decref(v);
                        return Err(e);
                    }
                };
                let r = self.set_attr(o, name, v);
                self.decref(o);
                r
            }
            ExprKind::Subscript(obj, idx) => {
                let o = self.eval(f, obj);
                let o = match o {
                    Ok(o) => o,
                    Err(e) => {
                        self.decref(v);
                        return Err(e);
                    }
                };
                let k = match self.eval(f, idx) {
                    Ok(k) => k,
                    Err(e) => {
                        self.decref(v);
                        self.decref(o);
                        return Err(e);
                    }
                };
                let r = self.set_item(o, k, v);
                self.decref(k);
                self.decref(o);
                r
            }
            ExprKind::Tuple(targets) | ExprKind::List(targets) => self.unpack(f, targets, v),
            _ => {
                self.decref(v);
                Err(self.err("SyntaxError", "cannot assign to expression"))
            }
        }
    }

    /// UNPACK_SEQUENCE / UNPACK_EX.
    fn unpack(&mut self, f: &mut Frame, targets: &[Expr], v: ObjId) -> R<()> {
        let star = targets
            .iter()
            .position(|t| matches!(t.kind, ExprKind::Starred(_)));
        let n = targets.len();
        let values = self.unpack_values(v, n, star);
        self.decref(v);
        let mut rest = values?.into_iter();
        for t in targets {
            let x = rest.next().expect("one value per target");
            let t = match &t.kind {
                ExprKind::Starred(inner) => inner,
                _ => t,
            };
            if let Err(e) = self.assign(f, t, x) {
                let left: Vec<ObjId> = rest.collect();
                self.decref_all(&left);
                return Err(e);
            }
        }
        Ok(())
    }

    /// UNPACK_SEQUENCE / UNPACK_EX (`unpack_iterable`): one owned value per target, the starred one a
    /// list. An exact list or tuple of the right length is read in place; anything else through an
    /// iterator, taking exactly as many items as the targets need (plus one to find too many), and the
    /// starred list is `PySequence_List` of what the iterator has left, sized by its length hint, then
    /// cut down to leave the names after it their items (the buffer is not trimmed).
    fn unpack_values(&mut self, v: ObjId, n: usize, star: Option<usize>) -> R<Vec<ObjId>> {
        if star.is_none()
            && matches!(self.ty(v), Ty::List | Ty::Tuple)
            && self.items_of(v).len() == n
        {
            let items = self.items_of(v).to_vec();
            for &i in &items {
                self.incref(i);
            }
            return Ok(items);
        }
        // 3.14+ says how many there were when the sequence knows its size cheaply.
        let size = match self.ty(v) {
            Ty::List | Ty::Tuple | Ty::Dict if self.layout.minor >= 14 => self.len_of(v).ok(),
            _ => None,
        };
        let it = match self.get_iter(v) {
            Ok(it) => it,
            Err(Flow::Exc(e)) if self.is_exc(e, "TypeError") => {
                self.decref(e);
                let t = self.type_name(v);
                return Err(self.type_error(format!("cannot unpack non-iterable {t} object")));
            }
            Err(e) => return Err(e),
        };
        let before = star.unwrap_or(n);
        let mut out = Vec::with_capacity(n);
        let r = (|| {
            while out.len() < before {
                match self.iter_next(it)? {
                    Some(x) => out.push(x),
                    None => {
                        let got = out.len();
                        let msg = match star {
                            None => {
                                format!("not enough values to unpack (expected {n}, got {got})")
                            }
                            Some(_) => format!(
                                "not enough values to unpack (expected at least {}, got {got})",
                                n - 1
                            ),
                        };
                        return Err(self.err("ValueError", &msg));
                    }
                }
            }
            let Some(si) = star else {
                if let Some(extra) = self.iter_next(it)? {
                    self.decref(extra);
                    let msg = match size {
                        Some(k) => format!("too many values to unpack (expected {n}, got {k})"),
                        None => format!("too many values to unpack (expected {n})"),
                    };
                    return Err(self.err("ValueError", &msg));
                }
                return Ok(());
            };
            let after = n - si - 1;
            let l = self.new_list_exact(vec![])?;
            if let Err(e) = self.list_extend(l, it) {
                self.decref(l);
                return Err(e);
            }
            let ll = self.items_of(l).len();
            if ll < after {
                self.decref(l);
                let msg = format!(
                    "not enough values to unpack (expected at least {}, got {})",
                    n - 1,
                    si + ll
                );
                return Err(self.err("ValueError", &msg));
            }
            // Py_SET_SIZE(l, ll - after): the last items move out to the names after the star.
            let tail = match &mut self.objs.get_mut(l).payload {
                Payload::List { items, .. } => items.split_off(ll - after),
                _ => Vec::new(),
            };
            out.push(l);
            out.extend(tail);
            Ok(())
        })();
        self.decref(it);
        match r {
            Ok(()) => Ok(out),
            Err(e) => {
                self.decref_all(&out);
                Err(e)
            }
        }
    }

    fn aug_assign(&mut self, f: &mut Frame, target: &Expr, op: BinOp, value: &Expr) -> R<()> {
        match &target.kind {
            ExprKind::Name(n) => {
                let cur = self.load_name(f, target.id, n)?;
                let rhs = match self.eval(f, value) {
                    Ok(r) => r,
                    Err(e) => {
                        self.decref(cur);
                        return Err(e);
                    }
                };
                let r = self.inplace_op(cur, op, rhs);
                self.decref(cur);
                self.decref(rhs);
                self.store_name_at(f, target.id, n, r?)
            }
            ExprKind::Attribute(obj, name) => {
                let o = self.eval(f, obj)?;
                let cur = self.get_attr(o, name)?;
                let rhs = self.eval(f, value)?;
                let r = self.inplace_op(cur, op, rhs);
                self.decref(cur);
                self.decref(rhs);
                let r = self.set_attr(o, name, r?);
                self.decref(o);
                r
            }
            ExprKind::Subscript(obj, idx) => {
                let o = self.eval(f, obj)?;
                let k = self.eval(f, idx)?;
                let cur = self.get_item(o, k)?;
                let rhs = self.eval(f, value)?;
                let r = self.inplace_op(cur, op, rhs);
                self.decref(cur);
                self.decref(rhs);
                let r = self.set_item(o, k, r?);
                self.decref(k);
                self.decref(o);
                r
            }
            _ => Err(self.err("SyntaxError", "illegal expression for augmented assignment")),
        }
    }

    fn delete(&mut self, f: &mut Frame, t: &Expr) -> R<()> {
        match &t.kind {
            ExprKind::Name(n) => self.delete_name(f, n),
            ExprKind::Subscript(obj, idx) => {
                let o = self.eval(f, obj)?;
                let k = self.eval(f, idx)?;
                let r = self.del_item(o, k);
                self.decref(k);
                self.decref(o);
                r
            }
            ExprKind::Attribute(obj, name) => {
                let o = self.eval(f, obj)?;
                let r = self.del_attr(o, name);
                self.decref(o);
                r
            }
            ExprKind::Tuple(ts) | ExprKind::List(ts) => {
                for t in ts {
                    self.delete(f, t)?;
                }
                Ok(())
            }
            _ => Err(self.err("SyntaxError", "cannot delete expression")),
        }
    }

    // ------------------------------------------------------------------ expressions

    pub fn eval_truth(&mut self, f: &mut Frame, e: &Expr) -> R<bool> {
        let v = self.eval(f, e)?;
        let t = self.truthy(v);
        self.decref(v);
        t
    }

    pub fn eval(&mut self, f: &mut Frame, e: &Expr) -> R<ObjId> {
        self.col = e.pos.col;
        match &e.kind {
            ExprKind::Const(_) => self.load_const(e),
            ExprKind::Name(n) => self.load_name(f, e.id, n),
            ExprKind::Tuple(items) => {
                if let Some(c) = self.folded(e) {
                    return Ok(c);
                }
                let v = self.eval_items(f, items)?;
                self.new_tuple(v)
            }
            ExprKind::List(items) => self.eval_list_display(f, e, items),
            ExprKind::Set(items) => self.eval_set_display(f, e, items),
            ExprKind::Dict(items) => self.eval_dict_display(f, items),
            ExprKind::ListComp(..)
            | ExprKind::SetComp(..)
            | ExprKind::DictComp(..)
            | ExprKind::GeneratorExp(..) => self.eval_comprehension(f, e),
            ExprKind::BinOp(a, op, b) => {
                if let Some(c) = self.folded(e) {
                    return Ok(c);
                }
                let x = self.eval(f, a)?;
                let y = match self.eval(f, b) {
                    Ok(y) => y,
                    Err(err) => {
                        self.decref(x);
                        return Err(err);
                    }
                };
                self.col = e.pos.col;
                let r = self.binary_op(x, *op, y);
                self.decref(x);
                self.decref(y);
                r
            }
            ExprKind::UnaryOp(op, a) => {
                if let Some(c) = self.folded(e) {
                    return Ok(c);
                }
                let x = self.eval(f, a)?;
                let r = self.unary_op(*op, x);
                self.decref(x);
                r
            }
            ExprKind::BoolOp(op, values) => {
                let mut cur = self.eval(f, &values[0])?;
                for v in &values[1..] {
                    let t = self.truthy(cur)?;
                    if (*op == BoolOp::And) != t {
                        return Ok(cur);
                    }
                    self.decref(cur);
                    cur = self.eval(f, v)?;
                }
                Ok(cur)
            }
            ExprKind::Compare(first, rest) => {
                let mut left = self.eval(f, first)?;
                for (i, (op, right)) in rest.iter().enumerate() {
                    let r = match self.eval(f, right) {
                        Ok(r) => r,
                        Err(e) => {
                            self.decref(left);
                            return Err(e);
                        }
                    };
                    let res = self.compare(left, *op, r);
                    self.decref(left);
                    let res = match res {
                        Ok(x) => x,
                        Err(e) => {
                            self.decref(r);
                            return Err(e);
                        }
                    };
                    if i + 1 == rest.len() {
                        self.decref(r);
                        return Ok(res);
                    }
                    if !self.truthy(res)? {
                        self.decref(r);
                        return Ok(res);
                    }
                    self.decref(res);
                    left = r;
                }
                unreachable!(/* a comparison has at least one operator */)
            }
            ExprKind::IfExp { test, body, orelse } => {
                if self.eval_truth(f, test)? {
                    self.eval(f, body)
                } else {
                    self.eval(f, orelse)
                }
            }
            ExprKind::Call(func, args) => self.eval_call(f, func, args),
            ExprKind::Attribute(obj, name) => {
                let o = self.eval(f, obj)?;
                self.col = e.pos.col;
                let r = self.get_attr(o, name);
                self.decref(o);
                r
            }
            ExprKind::Subscript(obj, idx) => {
                if let Some(c) = self.folded(e) {
                    return Ok(c);
                }
                let o = self.eval(f, obj)?;
                let k = match self.eval(f, idx) {
                    Ok(k) => k,
                    Err(err) => {
                        self.decref(o);
                        return Err(err);
                    }
                };
                let r = self.get_item(o, k);
                self.decref(k);
                self.decref(o);
                r
            }
            ExprKind::Slice(a, b, c) => {
                let mut parts = Vec::new();
                for x in [a, b, c] {
                    parts.push(match x {
                        Some(x) => self.eval(f, x)?,
                        None => self.none(),
                    });
                }
                self.new_slice(parts[0], parts[1], parts[2])
            }
            ExprKind::Starred(_) => {
                Err(self.err("SyntaxError", "can't use starred expression here"))
            }
            ExprKind::Lambda(params, _) => {
                let code = self.codes.lookup(e.pos, NodeTag::Lambda);
                self.make_function(f, code, params)
            }
            ExprKind::FString(parts) => {
                let s = self.eval_fstring(f, parts)?;
                self.new_str(&s)
            }
            ExprKind::Yield(v) => {
                if let Some(Resume::Yield) = f.resume.last() {
                    f.resume.pop();
                    return self.take_sent(f);
                }
                let val = match v {
                    Some(v) => self.eval(f, v)?,
                    None => self.none(),
                };
                f.resume.push(Resume::Yield);
                Err(Flow::Yield(val))
            }
            ExprKind::YieldFrom(x) => {
                let (sub, sent) = match f.resume.last() {
                    Some(Resume::YieldFrom(sub)) => {
                        let sub = *sub;
                        f.resume.pop();
                        (sub, f.sent.take())
                    }
                    _ => {
                        let v = self.eval(f, x)?;
                        let it = self.get_iter(v);
                        self.decref(v);
                        (it?, None)
                    }
                };
                match self.delegate(sub, sent) {
                    Ok(Ok(v)) => {
                        f.resume.push(Resume::YieldFrom(sub));
                        Err(Flow::Yield(v))
                    }
                    Ok(Err(ret)) => {
                        self.decref(sub);
                        Ok(ret)
                    }
                    Err(e) => {
                        self.decref(sub);
                        Err(e)
                    }
                }
            }
        }
    }

    fn eval_items(&mut self, f: &mut Frame, items: &[Expr]) -> R<Vec<ObjId>> {
        let mut out = Vec::with_capacity(items.len());
        for x in items {
            let r = if let ExprKind::Starred(inner) = &x.kind {
                self.eval(f, inner).and_then(|v| {
                    let items = self.collect_iter(v);
                    self.decref(v);
                    items
                })
            } else {
                self.eval(f, x).map(|v| vec![v])
            };
            match r {
                Ok(vs) => out.extend(vs),
                Err(e) => {
                    self.decref_all(&out);
                    return Err(e);
                }
            }
        }
        Ok(out)
    }

    fn eval_fstring(&mut self, f: &mut Frame, parts: &[FPart]) -> R<String> {
        let mut s = String::new();
        for p in parts {
            match p {
                FPart::Lit(t) => s.push_str(t),
                FPart::Expr {
                    expr,
                    conversion,
                    spec,
                    debug_text,
                } => {
                    if let Some(d) = debug_text {
                        s.push_str(d);
                    }
                    let v = self.eval(f, expr)?;
                    let spec_s = self.eval_fstring(f, spec)?;
                    let conv = conversion.or(if debug_text.is_some() && spec.is_empty() {
                        Some('r')
                    } else {
                        None
                    });
                    let r = match conv {
                        Some(c) => {
                            let t = match c {
                                'r' => self.repr(v),
                                'a' => self.repr(v).map(|r| ascii_escape(&r)),
                                _ => self.to_str(v),
                            };
                            // FORMAT_VALUE converts first, then formats the converted str by the spec.
                            match t {
                                Ok(t) if !spec_s.is_empty() => self.new_str(&t).and_then(|o| {
                                    let r = self.py_format(o, &spec_s);
                                    self.decref(o);
                                    r
                                }),
                                t => t,
                            }
                        }
                        None => self.py_format(v, &spec_s),
                    };
                    self.decref(v);
                    s.push_str(&r?);
                }
            }
        }
        Ok(s)
    }

    /// List displays as each version compiles them (sizes.md §2.2): BUILD_LIST n for non-constant items
    /// (3.10+: BUILD_LIST 0 + LIST_APPEND past 30 items), and for ≥3 constants 3.9+
    /// `BUILD_LIST 0; LOAD_CONST tuple; LIST_EXTEND` (3.14: only 3..=30 constants).
    fn eval_list_display(&mut self, f: &mut Frame, e: &Expr, items: &[Expr]) -> R<ObjId> {
        let minor = self.layout.minor;
        let has_star = items.iter().any(|x| matches!(x.kind, ExprKind::Starred(_)));
        if let Some(c) = self.const_tagged(e, super::consts::TAG_ITER_CONST) {
            return Ok(c);
        }
        if let Some(t) = self.folded(e) {
            // The folded constant is a tuple: BUILD_LIST 0 + LIST_EXTEND.
            let l = self.new_list_exact(vec![])?;
            let r = self.list_extend(l, t);
            self.decref(t);
            r?;
            return Ok(l);
        }
        let big = minor >= 10 && items.len() > 30;
        if has_star || big {
            // BUILD_LIST of the items before the first star, then LIST_EXTEND / LIST_APPEND.
            let first_star = if big {
                0
            } else {
                items
                    .iter()
                    .position(|x| matches!(x.kind, ExprKind::Starred(_)))
                    .unwrap_or(items.len())
            };
            let head = self.eval_items(f, &items[..first_star])?;
            let l = self.new_list_exact(head)?;
            for x in &items[first_star..] {
                let r = if let ExprKind::Starred(inner) = &x.kind {
                    self.eval(f, inner).and_then(|v| {
                        let r = self.list_extend(l, v);
                        self.decref(v);
                        r
                    })
                } else {
                    self.eval(f, x).and_then(|v| self.list_append(l, v))
                };
                if let Err(err) = r {
                    self.decref(l);
                    return Err(err);
                }
            }
            return Ok(l);
        }
        let v = self.eval_items(f, items)?;
        self.new_list_exact(v)
    }

    /// Set displays: BUILD_SET n adds items one by one; 3.9+ folds ≥3 constants into a frozenset merged
    /// with SET_UPDATE (3.14: 3..=30).
    fn eval_set_display(&mut self, f: &mut Frame, e: &Expr, items: &[Expr]) -> R<ObjId> {
        if let Some(c) = self.const_tagged(e, super::consts::TAG_ITER_CONST) {
            return Ok(c);
        }
        let s = self.new_set(false)?;
        if let Some(fs) = self.folded(e) {
            let r = self.set_update(s, fs);
            self.decref(fs);
            r?;
            return Ok(s);
        }
        let v = match self.eval_items(f, items) {
            Ok(v) => v,
            Err(err) => {
                self.decref(s);
                return Err(err);
            }
        };
        for x in v {
            let r = self.set_add(s, x);
            self.decref(x);
            if let Err(err) = r {
                self.decref(s);
                return Err(err);
            }
        }
        Ok(s)
    }

    /// Dict displays: BUILD_MAP n / BUILD_CONST_KEY_MAP presize for n items (3.8–3.10: n ≤ 5 uses the
    /// empty keys); 3.10+ displays of more than 15 pairs build with MAP_ADD (sizes.md §4.3).
    fn eval_dict_display(&mut self, f: &mut Frame, items: &[(Option<Expr>, Expr)]) -> R<ObjId> {
        let n = items.iter().filter(|(k, _)| k.is_some()).count();
        let has_unpack = items.iter().any(|(k, _)| k.is_none());
        let mut vals = Vec::new();
        for (k, v) in items {
            let kk = match k {
                Some(k) => Some(self.eval(f, k)?),
                None => None,
            };
            let vv = self.eval(f, v)?;
            vals.push((kk, vv));
        }
        let presize = if has_unpack || (self.layout.minor >= 10 && n > 15) {
            0
        } else {
            n
        };
        let all_str = vals
            .iter()
            .all(|(k, _)| k.is_some_and(|k| self.ty(k) == Ty::Str));
        let d = self.new_dict_presized(presize as u64, all_str)?;
        for (k, v) in vals {
            let r = match k {
                Some(k) => {
                    let r = self.dict_set(d, k, v);
                    self.decref(k);
                    r
                }
                None => {
                    let r = self.dict_update(d, v);
                    self.decref(v);
                    r
                }
            };
            if let Err(err) = r {
                self.decref(d);
                return Err(err);
            }
        }
        Ok(d)
    }

    /// `_PyDict_NewPresized(n)` / 3.11+ `dict_new_presized`.
    pub fn new_dict_presized(&mut self, n: u64, unicode: bool) -> R<ObjId> {
        use crate::object::dict::estimate_log2;
        let minor = self.layout.minor;
        if minor == 7 {
            return self.new_dict_with(Dict::with_table(estimate_log2(n, false), false));
        }
        if n <= 5 {
            return self.new_dict_with(Dict::empty());
        }
        let log2 = estimate_log2(n.min(((1u64 << 17) << 1) / 3), self.layout.keysize_quirk());
        self.new_dict_with(Dict::with_table(log2, minor >= 11 && unicode))
    }

    /// Comprehensions: a nested function call up to 3.11 (its own frame), inlined from 3.12 (PEP 709); in
    /// both the loop variables are private. List comprehensions append one item at a time.
    fn eval_comprehension(&mut self, f: &mut Frame, e: &Expr) -> R<ObjId> {
        let code = self.codes.lookup(e.pos, NodeTag::Comp);
        let (gens, kind) = match &e.kind {
            ExprKind::ListComp(_, g) => (g, 0),
            ExprKind::SetComp(_, g) => (g, 1),
            ExprKind::DictComp(_, _, g) => (g, 2),
            ExprKind::GeneratorExp(_, g) => (g, 3),
            _ => unreachable!(/* only comprehensions */),
        };
        // ≤3.11 a comprehension is a function made (MAKE_FUNCTION) and called on the spot; 3.12 inlines
        // list, set and dict comprehensions (PEP 709). The function object lives until the call returns.
        let func_size = self.layout.gc_head() + self.layout.function();
        let func = if self.layout.minor <= 11 || kind == 3 {
            Some(self.gc_malloc(func_size)?)
        } else {
            None
        };
        let r = self.comprehension_call(f, e, code, gens, kind);
        if let Some(a) = func {
            self.mfree(a);
            self.gc_freed();
        }
        r
    }

    fn comprehension_call(
        &mut self,
        f: &mut Frame,
        e: &Expr,
        code: u32,
        gens: &[Comprehension],
        kind: u8,
    ) -> R<ObjId> {
        let first = self.eval(f, &gens[0].iter)?;
        let it = match self.get_iter(first) {
            Ok(it) => it,
            Err(e) => {
                self.decref(first);
                return Err(e);
            }
        };
        let c = &self.codes.codes[code as usize];
        let mut frame = Frame::new(code, c.varnames.len(), None, f.globals);
        let dot0 = match c.access(".0") {
            Access::Fast(i) => i,
            _ => 0,
        };
        // 3.15 passes a generator expression its iterable, which stays in `.0`, and its iterator waits on
        // the stack; before, `.0` is the iterator the caller made.
        if kind == 3 && self.layout.minor >= 15 {
            frame.fast[dot0] = Some(first);
            frame.pre_iter = Some(it);
        } else {
            self.decref(first);
            frame.fast[dot0] = Some(it);
        }
        frame.cells = match self.make_cells(f, code) {
            Ok(c) => c,
            Err(e) => {
                self.release_frame(frame);
                return Err(e);
            }
        };
        if kind == 3 {
            // A generator expression makes a generator over its frame; nothing runs until it is iterated.
            return self.new_generator(code, frame);
        }
        self.frame_enter(code);
        let result = match kind {
            0 => self.new_list_exact(vec![]),
            1 => self.new_set(false),
            _ => self.new_dict(),
        };
        let result = match result {
            Ok(r) => r,
            Err(e) => {
                self.release_frame(frame);
                self.frame_exit(code);
                return Err(e);
            }
        };
        let (line, col) = (self.line, self.col);
        self.depth += 1;
        let r = self.comp_loop(&mut frame, e, gens, 0, result);
        self.depth -= 1;
        self.release_frame(frame);
        self.frame_exit(code);
        // 3.12+ runs list, set and dict comprehensions inline (PEP 709): no frame of their own.
        if self.layout.minor <= 11 {
            self.frame_unwound(&r, code, line, col);
        }
        if let Err(err) = r {
            self.decref(result);
            return Err(err);
        }
        Ok(result)
    }

    fn comp_loop(
        &mut self,
        f: &mut Frame,
        e: &Expr,
        gens: &[Comprehension],
        level: usize,
        result: ObjId,
    ) -> R<()> {
        let g = &gens[level];
        let it = if level == 0 {
            let i = match self.codes.codes[f.code as usize].access(".0") {
                Access::Fast(i) => i,
                _ => 0,
            };
            let it = f.fast[i].expect(".0 is set");
            self.incref(it);
            it
        } else {
            let seq = self.eval(f, &g.iter)?;
            let it = self.get_iter(seq);
            self.decref(seq);
            it?
        };
        let r = (|| -> R<()> {
            'outer: loop {
                self.eval_breaker()?;
                self.tick(e.pos)?;
                let Some(v) = self.iter_next(it)? else { break };
                self.assign(f, &g.target, v)?;
                for cond in &g.ifs {
                    if !self.eval_truth(f, cond)? {
                        continue 'outer;
                    }
                }
                if level + 1 < gens.len() {
                    self.comp_loop(f, e, gens, level + 1, result)?;
                    continue;
                }
                match &e.kind {
                    ExprKind::ListComp(x, _) => {
                        let v = self.eval(f, x)?;
                        self.list_append(result, v)?;
                    }
                    ExprKind::SetComp(x, _) => {
                        let v = self.eval(f, x)?;
                        let r = self.set_add(result, v);
                        self.decref(v);
                        r?;
                    }
                    ExprKind::DictComp(k, v, _) => {
                        let kk = self.eval(f, k)?;
                        let vv = self.eval(f, v)?;
                        let r = self.dict_set(result, kk, vv);
                        self.decref(kk);
                        r?;
                    }
                    _ => {}
                }
            }
            Ok(())
        })();
        self.decref(it);
        r
    }

    // ------------------------------------------------------------------ calls

    /// 3.14+ compiles `tuple(genexpr)`, `all(genexpr)` and `any(genexpr)`, and 3.15 `list(genexpr)` and
    /// `set(genexpr)`, to a loop over the generator guarded by a check that the name is still the builtin
    /// (`Python/codegen.c`, `maybe_optimize_function_call`): an empty list (or set) made before the
    /// generator, then LIST_APPEND (SET_ADD) per item; tuple() converts its list at the end
    /// (INTRINSIC_LIST_TO_TUPLE); all()/any() stop at the first deciding item. None when the call is
    /// not one of these (or the name is rebound): it is then an ordinary call of `callee`.
    fn inlined_genexpr_call(
        &mut self,
        f: &mut Frame,
        name: &str,
        callee: ObjId,
        g: &Expr,
    ) -> R<Option<ObjId>> {
        let minor = self.layout.minor;
        let inlined = match name {
            "tuple" | "all" | "any" => minor >= 14,
            "list" | "set" => minor >= 15,
            _ => false,
        };
        if !inlined || self.builtins.get(name) != Some(&callee) {
            return Ok(None);
        }
        self.decref(callee);
        let acc = match name {
            "set" => Some(self.new_set(false)?),
            "all" | "any" => None,
            _ => Some(self.new_list_exact(vec![])?),
        };
        let gen = match self.eval(f, g) {
            Ok(x) => x,
            Err(e) => {
                if let Some(a) = acc {
                    self.decref(a);
                }
                return Err(e);
            }
        };
        let r = (|| {
            while let Some(v) = self.iter_next(gen)? {
                match (name, acc) {
                    ("set", Some(a)) => {
                        let r = self.set_add(a, v);
                        self.decref(v);
                        r?;
                    }
                    (_, Some(a)) => self.list_append(a, v)?,
                    _ => {
                        let t = self.truthy(v);
                        self.decref(v);
                        if t? == (name == "any") {
                            return Ok(Some(self.new_bool(name == "any")));
                        }
                    }
                }
            }
            Ok(None)
        })();
        self.decref(gen);
        let decided = match r {
            Ok(d) => d,
            Err(e) => {
                if let Some(a) = acc {
                    self.decref(a);
                }
                return Err(e);
            }
        };
        Ok(Some(match (name, acc) {
            ("tuple", Some(l)) => {
                let items = self.items_of(l).to_vec();
                for &i in &items {
                    self.incref(i);
                }
                let t = self.new_tuple(items);
                self.decref(l);
                t?
            }
            (_, Some(a)) => a,
            _ => decided.unwrap_or_else(|| self.new_bool(name == "all")),
        }))
    }

    fn eval_call(&mut self, f: &mut Frame, func: &Expr, args: &[Arg]) -> R<ObjId> {
        if let (ExprKind::Name(n), [Arg::Pos(g)]) = (&func.kind, args) {
            if matches!(g.kind, ExprKind::GeneratorExp(..)) && self.layout.minor >= 14 {
                let callee = self.eval(f, func)?;
                if let Some(r) = self.inlined_genexpr_call(f, n, callee, g)? {
                    return Ok(r);
                }
                return self.finish_call(f, func, callee, None, args);
            }
        }
        // `obj.meth(...)` compiles to LOAD_METHOD/CALL_METHOD (3.7+; 3.7–3.10 only without keyword
        // arguments, and never with * or **): the method is called with `obj` first and no bound-method
        // object is made.
        let plain_args = args.iter().all(|a| matches!(a, Arg::Pos(_) | Arg::Kw(..)));
        let has_kw = args.iter().any(|a| matches!(a, Arg::Kw(..)));
        if let ExprKind::Attribute(obj, name) = &func.kind {
            if plain_args && (self.layout.minor >= 11 || !has_kw) {
                let o = self.eval(f, obj)?;
                match self.load_method(o, name) {
                    Ok(Method::Bound(callee)) => {
                        return self.finish_call(f, func, callee, None, args)
                    }
                    Ok(Method::Unbound(fun)) => {
                        return self.finish_call(f, func, fun, Some(o), args)
                    }
                    Ok(Method::Builtin(full)) => {
                        let r = self.collect_args(f, args).and_then(|(pos, kw, borrowed)| {
                            let r = self.call_method(full, o, &pos, &kw);
                            self.release_args(pos, kw, borrowed);
                            r
                        });
                        self.decref(o);
                        return r;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        let callee = self.eval(f, func)?;
        self.finish_call(f, func, callee, None, args)
    }

    /// LOAD_METHOD: what `obj.name` is when it is about to be called. Takes `o`'s reference unless the
    /// result is `Unbound` or `Builtin` (then the caller still holds `o` as the call's first argument).
    fn load_method(&mut self, o: ObjId, name: &str) -> R<Method> {
        match self.payload(o) {
            Payload::Instance(inst) => {
                let cls = inst.class;
                let shadowed = self.instance_attr(o, name);
                if !shadowed {
                    if let Some(m) = self.class_lookup(cls, name) {
                        if self.ty(m) == Ty::Function {
                            self.incref(m);
                            return Ok(Method::Unbound(m));
                        }
                    }
                }
            }
            Payload::Class(_)
            | Payload::Module { .. }
            | Payload::Exception(_)
            | Payload::BuiltinType { .. }
            | Payload::Function(_) => {}
            _ => {
                if let Some(full) = super::builtins::method_name(self.ty(o), name) {
                    return Ok(Method::Builtin(full));
                }
            }
        }
        let r = self.get_attr(o, name);
        self.decref(o);
        r.map(Method::Bound)
    }

    /// Evaluates call arguments: owned positional and keyword values, and how many of them were pushed as
    /// 3.14 borrowed references.
    fn collect_args(&mut self, f: &mut Frame, args: &[Arg]) -> R<CallArgs> {
        let mut pos: Vec<ObjId> = self.arg_vecs.pop().unwrap_or_default();
        let mut kw: Vec<(String, ObjId)> = Vec::new();
        let mut borrowed = 0usize;
        for a in args {
            let r: R<()> = (|| {
                match a {
                    Arg::Pos(e) => {
                        let v = self.eval(f, e)?;
                        let borrow = match &e.kind {
                            ExprKind::Name(n) => {
                                self.layout.minor >= 14
                                    && matches!(self.name_access(f, e.id, n), Access::Fast(_))
                            }
                            // 3.15: constants are pushed as borrowed references too.
                            _ => self.layout.minor >= 15 && self.is_const_node(e),
                        };
                        if borrow {
                            self.borrowed.push(v);
                            borrowed += 1;
                        }
                        pos.push(v)
                    }
                    Arg::Star(e) => {
                        let v = self.eval(f, e)?;
                        let items = self.collect_iter(v);
                        self.decref(v);
                        pos.extend(items?);
                    }
                    Arg::Kw(n, e) => {
                        let v = self.eval(f, e)?;
                        kw.push((n.clone(), v));
                    }
                    Arg::StarStar(e) => {
                        let v = self.eval(f, e)?;
                        let pairs = self.dict_pairs(v);
                        self.decref(v);
                        for (k, val) in pairs? {
                            let name = self.str_of(k).unwrap_or("").to_string();
                            self.decref(k);
                            kw.push((name, val));
                        }
                    }
                }
                Ok(())
            })();
            if let Err(e) = r {
                self.release_args(pos, kw, borrowed);
                return Err(e);
            }
        }
        Ok((pos, kw, borrowed))
    }

    fn release_args(&mut self, pos: Vec<ObjId>, kw: Vec<(String, ObjId)>, borrowed: usize) {
        let keep = self.borrowed.len() - borrowed;
        self.borrowed.truncate(keep);
        self.release_vec(pos);
        for (_, v) in kw {
            self.decref(v);
        }
    }

    /// Drops the references an argument vector holds and keeps the vector for the next call's
    /// arguments (a call to a builtin would otherwise cost the simulator a Rust allocation).
    fn release_vec(&mut self, mut v: Vec<ObjId>) {
        // Through 3.10 the caller pops its arguments off the value stack, last first (call_function's
        // EXT_POP loop); from 3.11 a C call's arguments are released first to last.
        if self.layout.minor <= 10 {
            for &i in v.iter().rev() {
                self.decref(i);
            }
        } else {
            self.decref_all(&v);
        }
        if self.arg_vecs.len() < 8 {
            v.clear();
            self.arg_vecs.push(v);
        }
    }

    /// Evaluates the arguments and calls `callee` (owned), with `self_` (owned) first when given.
    fn finish_call(
        &mut self,
        f: &mut Frame,
        func: &Expr,
        callee: ObjId,
        self_: Option<ObjId>,
        args: &[Arg],
    ) -> R<ObjId> {
        let (mut pos, kw, borrowed) = match self.collect_args(f, args) {
            Ok(x) => x,
            Err(e) => {
                self.decref(callee);
                if let Some(s) = self_ {
                    self.decref(s);
                }
                return Err(e);
            }
        };
        if let Some(s) = self_ {
            pos.insert(0, s);
        }
        self.col = func.pos.col;
        let r = self.call(callee, pos, kw);
        let keep = self.borrowed.len() - borrowed;
        self.borrowed.truncate(keep);
        self.decref(callee);
        r
    }

    /// Calls `func` with owned positional and keyword arguments.
    pub fn call(&mut self, func: ObjId, args: Vec<ObjId>, kw: Vec<(String, ObjId)>) -> R<ObjId> {
        let payload_kind = match self.payload(func) {
            Payload::Function(_) => 0,
            Payload::Method { .. } => 1,
            Payload::Builtin { .. } => 2,
            Payload::Class(_) => 3,
            Payload::BuiltinType { .. } => 4,
            Payload::Instance(_) => 5,
            _ => 6,
        };
        match payload_kind {
            0 => self.call_function(func, args, kw),
            1 => {
                let (fun, slf) = match self.payload(func) {
                    Payload::Method { func, self_ } => (*func, *self_),
                    _ => unreachable!(/* checked */),
                };
                self.incref(slf);
                let mut a = Vec::with_capacity(args.len() + 1);
                a.push(slf);
                a.extend(args);
                self.incref(fun);
                let r = self.call(fun, a, kw);
                self.decref(fun);
                r
            }
            2 => {
                let (name, slf) = match self.payload(func) {
                    Payload::Builtin { name, self_ } => (*name, *self_),
                    _ => unreachable!(/* checked */),
                };
                let r = self.call_builtin(name, slf, &args, &kw);
                self.release_vec(args);
                for (_, v) in kw {
                    self.decref(v);
                }
                self.after_c_call(r)
            }
            // A class is called through type_call, a C call: CALL checks the eval breaker after it.
            3 => {
                let r = self.instantiate(func, args, kw);
                self.after_c_call(r)
            }
            4 => {
                let builds = match self.payload(func) {
                    Payload::BuiltinType { ty, .. } => self.type_call_builds_args(*ty),
                    _ => false,
                };
                let args_tuple = if builds && !args.is_empty() {
                    for &a in &args {
                        self.incref(a);
                    }
                    Some(self.new_tuple(args.clone())?)
                } else {
                    None
                };
                let r = self.call_type(func, &args, &kw);
                if let Some(t) = args_tuple {
                    self.decref(t);
                }
                self.release_vec(args);
                for (_, v) in kw {
                    self.decref(v);
                }
                self.after_c_call(r)
            }
            5 => {
                let class = match self.payload(func) {
                    Payload::Instance(i) => i.class,
                    _ => unreachable!(/* checked */),
                };
                match self.class_lookup(class, "__call__") {
                    Some(m) => {
                        self.incref(m);
                        self.incref(func);
                        let mut a = vec![func];
                        a.extend(args);
                        let r = self.call(m, a, kw);
                        self.decref(m);
                        r
                    }
                    None => {
                        self.decref_all(&args);
                        let t = self.type_name(func);
                        Err(self.err("TypeError", &format!("'{t}' object is not callable")))
                    }
                }
            }
            _ => {
                self.decref_all(&args);
                for (_, v) in kw {
                    self.decref(v);
                }
                let t = self.type_name(func);
                Err(self.err("TypeError", &format!("'{t}' object is not callable")))
            }
        }
    }

    /// CALL of a C function checks the eval breaker when it returns (3.12+ `CHECK_EVAL_BREAKER`).
    fn after_c_call(&mut self, r: R<ObjId>) -> R<ObjId> {
        let v = r?;
        if let Err(e) = self.eval_breaker() {
            self.decref(v);
            return Err(e);
        }
        Ok(v)
    }

    fn call_function(
        &mut self,
        func: ObjId,
        args: Vec<ObjId>,
        kw: Vec<(String, ObjId)>,
    ) -> R<ObjId> {
        let (code, defaults, kwdefaults, closure, globals) = match self.payload(func) {
            Payload::Function(fun) => (
                fun.code,
                fun.defaults.clone(),
                fun.kwdefaults.clone(),
                fun.closure.clone(),
                fun.globals,
            ),
            _ => unreachable!(/* a function */),
        };
        if self.depth >= self.effective_recursion_limit() {
            self.decref_all(&args);
            for (_, v) in kw {
                self.decref(v);
            }
            // Python functions are called through the frame evaluator's own check in every version
            // (`_Py_EnterRecursiveCall("")`), never PyObject_Call's " while calling a Python object"
            // (pyrun 3.7-3.10: functions, methods, lambdas, __init__ and **kwargs calls alike).
            return Err(self.err("RecursionError", "maximum recursion depth exceeded"));
        }
        let c = self.codes.codes[code as usize].clone();
        let params = c.params.clone();
        let nfast = c.varnames.len();
        let mut frame = Frame::new(code, 0, None, globals);
        frame.fast = self.fast_pool.pop().unwrap_or_default();
        frame.fast.resize(nfast, None);
        // ≤3.10 the frame copies the caller's arguments (a new reference each); 3.11+ it takes over the
        // references the caller pushed (alloc-gc.md §2.2).
        let steals = self.layout.minor >= 11;
        let bind = self.bind_args(
            &mut frame,
            func,
            &params,
            &args,
            &kw,
            &defaults,
            &kwdefaults,
            steals,
        );
        // ≤3.10 the caller's stack references are released only after the call returns, popped off
        // the stack: the keyword values last first, then the positional arguments last first.
        let release_args = |vm: &mut Vm| {
            if !steals {
                for (_, v) in kw.iter().rev() {
                    vm.decref(*v);
                }
                for &a in args.iter().rev() {
                    vm.decref(a);
                }
            }
        };
        if let Err(e) = bind {
            self.release_frame(frame);
            release_args(self);
            return Err(e);
        }
        // Cells: captured locals (parameters move into their cells), then the closure's free cells.
        let mut cells = Vec::with_capacity(c.ncells());
        for name in &c.cellvars {
            let init = c
                .varnames
                .iter()
                .position(|v| v == name)
                .and_then(|i| frame.fast[i].take());
            cells.push(self.new_cell(init)?);
        }
        for &cl in &closure {
            self.incref(cl);
            cells.push(cl);
        }
        frame.cells = cells;
        if c.is_generator {
            // A generator function's call only makes the generator (RETURN_GENERATOR in 3.11+); its
            // body runs as the generator is iterated.
            release_args(self);
            return self.new_generator(code, frame);
        }
        self.frame_enter(code);
        let (line, col) = (self.line, self.col);
        // RESUME at function entry checks the eval breaker (3.12+).
        let r = self.eval_breaker().and_then(|_| {
            self.depth += 1;
            let r = match &c.lambda {
                Some(e) => {
                    // A lambda's body is an expression: no statement sets its line.
                    self.line = e.pos.line;
                    self.eval(&mut frame, e).and_then(|v| Err(Flow::Return(v)))
                }
                None => self.exec_block(&mut frame, &c.body),
            };
            self.depth -= 1;
            r
        });
        self.release_frame(frame);
        self.frame_exit(code);
        self.frame_unwound(&r, code, line, col);
        release_args(self);
        match r {
            Ok(()) | Err(Flow::Break) | Err(Flow::Continue) => Ok(self.none()),
            Err(Flow::Return(v)) => Ok(v),
            Err(e) => Err(e),
        }
    }

    /// A frame is left: an exception leaving it adds the frame to its traceback (`PyTraceBack_Here`),
    /// and the caller's line and column are current again.
    pub fn frame_unwound<T>(&mut self, r: &R<T>, code: u32, line: u32, col: u32) {
        if let Err(Flow::Exc(e)) = r {
            if self.tb_exc != *e {
                self.tb.clear();
                self.tb_exc = *e;
            }
            self.tb.push((code, self.line, self.col));
        }
        self.line = line;
        self.col = col;
    }

    #[allow(clippy::too_many_arguments)]
    fn bind_args(
        &mut self,
        frame: &mut Frame,
        func: ObjId,
        params: &Params,
        args: &[ObjId],
        kw: &[(String, ObjId)],
        defaults: &[ObjId],
        kwdefaults: &[(String, ObjId)],
        steals: bool,
    ) -> R<()> {
        // Messages name the function by its qualified name from 3.10, by `co_name` before (measured).
        let qualname = |vm: &Vm| match vm.payload(func) {
            Payload::Function(f) if vm.layout.minor >= 10 => f.qualname.clone(),
            Payload::Function(f) => f.name.clone(),
            _ => String::new(),
        };
        // The parameters are the first fast locals, in order: positional, keyword-only, *args, **kwargs
        // (`co_varnames`), so a parameter's slot is its place in that order.
        let (nargs, nkw) = (params.args.len(), params.kwonly.len());
        let slot = |name: &str| {
            params
                .args
                .iter()
                .chain(params.kwonly.iter())
                .position(|p| p.name == name)
        };
        let vararg_slot = nargs + nkw;
        let kwarg_slot = vararg_slot + params.vararg.is_some() as usize;
        let take = |vm: &mut Vm, v: ObjId| {
            if !steals {
                vm.incref(v);
            }
            v
        };
        let np = params.args.len();
        let mut extra = Vec::new();
        for (i, &a) in args.iter().enumerate() {
            if i < np {
                let s = i;
                frame.fast[s] = Some(take(self, a));
            } else if params.vararg.is_some() {
                extra.push(take(self, a));
            } else {
                let given = args.len();
                let qualname = qualname(self);
                let msg = if defaults.is_empty() {
                    format!(
                        "{qualname}() takes {np} positional argument{} but {given} {} given",
                        if np == 1 { "" } else { "s" },
                        if given == 1 { "was" } else { "were" }
                    )
                } else {
                    format!("{qualname}() takes from {} to {np} positional arguments but {given} were given", np - defaults.len())
                };
                if steals {
                    self.decref_all(&args[i..]);
                    for (_, v) in kw {
                        self.decref(*v);
                    }
                }
                return Err(self.err("TypeError", &msg));
            }
        }
        if params.vararg.is_some() {
            let t = self.new_tuple(extra)?;
            let s = vararg_slot;
            frame.fast[s] = Some(t);
        }
        let mut kwextra: Vec<(String, ObjId)> = Vec::new();
        for (n, v) in kw {
            match params
                .args
                .iter()
                .chain(params.kwonly.iter())
                .find(|p| &p.name == n)
            {
                Some(p) => {
                    let s = slot(&p.name).expect("a parameter slot");
                    if frame.fast[s].is_some() {
                        if steals {
                            self.decref(*v);
                        }
                        let qualname = qualname(self);
                        return Err(self.err(
                            "TypeError",
                            &format!("{qualname}() got multiple values for argument '{n}'"),
                        ));
                    }
                    frame.fast[s] = Some(take(self, *v));
                }
                None if params.kwarg.is_some() => kwextra.push((n.clone(), take(self, *v))),
                None => {
                    if steals {
                        self.decref(*v);
                    }
                    let qualname = qualname(self);
                    return Err(self.err(
                        "TypeError",
                        &format!("{qualname}() got an unexpected keyword argument '{n}'"),
                    ));
                }
            }
        }
        if params.kwarg.is_some() {
            let d = self.new_dict()?;
            for (n, v) in kwextra {
                self.dict_set_str(d, &n, v)?;
            }
            let s = kwarg_slot;
            frame.fast[s] = Some(d);
        }
        let first_default = np - defaults.len();
        let mut missing = Vec::new();
        for (i, p) in params.args.iter().enumerate() {
            let s = slot(&p.name).expect("a parameter slot");
            if frame.fast[s].is_none() {
                if i >= first_default {
                    let d = defaults[i - first_default];
                    self.incref(d);
                    frame.fast[s] = Some(d);
                } else {
                    missing.push(p.name.clone());
                }
            }
        }
        // missing_arguments: the positional ones are reported first, the keyword-only ones after.
        let mut missing_kw = Vec::new();
        for p in &params.kwonly {
            let s = slot(&p.name).expect("a parameter slot");
            if frame.fast[s].is_none() {
                match kwdefaults.iter().find(|(n, _)| n == &p.name) {
                    Some((_, d)) => {
                        self.incref(*d);
                        frame.fast[s] = Some(*d);
                    }
                    None => missing_kw.push(p.name.clone()),
                }
            }
        }
        let kind = if missing.is_empty() {
            missing = missing_kw;
            "keyword-only"
        } else {
            "positional"
        };
        if !missing.is_empty() {
            let qualname = qualname(self);
            let names: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
            let list = match names.len() {
                1 => names[0].clone(),
                2 => format!("{} and {}", names[0], names[1]),
                _ => format!(
                    "{}, and {}",
                    names[..names.len() - 1].join(", "),
                    names[names.len() - 1]
                ),
            };
            let msg = format!(
                "{qualname}() missing {} required {kind} argument{}: {list}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" }
            );
            return Err(self.err("TypeError", &msg));
        }
        Ok(())
    }

    /// Frame teardown: fast locals in slot order, then cells (3.14+: the reverse, see below).
    pub fn release_frame(&mut self, mut frame: Frame) {
        // Cleared slot by slot in order (locals, then cells), then the emptied vector is kept for the
        // next call's frame. 3.14's _PyFrame_ClearLocals walks localsplus down from the stack top:
        // cells last to first, then locals last to first.
        let reverse = self.layout.minor >= 14;
        if reverse {
            for &c in frame.cells.iter().rev() {
                self.decref(c);
            }
            frame.cells.clear();
        }
        let n = frame.fast.len();
        for k in 0..n {
            let i = if reverse { n - 1 - k } else { k };
            if let Some(v) = frame.fast[i].take() {
                self.decref(v);
            }
        }
        if self.fast_pool.len() < 16 {
            frame.fast.clear();
            self.fast_pool.push(std::mem::take(&mut frame.fast));
        }
        for c in frame.cells {
            self.decref(c);
        }
        if let Some(it) = frame.pre_iter {
            self.decref(it);
        }
    }

    fn new_cell(&mut self, v: Option<ObjId>) -> R<ObjId> {
        self.new_gc(Ty::Cell, Payload::Cell(v), self.layout.cell())
    }

    /// The cells an inner code needs from the enclosing frame, by name.
    /// The cell array of a comprehension or class body: its own captured names (empty cells), then the
    /// free variables it shares with `f`.
    fn make_cells(&mut self, f: &Frame, code: u32) -> R<Vec<ObjId>> {
        let c = &self.codes.codes[code as usize];
        let (own, free) = (c.cellvars.len(), c.freevars.clone());
        let mut out = Vec::new();
        for _ in 0..own {
            match self.new_cell(None) {
                Ok(cell) => out.push(cell),
                Err(e) => {
                    self.decref_all(&out);
                    return Err(e);
                }
            }
        }
        for n in free {
            let access = self.codes.codes[f.code as usize].access(&n);
            match access {
                Access::Deref(i) => {
                    let c = f.cells[i];
                    self.incref(c);
                    out.push(c);
                }
                _ => out.push(self.new_cell(None)?),
            }
        }
        Ok(out)
    }

    /// MAKE_FUNCTION: defaults evaluated now, closure cells captured.
    fn make_function(&mut self, f: &mut Frame, code: u32, params: &Params) -> R<ObjId> {
        let mut defaults = Vec::new();
        for p in &params.args {
            if let Some(d) = &p.default {
                defaults.push(self.eval(f, d)?);
            }
        }
        let mut kwdefaults = Vec::new();
        for p in &params.kwonly {
            if let Some(d) = &p.default {
                kwdefaults.push((p.name.clone(), self.eval(f, d)?));
            }
        }
        let closure = self.make_cells(f, code)?;
        let c = &self.codes.codes[code as usize];
        let (name, qualname) = (c.name.clone(), c.qualname.clone());
        self.incref(f.globals);
        let fun = Function {
            name,
            qualname,
            code,
            defaults,
            kwdefaults,
            closure,
            globals: f.globals,
        };
        self.new_gc(
            Ty::Function,
            Payload::Function(Box::new(fun)),
            self.layout.function(),
        )
    }

    // ------------------------------------------------------------------ classes

    fn make_class(
        &mut self,
        f: &mut Frame,
        code: u32,
        name: &str,
        bases: &[Arg],
        line: u32,
    ) -> R<ObjId> {
        let mut base_ids = Vec::new();
        for a in bases {
            match a {
                Arg::Pos(e) => base_ids.push(self.eval(f, e)?),
                Arg::Kw(..) => {}
                _ => {
                    return Err(self.err(
                        "NotImplementedError",
                        "not supported by the simulator: class bases from * or **",
                    ))
                }
            }
        }
        let ns = self.new_dict()?;
        let modname = self.new_str("__main__")?;
        self.dict_set_str(ns, "__module__", modname)?;
        let qual = self.codes.codes[code as usize].qualname.clone();
        let q = self.new_str(&qual)?;
        self.dict_set_str(ns, "__qualname__", q)?;
        // 3.13+: the class body starts by storing `__firstlineno__` (gh-118465).
        let minor = self.layout.minor;
        if minor >= 13 {
            let n = self.new_int(crate::object::Int::Small(i64::from(line)))?;
            self.dict_set_str(ns, "__firstlineno__", n)?;
        }
        let body = self.codes.codes[code as usize].body.clone();
        let mut frame = Frame::new(code, 0, Some(ns), f.globals);
        frame.cells = self.make_cells(f, code)?;
        for _ in 0..self.class_extra_allocs() {
            if self.gc_incremental() {
                // 3.14.0–3.14.4 count tracked objects: the weak reference is tracked when made.
                self.gc.count[0] += 1;
            } else {
                self.gc_count_alloc();
            }
        }
        // ≤3.10 the body runs in a frame object like any function's (the body code's zombie frame
        // from then on).
        self.frame_enter(code);
        let (line, col) = (self.line, self.col);
        self.depth += 1;
        let r = self.exec_block(&mut frame, &body);
        self.depth -= 1;
        self.release_frame(frame);
        self.frame_exit(code);
        self.frame_unwound(&r, code, line, col);
        if let Err(e) = r {
            self.decref(ns);
            self.decref_all(&base_ids);
            return Err(e);
        }
        // 3.13+: and ends by storing `__static_attributes__`, a constant tuple of the names assigned
        // as `self.NAME` in its functions (scope.rs finds them, as the compiler does); the compiler made
        // the tuple, so it costs no allocation at run time.
        if minor >= 13 {
            let mut names = self.codes.codes[code as usize].static_attributes.clone();
            crate::util::sort(&mut names);
            names.dedup();
            let quiet = std::mem::replace(&mut self.gc_quiet, true);
            let t = self.new_const_str_tuple(&names);
            self.gc_quiet = quiet;
            let t = match t {
                Ok(t) => t,
                Err(e) => {
                    self.decref(ns);
                    self.decref_all(&base_ids);
                    return Err(e);
                }
            };
            self.dict_set_str(ns, "__static_attributes__", t)?;
        }
        self.build_class(name, &qual, base_ids, ns)
    }

    /// `type_new`: MRO, slots, instance layout and GC flag per version (sizes.md §7.1).
    pub fn build_class(
        &mut self,
        name: &str,
        qual: &str,
        bases: Vec<ObjId>,
        ns: ObjId,
    ) -> R<ObjId> {
        let p = self.layout.p;
        let minor = self.layout.minor;
        let slots: Option<Vec<String>> = match self.dict_get_str(ns, "__slots__") {
            Some(s) => {
                let items = match self.payload(s) {
                    Payload::Str { s, .. } => vec![s.clone()],
                    _ => {
                        self.incref(s);
                        let items = self.collect_iter(s)?;
                        let names: Vec<String> = items
                            .iter()
                            .map(|&i| self.str_of(i).unwrap_or("").to_string())
                            .collect();
                        self.decref_all(&items);
                        names
                    }
                };
                Some(items)
            }
            None => None,
        };
        let mut exc_base = None;
        let mut base_basic = 2 * p;
        let mut base_has_dict = false;
        let mut base_has_weakref = false;
        let mut base_gc = false;
        for &b in &bases {
            match self.payload(b) {
                Payload::Class(bc) => {
                    base_basic = base_basic.max(bc.basicsize);
                    base_has_dict |= bc.has_dict;
                    base_has_weakref |= bc.has_weakref;
                    base_gc |= bc.gc;
                    if exc_base.is_none() {
                        exc_base = bc.exc_base;
                    }
                }
                Payload::BuiltinType { ty: Ty::Object, .. } => {}
                Payload::BuiltinType {
                    ty: Ty::Exception, ..
                } => {
                    exc_base = Some(b);
                    base_basic = self.layout.exception();
                    base_has_dict = true;
                    base_gc = true;
                }
                _ => {
                    let n = self.type_name_of_type(b);
                    return Err(self.err(
                        "NotImplementedError",
                        &format!("not supported by the simulator: subclassing '{n}'"),
                    ));
                }
            }
        }
        // Instance layout: slots add one pointer each; a class without __slots__ adds __dict__ and
        // __weakref__ unless a base has them. 3.11 manages the dict in the pre-header; 3.12+ the weakref too.
        let (has_dict, has_weakref, mut extra) = match &slots {
            Some(names) => {
                let d = names.iter().any(|n| n == "__dict__");
                let w = names.iter().any(|n| n == "__weakref__");
                let plain = names
                    .iter()
                    .filter(|n| *n != "__dict__" && *n != "__weakref__")
                    .count() as u64;
                (
                    d || base_has_dict,
                    w || base_has_weakref,
                    plain * p
                        + if d && !base_has_dict { p } else { 0 }
                        + if w && !base_has_weakref { p } else { 0 },
                )
            }
            None => (
                true,
                true,
                if base_has_dict { 0 } else { p } + if base_has_weakref { 0 } else { p },
            ),
        };
        if minor >= 11 && has_dict && !base_has_dict {
            extra -= p; // MANAGED_DICT: the dict pointer lives in the pre-header
        }
        if minor >= 12 && has_weakref && !base_has_weakref && exc_base.is_none() {
            extra -= p; // MANAGED_WEAKREF
        }
        let basicsize = base_basic + extra;
        // 3.7: GC only if a base is GC or the class adds instance fields; 3.8+ always.
        let gc = minor >= 8 || base_gc || extra > 0 || has_dict;
        let slot_names = slots.clone();
        let class = Class {
            name: name.to_string(),
            qualname: qual.to_string(),
            bases: bases.clone(),
            mro: Vec::new(),
            bases_tuple: None,
            mro_tuple: None,
            base: None,
            dict: ns,
            slots: slot_names,
            has_dict,
            has_weakref,
            basicsize,
            gc,
            exc_base,
            shared: None,
            instances_created: 0,
            has_subclasses: false,
            shared_disabled: false,
        };
        let id = self.new_gc(
            Ty::Type,
            Payload::Class(Box::new(class)),
            // The measured getsizeof of a class includes its GC head (and 3.11+ cached keys).
            self.layout.heap_type_size() - self.layout.gc_head(),
        )?;
        let full = match self.c3_mro(id, &bases) {
            Some(m) => m,
            None => {
                // mro_implementation's "Cannot create a consistent method resolution order (MRO)".
                let names: Vec<String> = bases.iter().map(|&b| self.class_name(b)).collect();
                self.objs.get_mut(id).payload = Payload::Object;
                self.objs.get_mut(id).refcnt = 1;
                self.decref(id);
                self.decref(ns);
                self.decref_all(&bases);
                // Through 3.12 the message has a line break after "resolution" (gh-107553 joined it).
                let sep = if self.layout.minor >= 13 { " " } else { "\n" };
                return Err(self.err(
                    "TypeError",
                    &format!(
                        "Cannot create a consistent method resolution{sep}order (MRO) for bases {}",
                        names.join(", ")
                    ),
                ));
            }
        };
        if let Payload::Class(c) = &mut self.objs.get_mut(id).payload {
            c.mro = full.clone();
        }
        // type_new: `tp_bases` is the tuple of bases __build_class__ passed, or `PyTuple_Pack(1, object)`
        // for a class without bases; `tp_base` (the solid base, a strong reference) is the first base.
        let object = self.types[Ty::Object as usize];
        let tp_base = bases.first().copied().unwrap_or(object);
        if bases.is_empty() {
            self.incref(object);
        }
        let pack = if bases.is_empty() {
            vec![object]
        } else {
            bases
        };
        let bases_tuple = self.new_tuple_tracked(pack)?;
        self.incref(tp_base);
        // The namespace becomes tp_dict (CPython copies it; the sim keeps the one object). type_new takes
        // `__qualname__` out of it into ht_qualname (3.7-3.15).
        if self.dict_get_str(ns, "__qualname__").is_some() {
            self.dict_del_str(ns, "__qualname__");
        }
        // PyType_Ready makes the MRO (mro_internal) before filling the dict from 3.12 (type_ready_mro
        // precedes type_ready_fill_dict), after it through 3.11.
        let mro_tuple = if minor >= 12 {
            Some(self.new_mro_tuple(&full)?)
        } else {
            None
        };
        // add_members: a member_descriptor per `__slots__` name, in sorted order (type_new sorts the
        // mangled names); each holds the class (d_type).
        if let Some(names) = &slots {
            let mut plain: Vec<String> = names
                .iter()
                .filter(|n| *n != "__dict__" && *n != "__weakref__")
                .map(|n| mangle(name, n))
                .collect();
            crate::util::sort(&mut plain);
            for n in plain {
                let d = self.new_descr(Ty::MemberDescr, &n, Some(id))?;
                self.dict_set_str(ns, &n, d)?;
            }
        }
        // add_getset: `__dict__` and `__weakref__` for the slots this class adds (subtype_getsets_full,
        // _dict_only, _weakref_only). Through 3.14 each class gets its own descriptors, referring to
        // it; 3.15 shares one pair among all classes (`<attribute '__dict__'>`, no owner).
        let adds_dict = has_dict && !base_has_dict && exc_base.is_none();
        let adds_weakref = has_weakref && !base_has_weakref;
        for (adds, attr) in [(adds_dict, "__dict__"), (adds_weakref, "__weakref__")] {
            if !adds {
                continue;
            }
            let d = if minor >= 15 {
                self.shared_getset(attr)?
            } else {
                self.new_descr(Ty::GetSetDescr, attr, Some(id))?
            };
            self.dict_set_str(ns, attr, d)?;
        }
        let mro_tuple = match mro_tuple {
            Some(t) => t,
            None => self.new_mro_tuple(&full)?,
        };
        // add_subclass: a class base gets its `tp_subclasses` dict with its first subclass (a GC
        // allocation the simulator counts; the dict and its weak references are not modelled).
        let direct = match self.payload(id) {
            Payload::Class(c) => c.bases.clone(),
            _ => Vec::new(),
        };
        for b in direct {
            if let Payload::Class(bc) = &mut self.objs.get_mut(b).payload {
                if !bc.has_subclasses {
                    bc.has_subclasses = true;
                    self.gc_count_alloc();
                }
            }
        }
        // PyType_Ready (type_dict_set_doc): `__doc__` = None when the body gave none.
        if self.dict_get_str(ns, "__doc__").is_none() {
            let none = self.none();
            self.dict_set_str(ns, "__doc__", none)?;
        }
        if let Payload::Class(c) = &mut self.objs.get_mut(id).payload {
            c.bases_tuple = Some(bases_tuple);
            c.mro_tuple = Some(mro_tuple);
            c.base = Some(tp_base);
        }
        if has_dict && exc_base.is_none() {
            // type_new caches the instance dict keys (ht_cached_keys) when the class is made.
            self.init_shared_keys(id);
        }
        Ok(id)
    }

    /// A tuple of strings made at compile time (a code constant).
    fn new_const_str_tuple(&mut self, names: &[String]) -> R<ObjId> {
        let mut items = Vec::with_capacity(names.len());
        for n in names {
            match self.new_str(n) {
                Ok(x) => items.push(x),
                Err(e) => {
                    self.decref_all(&items);
                    return Err(e);
                }
            }
        }
        self.new_tuple(items)
    }

    /// The C3 linearization (mro_implementation / pmerge): the class, then the merge of its bases'
    /// MROs and the bases themselves; None when no consistent order exists.
    fn c3_mro(&self, id: ObjId, bases: &[ObjId]) -> Option<Vec<ObjId>> {
        let object = self.types[Ty::Object as usize];
        let mro_of = |b: ObjId| -> Vec<ObjId> {
            match self.payload(b) {
                Payload::Class(c) => c.mro.clone(),
                // A builtin type: itself and its builtin ancestors, ending with object.
                _ => {
                    let mut out = vec![b];
                    let mut k = b;
                    while let Payload::BuiltinType {
                        exc_parent: Some(p),
                        ..
                    } = self.payload(k)
                    {
                        out.push(*p);
                        k = *p;
                    }
                    if *out.last().unwrap() != object {
                        out.push(object);
                    }
                    out
                }
            }
        };
        let mut seqs: Vec<Vec<ObjId>> = if bases.is_empty() {
            vec![vec![object]]
        } else {
            let mut v: Vec<Vec<ObjId>> = bases.iter().map(|&b| mro_of(b)).collect();
            v.push(bases.to_vec());
            v
        };
        let mut out = vec![id];
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Some(out);
            }
            let head = seqs
                .iter()
                .map(|s| s[0])
                .find(|&h| !seqs.iter().any(|s| s[1..].contains(&h)))?;
            out.push(head);
            for s in seqs.iter_mut() {
                if s[0] == head {
                    s.remove(0);
                }
            }
        }
    }

    /// `tp_mro` of a new class: the class itself, then its bases' MRO (mro_implementation builds it
    /// with PyTuple_New, so it is tracked in every version; it holds the class, a reference cycle).
    fn new_mro_tuple(&mut self, full: &[ObjId]) -> R<ObjId> {
        for &k in full {
            self.incref(k);
        }
        self.new_tuple_tracked(full.to_vec())
    }

    /// A getset or member descriptor (`PyDescr_NewGetSet`, `PyDescr_NewMember`): a GC object of
    /// PyDescr_COMMON plus one pointer, holding its class.
    fn new_descr(&mut self, ty: Ty, name: &str, owner: Option<ObjId>) -> R<ObjId> {
        if let Some(o) = owner {
            self.incref(o);
        }
        let basic = self.layout.descr();
        self.new_gc(
            ty,
            Payload::Descr {
                name: name.into(),
                owner,
            },
            basic,
        )
    }

    /// 3.15's `__dict__`/`__weakref__` descriptors, one pair for every class: static objects of the
    /// interpreter (not in the heap, never tracked, immortal).
    fn shared_getset(&mut self, attr: &str) -> R<ObjId> {
        let i = usize::from(attr == "__weakref__");
        let d = match self.shared_getsets[i] {
            Some(d) => d,
            None => {
                let size = self.layout.gc_head() + self.layout.descr();
                let payload = Payload::Descr {
                    name: attr.into(),
                    owner: None,
                };
                let d = self.new_static(Ty::GetSetDescr, payload, size);
                self.shared_getsets[i] = Some(d);
                d
            }
        };
        self.incref(d);
        Ok(d)
    }

    /// Calling a class: allocate the instance (`type_call` → `tp_alloc`), then `__init__`.
    fn instantiate(&mut self, cls: ObjId, args: Vec<ObjId>, kw: Vec<(String, ObjId)>) -> R<ObjId> {
        let inst = self.alloc_instance(cls)?;
        if let Some(init) = self.class_lookup(cls, "__init__") {
            self.incref(init);
            self.incref(inst);
            // A class has no vectorcall: type_call gets the positional arguments as a tuple and the
            // keywords as a dict (_PyObject_MakeTpCall / _PyStack_AsDict), and slot_tp_init hands the
            // dict to the function, which turns it back into keyword names (3.7-3.10 _PyFunction_
            // FastCallDict: a 2n tuple of names and values; 3.11+ _PyStack_UnpackDict: the n names).
            // All three die with the call, into their free lists.
            // (At most three: the argument tuple, the keyword dict, the keyword names.)
            let mut temps = [None; 3];
            if !args.is_empty() {
                for &a in &args {
                    self.incref(a);
                }
                temps[0] = Some(self.new_tuple_tracked(args.clone())?);
            }
            if !kw.is_empty() {
                let d = self.new_dict()?;
                temps[1] = Some(d);
                let mut names = Vec::new();
                for (k, v) in &kw {
                    self.incref(*v);
                    self.dict_set_str(d, k, *v)?;
                    names.push(self.new_str(k)?);
                    if self.layout.minor <= 10 {
                        self.incref(*v);
                        names.push(*v);
                    }
                }
                if matches!(self.payload(init), Payload::Function(_)) {
                    temps[2] = Some(self.new_tuple_tracked(names)?);
                } else {
                    self.decref_all(&names);
                }
            }
            let mut a = vec![inst];
            a.extend(args);
            let r = self.call(init, a, kw);
            for t in temps.into_iter().rev().flatten() {
                self.decref(t);
            }
            self.decref(init);
            match r {
                Ok(v) => {
                    let is_none = v == self.none;
                    self.decref(v);
                    if !is_none {
                        self.decref(inst);
                        return Err(
                            self.err("TypeError", "__init__() should return None, not 'object'")
                        );
                    }
                }
                Err(e) => {
                    self.decref(inst);
                    return Err(e);
                }
            }
        } else {
            let exc = match self.payload(cls) {
                Payload::Class(c) => c.exc_base.is_some(),
                _ => false,
            };
            if exc {
                let t = self.new_tuple(args)?;
                if let Payload::Instance(i) = &mut self.objs.get_mut(inst).payload {
                    i.exc_args = Some(t);
                }
            } else if !args.is_empty() || !kw.is_empty() {
                self.decref_all(&args);
                for (_, v) in kw {
                    self.decref(v);
                }
                self.decref(inst);
                let n = self.class_name(cls);
                return Err(self.err("TypeError", &format!("{n}() takes no arguments")));
            }
        }
        Ok(inst)
    }

    pub fn alloc_instance(&mut self, cls: ObjId) -> R<ObjId> {
        let (basicsize, gc, has_dict, exc) = match self.payload(cls) {
            Payload::Class(c) => (c.basicsize, c.gc, c.has_dict, c.exc_base.is_some()),
            _ => unreachable!(/* a class */),
        };
        let nslots = self.slot_layout(cls, "").1;
        let minor = self.layout.minor;
        let pre = if has_dict && !exc {
            self.layout.managed_preheader()
        } else {
            0
        };
        let size = if gc { self.layout.gc_head() } else { 0 } + pre + basicsize;
        let addr = if gc {
            self.gc_malloc(size)?
        } else {
            self.malloc(size)?
        };
        self.incref(cls);
        let inst = Instance {
            class: cls,
            dict: None,
            values: Vec::new(),
            managed: minor >= 11 && has_dict && !exc,
            slots: vec![None; nslots],
            exc_args: None,
            values_addr: None,
        };
        let id = if gc {
            self.insert_obj(Ty::Instance, Payload::Instance(Box::new(inst)), size, addr)
        } else {
            // 3.7: a class that adds no fields to a non-GC base makes non-GC instances.
            self.insert_plain_obj(Ty::Instance, Payload::Instance(Box::new(inst)), size, addr)
        };
        if let Payload::Class(c) = &mut self.objs.get_mut(cls).payload {
            c.instances_created += 1;
            if let Some(sk) = c.shared.as_mut() {
                // 3.11+: each new instance takes one unit of usable space while more than one is left.
                if minor >= 11 && sk.usable > 1 {
                    sk.usable -= 1;
                }
            }
        }
        if has_dict && minor < 11 && !exc {
            // ≤3.10 the instance dict is made on first attribute store; nothing to do here.
        }
        Ok(id)
    }

    pub fn class_name(&self, cls: ObjId) -> String {
        match self.payload(cls) {
            Payload::Class(c) => c.name.clone(),
            Payload::BuiltinType { name, .. } => name.to_string(),
            _ => "?".into(),
        }
    }

    // ------------------------------------------------------------------ constants

    /// LOAD_CONST: a new reference to the code object's constant.
    /// The constant compiled for node `e` under `tag` (a fold tag, or `TAG_ITER_CONST`), if any: two
    /// slots per node, the second for `TAG_ITER_CONST`.
    fn const_at(&self, e: &Expr, tag: u8) -> Option<ObjId> {
        let slot = e.id as usize * 2 + (tag == super::consts::TAG_ITER_CONST) as usize;
        self.consts.get(slot).copied().filter(|&c| c != ObjId::MAX)
    }

    fn load_const(&mut self, e: &Expr) -> R<ObjId> {
        match self.const_at(e, 0) {
            Some(c) => {
                self.incref(c);
                Ok(c)
            }
            None => {
                let ExprKind::Const(c) = &e.kind else {
                    unreachable!(/* a constant */)
                };
                self.make_const(c)
            }
        }
    }

    fn const_tagged(&mut self, e: &Expr, tag: u8) -> Option<ObjId> {
        let c = self.const_at(e, tag)?;
        self.incref(c);
        Some(c)
    }

    fn is_const_node(&self, e: &Expr) -> bool {
        fold_tag(e).is_some_and(|t| t != 4 && t != 5 && self.const_at(e, t).is_some())
    }

    /// A constant folded by the AST optimizer (or the 3.9+ compiler's list/set folding), if this node was.
    fn folded(&mut self, e: &Expr) -> Option<ObjId> {
        let c = self.const_at(e, fold_tag(e)?)?;
        self.incref(c);
        Some(c)
    }

    pub fn make_const(&mut self, c: &Const) -> R<ObjId> {
        match c {
            Const::None => Ok(self.none()),
            Const::True => Ok(self.new_bool(true)),
            Const::False => Ok(self.new_bool(false)),
            Const::Ellipsis => {
                let e = self.ellipsis;
                self.incref(e);
                Ok(e)
            }
            Const::Int(text) => {
                let v = parse_int_literal(text)
                    .ok_or_else(|| self.err("SyntaxError", "invalid integer literal"))?;
                self.new_int(v)
            }
            Const::Float(x) => self.new_float(*x),
            Const::Imag(x) => self.new_complex(0.0, *x),
            Const::Str(s) => self.new_str(s),
            Const::Bytes(b) => self.new_bytes(b),
        }
    }

    /// Builds the constants of the whole module before it runs, as the compiler does: literals merged by
    /// value across all code objects (`_PyCode_ConstantKey`), each held by its code objects and by the
    /// parser's AST arena until the module finishes; identifier-like strings interned.
    pub fn build_constants(&mut self, m: &Module) -> R<()> {
        let mut b = super::consts::ConstBuilder::new(self.layout.minor);
        b.collect(m);
        // Objects by value: those loaded by code (with their holders' references), and (3.8+, whose
        // merge_consts_recursive shares equal constants at any depth) the items of constant tuples.
        let mut by_value: crate::util::FxHashMap<super::consts::CVal, ObjId> = Default::default();
        let mut items: crate::util::FxHashMap<super::consts::CVal, ObjId> = Default::default();
        self.consts = vec![ObjId::MAX; 2 * self.codes.nodes as usize];
        for (node, tag, val, holders) in b.finish() {
            let id = match by_value.get(&val) {
                Some(&id) => id,
                None => {
                    let id = match items.get(&val) {
                        Some(&id) => {
                            self.incref(id);
                            id
                        }
                        None => self.materialize(&val, &mut items)?,
                    };
                    // materialize gave one reference; the other holders take theirs.
                    for _ in 1..holders {
                        self.incref(id);
                    }
                    by_value.insert(val.clone(), id);
                    id
                }
            };
            self.consts[node as usize * 2 + (tag == super::consts::TAG_ITER_CONST) as usize] = id;
            self.const_count += 1;
        }
        Ok(())
    }

    /// Whether the AST arena also holds an item of a constant tuple: a number, string or bytes the parser
    /// made (a negative number or a nested tuple is a folded result, arena-held through 3.13 only; see
    /// ConstBuilder::arena_holds_fold). The singletons are not the parser's to add.
    fn arena_holds_item(&self, v: &super::consts::CVal) -> bool {
        use super::consts::CVal;
        let folded = match v {
            CVal::None | CVal::Bool(_) | CVal::Ellipsis => return false,
            CVal::Tuple(_) | CVal::FrozenSet(_) => true,
            CVal::Int(Int::Small(i)) => *i < 0,
            CVal::Int(Int::Big(b)) => b.is_negative(),
            CVal::Float(bits) => f64::from_bits(*bits).is_sign_negative(),
            CVal::InCode(_, inner) => return self.arena_holds_item(inner),
            _ => false,
        };
        !folded || self.layout.minor <= 13
    }

    fn new_const_tuple(&mut self, items: Vec<ObjId>) -> R<ObjId> {
        let v = self.profile.version;
        if v.minor == 15 && v.patch >= 1 {
            self.new_tuple(items)
        } else {
            self.new_tuple_tracked(items)
        }
    }

    fn materialize(
        &mut self,
        v: &super::consts::CVal,
        items: &mut crate::util::FxHashMap<super::consts::CVal, ObjId>,
    ) -> R<ObjId> {
        use super::consts::CVal;
        Ok(match v {
            CVal::None => self.none(),
            CVal::Bool(b) => self.new_bool(*b),
            CVal::Ellipsis => {
                let e = self.ellipsis;
                self.incref(e);
                e
            }
            CVal::Int(i) => self.new_int(i.clone())?,
            CVal::Float(bits) => self.new_float(f64::from_bits(*bits))?,
            CVal::Complex(a, b) => self.new_complex(f64::from_bits(*a), f64::from_bits(*b))?,
            CVal::Str(s) => {
                let id = self.new_str(s)?;
                if super::consts::is_identifier_like(s) {
                    self.intern(id, false)
                } else {
                    id
                }
            }
            CVal::Bytes(b) => self.new_bytes(b)?,
            CVal::Tuple(xs) => {
                let mut v = Vec::new();
                for x in xs {
                    let shared = if self.layout.minor >= 8 {
                        items.get(x).copied()
                    } else {
                        None
                    };
                    let item = match shared {
                        Some(id) => {
                            self.incref(id);
                            id
                        }
                        None => {
                            let id = self.materialize(x, items)?;
                            if self.arena_holds_item(x) {
                                self.incref(id);
                            }
                            if self.layout.minor >= 8 {
                                items.insert(x.clone(), id);
                            }
                            id
                        }
                    };
                    v.push(item);
                }
                // Made by the compiler with PyTuple_New: tracked (3.15.1+ untracks it at once when its
                // items cannot be in a cycle, measured on 3.15.2; 3.14 and 3.15.0rc1 keep it tracked).
                self.new_const_tuple(v)?
            }
            CVal::InCode(_, inner) => self.materialize(inner, items)?,
            CVal::FrozenSet(xs) => {
                let s = self.new_set(true)?;
                for x in xs {
                    let i = self.materialize(x, items)?;
                    self.set_add(s, i)?;
                    self.decref(i);
                }
                s
            }
        })
    }

    // ------------------------------------------------------------------ modules

    fn import(&mut self, name: &str) -> R<ObjId> {
        match name {
            "sys" => {
                let m = self.sys_module()?;
                self.incref(m);
                Ok(m)
            }
            "gc" => {
                let m = self.gc_module_obj()?;
                self.incref(m);
                Ok(m)
            }
            _ => Err(self.err("ModuleNotFoundError", &format!("No module named '{name}'"))),
        }
    }

    pub fn run_module(&mut self, m: &Module) -> R<()> {
        let mut f = Frame::new(0, 0, None, self.globals);
        let r = self.exec_block(&mut f, &m.body);
        match r {
            Err(Flow::Return(v)) => {
                self.decref(v);
                Err(self.err("SyntaxError", "'return' outside function"))
            }
            Err(Flow::Break) => Err(self.err("SyntaxError", "'break' outside loop")),
            Err(Flow::Continue) => Err(self.err("SyntaxError", "'continue' not properly in loop")),
            other => other,
        }
    }

    /// `exception_matches`: isinstance against a class or a tuple of classes.
    fn exception_matches(&mut self, exc: ObjId, cls: ObjId) -> bool {
        if let Payload::Tuple(items) = self.payload(cls) {
            let items = items.clone();
            return items.into_iter().any(|c| self.exception_matches(exc, c));
        }
        self.isinstance(exc, cls)
    }
}

pub(crate) fn ascii_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let u = c as u32;
        if u < 128 {
            out.push(c);
        } else if u < 256 {
            out.push_str(&format!("\\x{u:02x}"));
        } else if u < 65536 {
            out.push_str(&format!("\\u{u:04x}"));
        } else {
            out.push_str(&format!("\\U{u:08x}"));
        }
    }
    out
}

/// The const-table tag of a node the optimizer may fold.
pub fn fold_tag(e: &Expr) -> Option<u8> {
    Some(match &e.kind {
        ExprKind::Const(_) => 0,
        ExprKind::Tuple(_) => 1,
        ExprKind::UnaryOp(..) => 2,
        ExprKind::BinOp(..) => 3,
        ExprKind::List(_) => 4,
        ExprKind::Set(_) => 5,
        ExprKind::Subscript(..) => 6,
        _ => return None,
    })
}

/// Parses an integer literal's text (`123`, `0x1f`, `0o17`, `0b101`).
pub fn parse_int_literal(text: &str) -> Option<Int> {
    let (digits, radix) = if let Some(h) = text.strip_prefix("0x") {
        (h, 16)
    } else if let Some(o) = text.strip_prefix("0o") {
        (o, 8)
    } else if let Some(b) = text.strip_prefix("0b") {
        (b, 2)
    } else {
        (text, 10)
    };
    if let Ok(v) = i64::from_str_radix(digits, radix) {
        return Some(Int::Small(v));
    }
    BigInt::parse_bytes(digits.as_bytes(), radix).map(Int::from_big)
}

#[allow(dead_code)]
fn _keep(_: Rc<()>, _: IterState, _: Key) {}

/// `_Py_Mangle`: a private name (`__x`, not ending in `__`) inside class `class` becomes `_class__x`,
/// with the class name's leading underscores stripped.
pub fn mangle(class: &str, name: &str) -> String {
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_string();
    }
    let c = class.trim_start_matches('_');
    if c.is_empty() {
        return name.to_string();
    }
    format!("_{c}{name}")
}
