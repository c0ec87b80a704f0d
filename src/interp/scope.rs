//! scope: the symbol-table pass (`Python/symtable.c`): which names of each function are fast locals, cells
//! (captured by an inner function), free variables (captured from an outer one) or globals. Each function,
//! lambda, comprehension and class body becomes a [`Code`] in a table, found again by the position of its
//! AST node.

use super::ast::*;
use super::lexer::error;
use crate::util::{FxHashMap, FxHashSet};
use std::sync::Arc as Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    Module,
    Function,
    Lambda,
    /// A list/set/dict comprehension or generator expression: its own scope in every version (inlined into
    /// the enclosing frame from 3.12, PEP 709, but its loop variables stay private).
    Comprehension,
    Class,
}

/// How a name is reached inside a code object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Fast local slot `i` (`LOAD_FAST`).
    Fast(usize),
    /// Cell or free variable `i` of the frame's cell array (`LOAD_DEREF`).
    Deref(usize),
    /// Module globals, then builtins (`LOAD_GLOBAL`).
    Global,
    /// Module or class body: the namespace dict, then globals, then builtins (`LOAD_NAME`).
    Name,
}

fn encode(a: Access) -> u32 {
    match a {
        Access::Fast(i) => (i as u32) << 2,
        Access::Deref(i) => (i as u32) << 2 | 1,
        Access::Global => 2,
        Access::Name => 3,
    }
}

fn decode(x: u32) -> Access {
    match x & 3 {
        0 => Access::Fast((x >> 2) as usize),
        1 => Access::Deref((x >> 2) as usize),
        2 => Access::Global,
        _ => Access::Name,
    }
}

#[derive(Clone, Debug)]
pub struct Code {
    pub kind: CodeKind,
    pub name: String,
    pub qualname: String,
    pub params: Rc<Params>,
    pub body: Rc<Vec<Stmt>>,
    /// Fast locals: parameters first, then other locals.
    pub varnames: Vec<String>,
    /// Locals captured by inner scopes, then free variables from outer scopes: the frame's cell array.
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub is_generator: bool,
    pub pos: Pos,
    /// A lambda's expression: its whole body, returned.
    pub lambda: Option<Rc<Expr>>,
    /// A class body's `__static_attributes__` names as found (3.13+; sorted and deduplicated at use).
    pub static_attributes: Vec<String>,
    /// name → encoded `Access` (see `encode`): a `String → u32` map, the same instantiation as the
    /// interpreter's name tables, which keeps the wasm small.
    access: FxHashMap<String, u32>,
}

impl Code {
    pub fn access(&self, name: &str) -> Access {
        match self.access.get(name) {
            Some(a) => decode(*a),
            None if matches!(self.kind, CodeKind::Module | CodeKind::Class) => Access::Name,
            None => Access::Global,
        }
    }

    pub fn ncells(&self) -> usize {
        self.cellvars.len() + self.freevars.len()
    }
}

/// Tags distinguishing code-bearing nodes that can share a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeTag {
    Def,
    Class,
    Lambda,
    Comp,
}

#[derive(Default)]
pub struct CodeTable {
    /// Shared (`Arc`): a call takes its code without copying it.
    pub codes: Vec<Rc<Code>>,
    /// Expression node ids in use, the parser's and those of synthesized nodes: `0..nodes`.
    pub nodes: u32,
}

impl CodeTable {
    /// The code of the def, class, lambda or comprehension node at `pos` (codes are few, so a scan; the
    /// last made wins, as it did when this was a map).
    pub fn lookup(&self, pos: Pos, tag: NodeTag) -> u32 {
        let kind = match tag {
            NodeTag::Def => CodeKind::Function,
            NodeTag::Class => CodeKind::Class,
            NodeTag::Lambda => CodeKind::Lambda,
            NodeTag::Comp => CodeKind::Comprehension,
        };
        self.codes
            .iter()
            .rposition(|c| c.pos == pos && c.kind == kind)
            .expect("every def, class, lambda and comprehension has a code") as u32
    }
}

/// Names a scope binds, declares and uses, before resolution.
#[derive(Default, Debug)]
struct Info {
    bound: Vec<String>,
    bound_set: FxHashSet<String>,
    globals: FxHashSet<String>,
    nonlocals: FxHashSet<String>,
    used: FxHashSet<String>,
    is_generator: bool,
    children: Vec<usize>,
}

struct Builder {
    table: CodeTable,
    infos: Vec<Info>,
    parents: Vec<Option<usize>>,
    /// The first compile-time error found (CPython's symtable pass reports these before anything runs).
    error: Option<ParseError>,
}

impl Info {
    fn bind(&mut self, n: &str) {
        if self.bound_set.insert(n.to_string()) {
            self.bound.push(n.to_string());
        }
    }
}

/// Builds the code table for a module: code 0 is the module itself.
/// The statements a generator expression runs: `for t in .0: if c: ... yield elt`.
/// Its two new nodes (the `yield` and the name `.0`) take ids from `next_id`, past the parser's.
fn genexp_body(elt: &Expr, gens: &[Comprehension], next_id: &mut u32) -> Vec<Stmt> {
    let mut fresh = || {
        *next_id += 1;
        *next_id - 1
    };
    let mut inner = Stmt {
        pos: elt.pos,
        kind: StmtKind::Expr(Expr {
            pos: elt.pos,
            id: fresh(),
            kind: ExprKind::Yield(Some(Box::new(elt.clone()))),
        }),
    };
    for (i, g) in gens.iter().enumerate().rev() {
        let mut body = vec![inner];
        for cond in g.ifs.iter().rev() {
            body = vec![Stmt {
                pos: cond.pos,
                kind: StmtKind::If(cond.clone(), body, Vec::new()),
            }];
        }
        let iter = if i == 0 {
            Expr {
                pos: g.iter.pos,
                id: fresh(),
                kind: ExprKind::Name(".0".into()),
            }
        } else {
            g.iter.clone()
        };
        inner = Stmt {
            pos: g.target.pos,
            kind: StmtKind::For(g.target.clone(), iter, body, Vec::new()),
        };
    }
    vec![inner]
}

pub fn analyze(module: &Module) -> Result<CodeTable, ParseError> {
    let mut b = Builder {
        table: CodeTable {
            nodes: module.nodes,
            ..CodeTable::default()
        },
        infos: Vec::new(),
        parents: Vec::new(),
        error: None,
    };
    let root = b.new_code(
        CodeKind::Module,
        "<module>".into(),
        "<module>".into(),
        Rc::new(Params::default()),
        module.body.clone(),
        Pos { line: 1, col: 1 },
        None,
    );
    b.scan_block(root, &module.body);
    if let Some(e) = b.error {
        return Err(e);
    }
    b.resolve(root, &FxHashSet::default());
    Ok(b.table)
}

impl Builder {
    /// A code being built (not yet shared).
    fn code_mut(&mut self, c: usize) -> &mut Code {
        Rc::get_mut(&mut self.table.codes[c]).expect("codes are shared only once built")
    }

    #[allow(clippy::too_many_arguments)]
    fn new_code(
        &mut self,
        kind: CodeKind,
        name: String,
        qualname: String,
        params: Rc<Params>,
        body: Rc<Vec<Stmt>>,
        pos: Pos,
        parent: Option<usize>,
    ) -> usize {
        let id = self.table.codes.len();
        let mut info = Info::default();
        for p in params.args.iter().chain(params.kwonly.iter()) {
            info.bind(&p.name);
        }
        for n in params.vararg.iter().chain(params.kwarg.iter()) {
            info.bind(n);
        }
        self.table.codes.push(Rc::new(Code {
            kind,
            name,
            qualname,
            params,
            body,
            varnames: Vec::new(),
            cellvars: Vec::new(),
            freevars: Vec::new(),
            is_generator: false,
            pos,
            lambda: None,
            static_attributes: Vec::new(),
            access: FxHashMap::default(),
        }));
        self.infos.push(info);
        self.parents.push(parent);
        if let Some(p) = parent {
            self.infos[p].children.push(id);
        }
        id
    }

    fn qual(&self, parent: usize, name: &str) -> String {
        let c = &self.table.codes[parent];
        match c.kind {
            CodeKind::Module => name.to_string(),
            CodeKind::Class => format!("{}.{}", c.qualname, name),
            _ => format!("{}.<locals>.{}", c.qualname, name),
        }
    }

    fn scan_block(&mut self, s: usize, body: &[Stmt]) {
        for st in body {
            self.scan_stmt(s, st);
        }
    }

    /// `store`: the target is compiled in Store context (assignment, annotated assignment with a value,
    /// `for` and comprehension targets), not through augmented assignment or `del`.
    fn bind_target(&mut self, s: usize, t: &Expr, store: bool) {
        match &t.kind {
            ExprKind::Name(n) => self.infos[s].bind(n),
            ExprKind::Tuple(v) | ExprKind::List(v) => {
                for e in v {
                    self.bind_target(s, e, store);
                }
            }
            ExprKind::Starred(e) => self.bind_target(s, e, store),
            _ => {
                // 3.13+ `__static_attributes__` (gh-115775, compiler_maybe_add_static_attribute_to_class): a
                // store to `self.NAME` (the name `self`, whatever the first parameter is called) adds NAME to
                // the innermost class among the *enclosing* code units, so a method's stores reach its class.
                if let (true, ExprKind::Attribute(v, attr)) = (store, &t.kind) {
                    if matches!(&v.kind, ExprKind::Name(n) if n == "self") {
                        let mut up = self.parents[s];
                        while let Some(p) = up {
                            if self.table.codes[p].kind == CodeKind::Class {
                                self.code_mut(p).static_attributes.push(attr.clone());
                                break;
                            }
                            up = self.parents[p];
                        }
                    }
                }
                self.scan_expr(s, t)
            }
        }
    }

    fn scan_stmt(&mut self, s: usize, st: &Stmt) {
        match &st.kind {
            StmtKind::Expr(e) => self.scan_value(s, e),
            StmtKind::Assign(targets, v) => {
                self.scan_value(s, v);
                for t in targets {
                    self.bind_target(s, t, true);
                }
            }
            StmtKind::AugAssign(t, _, v) => {
                self.scan_expr(s, v);
                if let ExprKind::Name(n) = &t.kind {
                    self.infos[s].used.insert(n.clone());
                }
                self.bind_target(s, t, false);
            }
            StmtKind::AnnAssign(t, ann, v) => {
                if let Some(v) = v {
                    self.scan_value(s, v);
                    self.bind_target(s, t, true);
                }
                self.scan_expr(s, ann);
            }
            StmtKind::Del(ts) => {
                for t in ts {
                    self.bind_target(s, t, false);
                }
            }
            StmtKind::Return(Some(e)) => self.scan_expr(s, e),
            StmtKind::If(c, a, b) | StmtKind::While(c, a, b) => {
                self.scan_expr(s, c);
                self.scan_block(s, a);
                self.scan_block(s, b);
            }
            StmtKind::For(t, it, a, b) => {
                self.scan_expr(s, it);
                self.bind_target(s, t, true);
                self.scan_block(s, a);
                self.scan_block(s, b);
            }
            StmtKind::FunctionDef {
                name,
                params,
                body,
                decorators,
            } => {
                for d in decorators {
                    self.scan_expr(s, d);
                }
                self.scan_defaults(s, params);
                self.infos[s].bind(name);
                let q = self.qual(s, name);
                let c = self.new_code(
                    CodeKind::Function,
                    name.clone(),
                    q,
                    params.clone(),
                    body.clone(),
                    st.pos,
                    Some(s),
                );
                self.scan_block(c, body);
            }
            StmtKind::ClassDef {
                name,
                bases,
                body,
                decorators,
            } => {
                for d in decorators {
                    self.scan_expr(s, d);
                }
                for a in bases {
                    self.scan_arg(s, a);
                }
                self.infos[s].bind(name);
                let q = self.qual(s, name);
                let c = self.new_code(
                    CodeKind::Class,
                    name.clone(),
                    q,
                    Rc::new(Params::default()),
                    body.clone(),
                    st.pos,
                    Some(s),
                );
                self.scan_block(c, body);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.scan_block(s, body);
                for h in handlers {
                    if let Some(t) = &h.ty {
                        self.scan_expr(s, t);
                    }
                    if let Some(n) = &h.name {
                        self.infos[s].bind(n);
                    }
                    self.scan_block(s, &h.body);
                }
                self.scan_block(s, orelse);
                self.scan_block(s, finalbody);
            }
            StmtKind::Raise(a, b) => {
                for e in a.iter().chain(b.iter()) {
                    self.scan_expr(s, e);
                }
            }
            StmtKind::Global(ns) => {
                for n in ns {
                    self.infos[s].globals.insert(n.clone());
                }
            }
            StmtKind::Nonlocal(ns) => {
                for n in ns {
                    self.infos[s].nonlocals.insert(n.clone());
                }
            }
            StmtKind::Import(items) => {
                for (m, alias) in items {
                    let n = alias
                        .clone()
                        .unwrap_or_else(|| m.split('.').next().unwrap_or(m).to_string());
                    self.infos[s].bind(&n);
                }
            }
            StmtKind::ImportFrom(_, items) => {
                for (m, alias) in items {
                    self.infos[s].bind(alias.as_ref().unwrap_or(m));
                }
            }
            StmtKind::Assert(a, b) => {
                self.scan_expr(s, a);
                if let Some(b) = b {
                    self.scan_expr(s, b);
                }
            }
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue | StmtKind::Return(None) => {}
        }
    }

    fn scan_defaults(&mut self, s: usize, p: &Params) {
        for a in p.args.iter().chain(p.kwonly.iter()) {
            if let Some(d) = &a.default {
                self.scan_expr(s, d);
            }
        }
    }

    fn scan_arg(&mut self, s: usize, a: &Arg) {
        match a {
            Arg::Pos(e) | Arg::Star(e) | Arg::Kw(_, e) | Arg::StarStar(e) => self.scan_expr(s, e),
        }
    }

    fn scan_comp(&mut self, s: usize, e: &Expr, elts: &[&Expr], gens: &[Comprehension]) {
        // The first iterable is evaluated in the enclosing scope; the rest inside the comprehension.
        self.scan_expr(s, &gens[0].iter);
        let name = match e.kind {
            ExprKind::SetComp(..) => "<setcomp>",
            ExprKind::DictComp(..) => "<dictcomp>",
            ExprKind::GeneratorExp(..) => "<genexpr>",
            _ => "<listcomp>",
        };
        let q = self.qual(s, name);
        // A generator expression's code is the loop nest it compiles to (`Python/compile.c`,
        // compiler_comprehension_generator): for over `.0`, the other fors, the ifs, then `yield elt`. It
        // runs lazily like any generator body.
        let body = match &e.kind {
            ExprKind::GeneratorExp(elt, _) => genexp_body(elt, gens, &mut self.table.nodes),
            _ => Vec::new(),
        };
        let c = self.new_code(
            CodeKind::Comprehension,
            name.into(),
            q,
            Rc::new(Params::default()),
            Rc::new(body),
            e.pos,
            Some(s),
        );
        self.infos[c].bind(".0");
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                self.scan_expr(c, &g.iter);
            }
            self.bind_target(c, &g.target, true);
            for cond in &g.ifs {
                self.scan_expr(c, cond);
            }
        }
        for x in elts {
            self.scan_expr(c, x);
        }
        if matches!(e.kind, ExprKind::GeneratorExp(..)) {
            self.infos[c].is_generator = true;
        }
    }

    fn scan_expr(&mut self, s: usize, e: &Expr) {
        match &e.kind {
            ExprKind::Const(_) => {}
            ExprKind::Name(n) => {
                self.infos[s].used.insert(n.clone());
            }
            ExprKind::List(v) | ExprKind::Tuple(v) | ExprKind::Set(v) | ExprKind::BoolOp(_, v) => {
                for x in v {
                    self.scan_expr(s, x);
                }
            }
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.scan_expr(s, k);
                    }
                    self.scan_expr(s, v);
                }
            }
            ExprKind::ListComp(x, g) | ExprKind::SetComp(x, g) | ExprKind::GeneratorExp(x, g) => {
                self.scan_comp(s, e, &[x], g)
            }
            ExprKind::DictComp(k, v, g) => self.scan_comp(s, e, &[k, v], g),
            ExprKind::BinOp(a, _, b) => {
                self.scan_expr(s, a);
                self.scan_expr(s, b);
            }
            ExprKind::UnaryOp(_, a) | ExprKind::Starred(a) | ExprKind::Attribute(a, _) => {
                self.scan_expr(s, a)
            }
            ExprKind::Compare(a, rest) => {
                self.scan_expr(s, a);
                for (_, b) in rest {
                    self.scan_expr(s, b);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.scan_expr(s, test);
                self.scan_expr(s, body);
                self.scan_expr(s, orelse);
            }
            ExprKind::Call(f, args) => {
                self.scan_expr(s, f);
                for a in args {
                    self.scan_arg(s, a);
                }
            }
            ExprKind::Subscript(a, b) => {
                self.scan_expr(s, a);
                self.scan_expr(s, b);
            }
            ExprKind::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.scan_expr(s, x);
                }
            }
            ExprKind::Lambda(params, body) => {
                self.scan_defaults(s, params);
                let q = self.qual(s, "<lambda>");
                let c = self.new_code(
                    CodeKind::Lambda,
                    "<lambda>".into(),
                    q,
                    params.clone(),
                    Rc::new(Vec::new()),
                    e.pos,
                    Some(s),
                );
                self.code_mut(c).lambda = Some(body.clone());
                self.scan_expr(c, body);
            }
            ExprKind::FString(parts) => self.scan_fparts(s, parts),
            ExprKind::Yield(_) | ExprKind::YieldFrom(_) => {
                self.yield_point(s, e);
                let what = match self.table.codes[s].kind {
                    CodeKind::Comprehension => return,
                    CodeKind::Module | CodeKind::Class => return,
                    _ => "'yield' inside an expression (only `yield x`, `v = yield x` and `yield from it` as whole statements)",
                };
                self.fail(
                    e.pos,
                    "NotImplementedError",
                    format!("not supported by the simulator: {what}"),
                );
            }
        }
    }

    /// The value of an expression statement or assignment: the one place a generator may suspend, because
    /// nothing else of the statement has been evaluated yet when it does (see `eval::Resume`).
    fn scan_value(&mut self, s: usize, e: &Expr) {
        match &e.kind {
            ExprKind::Yield(_) | ExprKind::YieldFrom(_) => self.yield_point(s, e),
            _ => self.scan_expr(s, e),
        }
    }

    /// A `yield` makes its function a generator; outside a function it is CPython's compile-time error.
    fn yield_point(&mut self, s: usize, e: &Expr) {
        let kw = if matches!(e.kind, ExprKind::YieldFrom(_)) {
            "yield from"
        } else {
            "yield"
        };
        match self.table.codes[s].kind {
            CodeKind::Module | CodeKind::Class => {
                self.fail(e.pos, "SyntaxError", format!("'{kw}' outside function"));
            }
            CodeKind::Comprehension => {
                let what = match self.table.codes[s].name.as_str() {
                    "<setcomp>" => "set comprehension",
                    "<dictcomp>" => "dict comprehension",
                    "<genexpr>" => "generator expression",
                    _ => "list comprehension",
                };
                self.fail(e.pos, "SyntaxError", format!("'{kw}' inside {what}"));
            }
            _ => self.infos[s].is_generator = true,
        }
        match &e.kind {
            ExprKind::Yield(Some(v)) | ExprKind::YieldFrom(v) => self.scan_expr(s, v),
            _ => {}
        }
    }

    fn fail(&mut self, pos: Pos, kind: &'static str, msg: String) {
        if self.error.is_none() {
            self.error = Some(error(kind, msg, pos.line, pos.col));
        }
    }

    fn scan_fparts(&mut self, s: usize, parts: &[FPart]) {
        for p in parts {
            if let FPart::Expr { expr, spec, .. } = p {
                self.scan_expr(s, expr);
                self.scan_fparts(s, spec);
            }
        }
    }

    /// Assigns fast slots and cells. `enclosing`: names that are function locals in enclosing function scopes.
    fn resolve(&mut self, c: usize, enclosing: &FxHashSet<String>) {
        let kind = self.table.codes[c].kind;
        let function_like = matches!(
            kind,
            CodeKind::Function | CodeKind::Lambda | CodeKind::Comprehension
        );
        let info = &self.infos[c];
        let locals: Vec<String> = if function_like {
            info.bound
                .iter()
                .filter(|n| !info.globals.contains(*n) && !info.nonlocals.contains(*n))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        // Names visible to children as enclosing function locals.
        let mut inner_env = enclosing.clone();
        if function_like {
            for n in &locals {
                inner_env.insert(n.clone());
            }
        }
        let children = info.children.clone();
        for ch in &children {
            self.resolve(*ch, &inner_env);
        }
        // Free variables of children that this scope provides become cells here; those it does not provide
        // pass through as free variables of this scope.
        let info = &self.infos[c];
        let mut free: Vec<String> = Vec::new();
        let mut cells: Vec<String> = Vec::new();
        let local_set = &locals;
        let mut want: Vec<String> = Vec::new();
        for ch in &children {
            for n in &self.table.codes[*ch].freevars {
                if !want.contains(n) {
                    want.push(n.clone());
                }
            }
        }
        for n in want {
            if local_set.contains(&n) {
                cells.push(n);
            } else if !free.contains(&n) {
                free.push(n);
            }
        }
        // This scope's own uses of names bound in an enclosing function.
        let mut own: Vec<String> = info
            .used
            .iter()
            .chain(info.nonlocals.iter())
            .filter(|n| {
                !local_set.contains(n)
                    && !info.globals.contains(*n)
                    && enclosing.contains(*n)
                    && (function_like || kind == CodeKind::Class)
                    && !(kind == CodeKind::Class && info.bound_set.contains(*n))
            })
            .cloned()
            .collect();
        crate::util::sort(&mut own);
        for n in own {
            if !free.contains(&n) {
                free.push(n);
            }
        }
        let is_gen = info.is_generator;
        let globals = info.globals.clone();
        let code = self.code_mut(c);
        code.is_generator = is_gen;
        for n in &globals {
            code.access.insert(n.clone(), encode(Access::Global));
        }
        for (i, n) in cells.iter().chain(free.iter()).enumerate() {
            code.access.insert(n.clone(), encode(Access::Deref(i)));
        }
        if function_like {
            for (i, n) in locals.iter().enumerate() {
                code.access
                    .entry(n.clone())
                    .or_insert(encode(Access::Fast(i)));
            }
            code.varnames = locals;
        }
        code.cellvars = cells;
        code.freevars = free;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str) -> Result<CodeTable, (String, String, u32, u32)> {
        let m = super::super::parser::parse(src).expect("parses");
        analyze(&m).map_err(|e| (e.kind.to_string(), e.message, e.line, e.col))
    }

    #[test]
    fn yield_placement() {
        assert!(check("def f():\n    yield 1\n    x = yield\n    y = yield from g()\n").is_ok());
        let err = |src: &str| check(src).err().expect("an error");
        assert_eq!(
            err("yield 1\n"),
            (
                "SyntaxError".into(),
                "'yield' outside function".into(),
                1,
                1
            )
        );
        assert_eq!(
            err("class C:\n    x = yield from y\n").1,
            "'yield from' outside function"
        );
        assert_eq!(
            err("def f():\n    return [(yield) for x in y]\n"),
            (
                "SyntaxError".into(),
                "'yield' inside list comprehension".into(),
                2,
                14
            )
        );
        let (kind, msg, line, col) = err("def f():\n    print((yield 1))\n");
        assert_eq!((kind.as_str(), line, col), ("NotImplementedError", 2, 12));
        assert!(msg.starts_with("not supported by the simulator: 'yield' inside an expression"));
    }

    #[test]
    fn generator_expression_body_is_its_loop_nest() {
        let t = check("g = (a * b for a in x if a for b in y)\n").expect("ok");
        let code = t
            .codes
            .iter()
            .find(|c| c.name == "<genexpr>")
            .expect("genexpr code");
        assert!(code.is_generator);
        let StmtKind::For(_, iter, body, _) = &code.body[0].kind else {
            panic!("for")
        };
        assert_eq!(iter.kind, ExprKind::Name(".0".into()));
        let StmtKind::If(_, inner, _) = &body[0].kind else {
            panic!("if")
        };
        let StmtKind::For(_, _, inner, _) = &inner[0].kind else {
            panic!("inner for")
        };
        assert!(matches!(
            &inner[0].kind,
            StmtKind::Expr(Expr {
                kind: ExprKind::Yield(Some(_)),
                ..
            })
        ));
    }
}
