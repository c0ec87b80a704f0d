//! mscript: allocator scripts, a tiny language that drives [`crate::alloc::Heap`] directly, as C code calls
//! `PyObject_Malloc`, `PyObject_Realloc` and `PyObject_Free`.
//!
//! One statement a line: `p = malloc(N)`, `p = realloc(p, N)`, `free(p)`, `stats()` (the version's
//! `sys._debugmallocstats()` text), `print(p)` (the simulated address in hex), `# comments` and blank lines.
//! `N` is a decimal or `0x` hex byte count (`_` separators allowed). The whole script is parsed before the
//! first statement runs, so a bad number or an unknown statement anywhere stops the run before any output,
//! as Python reports a `SyntaxError` before executing. Names track the allocation they hold, so a double
//! free is caught even after pymalloc has handed the same address out again.

use crate::alloc::stats::{debugmallocstats, FreeListCounts};
use crate::alloc::{AllocError, Heap};
use std::fmt;

/// A problem at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diag {
    pub line: u32,
    pub col: u32,
    pub kind: DiagKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagKind {
    /// Found while parsing: an unknown statement or a bad number.
    Syntax,
    /// A name that was never assigned.
    Name,
    /// A double free or a use of a freed pointer.
    Free,
    /// The simulated memory limit.
    Memory,
}

impl DiagKind {
    /// The Python-style exception name the JS API reports.
    pub fn name(self) -> &'static str {
        match self {
            DiagKind::Syntax => "SyntaxError",
            DiagKind::Name => "NameError",
            DiagKind::Free => "DoubleFreeError",
            DiagKind::Memory => "MemoryError",
        }
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

/// A name as written, with the column it starts at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Malloc {
        dst: Option<Ident>,
        nbytes: u64,
    },
    Realloc {
        dst: Option<Ident>,
        src: Ident,
        nbytes: u64,
    },
    Free(Ident),
    Stats,
    Print(Ident),
}

/// One statement and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    pub line: u32,
    pub col: u32,
    pub op: Op,
}

const USAGE: &str = "expected one of: p = malloc(N), p = realloc(p, N), free(p), stats(), print(p)";

/// A cursor over one line; columns are 1-based character positions.
struct Cursor<'a> {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    _src: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str, line: u32) -> Cursor<'a> {
        Cursor {
            chars: text.chars().collect(),
            pos: 0,
            line,
            _src: text,
        }
    }

    fn col(&self) -> u32 {
        self.pos as u32 + 1
    }

    fn skip_ws(&mut self) {
        while self.pos < self.chars.len()
            && (self.chars[self.pos] == ' ' || self.chars[self.pos] == '\t')
        {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at_end(&mut self) -> bool {
        self.skip_ws();
        matches!(self.peek(), None | Some('#'))
    }

    fn err(&self, col: u32, message: impl Into<String>) -> Diag {
        Diag {
            line: self.line,
            col,
            kind: DiagKind::Syntax,
            message: message.into(),
        }
    }

    fn ident(&mut self) -> Option<Ident> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            Some(c) if c == '_' || c.is_alphabetic() => {}
            _ => return None,
        }
        while let Some(c) = self.peek() {
            if c == '_' || c.is_alphanumeric() {
                self.pos += 1;
            } else {
                break;
            }
        }
        Some(Ident {
            name: self.chars[start..self.pos].iter().collect(),
            col: start as u32 + 1,
        })
    }

    fn expect(&mut self, c: char, what: &str) -> Result<(), Diag> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            let found = match self.peek() {
                None | Some('#') => "end of line".to_string(),
                Some(x) => format!("'{x}'"),
            };
            Err(self.err(self.col(), format!("expected {what}, found {found}")))
        }
    }

    fn name_arg(&mut self, func: &str) -> Result<Ident, Diag> {
        self.skip_ws();
        let col = self.col();
        self.ident().ok_or_else(|| {
            self.err(
                col,
                format!("{func}() takes a pointer name, such as {func}(p)"),
            )
        })
    }

    /// A byte count: the token runs to the next `)` `,` blank or comment, so `12x` is one bad number.
    fn number(&mut self) -> Result<u64, Diag> {
        self.skip_ws();
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == ')' || c == ',' || c == '#' || c.is_whitespace() {
                break;
            }
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        let col = start as u32 + 1;
        if text.is_empty() {
            return Err(self.err(col, "expected a byte count"));
        }
        parse_number(&text).ok_or_else(|| {
            self.err(
                col,
                format!("bad number '{text}': a byte count is a decimal or 0x hex integer from 0 to 2**64-1"),
            )
        })
    }
}

fn parse_number(text: &str) -> Option<u64> {
    let (digits, radix) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(h) => (h, 16),
        None => (text, 10),
    };
    // Python's rule for `_`: only between digits.
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if radix == 10 && clean.len() > 1 && clean.starts_with('0') && clean.chars().any(|c| c != '0') {
        return None; // Python rejects leading zeros in decimal literals.
    }
    u64::from_str_radix(&clean, radix).ok()
}

fn parse_line(text: &str, line: u32) -> Result<Option<Stmt>, Diag> {
    let mut c = Cursor::new(text, line);
    if c.at_end() {
        return Ok(None);
    }
    let col = c.col();
    let Some(first) = c.ident() else {
        return Err(c.err(col, format!("unknown statement: {USAGE}")));
    };
    c.skip_ws();
    let (dst, func) = if c.peek() == Some('=') {
        c.pos += 1;
        c.skip_ws();
        let fcol = c.col();
        let f = c
            .ident()
            .ok_or_else(|| c.err(fcol, "expected malloc(N) or realloc(p, N) after '='"))?;
        if f.name != "malloc" && f.name != "realloc" {
            return Err(c.err(
                f.col,
                format!(
                    "'{}' cannot be assigned: only malloc and realloc return a pointer",
                    f.name
                ),
            ));
        }
        (Some(first), f)
    } else {
        (None, first)
    };
    let op = match func.name.as_str() {
        "malloc" => {
            c.expect('(', "'(' after malloc")?;
            let nbytes = c.number()?;
            c.expect(')', "')'")?;
            Op::Malloc { dst, nbytes }
        }
        "realloc" => {
            c.expect('(', "'(' after realloc")?;
            let src = c.name_arg("realloc")?;
            c.expect(',', "',' and a byte count")?;
            let nbytes = c.number()?;
            c.expect(')', "')'")?;
            Op::Realloc { dst, src, nbytes }
        }
        "free" | "print" | "stats" if dst.is_some() => unreachable!(/* rejected above */),
        "free" => {
            c.expect('(', "'(' after free")?;
            let p = c.name_arg("free")?;
            c.expect(')', "')'")?;
            Op::Free(p)
        }
        "print" => {
            c.expect('(', "'(' after print")?;
            let p = c.name_arg("print")?;
            c.expect(')', "')'")?;
            Op::Print(p)
        }
        "stats" => {
            c.expect('(', "'(' after stats")?;
            c.expect(')', "')': stats() takes no arguments")?;
            Op::Stats
        }
        other => return Err(c.err(func.col, format!("unknown statement '{other}': {USAGE}"))),
    };
    if !c.at_end() {
        let col = c.col();
        return Err(c.err(
            col,
            "unexpected text after the statement (one statement a line)",
        ));
    }
    Ok(Some(Stmt { line, col, op }))
}

/// Parses a whole script; the first problem wins.
pub fn parse(src: &str) -> Result<Vec<Stmt>, Diag> {
    let mut out = Vec::new();
    for (i, text) in src.lines().enumerate() {
        if let Some(s) = parse_line(text, i as u32 + 1)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// What a name holds: an address, and the line that freed it (or moved it away with realloc).
#[derive(Clone, Debug)]
struct Binding {
    addr: u64,
    dead_since: Option<(u32, &'static str)>,
}

/// Executes statements against a heap. Cloning a machine snapshots the whole simulated state.
#[derive(Clone, Debug)]
pub struct Machine {
    pub heap: Heap,
    /// Names in first-assignment order (scripts have a handful: a list is smaller than a map in wasm).
    names: Vec<(String, Binding)>,
}

impl Machine {
    pub fn new(heap: Heap) -> Machine {
        Machine {
            heap,
            names: Vec::new(),
        }
    }

    fn lookup(&self, id: &Ident, line: u32) -> Result<&Binding, Diag> {
        self.names
            .iter()
            .find(|(n, _)| *n == id.name)
            .map(|(_, b)| b)
            .ok_or_else(|| Diag {
                line,
                col: id.col,
                kind: DiagKind::Name,
                message: format!("name '{}' is not defined", id.name),
            })
    }

    fn live(&self, id: &Ident, line: u32, verb: &str) -> Result<u64, Diag> {
        let b = self.lookup(id, line)?;
        if let Some((freed_on, how)) = b.dead_since {
            let what = if verb == "free" {
                "double free"
            } else {
                "use after free"
            };
            return Err(Diag {
                line,
                col: id.col,
                kind: DiagKind::Free,
                message: format!(
                    "{what}: {verb}({}) of {:#x}, which was {how} on line {freed_on}",
                    id.name, b.addr
                ),
            });
        }
        Ok(b.addr)
    }

    fn bind(&mut self, dst: &Option<Ident>, addr: u64) {
        if let Some(d) = dst {
            let b = Binding {
                addr,
                dead_since: None,
            };
            match self.names.iter_mut().find(|(n, _)| *n == d.name) {
                Some(slot) => slot.1 = b,
                None => self.names.push((d.name.clone(), b)),
            }
        }
    }

    fn kill(&mut self, addr: u64, line: u32, how: &'static str) {
        for (_, b) in self.names.iter_mut() {
            if b.addr == addr && b.dead_since.is_none() {
                b.dead_since = Some((line, how));
            }
        }
    }

    fn memory_error(e: AllocError, s: &Stmt) -> Diag {
        let (kind, message) = match e {
            AllocError::OutOfMemory { .. } => (DiagKind::Memory, format!("MemoryError: {e}")),
            AllocError::NotAllocated(_) => (DiagKind::Free, e.to_string()),
        };
        Diag {
            line: s.line,
            col: s.col,
            kind,
            message,
        }
    }

    /// Runs one statement, appending what it prints to `out`.
    pub fn exec(&mut self, s: &Stmt, out: &mut String) -> Result<(), Diag> {
        match &s.op {
            Op::Malloc { dst, nbytes } => {
                let addr = self
                    .heap
                    .malloc(*nbytes)
                    .map_err(|e| Self::memory_error(e, s))?;
                self.bind(dst, addr);
            }
            Op::Realloc { dst, src, nbytes } => {
                let old = self.live(src, s.line, "realloc")?;
                let new = self
                    .heap
                    .realloc(old, *nbytes)
                    .map_err(|e| Self::memory_error(e, s))?;
                // As in C, every pointer to the old block is indeterminate once realloc returns, moved or not.
                self.kill(old, s.line, "reallocated");
                self.bind(dst, new);
            }
            Op::Free(p) => {
                let addr = self.live(p, s.line, "free")?;
                self.heap.free(addr).map_err(|e| Self::memory_error(e, s))?;
                self.kill(addr, s.line, "freed");
            }
            Op::Print(p) => {
                let addr = self.lookup(p, s.line)?.addr;
                out.push_str(&format!("{addr:#x}\n"));
            }
            Op::Stats => {
                out.push_str(&debugmallocstats(&self.heap, &FreeListCounts::default()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{ArenaAlign, Profile};

    fn machine(v: &str) -> Machine {
        Machine::new(Heap::new(
            Profile::parse(v, "x86_64").unwrap(),
            ArenaAlign::Page,
        ))
    }

    fn run(m: &mut Machine, src: &str) -> Result<String, Diag> {
        let mut out = String::new();
        for s in parse(src)? {
            m.exec(&s, &mut out)?;
        }
        Ok(out)
    }

    #[test]
    fn parses_every_statement() {
        let p = parse("# c\n\n p = malloc(0x10)  # c\nq=realloc(p,1_000)\nfree(q)\nstats()\nprint(p)\nmalloc(3)\n").unwrap();
        assert_eq!(p.len(), 6);
        assert_eq!((p[0].line, p[0].col), (3, 2));
        assert!(matches!(p[0].op, Op::Malloc { nbytes: 16, .. }));
        assert!(matches!(p[1].op, Op::Realloc { nbytes: 1000, .. }));
        assert!(matches!(
            p[5].op,
            Op::Malloc {
                dst: None,
                nbytes: 3
            }
        ));
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let e = parse("p = malloc(16)\nq = malloc(12x)\n").unwrap_err();
        assert_eq!((e.line, e.col, e.kind), (2, 12, DiagKind::Syntax));
        assert!(e.message.contains("bad number '12x'"), "{}", e.message);
        let e = parse("calloc(3)").unwrap_err();
        assert_eq!((e.line, e.col), (1, 1));
        assert!(e.message.starts_with("unknown statement 'calloc'"));
        let e = parse("p = malloc(-1)").unwrap_err();
        assert_eq!(e.col, 12);
        let e = parse("p = malloc(007)").unwrap_err();
        assert!(e.message.contains("bad number"));
        let e = parse("free(p) free(q)").unwrap_err();
        assert_eq!(e.col, 9);
        let e = parse("p = free(q)").unwrap_err();
        assert_eq!(e.col, 5);
        let e = parse("p = malloc(99999999999999999999)").unwrap_err();
        assert!(e.message.contains("bad number"));
        assert!(parse("p = malloc(16")
            .unwrap_err()
            .message
            .contains("expected ')'"));
        assert!(parse("1 = 2").is_err());
    }

    #[test]
    fn double_free_is_caught_even_after_reuse() {
        let mut m = machine("3.12");
        // q gets p's block back (LIFO free list), so address liveness alone would not see the double free.
        let e = run(&mut m, "p = malloc(16)\nfree(p)\nq = malloc(16)\nfree(p)\n").unwrap_err();
        assert_eq!((e.line, e.col, e.kind), (4, 6, DiagKind::Free));
        assert!(
            e.message.starts_with("double free: free(p)"),
            "{}",
            e.message
        );
        assert!(e.message.contains("freed on line 2"));
    }

    #[test]
    fn unknown_name_and_realloc_rules() {
        let mut m = machine("3.12");
        let e = run(&mut m, "free(nope)").unwrap_err();
        assert_eq!((e.col, e.kind), (6, DiagKind::Name));
        assert_eq!(e.message, "name 'nope' is not defined");
        let mut m = machine("3.12");
        let out = run(&mut m, "p = malloc(20)\nprint(p)\nq = realloc(p, 32)\nprint(q)\nr = realloc(q, 48)\nprint(r)\n").unwrap();
        let addrs: Vec<&str> = out.lines().collect();
        // 20 → 32 bytes: same 32-byte block (4*32 > 3*32); 32 → 48: a 48-byte block elsewhere.
        assert_eq!(addrs[0], addrs[1]);
        assert_ne!(addrs[1], addrs[2]);
        let e = run(&mut m, "free(q)").unwrap_err();
        assert!(e.message.contains("reallocated on line 5"), "{}", e.message);
    }

    #[test]
    fn memory_limit_is_a_memory_error() {
        let mut m = machine("3.12");
        let e = run(&mut m, "p = malloc(0x10000000000)").unwrap_err();
        assert_eq!(e.kind, DiagKind::Memory);
        assert!(e.message.starts_with("MemoryError"));
    }
}
