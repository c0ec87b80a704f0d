//! stackdepth: the value-stack depth CPython's compiler computes for a code object (`co_stacksize`,
//! `Python/flowgraph.c` stackdepth()), for the 3.11+ bytecode. From 3.11 a generator embeds its frame, so
//! `sys.getsizeof(generator)` is basicsize + (co_nlocalsplus + co_stacksize) pointers and this depth shows.
//! The model walks the syntax tree with each version's instruction shapes (a call pushes NULL and the
//! callable, a method call the method and self, a `for` loop keeps its iterator: one slot, two from 3.15,
//! whose GET_ITER also pushes an index) and takes the highest point. It matches measured `co_stacksize` for
//! the statements and expressions of the simulator's subset in their common shapes; unusual nestings may
//! differ by a slot.

use super::ast::*;
use super::scope::{CodeKind, CodeTable, NodeTag};

struct Model<'a> {
    codes: &'a CodeTable,
    minor: u8,
    /// Names bound by comprehensions inlined into this code (3.12+): they become its fast locals.
    inlined: std::cell::RefCell<Vec<String>>,
}

impl Model<'_> {
    /// Slots a `for` loop's iterator occupies.
    fn iter_slots(&self) -> u32 {
        if self.minor >= 15 {
            2
        } else {
            1
        }
    }

    /// Peak height while evaluating `e`, relative to where its result lands (which is 1).
    fn expr(&self, e: &Expr) -> u32 {
        match &e.kind {
            ExprKind::Const(_) | ExprKind::Name(_) => 1,
            ExprKind::Lambda(params, _) => self.make_function(e.pos, NodeTag::Lambda, params),
            ExprKind::Attribute(o, _) | ExprKind::UnaryOp(_, o) | ExprKind::Starred(o) => {
                self.expr(o)
            }
            ExprKind::BinOp(a, _, b) => self.expr(a).max(1 + self.expr(b)),
            ExprKind::Subscript(o, i) if self.const_slice(i) => self.expr(o).max(2),
            ExprKind::Subscript(o, i) => match &i.kind {
                // 3.12+: BINARY_SLICE takes the bounds directly.
                ExprKind::Slice(a, b, None) if self.minor >= 12 => {
                    let d = |x: &Option<Box<Expr>>| x.as_ref().map_or(1, |x| self.expr(x));
                    self.expr(o).max(1 + d(a)).max(2 + d(b))
                }
                _ => self.expr(o).max(1 + self.expr(i)),
            },
            ExprKind::Slice(..) if self.const_slice(e) => 1,
            ExprKind::Slice(a, b, c) => {
                // BUILD_SLICE takes two operands, or three with a step.
                let n = if c.is_some() { 3 } else { 2 };
                let parts = [a, b, c];
                let it = parts.iter().take(n).map(|x| x.as_deref());
                self.seq(it.map(|x| x.map_or(1, |x| self.expr(x))))
            }
            ExprKind::BoolOp(_, vs) => {
                let m = vs.iter().map(|v| self.expr(v)).max().unwrap_or(1);
                // 3.12+ tests a copy of each value but the last (COPY 1; TO_BOOL; POP_JUMP_IF_*).
                if self.minor >= 12 && vs.len() > 1 {
                    m.max(2)
                } else {
                    m
                }
            }
            ExprKind::Compare(a, rest) => {
                let m = rest
                    .iter()
                    .map(|(_, b)| 1 + self.expr(b))
                    .max()
                    .unwrap_or(1);
                // A chain keeps the middle operand (SWAP; COPY 2).
                let chain = if rest.len() > 1 { 3 } else { 1 };
                self.expr(a).max(m).max(chain)
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test).max(self.expr(body)).max(self.expr(orelse))
            }
            ExprKind::Call(f, args) => self.call(f, args),
            ExprKind::List(v) | ExprKind::Set(v) if v.len() >= 3 && all_const(v) => 2,
            ExprKind::Tuple(v) if all_const(v) => 1,
            ExprKind::List(v) | ExprKind::Tuple(v) | ExprKind::Set(v) => {
                self.seq(v.iter().map(|x| self.expr(x))).max(1)
            }
            // 3.11–3.13: constant keys make BUILD_CONST_KEY_MAP, the values then a tuple of the keys.
            ExprKind::Dict(items)
                if self.minor <= 13
                    && items.len() > 1
                    && items.iter().all(|(k, _)| {
                        matches!(
                            k,
                            Some(Expr {
                                kind: ExprKind::Const(_),
                                ..
                            })
                        )
                    }) =>
            {
                let n = items.len() as u32;
                self.seq(items.iter().map(|(_, v)| self.expr(v))).max(n + 1)
            }
            ExprKind::Dict(items) => {
                let mut m = 1;
                for (i, (k, v)) in items.iter().enumerate() {
                    let i = 2 * i as u32;
                    m = m.max(i + k.as_ref().map_or(0, |k| self.expr(k)));
                    m = m.max(i + 1 + self.expr(v));
                }
                m
            }
            ExprKind::ListComp(x, g) | ExprKind::SetComp(x, g) => self.comp(g, &[x]),
            ExprKind::DictComp(k, v, g) => self.comp(g, &[k, v]),
            // The function made from the code, then its iterator as the call's one argument.
            ExprKind::GeneratorExp(_, g) => (1 + self.expr(&g[0].iter)).max(2),
            ExprKind::FString(parts) => {
                let mut m = 1;
                for (i, p) in parts.iter().enumerate() {
                    if let FPart::Expr { expr, spec, .. } = p {
                        m = m.max(i as u32 + self.expr(expr) + u32::from(!spec.is_empty()));
                    }
                }
                m.max(parts.len() as u32)
            }
            ExprKind::Yield(v) => v.as_ref().map_or(1, |v| self.expr(v)),
            // The sub-iterator and the value sent; 3.12+ SEND has a CLEANUP_THROW handler that pushes the
            // exception on top.
            ExprKind::YieldFrom(x) => self.expr(x).max(if self.minor >= 12 { 3 } else { 2 }),
        }
    }

    /// 3.14+ folds a slice of constants into one constant.
    fn const_slice(&self, e: &Expr) -> bool {
        let c = |x: &Option<Box<Expr>>| {
            x.as_ref()
                .is_none_or(|x| matches!(x.kind, ExprKind::Const(_)))
        };
        matches!(&e.kind, ExprKind::Slice(a, b, s) if self.minor >= 14 && c(a) && c(b) && c(s))
    }

    /// MAKE_FUNCTION's operands: the defaults tuple, the keyword defaults dict and the closure tuple when
    /// there are any, then the code object.
    fn make_function(&self, pos: Pos, tag: NodeTag, params: &Params) -> u32 {
        let code = &self.codes.codes[self.codes.lookup(pos, tag) as usize];
        let defaults = params.args.iter().any(|a| a.default.is_some());
        let kwdefaults = params.kwonly.iter().any(|a| a.default.is_some());
        1 + u32::from(defaults) + u32::from(kwdefaults) + u32::from(!code.freevars.is_empty())
    }

    /// Items pushed one after another: item `i` is evaluated `i` slots up.
    fn seq(&self, depths: impl Iterator<Item = u32>) -> u32 {
        depths
            .enumerate()
            .map(|(i, d)| i as u32 + d)
            .max()
            .unwrap_or(0)
    }

    fn call(&self, f: &Expr, args: &[Arg]) -> u32 {
        // NULL + callable, or (LOAD_METHOD / LOAD_ATTR method) the method + self: two slots either way.
        let head = match &f.kind {
            ExprKind::Attribute(o, _) => self.expr(o).max(2),
            _ => (1 + self.expr(f)).max(2),
        };
        let mut m = head;
        let mut n = 0;
        for a in args {
            let (Arg::Pos(e) | Arg::Star(e) | Arg::Kw(_, e) | Arg::StarStar(e)) = a;
            m = m.max(2 + n + self.expr(e));
            n += 1;
        }
        // 3.13+ pushes the keyword names tuple for CALL_KW (not for CALL_FUNCTION_EX, with * or **).
        let ex = args
            .iter()
            .any(|a| matches!(a, Arg::Star(_) | Arg::StarStar(_)));
        if self.minor >= 13 && !ex && args.iter().any(|a| matches!(a, Arg::Kw(..))) {
            m = m.max(2 + n + 1);
        }
        m
    }

    /// A list, set or dict comprehension: a call of its own code object up to 3.11, inlined from 3.12
    /// (PEP 709) with the loop variables saved on the stack and the result under the iterator.
    fn comp(&self, gens: &[Comprehension], elts: &[&Expr]) -> u32 {
        let first = self.expr(&gens[0].iter);
        if self.minor < 12 {
            return (1 + first).max(2);
        }
        // The names bound here and in comprehensions inlined inside are saved on the stack first
        // (LOAD_FAST_AND_CLEAR), under the result and the iterator.
        let mark = self.inlined.borrow().len();
        for g in gens {
            bound_names(&g.target, &mut self.inlined.borrow_mut());
        }
        let mut h = 0;
        let mut m = self.iter_slots();
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                m = m.max(h + self.expr(&g.iter));
            }
            h += self.iter_slots();
            m = m.max(h + self.store(&g.target));
            for c in &g.ifs {
                m = m.max(h + self.expr(c));
            }
        }
        for (i, x) in elts.iter().enumerate() {
            m = m.max(h + i as u32 + self.expr(x));
        }
        let names = &self.inlined.borrow()[mark..];
        let saved = names
            .iter()
            .enumerate()
            .filter(|(i, n)| !names[..*i].contains(n))
            .count();
        first.max(saved as u32 + 1 + m)
    }

    /// Peak height while storing a value (at height 1) into target `t`. Unpacking leaves the first item
    /// on top; target `j` of `n` is stored with the `n - 1 - j` later items still below it.
    fn store(&self, t: &Expr) -> u32 {
        match &t.kind {
            ExprKind::Attribute(o, _) => 1 + self.expr(o),
            ExprKind::Subscript(o, i) => (1 + self.expr(o)).max(2 + self.expr(i)),
            ExprKind::Tuple(v) | ExprKind::List(v) => {
                let n = v.len() as u32;
                let below = |j: usize| n - 1 - j as u32;
                v.iter()
                    .enumerate()
                    .map(|(j, x)| below(j) + self.store(x))
                    .max()
                    .unwrap_or(0)
                    .max(n)
            }
            _ => 1,
        }
    }

    fn block(&self, body: &[Stmt], h: u32) -> u32 {
        body.iter().map(|s| self.stmt(s, h)).max().unwrap_or(h)
    }

    fn stmt(&self, s: &Stmt, h: u32) -> u32 {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => h + self.expr(e),
            StmtKind::Assign(ts, v) => {
                // Chained targets store a copy each (COPY 1) but the last.
                let dup = u32::from(ts.len() > 1);
                let t = ts.iter().map(|t| self.store(t)).max().unwrap_or(1);
                h + self.expr(v).max(dup + t)
            }
            StmtKind::AnnAssign(t, _, v) => v
                .as_ref()
                .map_or(h, |v| h + self.expr(v).max(self.store(t))),
            StmtKind::AugAssign(t, _, v) => {
                let (base, peak) = match &t.kind {
                    ExprKind::Attribute(o, _) => (1, self.expr(o).max(2)),
                    ExprKind::Subscript(o, i) => (2, self.expr(o).max(1 + self.expr(i)).max(4)),
                    _ => (0, 1),
                };
                h + peak.max(base + 1 + self.expr(v))
            }
            StmtKind::Del(ts) => ts
                .iter()
                .map(|t| h + self.store(t).saturating_sub(1))
                .max()
                .unwrap_or(h),
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => (h + self.expr(c))
                .max(self.block(a, h))
                .max(self.block(b, h)),
            StmtKind::For(t, it, body, orelse) => {
                let inner = h + self.iter_slots();
                (h + self.expr(it))
                    .max(inner + self.store(t))
                    .max(self.block(body, inner))
                    .max(self.block(orelse, h))
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                // A handler starts with the exception and the previous exception state pushed
                // (PUSH_EXC_INFO) and runs its body over the previous state; its cleanup handler has
                // lasti and the exception on top of that, and copies the state back (COPY 3) to
                // reraise. The exceptional copy of `finally` runs over lasti and the exception.
                let mut m = self.block(body, h).max(self.block(orelse, h));
                for hd in handlers {
                    let ty = hd.ty.as_ref().map_or(0, |t| self.expr(t));
                    m = m
                        .max(h + 2 + ty)
                        .max(h + 4)
                        .max(self.block(&hd.body, h + 1));
                }
                if !finalbody.is_empty() {
                    m = m.max(self.block(finalbody, h + 2)).max(h + 4);
                }
                m
            }
            StmtKind::Raise(e, c) => {
                let e = e.as_ref().map_or(0, |e| self.expr(e));
                h + e.max(1 + c.as_ref().map_or(0, |c| self.expr(c)))
            }
            StmtKind::Assert(t, m) => {
                h + self.expr(t).max(1 + m.as_ref().map_or(0, |m| self.expr(m)))
            }
            StmtKind::FunctionDef {
                decorators, params, ..
            } => h + decorators.len() as u32 + self.make_function(s.pos, NodeTag::Def, params),
            // LOAD_BUILD_CLASS and NULL, the body's function, the name, then the bases.
            StmtKind::ClassDef {
                decorators, bases, ..
            } => h + decorators.len() as u32 + 4 + bases.len() as u32,
            StmtKind::Import(_) | StmtKind::ImportFrom(..) => h + 2,
            _ => h,
        }
    }
}

fn all_const(v: &[Expr]) -> bool {
    v.iter().all(|x| matches!(x.kind, ExprKind::Const(_)))
}

fn bound_names(t: &Expr, out: &mut Vec<String>) {
    match &t.kind {
        ExprKind::Name(n) => out.push(n.clone()),
        ExprKind::Tuple(v) | ExprKind::List(v) => v.iter().for_each(|x| bound_names(x, out)),
        _ => {}
    }
}

/// `co_nlocalsplus + co_stacksize` of a generator's code (3.11+): the frame slots the generator embeds.
pub fn generator_frame_slots(codes: &CodeTable, code: u32, minor: u8) -> u64 {
    let code = &codes.codes[code as usize];
    let m = Model {
        codes,
        minor,
        inlined: Default::default(),
    };
    let genexpr = code.kind == CodeKind::Comprehension;
    // 3.15 calls GET_ITER on a generator expression's iterable before RETURN_GENERATOR.
    let base = if genexpr && minor >= 15 { 2 } else { 0 };
    let body = if genexpr && base > 0 {
        // The first loop's iterator is already in place: walk its body at that height.
        match code.body.first().map(|s| &s.kind) {
            Some(StmtKind::For(t, _, b, _)) => (base + m.store(t)).max(m.block(b, base)),
            _ => m.block(&code.body, 0),
        }
    } else {
        m.block(&code.body, 0)
    };
    // RETURN_GENERATOR's value is popped at once (1 slot); from 3.12 the body sits in a handler that
    // turns StopIteration into RuntimeError, entered with lasti and the exception pushed.
    let prologue = if minor >= 12 { base + 2 } else { 1 };
    let own = |n: &String| code.varnames.contains(n) || code.cellvars.contains(n);
    let locals = code.varnames.len()
        + code
            .cellvars
            .iter()
            .filter(|c| !code.varnames.contains(c))
            .count()
        + code.freevars.len()
        + {
            let names = m.inlined.borrow();
            let new = |(i, n): &(usize, &String)| !own(n) && !names[..*i].contains(n);
            names.iter().enumerate().filter(new).count()
        };
    (locals as u64) + u64::from(body.max(prologue))
}
