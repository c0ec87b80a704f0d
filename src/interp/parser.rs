//! parser: a recursive-descent parser for the supported Python subset, from [`super::lexer`] tokens to
//! [`super::ast`]. It follows CPython 3.12's grammar for what it accepts and CPython's wording, kind and
//! position for the errors people commonly hit; constructs outside the subset are reported as the
//! simulator's `NotImplementedError`. Nesting is capped, so no input can overflow the stack.

use super::ast::*;
use super::lexer::{self, error, LexError, Lexed, StrLit, Tok, Token};

/// Boxed so that results stay small on the deep recursion of nested expressions.
type PResult<T> = Result<T, Box<ParseError>>;

/// Deepest nesting of expressions, blocks and operator chains. The lexer caps brackets at 200 first; this
/// bounds what brackets do not (unary chains, `elif` chains, `a.b.c...`) so evaluation cannot overflow either.
const MAX_DEPTH: u32 = 300;

const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Parses a module.
pub fn parse(src: &str) -> Result<Module, ParseError> {
    let mut p = Parser::new(lexer::tokenize(src), 0);
    let mut body = Vec::new();
    while !matches!(p.tok().tok, Tok::End) {
        if let Err(e) = p.statement(&mut body) {
            return Err(p.prefer_lex_error(*e));
        }
    }
    Ok(Module {
        body: std::sync::Arc::new(body),
        nodes: p.next_id,
    })
}

struct Parser {
    toks: Vec<Token>,
    i: usize,
    lex_err: Option<LexError>,
    depth: u32,
    /// The id the next expression node gets: ids number every node of a module densely from 0
    /// (f-string sub-parsers continue the count), so the interpreter keeps per-node state in vectors.
    next_id: u32,
}

fn stmt(pos: Pos, kind: StmtKind) -> Stmt {
    Stmt { pos, kind }
}

/// CPython's `_PyPegen_get_expr_name`, for "cannot assign to ..." messages.
fn expr_name(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Attribute(..) => "attribute",
        ExprKind::Subscript(..) => "subscript",
        ExprKind::Starred(_) => "starred",
        ExprKind::Name(_) => "name",
        ExprKind::List(_) => "list",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::Lambda(..) => "lambda",
        ExprKind::Call(..) => "function call",
        ExprKind::BoolOp(..) | ExprKind::BinOp(..) | ExprKind::UnaryOp(..) => "expression",
        ExprKind::GeneratorExp(..) => "generator expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::ListComp(..) => "list comprehension",
        ExprKind::SetComp(..) => "set comprehension",
        ExprKind::DictComp(..) => "dict comprehension",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Const(Const::None) => "None",
        ExprKind::Const(Const::True) => "True",
        ExprKind::Const(Const::False) => "False",
        ExprKind::Const(Const::Ellipsis) => "ellipsis",
        ExprKind::Const(_) => "literal",
        ExprKind::Compare(..) => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::Slice(..) => "slice",
    }
}

/// The first node that cannot be assigned to (or deleted), if any.
fn invalid_target(e: &Expr, del: bool) -> Option<&Expr> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..) => None,
        ExprKind::Tuple(v) | ExprKind::List(v) => v.iter().find_map(|x| invalid_target(x, del)),
        ExprKind::Starred(inner) if !del => invalid_target(inner, del),
        _ => Some(e),
    }
}

/// A tuple written without parentheses starts where its first element does.
fn is_bare_tuple(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Tuple(v) if v.first().is_some_and(|f| f.pos == e.pos))
}

/// Whether CPython's `bitwise_or` rule could have produced `e`, which decides its assignment-error wording.
fn is_bitwise_or(e: &Expr) -> bool {
    !matches!(
        e.kind,
        ExprKind::Tuple(_)
            | ExprKind::Compare(..)
            | ExprKind::BoolOp(..)
            | ExprKind::UnaryOp(UnaryOp::Not, _)
            | ExprKind::IfExp { .. }
            | ExprKind::Lambda(..)
            | ExprKind::Starred(_)
            | ExprKind::Yield(_)
            | ExprKind::YieldFrom(_)
    )
}

// Binding powers, loosest first; binary operators take 5 to 10.
const BP_OR: u8 = 1;
const BP_AND: u8 = 2;
const BP_NOT: u8 = 3;
const BP_CMP: u8 = 4;
const BP_BITOR: u8 = 5;
const BP_UNARY: u8 = 11;
const BP_POW: u8 = 12;

fn binop(tok: &Tok) -> Option<(BinOp, u8)> {
    let Tok::Op(o) = tok else { return None };
    Some(match *o {
        "|" => (BinOp::BitOr, 5),
        "^" => (BinOp::BitXor, 6),
        "&" => (BinOp::BitAnd, 7),
        "<<" => (BinOp::LShift, 8),
        ">>" => (BinOp::RShift, 8),
        "+" => (BinOp::Add, 9),
        "-" => (BinOp::Sub, 9),
        "*" => (BinOp::Mul, 10),
        "/" => (BinOp::Div, 10),
        "//" => (BinOp::FloorDiv, 10),
        "%" => (BinOp::Mod, 10),
        "@" => (BinOp::MatMul, 10),
        _ => return None,
    })
}

fn augop(tok: &Tok) -> Option<BinOp> {
    match tok {
        Tok::Op("**=") => Some(BinOp::Pow),
        Tok::Op(o) => binop(&Tok::Op(o.strip_suffix('=')?)).map(|(op, _)| op),
        _ => None,
    }
}

impl Parser {
    fn new(lexed: Lexed, depth: u32) -> Parser {
        Parser {
            toks: lexed.tokens,
            i: 0,
            lex_err: lexed.error,
            depth,
            next_id: 0,
        }
    }

    fn node(&mut self, pos: Pos, kind: ExprKind) -> Expr {
        let id = self.next_id;
        self.next_id += 1;
        Expr { pos, id, kind }
    }

    // ---- token access and errors ----

    fn tok(&self) -> &Token {
        &self.toks[self.i]
    }

    fn peek(&self, k: usize) -> &Tok {
        &self.toks[(self.i + k).min(self.toks.len() - 1)].tok
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.tok().line,
            col: self.tok().col,
        }
    }

    /// Moves on, never past the final `End`/`Error` token.
    fn advance(&mut self) {
        if self.i + 1 < self.toks.len() {
            self.i += 1;
        }
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.tok().tok, Tok::Op(o) if o == op)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let hit = self.is_op(op);
        if hit {
            self.advance();
        }
        hit
    }

    fn expect_op(&mut self, op: &str) -> PResult<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.tok().tok, Tok::Name(n) if n == kw)
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = self.is_kw(kw);
        if hit {
            self.advance();
        }
        hit
    }

    fn expect_kw(&mut self, kw: &str) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn at_newline(&self) -> bool {
        matches!(self.tok().tok, Tok::Newline)
    }

    fn name(&mut self) -> PResult<String> {
        match &self.tok().tok {
            Tok::Name(n) if !is_keyword(n) => {
                let n = n.clone();
                self.advance();
                Ok(n)
            }
            _ => Err(self.unexpected()),
        }
    }

    #[cold]
    #[inline(never)]
    fn err_at(&self, kind: &'static str, msg: impl Into<String>, pos: Pos) -> Box<ParseError> {
        Box::new(error(kind, msg, pos.line, pos.col))
    }

    #[cold]
    #[inline(never)]
    fn syntax(&self, msg: impl Into<String>, pos: Pos) -> Box<ParseError> {
        self.err_at("SyntaxError", msg, pos)
    }

    #[cold]
    #[inline(never)]
    fn unsupported(&self, what: &str) -> Box<ParseError> {
        self.err_at(
            "NotImplementedError",
            format!("not supported by the simulator: {what}"),
            self.pos(),
        )
    }

    /// The error for an unexpected current token: the tokenizer's own error if parsing got that far.
    #[cold]
    #[inline(never)]
    fn unexpected(&self) -> Box<ParseError> {
        let t = self.tok();
        Box::new(match t.tok {
            Tok::Error => self
                .lex_err
                .as_ref()
                .expect("an Error token carries an error")
                .err
                .clone(),
            Tok::Indent => error("IndentationError", "unexpected indent", t.line, t.col),
            Tok::Dedent => error("IndentationError", "unexpected unindent", t.line, t.col),
            _ => error("SyntaxError", "invalid syntax", t.line, t.col),
        })
    }

    /// After a parser error CPython tokenizes the rest of the source and reports a tokenizer error found
    /// there instead, except that a bracket left open only wins over errors on later lines.
    fn prefer_lex_error(&self, e: ParseError) -> ParseError {
        let Some(le) = &self.lex_err else { return e };
        if e.kind == "IndentationError" && e.message.starts_with("unexpected") {
            return e;
        }
        match le.unclosed {
            Some(line) if e.line <= line => e,
            _ => le.err.clone(),
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax("too many nested parentheses", self.pos()));
        }
        Ok(())
    }

    /// Left-nested chains (`a+b+c`, `a.b.c`) nest the tree without recursing here; bound them too.
    fn check_chain(&self, chain: u32) -> PResult<()> {
        if self.depth + chain > MAX_DEPTH {
            return Err(self.syntax("too many nested parentheses", self.pos()));
        }
        Ok(())
    }

    /// Whether the current token can begin an expression (ends bare tuples and bare `return`/`yield`).
    fn starts_expr(&self) -> bool {
        match &self.tok().tok {
            Tok::Name(n) => {
                !is_keyword(n)
                    || matches!(
                        n.as_str(),
                        "None" | "True" | "False" | "not" | "lambda" | "await"
                    )
            }
            Tok::Int(_) | Tok::Float(_) | Tok::Imag(_) | Tok::Str(_) => true,
            Tok::Op(o) => matches!(*o, "(" | "[" | "{" | "-" | "+" | "~" | "*" | "..."),
            _ => false,
        }
    }

    /// Expects `,` after `prev` in a bracketed list, with CPython's hint when another expression follows.
    fn expect_comma(&mut self, prev: &Expr) -> PResult<()> {
        if self.eat_op(",") {
            return Ok(());
        }
        let next_starts = match &self.tok().tok {
            Tok::Name(n) => {
                !is_keyword(n) || matches!(n.as_str(), "None" | "True" | "False" | "lambda")
            }
            Tok::Int(_) | Tok::Float(_) | Tok::Imag(_) => true,
            Tok::Str(_) => !matches!(prev.kind, ExprKind::Name(_)),
            Tok::Op(o) => matches!(*o, "{" | "~" | "..."),
            _ => false,
        };
        let soft_kw = matches!(&prev.kind, ExprKind::Name(n) if matches!(n.as_str(), "match" | "case" | "type" | "_"));
        let prev_ok = !matches!(
            prev.kind,
            ExprKind::IfExp { .. } | ExprKind::Lambda(..) | ExprKind::Starred(_)
        );
        if next_starts && prev_ok && !soft_kw {
            return Err(self.syntax("invalid syntax. Perhaps you forgot a comma?", prev.pos));
        }
        Err(self.unexpected())
    }

    // ---- statements ----

    fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        let s = match &self.tok().tok {
            Tok::Op("@") => self.decorated(),
            Tok::Name(n) => match n.as_str() {
                "if" => self.if_stmt(),
                "while" => self.while_stmt(),
                "for" => self.for_stmt(),
                "try" => self.try_stmt(),
                "def" => self.funcdef(Vec::new()),
                "class" => self.classdef(Vec::new()),
                "with" => Err(self.unsupported("'with' statements")),
                "async" => Err(self.async_error()),
                "match" if self.is_match_stmt() => Err(self.unsupported("'match' statements")),
                _ => return self.simple_stmts(out),
            },
            _ => return self.simple_stmts(out),
        };
        out.push(s?);
        Ok(())
    }

    /// `match` is a soft keyword: a line starting with it is a match statement when it ends with a colon.
    fn is_match_stmt(&self) -> bool {
        if matches!(self.peek(1), Tok::Op("=" | ":" | "." | ",") | Tok::Newline) {
            return false;
        }
        let end = self.toks[self.i..]
            .iter()
            .position(|t| matches!(t.tok, Tok::Newline | Tok::End | Tok::Error));
        end.is_some_and(|k| k > 1 && matches!(self.toks[self.i + k - 1].tok, Tok::Op(":")))
    }

    fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            let s = self.simple_stmt()?;
            if let StmtKind::Expr(Expr {
                kind: ExprKind::Name(n),
                ..
            }) = &s.kind
            {
                if (n == "print" || n == "exec") && self.starts_expr() {
                    let msg =
                        format!("Missing parentheses in call to '{n}'. Did you mean {n}(...)?");
                    return Err(self.syntax(msg, s.pos));
                }
            }
            out.push(s);
            if !self.eat_op(";") || self.at_newline() {
                break;
            }
        }
        if !self.at_newline() {
            return Err(self.unexpected());
        }
        self.advance();
        Ok(())
    }

    fn simple_stmt(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        let kw = match &self.tok().tok {
            Tok::Name(n) if is_keyword(n) || n == "type" => n.clone(),
            _ => return self.expr_stmt(),
        };
        let stmt = |kind| Ok(stmt(pos, kind));
        let at_end = |p: &Parser| p.at_newline() || p.is_op(";");
        match kw.as_str() {
            "type"
                if matches!(self.peek(1), Tok::Name(n) if !is_keyword(n))
                    && matches!(self.peek(2), Tok::Op("=" | "[")) =>
            {
                Err(self.unsupported("type alias statements"))
            }
            "pass" | "break" | "continue" => {
                self.advance();
                stmt(match kw.as_str() {
                    "pass" => StmtKind::Pass,
                    "break" => StmtKind::Break,
                    _ => StmtKind::Continue,
                })
            }
            "return" => {
                self.advance();
                let value = if at_end(self) {
                    None
                } else {
                    Some(self.value()?)
                };
                stmt(StmtKind::Return(value))
            }
            "raise" => {
                self.advance();
                if at_end(self) {
                    return stmt(StmtKind::Raise(None, None));
                }
                let exc = self.expression()?;
                let from = self.eat_kw("from");
                let cause = self.optional(from)?;
                stmt(StmtKind::Raise(Some(exc), cause))
            }
            "global" | "nonlocal" => {
                self.advance();
                let mut names = vec![self.name()?];
                while self.eat_op(",") {
                    names.push(self.name()?);
                }
                stmt(if kw == "global" {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                })
            }
            "del" => {
                self.advance();
                let e = self.star_expressions()?;
                if let Some(bad) = invalid_target(&e, true) {
                    return Err(self.syntax(format!("cannot delete {}", expr_name(bad)), bad.pos));
                }
                match e.kind {
                    ExprKind::Tuple(v) if v.first().is_some_and(|f| f.pos == e.pos) => {
                        stmt(StmtKind::Del(v))
                    }
                    _ => stmt(StmtKind::Del(vec![e])),
                }
            }
            "assert" => {
                self.advance();
                let test = self.expression()?;
                let comma = self.eat_op(",");
                let msg = self.optional(comma)?;
                stmt(StmtKind::Assert(test, msg))
            }
            "import" => {
                self.advance();
                let mut names = Vec::new();
                loop {
                    let name = self.dotted_name()?;
                    let alias = self.alias()?;
                    names.push((name, alias));
                    if !self.eat_op(",") {
                        break;
                    }
                }
                stmt(StmtKind::Import(names))
            }
            "from" => self.import_from(pos),
            _ => self.expr_stmt(),
        }
    }

    fn alias(&mut self) -> PResult<Option<String>> {
        if self.eat_kw("as") {
            self.name().map(Some)
        } else {
            Ok(None)
        }
    }

    /// An optional expression introduced by `present` (a keyword or comma just consumed).
    fn optional(&mut self, present: bool) -> PResult<Option<Expr>> {
        if present {
            self.expression().map(Some)
        } else {
            Ok(None)
        }
    }

    fn dotted_name(&mut self) -> PResult<String> {
        let mut name = self.name()?;
        while self.eat_op(".") {
            name.push('.');
            name += &self.name()?;
        }
        Ok(name)
    }

    fn import_from(&mut self, pos: Pos) -> PResult<Stmt> {
        self.advance();
        let mut module = String::new();
        while self.is_op(".") || self.is_op("...") {
            module += if self.is_op(".") { "." } else { "..." };
            self.advance();
        }
        if !self.is_kw("import") || module.is_empty() {
            module += &self.dotted_name()?;
        }
        self.expect_kw("import")?;
        if self.eat_op("*") {
            return Ok(stmt(
                pos,
                StmtKind::ImportFrom(module, vec![("*".into(), None)]),
            ));
        }
        let paren = self.eat_op("(");
        let mut names = Vec::new();
        loop {
            let name = self.name()?;
            let alias = self.alias()?;
            names.push((name, alias));
            if !self.eat_op(",") || (paren && self.is_op(")")) {
                break;
            }
            if !paren && self.at_newline() {
                return Err(self.syntax(
                    "trailing comma not allowed without surrounding parentheses",
                    self.pos(),
                ));
            }
        }
        if paren {
            self.expect_op(")")?;
        }
        Ok(stmt(pos, StmtKind::ImportFrom(module, names)))
    }

    /// The right-hand side of `=`, augmented assignment or `return`: a yield expression or expression list.
    fn value(&mut self) -> PResult<Expr> {
        let e = self.yield_or_star_expressions()?;
        if let ExprKind::Starred(_) = e.kind {
            return Err(self.syntax("can't use starred expression here", e.pos));
        }
        Ok(e)
    }

    fn yield_or_star_expressions(&mut self) -> PResult<Expr> {
        if self.is_kw("yield") {
            self.yield_expr()
        } else {
            self.star_expressions()
        }
    }

    fn expr_stmt(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        let first = self.yield_or_star_expressions()?;
        if self.is_op("=") {
            let mut items = vec![first];
            while self.eat_op("=") {
                items.push(self.yield_or_star_expressions()?);
            }
            let value = items.pop().expect("at least two items");
            self.check_assign(&items)?;
            if let ExprKind::Starred(_) = value.kind {
                return Err(self.syntax("can't use starred expression here", value.pos));
            }
            return Ok(stmt(pos, StmtKind::Assign(items, value)));
        }
        if let Some(op) = augop(&self.tok().tok) {
            if !matches!(
                first.kind,
                ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..)
            ) {
                let msg = format!(
                    "'{}' is an illegal expression for augmented assignment",
                    expr_name(&first)
                );
                return Err(self.syntax(msg, first.pos));
            }
            self.advance();
            let value = self.value()?;
            return Ok(stmt(pos, StmtKind::AugAssign(first, op, value)));
        }
        if self.eat_op(":") {
            match &first.kind {
                ExprKind::Name(_) | ExprKind::Attribute(..) | ExprKind::Subscript(..) => {}
                ExprKind::Tuple(_) | ExprKind::List(_) => {
                    let msg = format!(
                        "only single target (not {}) can be annotated",
                        expr_name(&first)
                    );
                    return Err(self.syntax(msg, first.pos));
                }
                _ => return Err(self.syntax("illegal target for annotation", first.pos)),
            }
            let ann = self.expression()?;
            let value = if self.eat_op("=") {
                Some(self.value()?)
            } else {
                None
            };
            return Ok(stmt(pos, StmtKind::AnnAssign(first, ann, value)));
        }
        if let ExprKind::Starred(_) = first.kind {
            return Err(self.syntax("can't use starred expression here", first.pos));
        }
        Ok(stmt(pos, StmtKind::Expr(first)))
    }

    /// Checks `=` targets, choosing among CPython's wordings by where the bad target sits.
    fn check_assign(&self, targets: &[Expr]) -> PResult<()> {
        for (k, t) in targets.iter().enumerate() {
            if let Some(bad) = invalid_target(t, false) {
                if k == 1 && matches!(targets[0].kind, ExprKind::Name(_)) && !is_bitwise_or(t) {
                    let msg = "invalid syntax. Maybe you meant '==' or ':=' instead of '='?";
                    return Err(self.syntax(msg, targets[0].pos));
                }
                // CPython's hints look at the expression just before a lone `=`, valid or not.
                let last = match &t.kind {
                    ExprKind::Tuple(v) if is_bare_tuple(t) => v.last().expect("non-empty"),
                    _ => t,
                };
                let excluded = matches!(
                    last.kind,
                    ExprKind::List(_) | ExprKind::Tuple(_) | ExprKind::GeneratorExp(..)
                ) || matches!(
                    last.kind,
                    ExprKind::Const(Const::True | Const::False | Const::None)
                );
                if targets.len() == 1 && is_bitwise_or(last) && !excluded {
                    if let ExprKind::Name(_) = last.kind {
                        let msg = "invalid syntax. Maybe you meant '==' or ':=' instead of '='?";
                        return Err(self.syntax(msg, last.pos));
                    }
                    let msg = format!(
                        "cannot assign to {} here. Maybe you meant '==' instead of '='?",
                        expr_name(last)
                    );
                    return Err(self.syntax(msg, last.pos));
                }
                return Err(self.syntax(format!("cannot assign to {}", expr_name(bad)), bad.pos));
            }
            self.check_starred(t, true)?;
        }
        Ok(())
    }

    /// CPython's compiler rules for starred targets: only inside a tuple or list, at most one per level.
    fn check_starred(&self, t: &Expr, top: bool) -> PResult<()> {
        match &t.kind {
            ExprKind::Starred(_) if top => Err(self.syntax(
                "starred assignment target must be in a list or tuple",
                t.pos,
            )),
            ExprKind::Starred(inner) => self.check_starred(inner, false),
            ExprKind::Tuple(v) | ExprKind::List(v) => {
                if v.iter()
                    .filter(|e| matches!(e.kind, ExprKind::Starred(_)))
                    .count()
                    > 1
                {
                    return Err(self.syntax("multiple starred expressions in assignment", t.pos));
                }
                v.iter().try_for_each(|e| self.check_starred(e, false))
            }
            _ => Ok(()),
        }
    }

    fn check_store(&self, t: &Expr) -> PResult<()> {
        if let Some(bad) = invalid_target(t, false) {
            return Err(self.syntax(format!("cannot assign to {}", expr_name(bad)), bad.pos));
        }
        self.check_starred(t, true)
    }

    /// `:` ending a compound statement's header.
    fn colon(&mut self) -> PResult<()> {
        if self.eat_op(":") {
            Ok(())
        } else if self.at_newline() {
            Err(self.syntax("expected ':'", self.pos()))
        } else {
            Err(self.unexpected())
        }
    }

    /// A suite after `:`: simple statements on the same line, or an indented block. `what` names the
    /// statement for the "expected an indented block" error.
    fn block(&mut self, what: &str, line: u32) -> PResult<Vec<Stmt>> {
        self.colon()?;
        let mut body = Vec::new();
        if !self.at_newline() {
            self.simple_stmts(&mut body)?;
            return Ok(body);
        }
        self.advance();
        if !matches!(self.tok().tok, Tok::Indent) {
            if matches!(self.tok().tok, Tok::Error) {
                return Err(self.unexpected());
            }
            let msg = format!("expected an indented block after {what} on line {line}");
            return Err(self.err_at("IndentationError", msg, self.pos()));
        }
        self.advance();
        self.enter()?;
        while !matches!(self.tok().tok, Tok::Dedent) {
            self.statement(&mut body)?;
        }
        self.advance();
        self.depth -= 1;
        Ok(body)
    }

    fn else_block(&mut self) -> PResult<Vec<Stmt>> {
        if !self.is_kw("else") {
            return Ok(Vec::new());
        }
        let line = self.pos().line;
        self.advance();
        self.block("'else' statement", line)
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        let kw = if self.is_kw("if") { "if" } else { "elif" };
        self.advance();
        let test = self.named_expression()?;
        let body = self.block(&format!("'{kw}' statement"), pos.line)?;
        let orelse = if self.is_kw("elif") {
            self.enter()?;
            let s = self.if_stmt()?;
            self.depth -= 1;
            vec![s]
        } else {
            self.else_block()?
        };
        Ok(stmt(pos, StmtKind::If(test, body, orelse)))
    }

    fn while_stmt(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        self.advance();
        let test = self.named_expression()?;
        let body = self.block("'while' statement", pos.line)?;
        let orelse = self.else_block()?;
        Ok(stmt(pos, StmtKind::While(test, body, orelse)))
    }

    fn for_stmt(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        self.advance();
        let target = self.target_list()?;
        self.expect_kw("in")?;
        let iter = self.star_expressions()?;
        let body = self.block("'for' statement", pos.line)?;
        let orelse = self.else_block()?;
        Ok(stmt(pos, StmtKind::For(target, iter, body, orelse)))
    }

    fn try_stmt(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        self.advance();
        let body = self.block("'try' statement", pos.line)?;
        let mut handlers: Vec<ExceptHandler> = Vec::new();
        let mut bare = None;
        while self.is_kw("except") {
            let hpos = self.pos();
            self.advance();
            if self.is_op("*") {
                return Err(self.unsupported("except* (exception groups)"));
            }
            if let Some(pos) = bare {
                return Err(self.syntax("default 'except:' must be last", pos));
            }
            let (mut ty, mut name) = (None, None);
            if self.is_op(":") {
                bare = Some(hpos);
            } else {
                let e = self.expression()?;
                if self.is_op(",") {
                    return Err(
                        self.syntax("multiple exception types must be parenthesized", e.pos)
                    );
                }
                ty = Some(e);
                if self.eat_kw("as") {
                    name = Some(self.name()?);
                }
            }
            let body = self.block("'except' statement", hpos.line)?;
            handlers.push(ExceptHandler {
                pos: hpos,
                ty,
                name,
                body,
            });
        }
        let orelse = if handlers.is_empty() {
            Vec::new()
        } else {
            self.else_block()?
        };
        let mut finalbody = Vec::new();
        if self.is_kw("finally") {
            let line = self.pos().line;
            self.advance();
            finalbody = self.block("'finally' statement", line)?;
        } else if handlers.is_empty() {
            return Err(self.syntax("expected 'except' or 'finally' block", self.pos()));
        }
        Ok(stmt(
            pos,
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            },
        ))
    }

    fn async_error(&mut self) -> Box<ParseError> {
        if matches!(self.peek(1), Tok::Name(n) if matches!(n.as_str(), "def" | "for" | "with")) {
            return self.unsupported("'async' functions and statements");
        }
        self.advance();
        self.unexpected()
    }

    fn decorated(&mut self) -> PResult<Stmt> {
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            decorators.push(self.named_expression()?);
            if !self.at_newline() {
                return Err(self.unexpected());
            }
            self.advance();
        }
        if self.is_kw("def") {
            self.funcdef(decorators)
        } else if self.is_kw("class") {
            self.classdef(decorators)
        } else if self.is_kw("async") {
            Err(self.async_error())
        } else {
            Err(self.unexpected())
        }
    }

    fn funcdef(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let pos = self.pos();
        self.advance();
        let name = self.name()?;
        if self.is_op("[") {
            return Err(self.unsupported("type parameters"));
        }
        if !self.eat_op("(") {
            return Err(self.syntax("expected '('", self.pos()));
        }
        let params = self.params(")", true)?;
        // Annotations are parsed for their syntax only: the AST has no place for them.
        if self.eat_op("->") {
            self.expression()?;
        }
        let body = self.block("function definition", pos.line)?;
        Ok(stmt(
            pos,
            StmtKind::FunctionDef {
                name,
                params: std::sync::Arc::new(params),
                body: std::sync::Arc::new(body),
                decorators,
            },
        ))
    }

    fn classdef(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let pos = self.pos();
        self.advance();
        let name = self.name()?;
        if self.is_op("[") {
            return Err(self.unsupported("type parameters"));
        }
        let bases = if self.eat_op("(") {
            self.call_args(pos, false)?
        } else {
            Vec::new()
        };
        let body = self.block("class definition", pos.line)?;
        Ok(stmt(
            pos,
            StmtKind::ClassDef {
                name,
                bases,
                body: std::sync::Arc::new(body),
                decorators,
            },
        ))
    }

    /// Parameters up to and including `close` (`)` for def, `:` for lambda).
    fn params(&mut self, close: &str, annotated: bool) -> PResult<Params> {
        let mut p = Params::default();
        let (mut star, mut bare_star, mut seen_default) = (false, None, false);
        let mut names: Vec<(String, Pos)> = Vec::new();
        loop {
            if self.eat_op(close) {
                break;
            }
            let pos = self.pos();
            let mut name = None;
            if self.eat_op("/") {
                if p.args.is_empty() || star {
                    let msg = if star {
                        "/ must be ahead of *"
                    } else {
                        "at least one argument must precede /"
                    };
                    return Err(self.syntax(msg, pos));
                }
            } else if self.eat_op("**") {
                let n = self.name()?;
                self.annotation(annotated)?;
                p.kwarg = Some(n.clone());
                name = Some(n);
                self.eat_op(",");
                if !self.is_op(close) {
                    return Err(
                        self.syntax("arguments cannot follow var-keyword argument", self.pos())
                    );
                }
            } else if self.eat_op("*") {
                if star {
                    return Err(self.syntax("* argument may appear only once", pos));
                }
                star = true;
                if self.is_op(",") || self.is_op(close) {
                    bare_star = Some(pos);
                } else {
                    let n = self.name()?;
                    self.annotation(annotated)?;
                    p.vararg = Some(n.clone());
                    name = Some(n);
                }
            } else {
                let n = self.name()?;
                self.annotation(annotated)?;
                let eq = self.eat_op("=");
                let default = self.optional(eq)?;
                if star {
                    bare_star = None;
                } else if default.is_none() && seen_default {
                    return Err(self.syntax(
                        "parameter without a default follows parameter with a default",
                        pos,
                    ));
                }
                seen_default |= default.is_some();
                let param = Param {
                    name: n.clone(),
                    default,
                    pos,
                };
                if star {
                    p.kwonly.push(param)
                } else {
                    p.args.push(param)
                }
                name = Some(n);
            }
            names.extend(name.map(|n| (n, pos)));
            if self.eat_op(close) {
                break;
            }
            self.expect_op(",")?;
        }
        if let Some(pos) = bare_star {
            return Err(self.syntax("named arguments must follow bare *", pos));
        }
        if let Some((n, pos)) = first_duplicate(&mut names) {
            return Err(self.syntax(
                format!("duplicate argument '{n}' in function definition"),
                pos,
            ));
        }
        Ok(p)
    }

    fn annotation(&mut self, annotated: bool) -> PResult<()> {
        if annotated && self.eat_op(":") {
            self.expression()?;
        }
        Ok(())
    }

    // ---- expressions ----

    /// `a, *b, c`: a tuple when there is a comma.
    fn star_expressions(&mut self) -> PResult<Expr> {
        let first = self.star_expression()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let pos = first.pos;
        let mut elts = vec![first];
        while self.eat_op(",") && self.starts_expr() {
            elts.push(self.star_expression()?);
        }
        Ok(self.node(pos, ExprKind::Tuple(elts)))
    }

    fn star_expression(&mut self) -> PResult<Expr> {
        if self.is_op("*") {
            self.starred()
        } else {
            self.expression()
        }
    }

    /// `*x` where the current token is the `*`.
    fn starred(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        self.advance();
        let e = self.bitwise_or()?;
        Ok(self.node(pos, ExprKind::Starred(Box::new(e))))
    }

    fn star_named_expression(&mut self) -> PResult<Expr> {
        if self.is_op("*") {
            self.starred()
        } else {
            self.named_expression()
        }
    }

    fn named_expression(&mut self) -> PResult<Expr> {
        let e = self.expression()?;
        if self.is_op(":=") {
            return Err(self.unsupported("assignment expressions (:=)"));
        }
        Ok(e)
    }

    // Nested brackets recurse through expression → pratt → primary → atom → display, so these few
    // functions keep their frames small and leave the rest to out-of-line helpers.

    fn expression(&mut self) -> PResult<Expr> {
        self.enter()?;
        let e = if self.is_kw("lambda") {
            self.lambda()
        } else {
            self.pratt(BP_OR).and_then(|body| {
                if self.is_kw("if") {
                    self.ternary(body)
                } else {
                    Ok(body)
                }
            })
        };
        self.depth -= 1;
        e
    }

    #[inline(never)]
    fn ternary(&mut self, body: Expr) -> PResult<Expr> {
        self.advance();
        let test = self.pratt(BP_OR)?;
        if !self.eat_kw("else") {
            if self.is_op(":") {
                return Err(self.unexpected());
            }
            return Err(self.syntax("expected 'else' after 'if' expression", body.pos));
        }
        let orelse = self.expression()?;
        let pos = body.pos;
        Ok(self.node(
            pos,
            ExprKind::IfExp {
                test: Box::new(test),
                body: Box::new(body),
                orelse: Box::new(orelse),
            },
        ))
    }

    #[inline(never)]
    fn lambda(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        self.advance();
        let params = self.params(":", false)?;
        let body = self.expression()?;
        Ok(self.node(
            pos,
            ExprKind::Lambda(std::sync::Arc::new(params), std::sync::Arc::new(body)),
        ))
    }

    fn bitwise_or(&mut self) -> PResult<Expr> {
        self.pratt(BP_BITOR)
    }

    /// Operators from `or` down to `**`, binding at least as tightly as `min`.
    fn pratt(&mut self, min: u8) -> PResult<Expr> {
        let unary = match &self.tok().tok {
            Tok::Op(o) => matches!(*o, "-" | "+" | "~"),
            Tok::Name(n) => n == "not" && min <= BP_NOT,
            _ => false,
        };
        let mut left = if unary { self.unary() } else { self.primary() }?;
        let mut chain = 0;
        while let Some(bp) = self.infix_bp().filter(|&bp| bp >= min) {
            chain += 1;
            left = self.infix(left, bp, chain)?;
        }
        Ok(left)
    }

    fn infix_bp(&self) -> Option<u8> {
        match &self.tok().tok {
            Tok::Name(n) => match n.as_str() {
                "or" => Some(BP_OR),
                "and" => Some(BP_AND),
                "in" | "not" | "is" => Some(BP_CMP),
                _ => None,
            },
            Tok::Op("==" | "!=" | "<" | "<=" | ">" | ">=") => Some(BP_CMP),
            Tok::Op("**") => Some(BP_POW),
            t => binop(t).map(|(_, bp)| bp),
        }
    }

    #[inline(never)]
    fn unary(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        let (op, bp) = match self.tok().tok {
            Tok::Op("-") => (UnaryOp::Neg, BP_UNARY),
            Tok::Op("+") => (UnaryOp::Pos, BP_UNARY),
            Tok::Op("~") => (UnaryOp::Invert, BP_UNARY),
            _ => (UnaryOp::Not, BP_NOT),
        };
        self.advance();
        self.enter()?;
        let e = self.pratt(bp)?;
        self.depth -= 1;
        Ok(self.node(pos, ExprKind::UnaryOp(op, Box::new(e))))
    }

    /// Extends `left` with the operator at binding power `bp`: a whole `or`/`and` or comparison chain, or
    /// one binary operation (`**` is right-associative and takes a unary operand).
    #[inline(never)]
    fn infix(&mut self, left: Expr, bp: u8, chain: u32) -> PResult<Expr> {
        self.check_chain(chain)?;
        let pos = left.pos;
        let kind = match bp {
            BP_OR | BP_AND => {
                let (kw, op) = if bp == BP_OR {
                    ("or", BoolOp::Or)
                } else {
                    ("and", BoolOp::And)
                };
                let mut values = vec![left];
                while self.eat_kw(kw) {
                    values.push(self.pratt(bp + 1)?);
                }
                ExprKind::BoolOp(op, values)
            }
            BP_CMP => {
                let mut ops = Vec::new();
                while let Some(op) = self.cmp_op()? {
                    ops.push((op, self.pratt(BP_CMP + 1)?));
                }
                ExprKind::Compare(Box::new(left), ops)
            }
            BP_POW => {
                self.advance();
                self.enter()?;
                let right = self.pratt(BP_UNARY)?;
                self.depth -= 1;
                ExprKind::BinOp(Box::new(left), BinOp::Pow, Box::new(right))
            }
            _ => {
                let (op, _) = binop(&self.tok().tok).expect("infix_bp saw a binary operator");
                self.advance();
                ExprKind::BinOp(Box::new(left), op, Box::new(self.pratt(bp + 1)?))
            }
        };
        Ok(self.node(pos, kind))
    }

    /// Consumes a comparison operator, if one is next.
    fn cmp_op(&mut self) -> PResult<Option<CmpOp>> {
        let op = match &self.tok().tok {
            Tok::Op("==") => CmpOp::Eq,
            Tok::Op("!=") => CmpOp::NotEq,
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::LtE,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::GtE,
            Tok::Name(n) if n == "in" => CmpOp::In,
            Tok::Name(n) if n == "is" => {
                if matches!(self.peek(1), Tok::Name(n) if n == "not") {
                    self.advance();
                    CmpOp::IsNot
                } else {
                    CmpOp::Is
                }
            }
            Tok::Name(n) if n == "not" => {
                self.advance();
                if !self.is_kw("in") {
                    return Err(self.unexpected());
                }
                CmpOp::NotIn
            }
            _ => return Ok(None),
        };
        self.advance();
        Ok(Some(op))
    }

    fn primary(&mut self) -> PResult<Expr> {
        let mut e = self.atom()?;
        let mut chain = 0;
        while matches!(self.tok().tok, Tok::Op("." | "(" | "[")) {
            chain += 1;
            self.check_chain(chain)?;
            e = self.trailer(e)?;
        }
        Ok(e)
    }

    #[inline(never)]
    fn trailer(&mut self, e: Expr) -> PResult<Expr> {
        let pos = e.pos;
        let kind = if self.eat_op(".") {
            ExprKind::Attribute(Box::new(e), self.name()?)
        } else if self.is_op("(") {
            let open = self.pos();
            self.advance();
            ExprKind::Call(Box::new(e), self.call_args(open, true)?)
        } else {
            self.advance();
            ExprKind::Subscript(Box::new(e), Box::new(self.slices()?))
        };
        Ok(self.node(pos, kind))
    }

    /// Call arguments after `(` (opened at `open`), through `)`. Class bases take no bare generator.
    fn call_args(&mut self, open: Pos, allow_genexp: bool) -> PResult<Vec<Arg>> {
        let mut args = Vec::new();
        let mut st = ArgState {
            open,
            allow_genexp,
            ..ArgState::default()
        };
        while !self.is_op(")") {
            let kw = self.arg_prefix(&mut st)?;
            let e = self.expression()?;
            let arg = self.arg(kw, e, &mut st, args.is_empty())?;
            if !self.is_op(")") {
                let (Arg::Pos(e) | Arg::Star(e) | Arg::Kw(_, e) | Arg::StarStar(e)) = &arg;
                self.expect_comma(e)?;
            }
            args.push(arg);
        }
        if let Some(msg) = st.misplaced {
            return Err(self.syntax(msg, self.pos()));
        }
        if let Some((name, pos)) = first_duplicate(&mut st.keywords) {
            return Err(self.syntax(format!("keyword argument repeated: {name}"), pos));
        }
        self.advance();
        Ok(args)
    }

    /// Consumes what comes before an argument's value: `*`, `**` or `name=` (as `Arg::Kw`).
    #[inline(never)]
    fn arg_prefix(&mut self, st: &mut ArgState) -> PResult<Option<Arg>> {
        let pos = self.pos();
        let placeholder = |p: &mut Self| p.node(pos, ExprKind::Const(Const::None));
        if self.eat_op("*") {
            if st.starstar {
                return Err(self.syntax(
                    "iterable argument unpacking follows keyword argument unpacking",
                    pos,
                ));
            }
            return Ok(Some(Arg::Star(placeholder(self))));
        }
        if self.eat_op("**") {
            st.starstar = true;
            return Ok(Some(Arg::StarStar(placeholder(self))));
        }
        if !matches!((&self.tok().tok, self.peek(1)), (Tok::Name(n), Tok::Op("=")) if !is_keyword(n))
        {
            return Ok(None);
        }
        let name = self.name()?;
        self.advance();
        st.keywords.push((name.clone(), pos));
        Ok(Some(Arg::Kw(name, placeholder(self))))
    }

    /// Completes an argument whose value `e` has been parsed after `prefix`.
    #[inline(never)]
    fn arg(
        &mut self,
        prefix: Option<Arg>,
        mut e: Expr,
        st: &mut ArgState,
        first: bool,
    ) -> PResult<Arg> {
        match prefix {
            Some(Arg::Star(_)) => return Ok(Arg::Star(e)),
            Some(Arg::StarStar(_)) => return Ok(Arg::StarStar(e)),
            Some(Arg::Kw(name, _)) => return Ok(Arg::Kw(name, e)),
            _ => {}
        }
        if self.is_op(":=") {
            return Err(self.unsupported("assignment expressions (:=)"));
        }
        if self.is_op("=") {
            return Err(self.syntax(
                "expression cannot contain assignment, perhaps you meant \"==\"?",
                e.pos,
            ));
        }
        if self.is_kw("for") && st.allow_genexp {
            let generators = self.comp_for()?;
            if !first || !self.is_op(")") {
                return Err(self.syntax("Generator expression must be parenthesized", e.pos));
            }
            e = self.node(st.open, ExprKind::GeneratorExp(Box::new(e), generators));
        } else if st.starstar {
            st.misplaced = st.misplaced.or(Some(
                "positional argument follows keyword argument unpacking",
            ));
        } else if !st.keywords.is_empty() {
            st.misplaced = st
                .misplaced
                .or(Some("positional argument follows keyword argument"));
        }
        Ok(Arg::Pos(e))
    }

    /// The index inside `[...]`, through `]`: an expression, a slice, or a tuple of them.
    fn slices(&mut self) -> PResult<Expr> {
        let first = self.slice()?;
        if self.eat_op("]") {
            return Ok(first);
        }
        let pos = first.pos;
        let mut elts = vec![first];
        loop {
            self.expect_comma(elts.last().expect("non-empty"))?;
            if self.eat_op("]") {
                break;
            }
            elts.push(self.slice()?);
            if self.eat_op("]") {
                break;
            }
        }
        Ok(self.node(pos, ExprKind::Tuple(elts)))
    }

    fn slice(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        if self.is_op("*") {
            return Err(self.unsupported("starred expressions in subscripts"));
        }
        let lower = if self.is_op(":") {
            None
        } else {
            Some(self.named_expression()?)
        };
        if !self.eat_op(":") {
            return Ok(lower.expect("parsed above"));
        }
        let part = |p: &mut Parser| -> PResult<Option<Box<Expr>>> {
            if p.is_op(":") || p.is_op("]") || p.is_op(",") {
                Ok(None)
            } else {
                Ok(Some(Box::new(p.expression()?)))
            }
        };
        let upper = part(self)?;
        let step = if self.eat_op(":") { part(self)? } else { None };
        Ok(self.node(pos, ExprKind::Slice(lower.map(Box::new), upper, step)))
    }

    fn atom(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        let kind = match &self.tok().tok {
            Tok::Name(n) => match n.as_str() {
                "None" => ExprKind::Const(Const::None),
                "True" => ExprKind::Const(Const::True),
                "False" => ExprKind::Const(Const::False),
                "await" => {
                    self.advance();
                    if self.starts_expr() {
                        return Err(self.err_at(
                            "NotImplementedError",
                            "not supported by the simulator: 'await' expressions",
                            pos,
                        ));
                    }
                    return Err(self.unexpected());
                }
                n if is_keyword(n) => return Err(self.unexpected()),
                _ => ExprKind::Name(n.clone()),
            },
            Tok::Int(s) => ExprKind::Const(Const::Int(s.clone())),
            Tok::Float(f) => ExprKind::Const(Const::Float(*f)),
            Tok::Imag(f) => ExprKind::Const(Const::Imag(*f)),
            Tok::Str(_) => return self.strings(),
            Tok::Op("(") => return self.paren(),
            Tok::Op("[") => return self.list(),
            Tok::Op("{") => return self.brace(),
            Tok::Op("...") => ExprKind::Const(Const::Ellipsis),
            _ => return Err(self.unexpected()),
        };
        self.advance();
        Ok(self.node(pos, kind))
    }

    fn yield_expr(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        self.advance();
        if self.is_kw("from") {
            self.advance();
            let it = self.expression()?;
            return Ok(self.node(pos, ExprKind::YieldFrom(Box::new(it))));
        }
        let value = if self.starts_expr() {
            Some(Box::new(self.star_expressions()?))
        } else {
            None
        };
        Ok(self.node(pos, ExprKind::Yield(value)))
    }

    /// After the first element of a display: a comprehension if `for` follows.
    fn comprehension_start(&mut self, first: &Expr, n: usize) -> PResult<bool> {
        if !self.is_kw("for") {
            return Ok(false);
        }
        if let ExprKind::Starred(_) = first.kind {
            return Err(self.syntax(
                "iterable unpacking cannot be used in comprehension",
                first.pos,
            ));
        }
        if n > 1 {
            return Err(self.syntax(
                "did you forget parentheses around the comprehension target?",
                first.pos,
            ));
        }
        Ok(true)
    }

    /// The remaining elements of a display after `first`, through `close`.
    fn elements(&mut self, first: Expr, close: &str, comp_hint: bool) -> PResult<Vec<Expr>> {
        let mut elts = vec![first];
        loop {
            if self.eat_op(close) {
                return Ok(elts);
            }
            if comp_hint && self.is_kw("for") {
                self.comprehension_start(&elts[0], elts.len())?;
            }
            self.expect_comma(elts.last().expect("non-empty"))?;
            if self.eat_op(close) {
                return Ok(elts);
            }
            elts.push(self.star_named_expression()?);
        }
    }

    fn paren(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        self.advance();
        if self.eat_op(")") {
            return Ok(self.node(pos, ExprKind::Tuple(Vec::new())));
        }
        if self.is_kw("yield") {
            let e = self.yield_expr()?;
            self.expect_op(")")?;
            return Ok(e);
        }
        let first = self.star_named_expression()?;
        if self.comprehension_start(&first, 1)? {
            let generators = self.comp_for()?;
            self.expect_op(")")?;
            return Ok(self.node(pos, ExprKind::GeneratorExp(Box::new(first), generators)));
        }
        if self.eat_op(")") {
            if let ExprKind::Starred(_) = first.kind {
                return Err(self.syntax("cannot use starred expression here", first.pos));
            }
            return Ok(first);
        }
        let elts = self.elements(first, ")", false)?;
        Ok(self.node(pos, ExprKind::Tuple(elts)))
    }

    fn list(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        self.advance();
        if self.eat_op("]") {
            return Ok(self.node(pos, ExprKind::List(Vec::new())));
        }
        let first = self.star_named_expression()?;
        if self.comprehension_start(&first, 1)? {
            let generators = self.comp_for()?;
            self.expect_op("]")?;
            return Ok(self.node(pos, ExprKind::ListComp(Box::new(first), generators)));
        }
        let elts = self.elements(first, "]", true)?;
        Ok(self.node(pos, ExprKind::List(elts)))
    }

    fn brace(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        self.advance();
        if self.eat_op("}") {
            return Ok(self.node(pos, ExprKind::Dict(Vec::new())));
        }
        if self.is_op("**") {
            return self.dict(pos, None);
        }
        let key = self.star_named_expression()?;
        if self.is_op(":") && !matches!(key.kind, ExprKind::Starred(_)) {
            return self.dict(pos, Some(key));
        }
        if self.comprehension_start(&key, 1)? {
            let generators = self.comp_for()?;
            self.expect_op("}")?;
            return Ok(self.node(pos, ExprKind::SetComp(Box::new(key), generators)));
        }
        let elts = self.elements(key, "}", true)?;
        Ok(self.node(pos, ExprKind::Set(elts)))
    }

    /// A dict display or comprehension opened at `pos`, after its first key (`None` at a `**`).
    #[inline(never)]
    fn dict(&mut self, pos: Pos, first_key: Option<Expr>) -> PResult<Expr> {
        let mut items = Vec::new();
        let mut key = first_key;
        loop {
            let item_pos = self.pos();
            let value = if key.is_some() {
                self.dict_value()?
            } else {
                self.expect_op("**")?;
                self.bitwise_or()?
            };
            if items.is_empty() && self.is_kw("for") {
                let Some(key) = key else {
                    return Err(self.syntax(
                        "dict unpacking cannot be used in dict comprehension",
                        item_pos,
                    ));
                };
                let generators = self.comp_for()?;
                self.expect_op("}")?;
                return Ok(self.node(
                    pos,
                    ExprKind::DictComp(Box::new(key), Box::new(value), generators),
                ));
            }
            if !self.is_op("}") {
                self.expect_comma(&value)?;
            }
            items.push((key, value));
            if self.eat_op("}") {
                return Ok(self.node(pos, ExprKind::Dict(items)));
            }
            key = if self.is_op("**") {
                None
            } else {
                Some(self.dict_key()?)
            };
        }
    }

    #[inline(never)]
    fn dict_key(&mut self) -> PResult<Expr> {
        let key = self.expression()?;
        if !self.is_op(":") {
            let last = &self.toks[self.i.saturating_sub(1)];
            return Err(self.syntax(
                "':' expected after dictionary key",
                Pos {
                    line: last.line,
                    col: last.col,
                },
            ));
        }
        Ok(key)
    }

    /// `: value` after a dictionary key.
    fn dict_value(&mut self) -> PResult<Expr> {
        let colon = self.pos();
        self.expect_op(":")?;
        if self.is_op("}") || self.is_op(",") {
            return Err(self.syntax("expression expected after dictionary key and ':'", colon));
        }
        self.expression()
    }

    /// Assignment targets of `for`: `x`, `a, *b`, `(a, b)`; no `in` at the top level.
    fn target_list(&mut self) -> PResult<Expr> {
        let elem = |p: &mut Parser| {
            if p.is_op("*") {
                p.starred()
            } else {
                p.bitwise_or()
            }
        };
        let first = elem(self)?;
        let t = if self.is_op(",") {
            let pos = first.pos;
            let mut elts = vec![first];
            while self.eat_op(",") && self.starts_expr() {
                elts.push(elem(self)?);
            }
            self.node(pos, ExprKind::Tuple(elts))
        } else {
            first
        };
        self.check_store(&t)?;
        Ok(t)
    }

    fn comp_for(&mut self) -> PResult<Vec<Comprehension>> {
        let mut gens = Vec::new();
        while self.eat_kw("for") {
            let target = self.target_list()?;
            self.expect_kw("in")?;
            let iter = self.pratt(BP_OR)?;
            let mut ifs = Vec::new();
            while self.eat_kw("if") {
                ifs.push(self.pratt(BP_OR)?);
            }
            gens.push(Comprehension { target, iter, ifs });
        }
        if self.is_kw("async") {
            return Err(self.unsupported("'async' functions and statements"));
        }
        Ok(gens)
    }

    // ---- strings ----

    /// Adjacent string literals, concatenated; any f-string makes the whole an f-string.
    fn strings(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        let mut lits: Vec<(Pos, StrLit)> = Vec::new();
        while let Tok::Str(s) = &self.tok().tok {
            lits.push((self.pos(), (**s).clone()));
            self.advance();
        }
        let bytes = lits[0].1.bytes;
        if lits.iter().any(|(_, l)| l.bytes != bytes) {
            return Err(self.syntax("cannot mix bytes and nonbytes literals", self.pos()));
        }
        let decode = |p: &Parser, lit: &StrLit, body: &str, at: Pos| {
            lexer::decode(body, lit.raw, lit.bytes).map_err(|(kind, msg)| p.err_at(kind, msg, at))
        };
        if bytes {
            let mut v = Vec::new();
            for (at, lit) in &lits {
                v.extend(
                    decode(self, lit, &lit.body, *at)?
                        .into_iter()
                        .map(|c| c as u8),
                );
            }
            return Ok(self.node(pos, ExprKind::Const(Const::Bytes(v))));
        }
        let mut parts: Vec<FPart> = Vec::new();
        for (at, lit) in &lits {
            if lit.fstring {
                let body: Vec<char> = lit.body.chars().collect();
                let f = FStr {
                    body: &body,
                    lit,
                    at: *at,
                    pos: positions(&body, lit),
                };
                let mut i = 0;
                self.fparts(&f, &mut i, 0, &mut parts)?;
            } else {
                let s = self.to_string(decode(self, lit, &lit.body, *at)?, *at)?;
                push_lit(&mut parts, s);
            }
        }
        if !lits.iter().any(|(_, l)| l.fstring) {
            let s = match parts.pop() {
                Some(FPart::Lit(s)) => s,
                _ => String::new(),
            };
            return Ok(self.node(pos, ExprKind::Const(Const::Str(s))));
        }
        Ok(self.node(pos, ExprKind::FString(parts)))
    }

    fn to_string(&self, cps: Vec<u32>, at: Pos) -> PResult<String> {
        cps.into_iter()
            .map(|c| {
                char::from_u32(c).ok_or_else(|| {
                    let msg = "not supported by the simulator: lone surrogates in string literals";
                    self.err_at("NotImplementedError", msg, at)
                })
            })
            .collect()
    }

    /// f-string text and replacement fields from `*i` to the end of the body, or in a format spec (`level`
    /// above 0) to the `}` closing its field.
    fn fparts(&mut self, f: &FStr, i: &mut usize, level: u32, out: &mut Vec<FPart>) -> PResult<()> {
        let spec = level > 0;
        let body = f.body;
        let mut text = String::new();
        while *i < body.len() {
            let c = body[*i];
            let next = body.get(*i + 1).copied();
            match c {
                '{' if next == Some('{') && !spec => {
                    text.push('{');
                    *i += 2;
                }
                '}' if spec => break,
                '}' if next == Some('}') => {
                    text.push('}');
                    *i += 2;
                }
                '}' => return Err(self.syntax("f-string: single '}' is not allowed", f.pos[*i])),
                '{' if level >= 3 => {
                    return Err(
                        self.syntax("f-string: expressions nested too deeply", f.pos[*i - 1])
                    )
                }
                '{' => {
                    self.flush(f, &mut text, out)?;
                    *i += 1;
                    self.field(f, i, level, out)?;
                }
                '\\' if !f.lit.raw => {
                    if next == Some('N') && body.get(*i + 2) == Some(&'{') {
                        return Err(self.err_at(
                            "NotImplementedError",
                            "not supported by the simulator: \\N{...} escapes",
                            f.at,
                        ));
                    }
                    // Keep the escape whole for decoding, but `\{` still opens a field as in CPython.
                    text.push('\\');
                    *i += 1;
                    if let Some(n) = next.filter(|n| *n != '{' && *n != '}') {
                        text.push(n);
                        *i += 1;
                    }
                }
                _ => {
                    text.push(c);
                    *i += 1;
                }
            }
        }
        self.flush(f, &mut text, out)
    }

    fn flush(&self, f: &FStr, text: &mut String, out: &mut Vec<FPart>) -> PResult<()> {
        if !text.is_empty() {
            let cps = lexer::decode(text, f.lit.raw, false)
                .map_err(|(kind, msg)| self.err_at(kind, msg, f.at))?;
            push_lit(out, self.to_string(cps, f.at)?);
            text.clear();
        }
        Ok(())
    }

    /// One replacement field, `*i` just after its `{`.
    fn field(&mut self, f: &FStr, i: &mut usize, level: u32, out: &mut Vec<FPart>) -> PResult<()> {
        self.enter()?;
        let body = f.body;
        let start = *i;
        let (mut j, mut depth, mut quote) = (start, 0u32, None);
        // The expression ends at a top-level `}`, `:`, `!` (not `!=`) or debugging `=` (not `==`, `<=`...).
        loop {
            let Some(&c) = body.get(j) else {
                return Err(self.syntax("f-string: expecting '}'", f.pos[j]));
            };
            let next = body.get(j + 1).copied();
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '(' | '[' | '{') => depth += 1,
                (None, ')' | ']' | '}') if depth > 0 => depth -= 1,
                (None, ')' | ']') => {
                    return Err(self.syntax(format!("f-string: unmatched '{c}'"), f.pos[j]))
                }
                _ if depth > 0 => {}
                (None, '}' | ':') => break,
                (None, '!') if next != Some('=') => break,
                (None, '=')
                    if next != Some('=') && !(j > start && "=!<>".contains(body[j - 1])) =>
                {
                    break
                }
                _ => {}
            }
            j += 1;
        }
        if body[start..j].iter().all(|c| c.is_whitespace()) {
            let msg = format!("f-string: valid expression required before '{}'", body[j]);
            return Err(self.syntax(msg, f.pos[j]));
        }
        let at = f.pos[start];
        let mut sub = Parser::new(
            lexer::tokenize_expr(&body[start..j], at.line, at.col),
            self.depth,
        );
        sub.next_id = self.next_id;
        if sub.is_kw("lambda") && body[j] == ':' {
            let msg = "f-string: lambda expressions are not allowed without parentheses";
            return Err(self.syntax(msg, sub.pos()));
        }
        let e = sub.yield_or_star_expressions()?;
        self.next_id = sub.next_id;
        if !matches!(sub.tok().tok, Tok::End) {
            return Err(sub
                .expect_comma(&e)
                .err()
                .unwrap_or_else(|| sub.unexpected()));
        }
        let mut debug_text = None;
        if body[j] == '=' {
            j += 1;
            while body.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            debug_text = Some(body[start..j].iter().collect::<String>());
        }
        let mut conversion = None;
        if body.get(j) == Some(&'!') {
            j += 1;
            let name_end = (j..body.len())
                .find(|&k| !lexer::is_id_continue(body[k]))
                .unwrap_or(body.len());
            let name: String = body[j..name_end].iter().collect();
            match name.as_str() {
                "" => return Err(self.syntax("f-string: missing conversion character", f.pos[j])),
                "r" | "s" | "a" => conversion = name.chars().next(),
                _ => {
                    let msg = format!("f-string: invalid conversion character '{name}': expected 's', 'r', or 'a'");
                    return Err(self.syntax(msg, f.pos[j]));
                }
            }
            j = name_end;
            while body.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            if !matches!(body.get(j), Some(':' | '}')) {
                return Err(self.syntax("f-string: expecting ':' or '}'", f.pos[j]));
            }
        }
        let mut spec = Vec::new();
        if body.get(j) == Some(&':') {
            j += 1;
            self.fparts(f, &mut j, level + 1, &mut spec)?;
            if j >= body.len() {
                return Err(self.syntax("f-string: expecting '}', or format specs", f.pos[j]));
            }
        }
        if body.get(j) != Some(&'}') {
            return Err(self.syntax("f-string: expecting '}'", f.pos[j.min(body.len())]));
        }
        *i = j + 1;
        if debug_text.is_some() && conversion.is_none() && spec.is_empty() {
            // CPython shows the repr in the debugging form unless a conversion or spec is given.
            conversion = Some('r');
        }
        out.push(FPart::Expr {
            expr: Box::new(e),
            conversion,
            spec,
            debug_text,
        });
        self.depth -= 1;
        Ok(())
    }
}

/// What `call_args` tracks across arguments.
#[derive(Default)]
struct ArgState {
    open: Pos,
    allow_genexp: bool,
    starstar: bool,
    keywords: Vec<(String, Pos)>,
    /// CPython reports a positional argument after keywords once all arguments are read, at the `)`.
    misplaced: Option<&'static str>,
}

/// The earliest repeat of a name, in source order (checked after parsing, as CPython's compiler does).
fn first_duplicate(names: &mut [(String, Pos)]) -> Option<(String, Pos)> {
    let key = |p: Pos| (p.line, p.col);
    crate::util::sort_by(names, &mut |a, b| (&a.0, key(a.1)) < (&b.0, key(b.1)));
    names
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[1].clone())
        .min_by_key(|(_, p)| key(*p))
}

/// An f-string literal being split, with the source position of every body character (and of its end).
struct FStr<'a> {
    body: &'a [char],
    lit: &'a StrLit,
    at: Pos,
    pos: Vec<Pos>,
}

fn positions(body: &[char], lit: &StrLit) -> Vec<Pos> {
    let mut p = Pos {
        line: lit.body_line,
        col: lit.body_col,
    };
    let mut v = Vec::with_capacity(body.len() + 1);
    for &c in body {
        v.push(p);
        if c == '\n' {
            p = Pos {
                line: p.line + 1,
                col: 1,
            };
        } else {
            p.col += 1;
        }
    }
    v.push(p);
    v
}

fn push_lit(parts: &mut Vec<FPart>, s: String) {
    if let Some(FPart::Lit(prev)) = parts.last_mut() {
        prev.push_str(&s);
    } else if !s.is_empty() {
        parts.push(FPart::Lit(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A compact rendering of the tree: `(op args...)`, names bare, `_` for absent parts.
    fn e(x: &Expr) -> String {
        use ExprKind as K;
        let list = |v: &[Expr]| v.iter().map(e).collect::<Vec<_>>().join(" ");
        let opt = |x: &Option<Box<Expr>>| x.as_deref().map_or("_".into(), e);
        let comps = |c: &[Comprehension]| {
            let one = |c: &Comprehension| {
                format!(
                    "for {} in {}{}",
                    e(&c.target),
                    e(&c.iter),
                    c.ifs
                        .iter()
                        .map(|i| format!(" if {}", e(i)))
                        .collect::<String>()
                )
            };
            c.iter().map(one).collect::<Vec<_>>().join(" ")
        };
        match &x.kind {
            K::Const(Const::Int(s)) => s.clone(),
            K::Const(Const::Float(f)) => format!("{f:?}"),
            K::Const(Const::Imag(f)) => format!("{f:?}j"),
            K::Const(Const::Str(s)) => format!("{s:?}"),
            K::Const(Const::Bytes(b)) => format!("b'{}'", b.escape_ascii()),
            K::Const(c) => format!("{c:?}"),
            K::Name(n) => n.clone(),
            K::List(v) => format!("[{}]", list(v)),
            K::Tuple(v) => format!("(tuple {})", list(v)),
            K::Set(v) => format!("{{{}}}", list(v)),
            K::Dict(v) => {
                let item = |(k, v): &(Option<Expr>, Expr)| {
                    k.as_ref()
                        .map_or(format!("**{}", e(v)), |k| format!("{}:{}", e(k), e(v)))
                };
                format!("{{{}}}", v.iter().map(item).collect::<Vec<_>>().join(" "))
            }
            K::ListComp(x, c) => format!("[{} {}]", e(x), comps(c)),
            K::SetComp(x, c) => format!("{{{} {}}}", e(x), comps(c)),
            K::GeneratorExp(x, c) => format!("(gen {} {})", e(x), comps(c)),
            K::DictComp(k, v, c) => format!("{{{}:{} {}}}", e(k), e(v), comps(c)),
            K::BinOp(l, op, r) => format!("({op:?} {} {})", e(l), e(r)),
            K::UnaryOp(op, x) => format!("({op:?} {})", e(x)),
            K::BoolOp(op, v) => format!("({op:?} {})", list(v)),
            K::Compare(l, ops) => format!(
                "(cmp {}{})",
                e(l),
                ops.iter()
                    .map(|(o, x)| format!(" {o:?} {}", e(x)))
                    .collect::<String>()
            ),
            K::IfExp { test, body, orelse } => {
                format!("(if {} {} {})", e(test), e(body), e(orelse))
            }
            K::Call(f, args) => format!(
                "(call {}{})",
                e(f),
                args.iter()
                    .map(|a| format!(" {}", arg(a)))
                    .collect::<String>()
            ),
            K::Attribute(v, n) => format!("{}.{n}", e(v)),
            K::Subscript(v, i) => format!("{}[{}]", e(v), e(i)),
            K::Slice(a, b, c) => format!("(slice {} {} {})", opt(a), opt(b), opt(c)),
            K::Starred(v) => format!("*{}", e(v)),
            K::Lambda(p, b) => format!("(lambda {} {})", params(p), e(b)),
            K::FString(parts) => format!(
                "(f{})",
                parts
                    .iter()
                    .map(|p| format!(" {}", fpart(p)))
                    .collect::<String>()
            ),
            K::Yield(v) => format!("(yield {})", opt(v)),
            K::YieldFrom(v) => format!("(yield-from {})", e(v)),
        }
    }

    fn arg(a: &Arg) -> String {
        match a {
            Arg::Pos(x) => e(x),
            Arg::Star(x) => format!("*{}", e(x)),
            Arg::Kw(n, x) => format!("{n}={}", e(x)),
            Arg::StarStar(x) => format!("**{}", e(x)),
        }
    }

    fn fpart(p: &FPart) -> String {
        match p {
            FPart::Lit(s) => format!("{s:?}"),
            FPart::Expr {
                expr,
                conversion,
                spec,
                debug_text,
            } => {
                let conv = conversion.map_or(String::new(), |c| format!("!{c}"));
                let spec = if spec.is_empty() {
                    String::new()
                } else {
                    format!(":{}", spec.iter().map(fpart).collect::<String>())
                };
                let dbg = debug_text
                    .as_ref()
                    .map_or(String::new(), |d| format!("{d:?}"));
                format!("{{{dbg}{}{conv}{spec}}}", e(expr))
            }
        }
    }

    fn params(p: &Params) -> String {
        let one = |x: &Param| {
            x.default
                .as_ref()
                .map_or(x.name.clone(), |d| format!("{}={}", x.name, e(d)))
        };
        let mut v: Vec<String> = p.args.iter().map(one).collect();
        v.extend(p.vararg.iter().map(|a| format!("*{a}")));
        v.extend(p.kwonly.iter().map(|x| format!("kw:{}", one(x))));
        v.extend(p.kwarg.iter().map(|a| format!("**{a}")));
        format!("({})", v.join(" "))
    }

    fn s(x: &Stmt) -> String {
        use StmtKind as S;
        let block = |b: &[Stmt]| format!("[{}]", b.iter().map(s).collect::<Vec<_>>().join("; "));
        let names = |v: &[(String, Option<String>)]| {
            v.iter()
                .map(|(n, a)| a.as_ref().map_or(n.clone(), |a| format!("{n} as {a}")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &x.kind {
            S::Expr(v) => e(v),
            S::Assign(t, v) => format!(
                "(= {} {})",
                t.iter().map(e).collect::<Vec<_>>().join(" "),
                e(v)
            ),
            S::AugAssign(t, op, v) => format!("({op:?}= {} {})", e(t), e(v)),
            S::AnnAssign(t, a, v) => format!(
                "(ann {} {} {})",
                e(t),
                e(a),
                v.as_ref().map_or("_".into(), e)
            ),
            S::Del(v) => format!("(del {})", v.iter().map(e).collect::<Vec<_>>().join(" ")),
            S::Pass => "pass".into(),
            S::Break => "break".into(),
            S::Continue => "continue".into(),
            S::Return(v) => format!("(return {})", v.as_ref().map_or("_".into(), e)),
            S::If(t, b, o) => format!("(if {} {} {})", e(t), block(b), block(o)),
            S::While(t, b, o) => format!("(while {} {} {})", e(t), block(b), block(o)),
            S::For(t, i, b, o) => format!("(for {} {} {} {})", e(t), e(i), block(b), block(o)),
            S::FunctionDef {
                name,
                params: p,
                body,
                decorators,
            } => {
                format!(
                    "(def {name} {} {} @[{}])",
                    params(p),
                    block(body),
                    decorators.iter().map(e).collect::<Vec<_>>().join(" ")
                )
            }
            S::ClassDef {
                name,
                bases,
                body,
                decorators,
            } => {
                let bases = bases.iter().map(arg).collect::<Vec<_>>().join(" ");
                format!(
                    "(class {name} ({bases}) {} @[{}])",
                    block(body),
                    decorators.iter().map(e).collect::<Vec<_>>().join(" ")
                )
            }
            S::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                let h = |h: &ExceptHandler| {
                    format!(
                        " (except {} {} {})",
                        h.ty.as_ref().map_or("_".into(), e),
                        h.name.as_deref().unwrap_or("_"),
                        block(&h.body)
                    )
                };
                format!(
                    "(try {}{} {} {})",
                    block(body),
                    handlers.iter().map(h).collect::<String>(),
                    block(orelse),
                    block(finalbody)
                )
            }
            S::Raise(a, b) => format!(
                "(raise {} {})",
                a.as_ref().map_or("_".into(), e),
                b.as_ref().map_or("_".into(), e)
            ),
            S::Global(v) => format!("(global {})", v.join(" ")),
            S::Nonlocal(v) => format!("(nonlocal {})", v.join(" ")),
            S::Import(v) => format!("(import {})", names(v)),
            S::ImportFrom(m, v) => format!("(from {m} import {})", names(v)),
            S::Assert(a, b) => format!("(assert {} {})", e(a), b.as_ref().map_or("_".into(), e)),
        }
    }

    /// The module's statements, rendered and joined with "; ".
    fn p(src: &str) -> String {
        let m = parse(src).unwrap_or_else(|err| panic!("{src:?}: {err:?}"));
        m.body.iter().map(s).collect::<Vec<_>>().join("; ")
    }

    fn err(src: &str) -> (&'static str, String, u32, u32) {
        let e = parse(src).expect_err(src);
        (e.kind, e.message, e.line, e.col)
    }

    #[test]
    fn literals() {
        assert_eq!(
            p("1_000; 0X1f; 0o17; 0b1_01; 0; 00"),
            "1000; 0x1f; 0o17; 0b101; 0; 00"
        );
        assert_eq!(
            p("1.5; .5; 1.; 1e10; 1_000.5e-3; 2j; 1.5J; 1E5"),
            "1.5; 0.5; 1.0; 10000000000.0; 1.0005; 2.0j; 1.5j; 100000.0"
        );
        assert_eq!(p("1if x else 2"), "(if x 1 2)");
        assert_eq!(p("None; True; False; ..."), "None; True; False; Ellipsis");
        assert_eq!(p(r#"'a' "b" '''c''' """d""""#), r#""abcd""#);
        assert_eq!(
            p(r#"'\n\t\\\'\"\x41\101\u00e9\U0001F600\a\0'"#),
            r#""\n\t\\'\"AAé😀\u{7}\0""#
        );
        assert_eq!(
            p("'a\\\nb'; '\\d'; r'\\n'; u'x'; R'\\''"),
            r#""ab"; "\\d"; "\\n"; "x"; "\\'""#
        );
        assert_eq!(p(r"b'x\xff' B'\777' rb'\d' Br'\n'"), r"b'x\xff\xff\\d\\n'");
        assert_eq!(p("'''a\nb'''; \"\"\"'\"\"\""), r#""a\nb"; "'""#);
        assert_eq!(p("x = 'é'"), r#"(= x "é")"#);
    }

    #[test]
    fn fstrings() {
        assert_eq!(
            p(r#"f"a{x}b{y!r}c{z:>{w}}d{{e}}""#),
            r#"(f "a" {x} "b" {y!r} "c" {z:">"{w}} "d{e}")"#
        );
        assert_eq!(
            p("f'{x=}'; f'{ y = }'; f'{x=!s}'; f'{x=:10}'"),
            r#"(f {"x="x!r}); (f {" y = "y!r}); (f {"x="x!s}); (f {"x="x:"10"})"#
        );
        assert_eq!(
            p(r#""lit" f"{a}" "more"; f''; f'{{}}'"#),
            r#"(f "lit" {a} "more"); (f); (f "{}")"#
        );
        assert_eq!(
            p(r#"f"{'q' if a else 'r'}{a['k']}{3.14:.2f}{x!a:^{n}.{p}}""#),
            r#"(f {(if a "q" "r")} {a["k"]} {3.14:".2f"} {x!a:"^"{n}"."{p}})"#
        );
        assert_eq!(
            p("rf'\\d{x}'; f'\\t{x}\\n'; f'{a!=b}{a<=b}{(x, y)}{a, b}'"),
            r#"(f "\\d" {x}); (f "\t" {x} "\n"); (f {(cmp a NotEq b)} {(cmp a LtE b)} {(tuple x y)} {(tuple a b)})"#
        );
        assert_eq!(
            p("f'{a[1:2]}{ {1: 2}[1] }'"),
            "(f {a[(slice 1 2 _)]} {{1:2}[1]})"
        );
        // Positions inside f-strings follow the source, across lines.
        let m = parse("x = f'''\n{\n  y}'''").unwrap();
        let StmtKind::Assign(
            _,
            Expr {
                kind: ExprKind::FString(parts),
                ..
            },
        ) = &m.body[0].kind
        else {
            panic!()
        };
        let FPart::Expr { expr, .. } = &parts[1] else {
            panic!()
        };
        assert_eq!(expr.pos, Pos { line: 3, col: 3 });
    }

    #[test]
    fn precedence() {
        assert_eq!(
            p("-2 ** 2; 2 ** -1; 2 ** 3 ** 2; -x.y ** ~z"),
            "(Neg (Pow 2 2)); (Pow 2 (Neg 1)); (Pow 2 (Pow 3 2)); (Neg (Pow x.y (Invert z)))"
        );
        assert_eq!(
            p("a + b * c - d / e // f % g @ h"),
            "(Sub (Add a (Mul b c)) (MatMul (Mod (FloorDiv (Div d e) f) g) h))"
        );
        assert_eq!(
            p("a | b ^ c & d << e >> f + g"),
            "(BitOr a (BitXor b (BitAnd c (RShift (LShift d e) (Add f g)))))"
        );
        assert_eq!(p("a or b and not c or d"), "(Or a (And b (Not c)) d)");
        assert_eq!(
            p("not a == b; not not a"),
            "(Not (cmp a Eq b)); (Not (Not a))"
        );
        assert_eq!(
            p("a < b <= c != d is not e not in f in g is h > i >= j == k"),
            "(cmp a Lt b LtE c NotEq d IsNot e NotIn f In g Is h Gt i GtE j Eq k)"
        );
        assert_eq!(p("a if b else c if d else e"), "(if b a (if d c e))");
        assert_eq!(
            p("lambda: 0; lambda x, y=1, *a, k, **kw: x + y"),
            "(lambda () 0); (lambda (x y=1 *a kw:k **kw) (Add x y))"
        );
        assert_eq!(
            p("a if b else lambda: c or d"),
            "(if b a (lambda () (Or c d)))"
        );
        assert_eq!(
            p("- - a; +a; a * -b; a - -1"),
            "(Neg (Neg a)); (Pos a); (Mul a (Neg b)); (Sub a (Neg 1))"
        );
    }

    #[test]
    fn primaries() {
        assert_eq!(p("f(a)(b)[c].d"), "(call (call f a) b)[c].d");
        assert_eq!(p("a[1:2]; a[::2]; a[1:2, 3]; a[:]; a[1:]; a[:, ::3]; a[b, c]; a[1,]"), "a[(slice 1 2 _)]; a[(slice _ _ 2)]; a[(tuple (slice 1 2 _) 3)]; a[(slice _ _ _)]; a[(slice 1 _ _)]; a[(tuple (slice _ _ _) (slice _ _ 3))]; a[(tuple b c)]; a[(tuple 1)]");
        assert_eq!(p("f(a, *b, c, d=1, *e, **f)"), "(call f a *b c d=1 *e **f)");
        assert_eq!(
            p("f(x for x in y); sum((x for x in y), 0); f(a,)"),
            "(call f (gen x for x in y)); (call sum (gen x for x in y) 0); (call f a)"
        );
        assert_eq!(
            p("f(lambda x: x, key=lambda y: y)"),
            "(call f (lambda (x) x) key=(lambda (y) y))"
        );
        assert_eq!(
            p("1 .real; x.if_; print(*a)"),
            "1.real; x.if_; (call print *a)"
        );
    }

    #[test]
    fn displays() {
        assert_eq!(
            p("(); (1,); (1, 2); (a); [] ; [1, *b]; {}; {1: 2, **d, 'k': 1}; {1, *s}; {*a}"),
            r#"(tuple ); (tuple 1); (tuple 1 2); a; []; [1 *b]; {}; {1:2 **d "k":1}; {1 *s}; {*a}"#
        );
        assert_eq!(
            p("[x * y for x in range(3) if x if x > 0 for y in x]"),
            "[(Mul x y) for x in (call range 3) if x if (cmp x Gt 0) for y in x]"
        );
        assert_eq!(
            p("{k: v for k, v in d.items()}; {x for x in s}; (x for x in y)"),
            "{k:v for (tuple k v) in (call d.items)}; {x for x in s}; (gen x for x in y)"
        );
        assert_eq!(
            p("[i for i in a if not i]; (a, *b); [*a, *b]; x = 1,"),
            "[i for i in a if (Not i)]; (tuple a *b); [*a *b]; (= x (tuple 1))"
        );
        assert_eq!(
            p("[\n  1,\n  2,\n]; {'a': [1, {'b': (2,)}]}"),
            r#"[1 2]; {"a":[1 {"b":(tuple 2)}]}"#
        );
        assert_eq!(p("[x for x in a or b if c]"), "[x for x in (Or a b) if c]");
    }

    #[test]
    fn assignments() {
        assert_eq!(p("a = b = c = 1"), "(= a b c 1)");
        assert_eq!(
            p("a, *b = c; (d, e), [f, g] = h; x.y[0], z = 1, 2"),
            "(= (tuple a *b) c); (= (tuple (tuple d e) [f g]) h); (= (tuple x.y[0] z) (tuple 1 2))"
        );
        let ops = [
            "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@",
        ];
        let src: Vec<String> = ops.iter().map(|o| format!("x {o}= 1")).collect();
        assert_eq!(p(&src.join("\n")), "(Add= x 1); (Sub= x 1); (Mul= x 1); (Div= x 1); (FloorDiv= x 1); (Mod= x 1); (Pow= x 1); (LShift= x 1); (RShift= x 1); (BitAnd= x 1); (BitOr= x 1); (BitXor= x 1); (MatMul= x 1)");
        assert_eq!(
            p("x: int = 5; y: list; self.a: int = 0; (z): int"),
            "(ann x int 5); (ann y list _); (ann self.a int 0); (ann z int _)"
        );
        assert_eq!(
            p("del a, b.c, d[0], (e, f), [g]; del x,"),
            "(del a b.c d[0] (tuple e f) [g]); (del x)"
        );
        assert_eq!(
            p("a += 1, 2; x = yield; y = yield a, b; a = b = yield x"),
            "(Add= a (tuple 1 2)); (= x (yield _)); (= y (yield (tuple a b))); (= a b (yield x))"
        );
        assert_eq!(p("for x, in y: pass\nfor *x, y in z: pass\nfor x in *a, b: pass"), "(for (tuple x) y [pass] []); (for (tuple *x y) z [pass] []); (for x (tuple *a b) [pass] [])");
    }

    #[test]
    fn simple_statements() {
        assert_eq!(p("pass; break; continue"), "pass; break; continue");
        assert_eq!(
            p("return\nreturn x\nreturn a, b\nreturn *a, b"),
            "(return _); (return x); (return (tuple a b)); (return (tuple *a b))"
        );
        assert_eq!(
            p("raise\nraise X\nraise X('m') from e"),
            r#"(raise _ _); (raise X _); (raise (call X "m") e)"#
        );
        assert_eq!(p("global a, b\nnonlocal c"), "(global a b); (nonlocal c)");
        assert_eq!(
            p("import os, os.path as p, a.b.c"),
            "(import os, os.path as p, a.b.c)"
        );
        assert_eq!(p("from m import a, b as c\nfrom . import x\nfrom ..pkg.mod import (y, z as w,)\nfrom m import *\nfrom ... import q"), "(from m import a, b as c); (from . import x); (from ..pkg.mod import y, z as w); (from m import *); (from ... import q)");
        assert_eq!(
            p("assert x, 'msg'\nassert y"),
            r#"(assert x "msg"); (assert y _)"#
        );
        assert_eq!(
            p("a = 1; b = 2;\nyield\nyield x\nr = yield from g(a)"),
            "(= a 1); (= b 2); (yield _); (yield x); (= r (yield-from (call g a)))"
        );
        assert_eq!(p("print >>f, x; type = 1; type(x); match = 1; match(x); print(x)"), "(tuple (RShift print f) x); (= type 1); (call type x); (= match 1); (call match x); (call print x)");
    }

    #[test]
    fn compound_statements() {
        assert_eq!(
            p("if a:\n    pass\nelif b:\n    x = 1\nelif c: y = 2\nelse:\n    z = 3"),
            "(if a [pass] [(if b [(= x 1)] [(if c [(= y 2)] [(= z 3)])])])"
        );
        assert_eq!(
            p("while x < 10:\n    x += 1\n    if x: break\nelse:\n    pass"),
            "(while (cmp x Lt 10) [(Add= x 1); (if x [break] [])] [pass])"
        );
        assert_eq!(
            p("for i, (a, b) in e(p):\n    print(i)\nelse: pass"),
            "(for (tuple i (tuple a b)) (call e p) [(call print i)] [pass])"
        );
        assert_eq!(
            p("@dec\n@mod.dec(1, k=2)\ndef f(a, b=1, *args, c, d=2, **kw):\n    return a"),
            "(def f (a b=1 *args kw:c kw:d=2 **kw) [(return a)] @[dec (call mod.dec 1 k=2)])"
        );
        assert_eq!(p("def g(a, /, b, *, c): return\ndef h(x: int = 1, *a: int, y: int, **k: int) -> int: pass"), "(def g (a b kw:c) [(return _)] @[]); (def h (x=1 *a kw:y **k) [pass] @[])");
        assert_eq!(
            p("def f(*, a=1): pass\ndef g(*a, **k,): pass\ndef h(): pass"),
            "(def f (kw:a=1) [pass] @[]); (def g (*a **k) [pass] @[]); (def h () [pass] @[])"
        );
        assert_eq!(p("class C(Base, metaclass=M, **kw):\n    x = 1\n@d\nclass D: pass\nclass E(): pass"), "(class C (Base metaclass=M **kw) [(= x 1)] @[]); (class D () [pass] @[d]); (class E () [pass] @[])");
        let src = "try:\n    x\nexcept ValueError:\n    pass\nexcept (A, B) as e:\n    raise\nexcept:\n    pass\nelse:\n    y\nfinally:\n    z";
        assert_eq!(p(src), "(try [x] (except ValueError _ [pass]) (except (tuple A B) e [(raise _ _)]) (except _ _ [pass]) [y] [z])");
        assert_eq!(p("try: pass\nfinally: pass"), "(try [pass] [] [pass])");
        assert_eq!(
            p("if x: pass; y\nwhile 1: a; b;"),
            "(if x [pass; y] []); (while 1 [a; b] [])"
        );
    }

    #[test]
    fn layout() {
        assert_eq!(
            p("if x:\n  if y:\n        z = 1\n  w = 2\n# c\n   # indented comment\n\nv = 3\n"),
            "(if x [(if y [(= z 1)] []); (= w 2)] []); (= v 3)"
        );
        assert_eq!(
            p("x = (1 +\n     2)\nz = 1 + \\\n    2"),
            "(= x (Add 1 2)); (= z (Add 1 2))"
        );
        assert_eq!(
            p("if x:\r\n\ty = 2\r\n\tz = 3\r\n"),
            "(if x [(= y 2); (= z 3)] [])"
        );
        assert_eq!(p("\u{feff}x = 1 # c"), "(= x 1)");
        assert_eq!(p(""), "");
        assert_eq!(p("\n\n# only a comment\n   \n"), "");
        assert_eq!(p("if x:\n    pass\n\n\n"), "(if x [pass] [])");
        assert_eq!(
            p("x = 'a' \\\n 'b'\nλ = 1\n_é2 = λ"),
            r#"(= x "ab"); (= λ 1); (= _é2 λ)"#
        );
    }

    #[test]
    fn positions() {
        let m = parse("x = a + b * c\nif t:\n    f(y)[0].z\nelif u: pass").unwrap();
        let StmtKind::Assign(t, v) = &m.body[0].kind else {
            panic!()
        };
        assert_eq!(
            (m.body[0].pos, t[0].pos, v.pos),
            (
                Pos { line: 1, col: 1 },
                Pos { line: 1, col: 1 },
                Pos { line: 1, col: 5 }
            )
        );
        let ExprKind::BinOp(_, _, r) = &v.kind else {
            panic!()
        };
        assert_eq!(r.pos, Pos { line: 1, col: 9 });
        let StmtKind::If(_, body, orelse) = &m.body[1].kind else {
            panic!()
        };
        assert_eq!(
            (body[0].pos, orelse[0].pos),
            (Pos { line: 3, col: 5 }, Pos { line: 4, col: 1 })
        );
        let m = parse("y = (1, 2) + [3] + -x\ndef f(a, b): pass\n@d\nclass C: pass").unwrap();
        let StmtKind::Assign(_, v) = &m.body[0].kind else {
            panic!()
        };
        let ExprKind::BinOp(l, _, r) = &v.kind else {
            panic!()
        };
        let ExprKind::BinOp(ll, _, lr) = &l.kind else {
            panic!()
        };
        assert_eq!((ll.pos.col, lr.pos.col, r.pos.col), (5, 14, 20));
        let StmtKind::FunctionDef { params, .. } = &m.body[1].kind else {
            panic!()
        };
        assert_eq!(params.args[1].pos, Pos { line: 2, col: 10 });
        assert_eq!(m.body[2].pos, Pos { line: 4, col: 1 });
    }

    #[test]
    fn errors() {
        let cases: &[(&str, &str, &str, u32, u32)] = &[
            ("x = 012", "SyntaxError", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 5),
            ("x = 0x", "SyntaxError", "invalid hexadecimal literal", 1, 6),
            ("x = 0o8", "SyntaxError", "invalid digit '8' in octal literal", 1, 7),
            ("x = 0b12", "SyntaxError", "invalid digit '2' in binary literal", 1, 8),
            ("x = 1__0", "SyntaxError", "invalid decimal literal", 1, 6),
            ("x = 1.__class__", "SyntaxError", "invalid decimal literal", 1, 6),
            ("x = \"abc", "SyntaxError", "unterminated string literal (detected at line 1)", 1, 5),
            ("x = f'abc\n", "SyntaxError", "unterminated f-string literal (detected at line 1)", 1, 5),
            ("x = '''abc\ndef", "SyntaxError", "unterminated triple-quoted string literal (detected at line 2)", 1, 5),
            ("x = '''abc\n\n", "SyntaxError", "unterminated triple-quoted string literal (detected at line 2)", 1, 5),
            ("x = b\"é\"", "SyntaxError", "bytes can only contain ASCII literal characters", 1, 5),
            ("x = '\\x4'", "SyntaxError", "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape", 1, 5),
            ("x = b'\\x4'", "SyntaxError", "(value error) invalid \\x escape at position 0", 1, 5),
            ("x = 1 +\\ 2", "SyntaxError", "unexpected character after line continuation character", 1, 9),
            ("x = (1,\ny = 2", "SyntaxError", "'(' was never closed", 1, 5),
            ("x = = 1\ny = (", "SyntaxError", "invalid syntax", 1, 5),
            ("x = = 1\ny = 'a", "SyntaxError", "unterminated string literal (detected at line 2)", 2, 5),
            ("x = [1, 2\n)", "SyntaxError", "closing parenthesis ')' does not match opening parenthesis '[' on line 1", 2, 1),
            ("x = 1)", "SyntaxError", "unmatched ')'", 1, 6),
            ("x = $", "SyntaxError", "invalid syntax", 1, 5),
            ("x = a <> b", "SyntaxError", "invalid syntax", 1, 7),
            ("x = a € b", "SyntaxError", "invalid character '€' (U+20AC)", 1, 7),
            ("x = a\u{a0}b", "SyntaxError", "invalid non-printable character U+00A0", 1, 6),
            ("x = 1\0", "SyntaxError", "source code cannot contain null bytes", 1, 6),
            ("if x:\npass", "IndentationError", "expected an indented block after 'if' statement on line 1", 2, 1),
            ("if x:", "IndentationError", "expected an indented block after 'if' statement on line 1", 1, 6),
            ("try:\n x\nexcept:\nz", "IndentationError", "expected an indented block after 'except' statement on line 3", 4, 1),
            ("def f():\nz", "IndentationError", "expected an indented block after function definition on line 1", 2, 1),
            ("if x:\n  a\n b", "IndentationError", "unindent does not match any outer indentation level", 3, 3),
            ("x\n  y", "IndentationError", "unexpected indent", 2, 2),
            ("if x:\n\tif y:\n        a", "TabError", "inconsistent use of tabs and spaces in indentation", 3, 1),
            ("if x\n  pass", "SyntaxError", "expected ':'", 1, 5),
            ("def f: pass", "SyntaxError", "expected '('", 1, 6),
            ("else:\n pass", "SyntaxError", "invalid syntax", 1, 1),
            ("a = 1 +\n", "SyntaxError", "invalid syntax", 1, 8),
            ("1 = 2", "SyntaxError", "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1),
            ("f() = 2", "SyntaxError", "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1),
            ("x = 1 = 2", "SyntaxError", "cannot assign to literal", 1, 5),
            ("(a, 1) = 2", "SyntaxError", "cannot assign to literal", 1, 5),
            ("[a, f()] = 2", "SyntaxError", "cannot assign to function call", 1, 5),
            ("1, a = 2", "SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 4),
            ("x = 1 if True else 2 = 3", "SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 1),
            ("del a, f()", "SyntaxError", "cannot delete function call", 1, 8),
            ("del *a", "SyntaxError", "cannot delete starred", 1, 5),
            ("for 1 in x: pass", "SyntaxError", "cannot assign to literal", 1, 5),
            ("[x for 1 in y]", "SyntaxError", "cannot assign to literal", 1, 8),
            ("(a, b) += 1", "SyntaxError", "'tuple' is an illegal expression for augmented assignment", 1, 1),
            ("a, b: int = 1", "SyntaxError", "only single target (not tuple) can be annotated", 1, 1),
            ("f(): int = 1", "SyntaxError", "illegal target for annotation", 1, 1),
            ("x = *a", "SyntaxError", "can't use starred expression here", 1, 5),
            ("*a = 1", "SyntaxError", "starred assignment target must be in a list or tuple", 1, 1),
            ("*a, *b = 1", "SyntaxError", "multiple starred expressions in assignment", 1, 1),
            ("(*a)", "SyntaxError", "cannot use starred expression here", 1, 2),
            ("f(x for x in y, 1)", "SyntaxError", "Generator expression must be parenthesized", 1, 3),
            ("f(a=1, 2)", "SyntaxError", "positional argument follows keyword argument", 1, 9),
            ("f(**a, *b)", "SyntaxError", "iterable argument unpacking follows keyword argument unpacking", 1, 8),
            ("f(a=1, a=2)", "SyntaxError", "keyword argument repeated: a", 1, 8),
            ("f(a.b=1)", "SyntaxError", "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3),
            ("def f(a=1, b): pass", "SyntaxError", "parameter without a default follows parameter with a default", 1, 12),
            ("def f(*): pass", "SyntaxError", "named arguments must follow bare *", 1, 7),
            ("def f(a, a): pass", "SyntaxError", "duplicate argument 'a' in function definition", 1, 10),
            ("def f(**k, a): pass", "SyntaxError", "arguments cannot follow var-keyword argument", 1, 12),
            ("def f(/, b): pass", "SyntaxError", "at least one argument must precede /", 1, 7),
            ("x := 1", "SyntaxError", "invalid syntax", 1, 3),
            ("print \"hello\"", "SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1),
            ("x = [1 2]", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 6),
            ("f(a b)", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 3),
            ("x = a b", "SyntaxError", "invalid syntax", 1, 7),
            ("x = a not b", "SyntaxError", "invalid syntax", 1, 11),
            ("x = 1 if 2", "SyntaxError", "expected 'else' after 'if' expression", 1, 5),
            ("try:\n pass\nexcept A, B:\n pass", "SyntaxError", "multiple exception types must be parenthesized", 3, 8),
            ("try:\n pass", "SyntaxError", "expected 'except' or 'finally' block", 2, 6),
            ("try:\n pass\nexcept:\n pass\nexcept A:\n pass", "SyntaxError", "default 'except:' must be last", 3, 1),
            ("x = {1: 2, 3}", "SyntaxError", "':' expected after dictionary key", 1, 12),
            ("x = {1:}", "SyntaxError", "expression expected after dictionary key and ':'", 1, 7),
            ("x = {**a for a in b}", "SyntaxError", "dict unpacking cannot be used in dict comprehension", 1, 6),
            ("x = [*a for a in b]", "SyntaxError", "iterable unpacking cannot be used in comprehension", 1, 6),
            ("x = [a, b for a in c]", "SyntaxError", "did you forget parentheses around the comprehension target?", 1, 6),
            ("from m import a,", "SyntaxError", "trailing comma not allowed without surrounding parentheses", 1, 17),
            ("x = 'a' b'b'", "SyntaxError", "cannot mix bytes and nonbytes literals", 1, 13),
            ("class C(x for x in y): pass", "SyntaxError", "invalid syntax", 1, 11),
            ("f\"{}\"", "SyntaxError", "f-string: valid expression required before '}'", 1, 4),
            ("f\"{x!z}\"", "SyntaxError", "f-string: invalid conversion character 'z': expected 's', 'r', or 'a'", 1, 6),
            ("f\"{x!}\"", "SyntaxError", "f-string: missing conversion character", 1, 6),
            ("f\"{x\"", "SyntaxError", "f-string: expecting '}'", 1, 5),
            ("f\"{x}}\"", "SyntaxError", "f-string: single '}' is not allowed", 1, 6),
            ("f\"{a)\"", "SyntaxError", "f-string: unmatched ')'", 1, 5),
            ("f\"{a b}\"", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 4),
            ("f\"{ lambda: 1}\"", "SyntaxError", "f-string: lambda expressions are not allowed without parentheses", 1, 5),
            ("f'{a:{b:{c:{d}}}}'", "SyntaxError", "f-string: expressions nested too deeply", 1, 11),
            ("x = (((1))", "SyntaxError", "'(' was never closed", 1, 5),
            ("a = 1;; b = 2", "SyntaxError", "invalid syntax", 1, 7),
            ("\\", "SyntaxError", "unexpected EOF while parsing", 1, 2),
        ];
        for &(src, kind, msg, line, col) in cases {
            assert_eq!(err(src), (kind, msg.to_string(), line, col), "{src:?}");
        }
    }

    #[test]
    fn unsupported() {
        let cases = [
            ("with a: pass", "'with' statements", 1, 1),
            (
                "async def f(): pass",
                "'async' functions and statements",
                1,
                1,
            ),
            ("x = await y", "'await' expressions", 1, 5),
            ("match x:\n    case 1: pass", "'match' statements", 1, 1),
            ("(x := 1)", "assignment expressions (:=)", 1, 4),
            ("x = a[*b]", "starred expressions in subscripts", 1, 7),
            ("type X = int", "type alias statements", 1, 1),
            ("def f[T](x): pass", "type parameters", 1, 6),
            (
                "try: pass\nexcept* E: pass",
                "except* (exception groups)",
                2,
                7,
            ),
            ("x = '\\N{DASH}'", "\\N{...} escapes", 1, 5),
            ("x = '\\ud800'", "lone surrogates in string literals", 1, 5),
        ];
        for (src, what, line, col) in cases {
            let msg = format!("not supported by the simulator: {what}");
            assert_eq!(err(src), ("NotImplementedError", msg, line, col), "{src:?}");
        }
    }

    #[test]
    fn deep_nesting() {
        let nest = |open: &str, close: &str, n: usize| {
            format!("x = {}1{}", open.repeat(n), close.repeat(n))
        };
        for (open, close) in [
            ("(", ")"),
            ("[", "]"),
            ("{1:", "}"),
            ("f(", ")"),
            ("a[", "]"),
            ("(1,", ")"),
        ] {
            assert!(parse(&nest(open, close, 200)).is_ok(), "{open}");
            let e = parse(&nest(open, close, 201)).unwrap_err();
            let col = 5 + 200 * open.len() + open.find(['(', '[', '{']).unwrap();
            assert_eq!(
                (e.message.as_str(), e.col as usize),
                ("too many nested parentheses", col),
                "{open}"
            );
        }
        for src in [
            format!("x = {}1", "-".repeat(100_000)),
            format!("x = {}1", "not ".repeat(100_000)),
            format!("x = {}1", "lambda: ".repeat(100_000)),
            format!("x = {}1", "a if b else ".repeat(100_000)),
            format!("x = {}1", "2**".repeat(100_000)),
            format!("x = {}1", "1+".repeat(100_000)),
            format!("x = a{}", ".b".repeat(100_000)),
            format!("x = a{}", "()".repeat(100_000)),
            format!("if x: pass\n{}", "elif x: pass\n".repeat(100_000)),
        ] {
            assert_eq!(
                parse(&src).unwrap_err().message,
                "too many nested parentheses"
            );
        }
        let deep_blocks: String = (0..100)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect();
        assert!(parse(&format!("{deep_blocks}{}pass", " ".repeat(100))).is_ok());
        let too_deep: String = (0..101)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect();
        assert_eq!(
            err(&format!("{too_deep}{}pass", " ".repeat(101))).1,
            "too many levels of indentation"
        );
    }

    /// Parses many mutations of valid programs: any outcome but a panic, overflow or hang is fine.
    #[test]
    fn no_panic_on_mutated_input() {
        let corpus = [
            "x = [i * 2 for i in range(10) if i % 2]\nif x:\n    y = f'{x!r:>{w}}' 'z'\nelse:\n    del x[0], y.z\n",
            "@d(1)\nclass C(B, metaclass=M):\n    def m(self, a, b=1, *c, d, **e) -> int:\n        return (yield a, *b)\n",
            "try:\n\tpass\nexcept (A, B) as e:\n\traise X from e\nfinally:\n\tx = {1: 2, **d, 'k': {3, *s}}\n",
            "for a, *b in zip(x, y):\n    while not a < b <= c:\n        a -= -2 ** ~b; break\nelse: continue\n",
            "import a.b as c\nfrom ..m import (d, e as f)\nglobal g\nlambda x=1, *y: x if y else (lambda: 0)\n",
            "s = b'\\x00' rb'\\d' '''a\nb''' \"\\N\" f\"{{}}{a[1:2, ::3]=}\" \\\n  'c'\nassert x, 'm'; pass\n",
            "x = 0x1F + 0o17 + 0b1 + 1_000.5e-3j + .5 + 1. + 00\nf(*a, **k, x=1)(y for y in z)[...]\n",
        ];
        let pieces = [
            "(", ")", "[", "]", "{", "}", ":", "\n", "    ", "\t", "'", "\"", "f'", "'''", "\\",
            "#", ",", "=", "*", "**", "if", "else", "for", "in", "lambda", "yield", "not", "é",
            "€", "\0", "0x", "1_", ".", "{x", "!r", "async", "match", "with", ":=",
        ];
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for round in 0..6000 {
            let mut chars: Vec<char> = corpus[round % corpus.len()].chars().collect();
            for _ in 0..1 + next() % 6 {
                let at = (next() as usize) % (chars.len() + 1);
                match next() % 4 {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 => chars
                        .splice(at..at, pieces[(next() as usize) % pieces.len()].chars())
                        .for_each(drop),
                    2 => chars.insert(at, char::from_u32((next() % 0x3000) as u32).unwrap_or('?')),
                    _ if at < chars.len() => {
                        let end = (at + (next() as usize) % 12).min(chars.len());
                        let dup: Vec<char> = chars[at..end].to_vec();
                        chars.splice(at..at, dup).for_each(drop);
                    }
                    _ => {}
                }
            }
            let src: String = chars.into_iter().collect();
            if let Err(e) = parse(&src) {
                assert!(
                    e.line >= 1 && e.col >= 1 && !e.message.is_empty(),
                    "{src:?}: {e:?}"
                );
            }
        }
        // Arbitrary text, not just near-valid programs.
        for _ in 0..2000 {
            let len = next() % 60;
            let src: String = (0..len)
                .map(|_| char::from_u32((next() % 0x80) as u32).unwrap_or(' '))
                .collect();
            let _ = parse(&src);
        }
    }
}
