//! gen: generator objects (`Objects/genobject.c`). A generator owns a suspended frame (a heap frame object
//! up to 3.10, embedded in the generator from 3.11); `next`/`send`/`throw` re-enter it at its `yield`,
//! `close` and deallocation finalize it. The frame is kept in `Vm::gens`, keyed by the generator's id,
//! while the generator is created or suspended.

use super::eval::{Frame, Resume, Sent, TryPart};
use super::stackdepth::generator_frame_slots;
use super::vm::{Flow, Vm, R};
use crate::object::{GenState, ObjId, Payload, Ty};

/// What one resumption of a generator produced: `Ok(value)` yielded, `Err(value)` returned.
pub type Step = Result<ObjId, ObjId>;

impl Vm {
    /// A generator object over `frame` (`_Py_MakeCoro` / `gen_new_with_qualname`).
    pub fn new_generator(&mut self, code: u32, frame: Frame) -> R<ObjId> {
        let slots = match self.layout.minor {
            11.. => generator_frame_slots(&self.codes, code, self.layout.minor),
            _ => 0,
        };
        let g = self.new_gc(
            Ty::Generator,
            Payload::Generator {
                code,
                state: GenState::Created,
            },
            self.layout.generator(slots),
        );
        match g {
            Ok(g) => {
                self.gens.insert(g, Box::new(frame));
                Ok(g)
            }
            Err(e) => {
                self.release_frame(frame);
                Err(e)
            }
        }
    }

    fn gen_state(&self, g: ObjId) -> (u32, GenState) {
        match self.payload(g) {
            Payload::Generator { code, state } => (*code, *state),
            _ => (0, GenState::Completed),
        }
    }

    fn set_gen_state(&mut self, g: ObjId, s: GenState) {
        if let Payload::Generator { state, .. } = &mut self.objs.get_mut(g).payload {
            *state = s;
        }
    }

    /// The value a resumed `yield` evaluates to, or the exception `throw` raises there.
    pub fn take_sent(&mut self, f: &mut Frame) -> R<ObjId> {
        match f.sent.take() {
            Some(Sent::Value(v)) => Ok(v),
            Some(Sent::Throw(e)) => Err(Flow::Exc(e)),
            None => Ok(self.none()),
        }
    }

    /// `gen_send_ex`: runs the generator until it yields or finishes. Takes `input`'s reference.
    pub fn gen_resume(&mut self, g: ObjId, input: Sent) -> R<Step> {
        let (code, state) = self.gen_state(g);
        let refuse = |vm: &mut Vm, input: Sent| match input {
            Sent::Value(v) | Sent::Throw(v) => vm.decref(v),
        };
        match state {
            GenState::Running => {
                refuse(self, input);
                return Err(self.err("ValueError", "generator already executing"));
            }
            GenState::Completed => {
                return match input {
                    Sent::Throw(e) => Err(Flow::Exc(e)),
                    Sent::Value(v) => {
                        self.decref(v);
                        Ok(Err(self.none()))
                    }
                };
            }
            GenState::Created => match input {
                Sent::Value(v) if v != self.none() => {
                    self.decref(v);
                    return Err(self.err(
                        "TypeError",
                        "can't send non-None value to a just-started generator",
                    ));
                }
                Sent::Throw(e) => {
                    // Thrown into a generator that never ran: it ends without running its body.
                    self.finish_generator(g);
                    return Err(Flow::Exc(e));
                }
                Sent::Value(_) => {}
            },
            GenState::Suspended => {}
        }
        let Some(mut frame) = self.gens.remove(&g) else {
            refuse(self, input);
            return Err(self.err("ValueError", "generator already executing"));
        };
        if state == GenState::Suspended {
            frame.sent = Some(input);
        }
        self.set_gen_state(g, GenState::Running);
        let body = self.codes.codes[code as usize].body.clone();
        let (saved_line, saved_col) = (self.line, self.col);
        self.depth += 1;
        let r = self.exec_block(&mut frame, &body);
        self.depth -= 1;
        self.frame_unwound(&r, code, saved_line, saved_col);
        if let Err(Flow::Yield(v)) = r {
            self.gens.insert(g, frame);
            self.set_gen_state(g, GenState::Suspended);
            return Ok(Ok(v));
        }
        // Finished: the frame is cleared now, not when the generator is deallocated.
        self.set_gen_state(g, GenState::Completed);
        self.release_frame(*frame);
        match r {
            Ok(()) | Err(Flow::Break) | Err(Flow::Continue) => Ok(Err(self.none())),
            Err(Flow::Return(v)) => Ok(Err(v)),
            Err(Flow::Exc(e)) if self.is_exc(e, "StopIteration") => {
                // PEP 479 (3.7+): a StopIteration escaping a generator body becomes a RuntimeError.
                self.decref(e);
                Err(self.err("RuntimeError", "generator raised StopIteration"))
            }
            Err(e) => Err(e),
        }
    }

    /// Whether exception `e` is an instance of the builtin exception class `class`.
    pub fn is_exc(&self, e: ObjId, class: &str) -> bool {
        let cls = self.builtins[class];
        self.isinstance(e, cls)
    }

    /// Marks a generator completed and clears its frame wherever it stopped.
    fn finish_generator(&mut self, g: ObjId) {
        self.set_gen_state(g, GenState::Completed);
        if let Some(frame) = self.gens.remove(&g) {
            self.release_suspended(*frame);
        }
    }

    /// Clears a frame that will not run again: its locals and cells, then what its value stack held,
    /// bottom to top (`frame_dealloc` ≤3.10, `_PyFrame_ClearLocals` 3.11+).
    pub fn release_suspended(&mut self, mut frame: Frame) {
        let path = std::mem::take(&mut frame.resume);
        if let Some(Sent::Value(v) | Sent::Throw(v)) = frame.sent.take() {
            self.decref(v);
        }
        self.release_frame(frame);
        for entry in path.into_iter().rev() {
            match entry {
                Resume::For(o) | Resume::YieldFrom(o) | Resume::Try(TryPart::Handler(_, o)) => {
                    self.decref(o)
                }
                Resume::Try(TryPart::Finally(r)) => self.drop_flow(r),
                _ => {}
            }
        }
    }

    /// One step of `yield from`: sends `sent` (None on the first step) into the sub-iterator.
    pub fn delegate(&mut self, sub: ObjId, sent: Option<Sent>) -> R<Step> {
        let is_gen = self.ty(sub) == Ty::Generator;
        let none = self.none();
        match sent.unwrap_or(Sent::Value(none)) {
            // GeneratorExit closes the sub-generator and is raised here; other exceptions are thrown
            // into it (`_gen_throw`). Other iterators have no throw: it is raised here.
            Sent::Throw(e) if is_gen && self.is_exc(e, "GeneratorExit") => {
                match self.gen_close(sub) {
                    Ok(r) => self.decref(r),
                    Err(err) => {
                        self.decref(e);
                        return Err(err);
                    }
                }
                Err(Flow::Exc(e))
            }
            Sent::Throw(e) if is_gen => self.gen_resume(sub, Sent::Throw(e)),
            Sent::Throw(e) => Err(Flow::Exc(e)),
            Sent::Value(v) if is_gen => self.gen_resume(sub, Sent::Value(v)),
            Sent::Value(v) if v != none => {
                self.decref(v);
                let t = self.type_name(sub);
                Err(self.err(
                    "AttributeError",
                    &format!("'{t}' object has no attribute 'send'"),
                ))
            }
            Sent::Value(_) => match self.iter_next(sub)? {
                Some(v) => Ok(Ok(v)),
                None => Ok(Err(none)),
            },
        }
    }

    /// `next(gen)`, `gen.send(v)`, `gen.throw(e)`: the yielded value, or StopIteration carrying the
    /// return value.
    pub fn gen_send(&mut self, g: ObjId, input: Sent) -> R<ObjId> {
        match self.gen_resume(g, input)? {
            Ok(v) => Ok(v),
            Err(ret) => Err(Flow::Exc(self.stop_iteration(ret)?)),
        }
    }

    /// StopIteration for a generator's return value (no arguments when it is None). Takes `ret`.
    fn stop_iteration(&mut self, ret: ObjId) -> R<ObjId> {
        if ret == self.none() {
            return self.new_exception("StopIteration", "");
        }
        let args = self.new_tuple(vec![ret])?;
        let cls = self.builtins["StopIteration"];
        self.new_exc_instance(cls, args)
    }

    /// `gen.close()`: throws GeneratorExit in at the suspension point. 3.12+ skips the throw when no
    /// `try` encloses the yield (`gen_close`'s exception_handler_depth check), clearing the frame
    /// directly; the simulator does so in every version, the difference being unobservable without it.
    /// Returns what `close()` returns: None, or from 3.13 the value the generator returned on
    /// GeneratorExit (gh-104770). The value is owned.
    pub fn gen_close(&mut self, g: ObjId) -> R<ObjId> {
        let (_, state) = self.gen_state(g);
        match state {
            GenState::Completed => return Ok(self.none()),
            GenState::Running => return Err(self.err("ValueError", "generator already executing")),
            GenState::Created => {
                self.finish_generator(g);
                return Ok(self.none());
            }
            GenState::Suspended => {}
        }
        let (has_try, sub) = match self.gens.get(&g) {
            Some(f) => (
                f.resume.iter().any(|r| matches!(r, Resume::Try(_))),
                f.resume.iter().find_map(|r| match r {
                    Resume::YieldFrom(s) => Some(*s),
                    _ => None,
                }),
            ),
            None => (false, None),
        };
        if !has_try {
            if let Some(s) = sub {
                if self.ty(s) == Ty::Generator {
                    let r = self.gen_close(s)?;
                    self.decref(r);
                }
            }
            self.finish_generator(g);
            return Ok(self.none());
        }
        let exit = self.new_exception("GeneratorExit", "")?;
        match self.gen_resume(g, Sent::Throw(exit)) {
            Ok(Ok(v)) => {
                self.decref(v);
                Err(self.err("RuntimeError", "generator ignored GeneratorExit"))
            }
            Ok(Err(ret)) if self.layout.minor >= 13 => Ok(ret),
            Ok(Err(ret)) => {
                self.decref(ret);
                Ok(self.none())
            }
            Err(Flow::Exc(e))
                if self.is_exc(e, "GeneratorExit") || self.is_exc(e, "StopIteration") =>
            {
                self.decref(e);
                Ok(self.none())
            }
            Err(e) => Err(e),
        }
    }

    /// A suspended generator about to be deallocated is closed first (`_PyGen_Finalize`), with its
    /// reference count held at one while it runs. Returns whether it was resurrected.
    pub fn gen_finalize(&mut self, g: ObjId) -> bool {
        self.objs.get_mut(g).refcnt = 1;
        match self.gen_close(g) {
            Ok(r) => self.decref(r),
            // An exception in a finalizer is "ignored" (printed to stderr by CPython).
            Err(e) => self.drop_flow(Err(e)),
        }
        let o = self.objs.get_mut(g);
        o.refcnt -= 1;
        o.refcnt > 0
    }

    /// Whether finalizing what the program left behind can run Python code: a generator suspended in a
    /// `try` (or delegating to one that may be).
    pub fn needs_shutdown(&self) -> bool {
        let pending = |r: &Resume| matches!(r, Resume::Try(_) | Resume::YieldFrom(_));
        self.gens.values().any(|f| f.resume.iter().any(pending)) || self.has_pending_finalizers()
    }

    /// The teardown at exit, as far as the simulator models it: globals set to None in dict order, so
    /// suspended generators are closed in that order. Natively CPython finalizes the module dict as
    /// garbage (it is in a cycle with the functions defined in it), in the collector's list order: dict
    /// order for generators held directly by globals and made in that order (not for generators held in
    /// containers; the gc issue). Under Pyodide `__main__` outlives that collection and is cleared by
    /// `_PyModule_ClearDict`, names with one leading underscore first (measured with pyrun).
    pub fn shutdown(&mut self) {
        let g = self.globals;
        let names: Vec<String> = match self.payload(g) {
            Payload::Dict(d) => d
                .iter()
                .filter_map(|e| self.str_of(e.key).map(String::from))
                .collect(),
            _ => Vec::new(),
        };
        let private = |n: &str| n.starts_with('_') && !n.starts_with("__");
        let passes: &[bool] = if self.layout.wasm {
            &[true, false]
        } else {
            &[false]
        };
        for &only_private in passes {
            for n in &names {
                let none = self.none();
                if (only_private && !private(n))
                    || n == "__builtins__"
                    || self.dict_get_str(g, n) == Some(none)
                {
                    continue;
                }
                self.incref(none);
                if self.dict_set_str(g, n, none).is_err() {
                    return;
                }
            }
        }
        // Natively the finalization's collections then find what only cycles kept alive, and run
        // their finalizers (measured: a self-referencing instance's `__del__` runs at exit on
        // x86_64, and not under Pyodide, where `__main__` is never collected).
        if !self.layout.wasm && !self.gc.collecting {
            self.gc.collecting = true;
            self.gc_collect_main_quiet();
            self.gc.collecting = false;
        }
    }
}
