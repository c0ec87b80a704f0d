//! ast: the syntax tree of the supported Python subset, as the parser produces it and the evaluator walks
//! it. Every node carries its 1-based line and column so errors and trace steps point at the source.

use std::sync::Arc;

/// Position of a node: 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub pos: Pos,
    /// Dense per module (see `Module::nodes`): the index of the node's entries in the interpreter's
    /// per-node caches. A copy of a node (a generator expression's synthesized body) keeps its id.
    pub id: u32,
    pub kind: ExprKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    None,
    True,
    False,
    Ellipsis,
    /// An integer literal as written with `_` removed, base prefix kept lower-case (`123`, `0x1f`, `0o17`,
    /// `0b101`); the interpreter chooses the representation.
    Int(String),
    Float(f64),
    /// The imaginary part of a literal such as `2j`.
    Imag(f64),
    Str(String),
    Bytes(Vec<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    MatMul,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Pos,
    Not,
    Invert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

/// One `for ... in ... if ...` clause of a comprehension.
#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

/// A call argument: positional, `*iterable`, `name=value` or `**mapping`.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Pos(Expr),
    Star(Expr),
    Kw(String, Expr),
    StarStar(Expr),
}

/// A piece of an f-string: literal text, or `{expr!conv:spec}` (spec itself may hold pieces).
#[derive(Clone, Debug, PartialEq)]
pub enum FPart {
    Lit(String),
    Expr {
        expr: Box<Expr>,
        /// `!r`, `!s` or `!a`.
        conversion: Option<char>,
        spec: Vec<FPart>,
        /// The `=` debugging form: the source text of the expression, printed before the value.
        debug_text: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Const(Const),
    Name(String),
    /// A display `[a, *b]`; elements may be `Starred`.
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    /// `{k: v, **m}`: a `None` key means `**value`.
    Dict(Vec<(Option<Expr>, Expr)>),
    ListComp(Box<Expr>, Vec<Comprehension>),
    SetComp(Box<Expr>, Vec<Comprehension>),
    DictComp(Box<Expr>, Box<Expr>, Vec<Comprehension>),
    GeneratorExp(Box<Expr>, Vec<Comprehension>),
    BinOp(Box<Expr>, BinOp, Box<Expr>),
    UnaryOp(UnaryOp, Box<Expr>),
    BoolOp(BoolOp, Vec<Expr>),
    /// `a < b < c`: the left operand and each (op, right) pair.
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    /// `body if test else orelse`.
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Call(Box<Expr>, Vec<Arg>),
    Attribute(Box<Expr>, String),
    Subscript(Box<Expr>, Box<Expr>),
    /// `lower:upper:step` inside a subscript.
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    Starred(Box<Expr>),
    Lambda(Arc<Params>, Arc<Expr>),
    FString(Vec<FPart>),
    /// `x := value` is not in the subset; the parser reports it as unsupported.
    Yield(Option<Box<Expr>>),
    /// `yield from it`: delegates to a sub-iterator (PEP 380).
    YieldFrom(Box<Expr>),
}

/// A function's parameters: positional-or-keyword names with optional defaults, then `*args`, keyword-only
/// names, `**kwargs`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Params {
    pub args: Vec<Param>,
    pub vararg: Option<String>,
    pub kwonly: Vec<Param>,
    pub kwarg: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub default: Option<Expr>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub pos: Pos,
    pub kind: StmtKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExceptHandler {
    pub pos: Pos,
    /// The exception type expression (`None` for a bare `except:`).
    pub ty: Option<Expr>,
    pub name: Option<String>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Expr(Expr),
    /// `a = b = value`: every target, left to right, then the value.
    Assign(Vec<Expr>, Expr),
    AugAssign(Expr, BinOp, Expr),
    /// `x: int = 1`; the annotation is kept only to be evaluated/ignored as CPython does at module level.
    AnnAssign(Expr, Expr, Option<Expr>),
    Del(Vec<Expr>),
    Pass,
    Break,
    Continue,
    Return(Option<Expr>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    For(Expr, Expr, Vec<Stmt>, Vec<Stmt>),
    /// Bodies and parameters are shared (`Arc`) with the code objects made from them, so that the symbol
    /// table never deep-copies the tree.
    FunctionDef {
        name: String,
        params: Arc<Params>,
        body: Arc<Vec<Stmt>>,
        decorators: Vec<Expr>,
    },
    ClassDef {
        name: String,
        bases: Vec<Arg>,
        body: Arc<Vec<Stmt>>,
        decorators: Vec<Expr>,
    },
    Try {
        body: Vec<Stmt>,
        handlers: Vec<ExceptHandler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise(Option<Expr>, Option<Expr>),
    Global(Vec<String>),
    Nonlocal(Vec<String>),
    /// `import a, b as c`: (module, alias).
    Import(Vec<(String, Option<String>)>),
    /// `from m import a, b as c`.
    ImportFrom(String, Vec<(String, Option<String>)>),
    Assert(Expr, Option<Expr>),
}

/// A parsed module.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Module {
    pub body: Arc<Vec<Stmt>>,
    /// Expression node ids in use: `0..nodes`.
    pub nodes: u32,
}

/// A parse failure, reported as CPython reports it: the exception type (`SyntaxError`, `IndentationError`,
/// or the simulator's `NotImplementedError` for constructs outside the subset), message, line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub kind: &'static str,
    pub message: String,
    pub line: u32,
    pub col: u32,
}
