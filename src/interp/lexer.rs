//! lexer: source text to tokens, as CPython's tokenizer (`Parser/tokenizer.c`) produces them: INDENT and
//! DEDENT from leading whitespace, NEWLINE only outside brackets, comments and blank lines dropped. The
//! whole input is tokenized before parsing; a tokenizer error ends the token list with [`Tok::Error`] so the
//! parser can report it when it gets there, or in place of a generic syntax error earlier on, as CPython does.

use super::ast::ParseError;

/// CPython's MAXLEVEL: deeper bracket nesting is "too many nested parentheses".
pub const MAX_BRACKETS: usize = 200;
/// CPython's MAXINDENT.
const MAX_INDENTS: usize = 100;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// Identifiers and keywords alike; the parser tells them apart.
    Name(String),
    /// An integer literal with `_` removed and the base prefix lower-cased.
    Int(String),
    Float(f64),
    Imag(f64),
    Str(Box<StrLit>),
    /// Operators and delimiters, including `!` (only meaningful inside f-strings).
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    End,
    /// An ASCII character that starts no token (`$`, `?`, `` ` ``): CPython reports it as invalid syntax.
    Bad,
    /// Tokenizing stopped here on [`Lexed::error`].
    Error,
}

/// A string literal as written; escapes are decoded by the parser, which also splits f-strings.
#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    pub bytes: bool,
    pub raw: bool,
    pub fstring: bool,
    /// The text between the quotes, undecoded.
    pub body: String,
    /// Where `body` starts, for positions inside f-strings.
    pub body_line: u32,
    pub body_col: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LexError {
    pub err: ParseError,
    /// For a bracket still open at the end of input, its line: CPython lets a generic syntax error found
    /// before that line stand, and replaces later ones with "'(' was never closed".
    pub unclosed: Option<u32>,
}

#[derive(Clone, Debug)]
pub struct Lexed {
    /// Always ends with [`Tok::End`], or [`Tok::Error`] when `error` is set.
    pub tokens: Vec<Token>,
    pub error: Option<LexError>,
}

pub fn error(kind: &'static str, message: impl Into<String>, line: u32, col: u32) -> ParseError {
    ParseError {
        kind,
        message: message.into(),
        line,
        col,
    }
}

/// Tokenizes a module.
pub fn tokenize(src: &str) -> Lexed {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let chars: Vec<char> = src
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .collect();
    Lexer::new(chars, 1, 1, false).run()
}

/// Tokenizes an f-string replacement field starting at `line`/`col`: no NEWLINE, INDENT or DEDENT tokens, as
/// if inside brackets.
pub fn tokenize_expr(chars: &[char], line: u32, col: u32) -> Lexed {
    Lexer::new(chars.to_vec(), line, col, true).run()
}

type LResult<T> = Result<T, LexError>;

struct Lexer {
    c: Vec<char>,
    i: usize,
    line: u32,
    /// Index of the current line's first character; negative on an f-string field's first line so that
    /// columns continue from where the field sits in the source.
    line_start: i64,
    at_line_start: bool,
    /// Indentation levels: (column with tabs to multiples of 8, column with tabs as 1) as CPython keeps them
    /// to detect inconsistent tabs.
    indents: Vec<(u32, u32)>,
    brackets: Vec<(char, u32, u32)>,
    expr_mode: bool,
    toks: Vec<Token>,
}

fn fail<T>(kind: &'static str, msg: impl Into<String>, line: u32, col: u32) -> LResult<T> {
    Err(LexError {
        err: error(kind, msg, line, col),
        unclosed: None,
    })
}

pub fn is_id_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

pub fn is_id_continue(c: char) -> bool {
    // Combining marks are XID_Continue but not alphanumeric; cover the common blocks.
    is_id_start(c)
        || c.is_ascii_digit()
        || (!c.is_ascii()
            && (c.is_alphanumeric()
                || matches!(c, '\u{300}'..='\u{36f}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}')))
}

fn is_printable(c: char) -> bool {
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'))
}

const OPS3: [&str; 5] = ["**=", "//=", ">>=", "<<=", "..."];
/// `<>` is tokenized only so that, as in CPython, the error points at its start.
const OPS2: [&str; 20] = [
    "->", ":=", "!=", "==", "<=", ">=", "**", "//", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=",
    "|=", "^=", "@=", "<>",
];
const OPS1: &str = "+-*/%@&|^~<>()[]{},:;.=!";

impl Lexer {
    fn new(c: Vec<char>, line: u32, col: u32, expr_mode: bool) -> Lexer {
        Lexer {
            c,
            i: 0,
            line,
            line_start: 1 - col as i64,
            at_line_start: !expr_mode,
            indents: vec![(0, 0)],
            brackets: Vec::new(),
            expr_mode,
            toks: Vec::new(),
        }
    }

    fn peek(&self, k: usize) -> Option<char> {
        self.c.get(self.i + k).copied()
    }

    fn col_of(&self, i: usize) -> u32 {
        (i as i64 - self.line_start + 1) as u32
    }

    fn col(&self) -> u32 {
        self.col_of(self.i)
    }

    fn newline(&mut self) {
        self.line += 1;
        self.line_start = self.i as i64;
    }

    fn push(&mut self, tok: Tok, line: u32, col: u32) {
        self.toks.push(Token { tok, line, col });
    }

    /// Where CPython places errors found at end of input: just after the last character, on its line.
    fn eof_pos(&self) -> (u32, u32) {
        if self.i > 0 && self.c[self.i - 1] == '\n' {
            let prev = self.c[..self.i - 1]
                .iter()
                .rposition(|&c| c == '\n')
                .map_or(0, |p| p + 1);
            (self.line - 1, (self.i - prev) as u32)
        } else {
            (self.line, self.col())
        }
    }

    fn run(mut self) -> Lexed {
        let error = self.scan().err();
        let (line, col) = self.eof_pos();
        let end = if error.is_some() {
            Tok::Error
        } else {
            Tok::End
        };
        self.push(end, line, col);
        Lexed {
            tokens: self.toks,
            error,
        }
    }

    fn scan(&mut self) -> LResult<()> {
        loop {
            if self.at_line_start && !self.indentation()? {
                break;
            }
            while matches!(self.peek(0), Some(' ' | '\t' | '\x0c')) {
                self.i += 1;
            }
            let Some(c) = self.peek(0) else { break };
            let (line, col) = (self.line, self.col());
            match c {
                '#' => {
                    while !matches!(self.peek(0), None | Some('\n')) {
                        self.i += 1;
                    }
                }
                '\n' => {
                    if self.brackets.is_empty() && !self.expr_mode {
                        self.push(Tok::Newline, line, col);
                        self.at_line_start = true;
                    }
                    self.i += 1;
                    self.newline();
                }
                '\\' => match self.peek(1) {
                    Some('\n') => {
                        self.i += 2;
                        self.newline();
                        if self.peek(0).is_none() {
                            return fail(
                                "SyntaxError",
                                "unexpected EOF while parsing",
                                line,
                                col + 1,
                            );
                        }
                    }
                    None => {
                        return fail("SyntaxError", "unexpected EOF while parsing", line, col + 1)
                    }
                    Some(_) => {
                        let msg = "unexpected character after line continuation character";
                        return fail("SyntaxError", msg, line, col + 1);
                    }
                },
                '\0' => {
                    return fail(
                        "SyntaxError",
                        "source code cannot contain null bytes",
                        line,
                        col,
                    )
                }
                '0'..='9' => self.number()?,
                '.' if matches!(self.peek(1), Some('0'..='9')) => self.number()?,
                '\'' | '"' => self.string(line, col, "")?,
                c if is_id_start(c) => {
                    let start = self.i;
                    while self.peek(0).is_some_and(is_id_continue) {
                        self.i += 1;
                    }
                    let name: String = self.c[start..self.i].iter().collect();
                    let prefix = name.to_ascii_lowercase();
                    let is_prefix = matches!(
                        prefix.as_str(),
                        "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf"
                    );
                    if is_prefix && matches!(self.peek(0), Some('\'' | '"')) {
                        self.string(line, col, &prefix)?;
                    } else {
                        self.push(Tok::Name(name), line, col);
                    }
                }
                c if !c.is_ascii() || !is_printable(c) => return self.bad_char(c, line, col),
                _ => self.operator(c, line, col)?,
            }
        }
        if let Some(&(b, bl, bc)) = self.brackets.last() {
            let err = error("SyntaxError", format!("'{b}' was never closed"), bl, bc);
            return Err(LexError {
                err,
                unclosed: Some(bl),
            });
        }
        if !self.expr_mode {
            let (line, col) = self.eof_pos();
            if self
                .toks
                .last()
                .is_some_and(|t| t.tok != Tok::Newline && t.tok != Tok::Dedent)
            {
                self.push(Tok::Newline, line, col);
            }
            for _ in 1..self.indents.len() {
                self.push(Tok::Dedent, line, col);
            }
        }
        Ok(())
    }

    fn bad_char<T>(&self, c: char, line: u32, col: u32) -> LResult<T> {
        let msg = if is_printable(c) {
            format!("invalid character '{c}' (U+{:04X})", c as u32)
        } else {
            format!("invalid non-printable character U+{:04X}", c as u32)
        };
        fail("SyntaxError", msg, line, col)
    }

    /// Measures a line's indentation and emits INDENT/DEDENT; skips blank and comment-only lines. Returns
    /// false at end of input.
    fn indentation(&mut self) -> LResult<bool> {
        loop {
            let (mut col, mut alt) = (0u32, 0u32);
            while let Some(c) = self.peek(0) {
                match c {
                    ' ' => (col, alt) = (col + 1, alt + 1),
                    '\t' => (col, alt) = ((col / 8 + 1) * 8, alt + 1),
                    '\x0c' => (col, alt) = (0, 0),
                    _ => break,
                }
                self.i += 1;
            }
            if self.peek(0) == Some('#') {
                while !matches!(self.peek(0), None | Some('\n')) {
                    self.i += 1;
                }
            }
            match self.peek(0) {
                None => return Ok(false),
                Some('\n') => {
                    self.i += 1;
                    self.newline();
                    continue;
                }
                _ => {}
            }
            self.at_line_start = false;
            let (line, here) = (self.line, self.col());
            let (top, top_alt) = *self.indents.last().unwrap();
            let tab_error = || {
                fail(
                    "TabError",
                    "inconsistent use of tabs and spaces in indentation",
                    line,
                    1,
                )
            };
            if col > top {
                if alt <= top_alt {
                    return tab_error();
                }
                if self.indents.len() > MAX_INDENTS {
                    return fail(
                        "IndentationError",
                        "too many levels of indentation",
                        line,
                        here,
                    );
                }
                self.indents.push((col, alt));
                // CPython reports "unexpected indent" just before the first token.
                self.push(Tok::Indent, line, here - 1);
            } else {
                while col < self.indents.last().unwrap().0 {
                    self.indents.pop();
                    self.push(Tok::Dedent, line, here);
                }
                let (top, top_alt) = *self.indents.last().unwrap();
                if col != top {
                    let end = self.c[self.i..]
                        .iter()
                        .position(|&c| c == '\n')
                        .map_or(self.c.len(), |p| self.i + p);
                    let msg = "unindent does not match any outer indentation level";
                    return fail("IndentationError", msg, line, self.col_of(end));
                }
                if alt != top_alt {
                    return tab_error();
                }
            }
            return Ok(true);
        }
    }

    fn operator(&mut self, c: char, line: u32, col: u32) -> LResult<()> {
        let rest: String = self.c[self.i..(self.i + 3).min(self.c.len())]
            .iter()
            .collect();
        let op = OPS3
            .iter()
            .chain(OPS2.iter())
            .find(|op| rest.starts_with(**op))
            .copied()
            .or_else(|| OPS1.find(c).map(|k| &OPS1[k..k + 1]));
        let Some(op) = op else {
            self.i += 1;
            self.push(Tok::Bad, line, col);
            return Ok(());
        };
        self.i += op.len();
        match c {
            '(' | '[' | '{' => {
                if self.brackets.len() >= MAX_BRACKETS {
                    return fail("SyntaxError", "too many nested parentheses", line, col);
                }
                self.brackets.push((c, line, col));
            }
            ')' | ']' | '}' => {
                let Some((open, oline, _)) = self.brackets.pop() else {
                    return fail("SyntaxError", format!("unmatched '{c}'"), line, col);
                };
                if !matches!((open, c), ('(', ')') | ('[', ']') | ('{', '}')) {
                    let mut msg = format!(
                        "closing parenthesis '{c}' does not match opening parenthesis '{open}'"
                    );
                    if oline != line {
                        msg += &format!(" on line {oline}");
                    }
                    return fail("SyntaxError", msg, line, col);
                }
            }
            _ => {}
        }
        self.push(Tok::Op(op), line, col);
        Ok(())
    }

    /// Consumes digits of one radix with single `_` separators between them.
    fn digits(&mut self, radix: u32, kind: &str) -> LResult<()> {
        loop {
            while self.peek(0).is_some_and(|c| c.is_digit(radix)) {
                self.i += 1;
            }
            if self.peek(0) != Some('_') {
                return Ok(());
            }
            self.i += 1;
            if !self.peek(0).is_some_and(|c| c.is_digit(radix)) {
                return fail(
                    "SyntaxError",
                    format!("invalid {kind} literal"),
                    self.line,
                    self.col() - 1,
                );
            }
        }
    }

    /// Rejects a number run into a name, except for the keywords CPython still accepts there (`1if x else y`).
    fn end_of_number(&self, kind: &str) -> LResult<()> {
        let Some(c) = self.peek(0).filter(|&c| is_id_continue(c)) else {
            return Ok(());
        };
        let rest: String = self.c[self.i..(self.i + 5).min(self.c.len())]
            .iter()
            .collect();
        let kw = ["and", "else", "for", "if", "in", "is", "not", "or"]
            .iter()
            .any(|k| rest.starts_with(k));
        if kw && kind == "decimal" {
            return Ok(());
        }
        let (line, col) = (self.line, self.col());
        match (kind, c) {
            ("octal", '0'..='9') | ("binary", '0'..='9') => fail(
                "SyntaxError",
                format!("invalid digit '{c}' in {kind} literal"),
                line,
                col,
            ),
            _ => fail(
                "SyntaxError",
                format!("invalid {kind} literal"),
                line,
                col - 1,
            ),
        }
    }

    fn number(&mut self) -> LResult<()> {
        let (line, col, start) = (self.line, self.col(), self.i);
        let text = |l: &Lexer| {
            l.c[start..l.i]
                .iter()
                .filter(|&&c| c != '_')
                .collect::<String>()
        };
        if self.peek(0) == Some('0') {
            if let Some(p @ ('x' | 'X' | 'o' | 'O' | 'b' | 'B')) = self.peek(1) {
                let (radix, kind) = match p {
                    'x' | 'X' => (16, "hexadecimal"),
                    'o' | 'O' => (8, "octal"),
                    _ => (2, "binary"),
                };
                self.i += 2;
                if self.peek(0) == Some('_') {
                    self.i += 1;
                }
                if !self.peek(0).is_some_and(|c| c.is_digit(radix)) {
                    return match self.peek(0) {
                        Some(c @ '0'..='9') => fail(
                            "SyntaxError",
                            format!("invalid digit '{c}' in {kind} literal"),
                            line,
                            self.col(),
                        ),
                        _ => fail(
                            "SyntaxError",
                            format!("invalid {kind} literal"),
                            line,
                            self.col() - 1,
                        ),
                    };
                }
                self.digits(radix, kind)?;
                self.end_of_number(kind)?;
                let t = text(self);
                self.push(
                    Tok::Int(format!("0{}{}", p.to_ascii_lowercase(), &t[2..])),
                    line,
                    col,
                );
                return Ok(());
            }
        }
        let mut float = false;
        if self.peek(0) != Some('.') {
            self.digits(10, "decimal")?;
        }
        if self.peek(0) == Some('.') {
            float = true;
            self.i += 1;
            if self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                self.digits(10, "decimal")?;
            }
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek(1), Some('+' | '-')));
            if self.peek(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                float = true;
                self.i += 1 + sign;
                self.digits(10, "decimal")?;
            } else if sign == 1 {
                return fail(
                    "SyntaxError",
                    "invalid decimal literal",
                    line,
                    self.col() + 1,
                );
            }
        }
        if matches!(self.peek(0), Some('j' | 'J')) {
            let v = super::fmt::parse_decimal(&text(self)).unwrap_or(f64::INFINITY);
            self.i += 1;
            self.end_of_number("decimal")?;
            self.push(Tok::Imag(v), line, col);
            return Ok(());
        }
        self.end_of_number("decimal")?;
        let t = text(self);
        if float {
            self.push(
                Tok::Float(super::fmt::parse_decimal(&t).unwrap_or(f64::INFINITY)),
                line,
                col,
            );
        } else if t.len() > 1 && t.starts_with('0') && t.bytes().any(|b| b != b'0') {
            let msg = "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers";
            return fail("SyntaxError", msg, line, col);
        } else {
            self.push(Tok::Int(t), line, col);
        }
        Ok(())
    }

    /// Scans a string literal whose prefix (lower-cased) has been consumed and which starts at `line`/`col`.
    fn string(&mut self, line: u32, col: u32, prefix: &str) -> LResult<()> {
        let q = self.c[self.i];
        let triple = self.peek(1) == Some(q) && self.peek(2) == Some(q);
        let qlen = if triple { 3 } else { 1 };
        self.i += qlen;
        let (body_line, body_col, start) = (self.line, self.col(), self.i);
        loop {
            match self.peek(0) {
                Some(c)
                    if c == q
                        && (!triple || (self.peek(1) == Some(q) && self.peek(2) == Some(q))) =>
                {
                    break
                }
                Some('\n') if triple => {
                    self.i += 1;
                    self.newline();
                }
                None | Some('\n') => {
                    let f = if prefix.contains('f') {
                        "f-string"
                    } else {
                        "string"
                    };
                    let t = if triple { "triple-quoted " } else { "" };
                    let detected = if triple { self.eof_pos().0 } else { self.line };
                    let msg = format!("unterminated {t}{f} literal (detected at line {detected})");
                    return fail("SyntaxError", msg, line, col);
                }
                Some('\\') => {
                    self.i += 1;
                    if self.peek(0) == Some('\n') {
                        self.i += 1;
                        self.newline();
                    } else if self.peek(0).is_some() {
                        self.i += 1;
                    }
                }
                Some(_) => self.i += 1,
            }
        }
        let body: String = self.c[start..self.i].iter().collect();
        self.i += qlen;
        let bytes = prefix.contains('b');
        if bytes && !body.is_ascii() {
            return fail(
                "SyntaxError",
                "bytes can only contain ASCII literal characters",
                line,
                col,
            );
        }
        let lit = StrLit {
            bytes,
            raw: prefix.contains('r'),
            fstring: prefix.contains('f'),
            body,
            body_line,
            body_col,
        };
        self.push(Tok::Str(Box::new(lit)), line, col);
        Ok(())
    }
}

/// Decodes the escapes of a string or bytes literal body into code points (bytes: values below 256). Errors
/// carry the exception kind and CPython's message.
pub fn decode(body: &str, raw: bool, bytes: bool) -> Result<Vec<u32>, (&'static str, String)> {
    let c: Vec<char> = body.chars().collect();
    let mut offs = Vec::with_capacity(c.len() + 1);
    let mut o = 0;
    for ch in &c {
        offs.push(o);
        o += ch.len_utf8();
    }
    offs.push(o);
    let mut out = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        if c[i] != '\\' || raw || i + 1 == c.len() {
            out.push(c[i] as u32);
            i += 1;
            continue;
        }
        let (start, e) = (i, c[i + 1]);
        i += 2;
        let hex = |n: usize, i: &mut usize, what: &str| -> Result<u32, (&'static str, String)> {
            let mut v = 0;
            for _ in 0..n {
                match c.get(*i).and_then(|d| d.to_digit(16)) {
                    Some(d) => v = v * 16 + d,
                    None if bytes => {
                        return Err((
                            "SyntaxError",
                            format!(
                                "(value error) invalid \\x escape at position {}",
                                offs[start]
                            ),
                        ))
                    }
                    None => {
                        let (s, e) = (offs[start], offs[*i] - 1);
                        let msg = format!("(unicode error) 'unicodeescape' codec can't decode bytes in position {s}-{e}: truncated {what} escape");
                        return Err(("SyntaxError", msg));
                    }
                }
                *i += 1;
            }
            Ok(v)
        };
        let v = match e {
            '\n' => continue,
            '\\' | '\'' | '"' => e as u32,
            'a' => 7,
            'b' => 8,
            'f' => 12,
            'n' => 10,
            'r' => 13,
            't' => 9,
            'v' => 11,
            '0'..='7' => {
                let mut v = e as u32 - '0' as u32;
                for _ in 0..2 {
                    match c.get(i).and_then(|d| d.to_digit(8)) {
                        Some(d) => v = v * 8 + d,
                        None => break,
                    }
                    i += 1;
                }
                if bytes {
                    v & 0xff
                } else {
                    v
                }
            }
            'x' => hex(2, &mut i, "\\xXX")?,
            'u' if !bytes => hex(4, &mut i, "\\uXXXX")?,
            'U' if !bytes => {
                let v = hex(8, &mut i, "\\UXXXXXXXX")?;
                if v > 0x10ffff {
                    let (s, e) = (offs[start], offs[i] - 1);
                    let msg = format!("(unicode error) 'unicodeescape' codec can't decode bytes in position {s}-{e}: illegal Unicode character");
                    return Err(("SyntaxError", msg));
                }
                v
            }
            'N' if !bytes => {
                return Err((
                    "NotImplementedError",
                    "not supported by the simulator: \\N{...} escapes".into(),
                ))
            }
            // Unknown escapes stay as written (CPython warns).
            _ => {
                out.push('\\' as u32);
                i = start + 1;
                continue;
            }
        };
        out.push(v);
    }
    Ok(out)
}
