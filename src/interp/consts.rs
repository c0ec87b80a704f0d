//! consts: compile-time constants. Which expressions CPython turns into constants per version
//! (`Python/ast_opt.c` folding of unary/binary operations on constants and of constant tuples; 3.9+
//! `compile.c` `starunpack_helper` folding ≥3 constant list/set items into a tuple/frozenset, limited to
//! 3..=30 items by 3.14's `flowgraph.c`; `in`/`for` over a constant list or set becoming a tuple or
//! frozenset), and how many holders each constant object has when the module starts: one reference per
//! code object whose `co_consts` holds it, plus the parser's AST arena for literals (it keeps the objects it
//! made alive until the module finishes).

use super::ast::*;
use super::eval::{fold_tag, parse_int_literal};
use crate::object::bigint::BigInt;
use crate::object::Int;
use crate::util::FxHashMap;

/// A constant value; the variants keep types apart as `_PyCode_ConstantKey` does (1, 1.0 and True differ).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CVal {
    None,
    Bool(bool),
    Ellipsis,
    Int(Int),
    Float(u64),
    Complex(u64, u64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<CVal>),
    FrozenSet(Vec<CVal>),
    /// 3.7: a constant of one code object (the compiler merged equal constants only within a code object
    /// until 3.8's module-wide constant cache).
    InCode(u32, Box<CVal>),
}

/// `ConstBuilder::users` packing: the compiler's constant cache keeps the first object it meets for a
/// value (in compile order), so whether the arena holds the constant is decided by that first one.
const ARENA: u32 = 1;
const FIRST: u32 = 2;
const USER: u32 = 4;

/// Tag for a list or set display in `x in [...]` / `for x in [...]`, compiled as a tuple / frozenset.
pub const TAG_ITER_CONST: u8 = 7;

pub struct ConstBuilder {
    minor: u8,
    /// (node id, tag) → value.
    nodes: Vec<(u32, u8, CVal)>,
    /// value → (code objects loading it) × USER | FIRST (its object is settled) | ARENA (the AST arena
    /// holds that object). Packed in a u32 so the map shares its instantiation with the interpreter's
    /// `CVal → ObjId` table.
    users: FxHashMap<CVal, u32>,
    /// Values used by the code object being walked.
    current: Vec<CVal>,
    /// The code object being walked, and the next code object's number.
    code: u32,
    next_code: u32,
}

/// Whether a string constant is interned by the compiler (`all_name_chars`: only [A-Za-z0-9_]).
pub fn is_identifier_like(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl ConstBuilder {
    pub fn new(minor: u8) -> ConstBuilder {
        ConstBuilder {
            minor,
            nodes: Vec::new(),
            users: FxHashMap::default(),
            current: Vec::new(),
            code: 0,
            next_code: 1,
        }
    }

    pub fn collect(&mut self, m: &Module) {
        self.code_body(&m.body);
    }

    /// Every folded node with its value, and each value's holder count.
    /// Folded-away children (no code loads them) are left out: their values live on as the items of the
    /// constant that replaced them.
    pub fn finish(self) -> Vec<(u32, u8, CVal, usize)> {
        self.nodes
            .into_iter()
            .filter_map(|(p, t, v)| {
                let packed = self.users.get(&v).copied().unwrap_or(USER);
                let (codes, literal) = ((packed / USER) as usize, packed & ARENA != 0);
                (codes > 0).then_some((p, t, v, codes + literal as usize))
            })
            .collect()
    }

    /// The table key of a value: per code object in 3.7, module-wide from 3.8.
    fn key(&self, v: CVal) -> CVal {
        if self.minor == 7 {
            CVal::InCode(self.code, Box::new(v))
        } else {
            v
        }
    }

    fn enter_code(&mut self) -> u32 {
        let saved = self.code;
        self.code = self.next_code;
        self.next_code += 1;
        saved
    }

    fn code_body(&mut self, body: &[Stmt]) {
        let saved_code = self.enter_code();
        let saved = std::mem::take(&mut self.current);
        for s in body {
            self.stmt(s);
        }
        let used = std::mem::replace(&mut self.current, saved);
        self.code = saved_code;
        let mut seen: Vec<CVal> = Vec::new();
        for v in used {
            if !seen.contains(&v) {
                *self.users.entry(v.clone()).or_insert(0) += USER;
                seen.push(v);
            }
        }
    }

    fn record(&mut self, e: &Expr, tag: u8, v: CVal) {
        let v = self.key(v);
        self.nodes.push((e.id, tag, v.clone()));
        self.current.push(v);
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => {
                self.expr(e);
            }
            StmtKind::Assign(targets, v) => {
                self.expr(v);
                for t in targets {
                    self.target(t);
                }
            }
            StmtKind::AugAssign(t, _, v) => {
                self.target(t);
                self.expr(v);
            }
            StmtKind::AnnAssign(t, a, v) => {
                self.target(t);
                self.expr(a);
                if let Some(v) = v {
                    self.expr(v);
                }
            }
            StmtKind::Del(ts) => {
                for t in ts {
                    self.target(t);
                }
            }
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => {
                self.expr(c);
                for x in a.iter().chain(b.iter()) {
                    self.stmt(x);
                }
            }
            StmtKind::For(t, it, a, b) => {
                self.iter_operand(it);
                self.target(t);
                for x in a.iter().chain(b.iter()) {
                    self.stmt(x);
                }
            }
            StmtKind::FunctionDef {
                params,
                body,
                decorators,
                ..
            } => {
                for d in decorators {
                    self.expr(d);
                }
                self.defaults(params);
                self.code_body(body);
            }
            StmtKind::ClassDef {
                bases,
                body,
                decorators,
                ..
            } => {
                for d in decorators {
                    self.expr(d);
                }
                for a in bases {
                    self.arg(a);
                }
                self.code_body(body);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                for x in body.iter().chain(orelse.iter()).chain(finalbody.iter()) {
                    self.stmt(x);
                }
                for h in handlers {
                    if let Some(t) = &h.ty {
                        self.expr(t);
                    }
                    for x in &h.body {
                        self.stmt(x);
                    }
                }
            }
            StmtKind::Raise(a, b) => {
                for e in a.iter().chain(b.iter()) {
                    self.expr(e);
                }
            }
            StmtKind::Assert(a, b) => {
                self.expr(a);
                if let Some(b) = b {
                    self.expr(b);
                }
            }
            _ => {}
        }
    }

    fn defaults(&mut self, p: &Params) {
        for a in p.args.iter().chain(p.kwonly.iter()) {
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
    }

    fn arg(&mut self, a: &Arg) {
        match a {
            Arg::Pos(e) | Arg::Star(e) | Arg::Kw(_, e) | Arg::StarStar(e) => {
                self.expr(e);
            }
        }
    }

    /// Assignment targets: only their sub-expressions in load context (subscripts, attribute bases).
    fn target(&mut self, t: &Expr) {
        match &t.kind {
            ExprKind::Tuple(v) | ExprKind::List(v) => {
                for x in v {
                    self.target(x);
                }
            }
            ExprKind::Starred(x) => self.target(x),
            ExprKind::Attribute(o, _) => {
                self.expr(o);
            }
            ExprKind::Subscript(o, i) => {
                self.expr(o);
                self.expr(i);
            }
            _ => {}
        }
    }

    /// `for x in [1, 2, 3]` and `x in [1, 2, 3]`: a constant list becomes a tuple, a set a frozenset.
    fn iter_operand(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::List(items) | ExprKind::Set(items) => {
                let vals: Vec<Option<CVal>> = items.iter().map(|x| self.expr(x)).collect();
                if !items.is_empty() && vals.iter().all(|v| v.is_some()) {
                    let vals: Vec<CVal> = vals.into_iter().map(|v| v.expect("checked")).collect();
                    let v = if matches!(e.kind, ExprKind::Set(_)) {
                        CVal::FrozenSet(vals)
                    } else {
                        CVal::Tuple(vals)
                    };
                    self.record(e, TAG_ITER_CONST, v.clone());
                    self.arena_holds_fold(&v);
                }
            }
            _ => {
                self.expr(e);
            }
        }
    }

    /// Walks an expression; returns its constant value if the optimizer folds it into one.
    fn expr(&mut self, e: &Expr) -> Option<CVal> {
        let v = match &e.kind {
            ExprKind::Const(c) => {
                let v = literal(c)?;
                let k = self.key(v.clone());
                self.first_object(k, true);
                self.record(e, 0, v.clone());
                return Some(v);
            }
            ExprKind::Tuple(items) => {
                let vals: Vec<Option<CVal>> = items.iter().map(|x| self.expr(x)).collect();
                if items.iter().any(|x| matches!(x.kind, ExprKind::Starred(_)))
                    || vals.iter().any(|v| v.is_none())
                {
                    return None;
                }
                // The elements' own LOAD_CONSTs are gone: the tuple replaces them.
                self.unrecord_children(items.len());
                CVal::Tuple(vals.into_iter().map(|v| v.expect("checked")).collect())
            }
            ExprKind::List(items) | ExprKind::Set(items) => {
                let vals: Vec<Option<CVal>> = items.iter().map(|x| self.expr(x)).collect();
                let n = items.len();
                let folds = self.minor >= 9
                    && n > 2
                    && (self.minor < 14 || n <= 30)
                    && vals.iter().all(|v| v.is_some());
                if !folds {
                    return None;
                }
                self.unrecord_children(n);
                let vals: Vec<CVal> = vals.into_iter().map(|v| v.expect("checked")).collect();
                let v = if matches!(e.kind, ExprKind::Set(_)) {
                    CVal::FrozenSet(vals)
                } else {
                    CVal::Tuple(vals)
                };
                // compile.c's starunpack_helper makes this one, outside the arena.
                self.first_object(self.key(v.clone()), false);
                self.record(e, fold_tag(e).expect("list/set"), v);
                return None; // a list or set display is not itself a constant
            }
            ExprKind::UnaryOp(op, a) => {
                let x = self.expr(a)?;
                let r = fold_unary(*op, &x)?;
                self.unrecord_children(1);
                r
            }
            ExprKind::BinOp(a, op, b) => {
                let x = self.expr(a);
                let y = self.expr(b);
                let r = fold_binary(&x?, *op, &y?)?;
                self.unrecord_children(2);
                r
            }
            ExprKind::Compare(a, rest) => {
                self.expr(a);
                for (op, b) in rest {
                    if matches!(op, CmpOp::In | CmpOp::NotIn) {
                        self.iter_operand(b);
                    } else {
                        self.expr(b);
                    }
                }
                return None;
            }
            ExprKind::Name(_) => return None,
            ExprKind::Dict(items) => {
                let mut keys = Vec::new();
                for (k, v) in items {
                    keys.push(k.as_ref().and_then(|k| self.expr(k)));
                    self.expr(v);
                }
                // ≤3.13 compiler_subdict: 2..=16 constant keys go to BUILD_CONST_KEY_MAP as a tuple the
                // compiler makes (in co_consts, outside the arena), which equal tuples then share. (16 is
                // the chunk STACK_USE_GUIDELINE gives 3.10+; larger displays' key tuples are not modelled.)
                let n = keys.len();
                if self.minor <= 13 && (2..=16).contains(&n) && keys.iter().all(|k| k.is_some()) {
                    let t = CVal::Tuple(keys.into_iter().flatten().collect());
                    let k = self.key(t);
                    self.first_object(k.clone(), false);
                    self.current.push(k);
                }
                return None;
            }
            ExprKind::ListComp(x, g) | ExprKind::SetComp(x, g) | ExprKind::GeneratorExp(x, g) => {
                self.comp(&[x], g);
                return None;
            }
            ExprKind::DictComp(k, v, g) => {
                self.comp(&[k, v], g);
                return None;
            }
            ExprKind::BoolOp(_, v) => {
                for x in v {
                    self.expr(x);
                }
                return None;
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test);
                self.expr(body);
                self.expr(orelse);
                return None;
            }
            ExprKind::Call(f, args) => {
                self.expr(f);
                for a in args {
                    self.arg(a);
                }
                return None;
            }
            ExprKind::Attribute(o, _) | ExprKind::Starred(o) => {
                self.expr(o);
                return None;
            }
            ExprKind::Subscript(o, i) => {
                self.expr(o);
                self.expr(i);
                return None;
            }
            ExprKind::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(x);
                }
                return None;
            }
            ExprKind::Lambda(p, body) => {
                self.defaults(p);
                let saved_code = self.enter_code();
                let saved = std::mem::take(&mut self.current);
                self.expr(body);
                let used = std::mem::replace(&mut self.current, saved);
                self.code = saved_code;
                for v in dedup(used) {
                    *self.users.entry(v).or_insert(0) += USER;
                }
                return None;
            }
            ExprKind::FString(parts) => {
                self.fparts(parts);
                return None;
            }
            ExprKind::Yield(v) => {
                if let Some(v) = v {
                    self.expr(v);
                }
                return None;
            }
            ExprKind::YieldFrom(v) => {
                self.expr(v);
                return None;
            }
        };
        self.record(e, fold_tag(e).expect("foldable"), v.clone());
        self.arena_holds_fold(&v);
        Some(v)
    }

    /// Through 3.13 `Python/ast_opt.c` folds tuples, unary and binary operations and `in`/`for` operands,
    /// and its make_const files each result in the AST arena (`_PyArena_AddPyObject`) as the parser does a
    /// literal: one more reference until the module ends. From 3.14 that folding is the code generator's
    /// and the arena holds only what the parser made.
    fn arena_holds_fold(&mut self, v: &CVal) {
        let k = self.key(v.clone());
        self.first_object(k, self.minor <= 13);
    }

    /// The compiler meets an object for a constant value: the first one met becomes the constant.
    fn first_object(&mut self, k: CVal, arena: bool) {
        let u = self.users.entry(k).or_insert(0);
        if *u & FIRST == 0 {
            *u |= FIRST | if arena { ARENA } else { 0 };
        }
    }

    fn fparts(&mut self, parts: &[FPart]) {
        for p in parts {
            if let FPart::Expr { expr, spec, .. } = p {
                self.expr(expr);
                self.fparts(spec);
            }
        }
    }

    fn comp(&mut self, elts: &[&Expr], gens: &[Comprehension]) {
        self.iter_operand(&gens[0].iter);
        // ≤3.11 the comprehension is its own code object (inlined from 3.12, PEP 709).
        let saved_code = if self.minor <= 11 {
            Some(self.enter_code())
        } else {
            None
        };
        let saved = std::mem::take(&mut self.current);
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                self.iter_operand(&g.iter);
            }
            self.target(&g.target);
            for c in &g.ifs {
                self.expr(c);
            }
        }
        for x in elts {
            self.expr(x);
        }
        let used = std::mem::replace(&mut self.current, saved);
        if let Some(c) = saved_code {
            self.code = c;
        }
        // ≤3.11 a comprehension is its own code object; 3.12+ it is inlined into the enclosing one.
        if self.minor >= 12 {
            self.current.extend(used);
        } else {
            for v in dedup(used) {
                *self.users.entry(v).or_insert(0) += USER;
            }
        }
    }

    /// The last `n` constants recorded as loaded by the current code are folded away into their parent.
    fn unrecord_children(&mut self, n: usize) {
        // Children were recorded in order just before; drop their "loaded by this code" entries (their node
        // entries stay, harmlessly, since the evaluator never reaches them).
        for _ in 0..n.min(self.current.len()) {
            self.current.pop();
        }
    }
}

fn dedup(v: Vec<CVal>) -> Vec<CVal> {
    let mut out: Vec<CVal> = Vec::new();
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

fn literal(c: &Const) -> Option<CVal> {
    Some(match c {
        Const::None => CVal::None,
        Const::True => CVal::Bool(true),
        Const::False => CVal::Bool(false),
        Const::Ellipsis => CVal::Ellipsis,
        Const::Int(t) => CVal::Int(parse_int_literal(t)?),
        Const::Float(x) => CVal::Float(x.to_bits()),
        Const::Imag(x) => CVal::Complex(0f64.to_bits(), x.to_bits()),
        Const::Str(s) => CVal::Str(s.clone()),
        Const::Bytes(b) => CVal::Bytes(b.clone()),
    })
}

fn as_big(v: &CVal) -> Option<BigInt> {
    match v {
        CVal::Int(i) => Some(i.to_big()),
        CVal::Bool(b) => Some(BigInt::from(*b as i64)),
        _ => None,
    }
}

fn as_f64(v: &CVal) -> Option<f64> {
    match v {
        CVal::Float(b) => Some(f64::from_bits(*b)),
        _ => as_big(v)?.to_f64(),
    }
}

fn fold_unary(op: UnaryOp, x: &CVal) -> Option<CVal> {
    match (op, x) {
        (UnaryOp::Neg, CVal::Float(b)) => Some(CVal::Float((-f64::from_bits(*b)).to_bits())),
        (UnaryOp::Pos, CVal::Float(_)) => Some(x.clone()),
        (UnaryOp::Neg, CVal::Complex(a, b)) => Some(CVal::Complex(
            (-f64::from_bits(*a)).to_bits(),
            (-f64::from_bits(*b)).to_bits(),
        )),
        (UnaryOp::Neg, _) => Some(CVal::Int(Int::from_big(-as_big(x)?))),
        (UnaryOp::Pos, _) => Some(CVal::Int(Int::from_big(as_big(x)?))),
        (UnaryOp::Invert, _) => Some(CVal::Int(Int::from_big(-as_big(x)? - 1))),
        (UnaryOp::Not, _) => None,
    }
}

/// `ast_opt.c` limits: results must stay small (MAX_INT_SIZE 128 bits, MAX_COLLECTION_SIZE 256,
/// MAX_STR_SIZE 4096, MAX_TOTAL_ITEMS 1024).
fn fold_binary(x: &CVal, op: BinOp, y: &CVal) -> Option<CVal> {
    use BinOp::*;
    if let (Some(a), Some(b)) = (as_big(x), as_big(y)) {
        let r = match op {
            Add => a + b,
            Sub => a - b,
            Mul => {
                if a.bits() + b.bits() > 128 {
                    return None;
                }
                a * b
            }
            FloorDiv | Mod => {
                if b.is_zero() {
                    return None;
                }
                let (q, r) = a.div_mod_floor(&b);
                if op == FloorDiv {
                    q
                } else {
                    r
                }
            }
            Pow => {
                let e = b.to_u64()?;
                // safe_power: vbits * wbits at most 128 (saturating: e may be huge).
                if a.bits().saturating_mul(e) > 128 {
                    return None;
                }
                a.pow(e)
            }
            LShift => {
                let s = b.to_u64()?;
                if a.bits().saturating_add(s) > 128 {
                    return None;
                }
                a << s
            }
            RShift => a >> b.to_u64()?,
            BitAnd => a & b,
            BitOr => a | b,
            BitXor => a ^ b,
            Div => {
                let (fa, fb) = (a.to_f64()?, b.to_f64()?);
                if fb == 0.0 {
                    return None;
                }
                return Some(CVal::Float((fa / fb).to_bits()));
            }
            MatMul => return None,
        };
        return Some(CVal::Int(Int::from_big(r)));
    }
    if let (CVal::Float(_), _) | (_, CVal::Float(_)) = (x, y) {
        let (a, b) = (as_f64(x)?, as_f64(y)?);
        let r = match op {
            Add => a + b,
            Sub => a - b,
            Mul => a * b,
            Div if b != 0.0 => a / b,
            _ => return None,
        };
        return Some(CVal::Float(r.to_bits()));
    }
    match (x, op, y) {
        (CVal::Str(a), Add, CVal::Str(b)) if a.chars().count() + b.chars().count() <= 4096 => {
            Some(CVal::Str(format!("{a}{b}")))
        }
        (CVal::Str(a), Mul, CVal::Int(Int::Small(n)))
        | (CVal::Int(Int::Small(n)), Mul, CVal::Str(a))
            if *n >= 0 && (a.chars().count() as i64).saturating_mul(*n) <= 4096 =>
        {
            Some(CVal::Str(a.repeat(*n as usize)))
        }
        (CVal::Bytes(a), Add, CVal::Bytes(b)) if a.len() + b.len() <= 4096 => {
            Some(CVal::Bytes([a.as_slice(), b.as_slice()].concat()))
        }
        // safe_multiply: bytes as str, either operand order.
        (CVal::Bytes(a), Mul, CVal::Int(Int::Small(n)))
        | (CVal::Int(Int::Small(n)), Mul, CVal::Bytes(a))
            if *n >= 0 && (a.len() as i64).saturating_mul(*n) <= 4096 =>
        {
            Some(CVal::Bytes(a.repeat(*n as usize)))
        }
        (CVal::Tuple(a), Add, CVal::Tuple(b)) if a.len() + b.len() <= 256 => {
            Some(CVal::Tuple([a.as_slice(), b.as_slice()].concat()))
        }
        (CVal::Tuple(a), Mul, CVal::Int(Int::Small(n)))
        | (CVal::Int(Int::Small(n)), Mul, CVal::Tuple(a))
            if *n >= 0 && (a.len() as i64).saturating_mul(*n) <= 256 =>
        {
            // An empty tuple folds to () however large n is (`safe_multiply` skips the size check).
            let n = if a.is_empty() { 0 } else { *n };
            Some(CVal::Tuple(
                (0..n).flat_map(|_| a.iter().cloned()).collect(),
            ))
        }
        _ => None,
    }
}
