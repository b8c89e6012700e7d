//! TCK values: the notation the TCK writes expected results in, parsed into
//! a comparable tree, printed back, and compared.
//!
//! Nodes compare by labels (as a set) and properties, relationships by type
//! and properties, paths element by element, lists in order (or as
//! multisets when element order is ignored), maps by key. `1` and `1.0`
//! differ; `NaN` equals `NaN`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

/// A node as the TCK sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TNode {
    /// Label names.
    pub labels: BTreeSet<String>,
    /// Properties by key.
    pub props: BTreeMap<String, TVal>,
}

/// A relationship as the TCK sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TRel {
    /// The type name.
    pub rel_type: String,
    /// Properties by key.
    pub props: BTreeMap<String, TVal>,
}

/// One step of a path: the relationship, whether it points forward, and
/// the node reached.
#[derive(Debug, Clone, PartialEq)]
pub struct TStep {
    /// The relationship walked.
    pub rel: TRel,
    /// `true` for `-[..]->`, `false` for `<-[..]-`.
    pub forward: bool,
    /// The node reached.
    pub node: TNode,
}

/// A value in TCK terms.
#[derive(Debug, Clone)]
pub enum TVal {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (`1.0`, `NaN`, `Inf`).
    Float(f64),
    /// A string; temporal values are compared through their string form.
    Str(String),
    /// A list.
    List(Vec<TVal>),
    /// A map.
    Map(BTreeMap<String, TVal>),
    /// A node.
    Node(TNode),
    /// A relationship.
    Rel(TRel),
    /// A path.
    Path(TNode, Vec<TStep>),
}

impl PartialEq for TVal {
    fn eq(&self, other: &Self) -> bool {
        equal(self, other, false)
    }
}

/// Compares two values; with `unordered`, lists compare as multisets.
pub fn equal(a: &TVal, b: &TVal, unordered: bool) -> bool {
    use TVal::*;
    match (a, b) {
        (Null, Null) => true,
        (Bool(x), Bool(y)) => x == y,
        (Int(x), Int(y)) => x == y,
        (Float(x), Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Str(x), Str(y)) => x == y,
        (List(x), List(y)) if unordered => same_multiset(x, y, |p, q| equal(p, q, true)),
        (List(x), List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q, false))
        }
        (Map(x), Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && equal(v1, v2, unordered))
        }
        (Node(x), Node(y)) => x == y,
        (Rel(x), Rel(y)) => x == y,
        (Path(s1, p1), Path(s2, p2)) => s1 == s2 && p1 == p2,
        _ => false,
    }
}

/// Whether `xs` and `ys` hold the same items, each matched once.
pub fn same_multiset<T>(xs: &[T], ys: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    if xs.len() != ys.len() {
        return false;
    }
    let mut used = vec![false; ys.len()];
    xs.iter().all(|x| {
        let found = ys
            .iter()
            .enumerate()
            .position(|(i, y)| !used[i] && eq(x, y));
        found.map(|i| used[i] = true).is_some()
    })
}

// ---------------------------------------------------------------- printing

impl fmt::Display for TVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TVal::Null => f.write_str("null"),
            TVal::Bool(b) => write!(f, "{b}"),
            TVal::Int(i) => write!(f, "{i}"),
            TVal::Float(x) if x.is_nan() => f.write_str("NaN"),
            TVal::Float(x) if x.is_infinite() => f.write_str(if *x > 0.0 { "Inf" } else { "-Inf" }),
            TVal::Float(x) => write!(f, "{x:?}"),
            TVal::Str(s) => {
                f.write_char('\'')?;
                for c in s.chars() {
                    match c {
                        '\'' => f.write_str("\\'")?,
                        '\\' => f.write_str("\\\\")?,
                        '\n' => f.write_str("\\n")?,
                        c => f.write_char(c)?,
                    }
                }
                f.write_char('\'')
            }
            TVal::List(items) => {
                f.write_char('[')?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_char(']')
            }
            TVal::Map(m) => write_map(f, m),
            TVal::Node(n) => write!(f, "{n}"),
            TVal::Rel(r) => write!(f, "{r}"),
            TVal::Path(start, steps) => {
                write!(f, "<{start}")?;
                for s in steps {
                    if s.forward {
                        write!(f, "-{}->{}", s.rel, s.node)?;
                    } else {
                        write!(f, "<-{}-{}", s.rel, s.node)?;
                    }
                }
                f.write_char('>')
            }
        }
    }
}

fn write_map(f: &mut fmt::Formatter<'_>, m: &BTreeMap<String, TVal>) -> fmt::Result {
    f.write_char('{')?;
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{k}: {v}")?;
    }
    f.write_char('}')
}

impl fmt::Display for TNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('(')?;
        for l in &self.labels {
            write!(f, ":{l}")?;
        }
        if !self.props.is_empty() {
            if !self.labels.is_empty() {
                f.write_char(' ')?;
            }
            write_map(f, &self.props)?;
        }
        f.write_char(')')
    }
}

impl fmt::Display for TRel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[:{}", self.rel_type)?;
        if !self.props.is_empty() {
            f.write_char(' ')?;
            write_map(f, &self.props)?;
        }
        f.write_char(']')
    }
}

// ----------------------------------------------------------------- parsing

/// Parses one value in TCK notation.
pub fn parse(text: &str) -> Result<TVal, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(p.error("trailing text"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!("{what} at {} in `{}`", self.pos, self.text)
    }

    fn ws(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, token: &str) -> bool {
        self.ws();
        if self.text[self.pos..].starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{token}`")))
        }
    }

    fn value(&mut self) -> Result<TVal, String> {
        match self.peek() {
            Some(b'\'') | Some(b'"') => self.string().map(TVal::Str),
            Some(b'{') => self.map().map(TVal::Map),
            Some(b'(') => self.node().map(TVal::Node),
            Some(b'<') => self.path(),
            Some(b'[') => {
                let save = self.pos;
                self.pos += 1;
                if self.peek() == Some(b':') {
                    self.pos = save;
                    self.rel().map(TVal::Rel)
                } else {
                    self.list()
                }
            }
            Some(_) => self.word(),
            None => Err(self.error("expected a value")),
        }
    }

    fn list(&mut self) -> Result<TVal, String> {
        let mut items = Vec::new();
        if self.eat("]") {
            return Ok(TVal::List(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat("]") {
                return Ok(TVal::List(items));
            }
            self.expect(",")?;
        }
    }

    fn map(&mut self) -> Result<BTreeMap<String, TVal>, String> {
        self.expect("{")?;
        let mut map = BTreeMap::new();
        if self.eat("}") {
            return Ok(map);
        }
        loop {
            let key = self.name()?;
            self.expect(":")?;
            map.insert(key, self.value()?);
            if self.eat("}") {
                return Ok(map);
            }
            self.expect(",")?;
        }
    }

    fn node(&mut self) -> Result<TNode, String> {
        self.expect("(")?;
        let mut labels = BTreeSet::new();
        while self.eat(":") {
            labels.insert(self.name()?);
        }
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        self.expect(")")?;
        Ok(TNode { labels, props })
    }

    fn rel(&mut self) -> Result<TRel, String> {
        self.expect("[")?;
        self.expect(":")?;
        let rel_type = self.name()?;
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        self.expect("]")?;
        Ok(TRel { rel_type, props })
    }

    fn path(&mut self) -> Result<TVal, String> {
        self.expect("<")?;
        let start = self.node()?;
        let mut steps = Vec::new();
        loop {
            let forward = if self.eat("<-") {
                false
            } else if self.eat("-") {
                true
            } else {
                break;
            };
            let rel = self.rel()?;
            self.expect(if forward { "->" } else { "-" })?;
            let node = self.node()?;
            steps.push(TStep { rel, forward, node });
        }
        self.expect(">")?;
        Ok(TVal::Path(start, steps))
    }

    /// An identifier, possibly backticked.
    fn name(&mut self) -> Result<String, String> {
        self.ws();
        if self.eat("`") {
            let end = self.text[self.pos..]
                .find('`')
                .ok_or_else(|| self.error("unclosed backtick"))?;
            let name = self.text[self.pos..self.pos + end].to_string();
            self.pos += end + 1;
            return Ok(name);
        }
        let start = self.pos;
        while let Some(c) = self.text[self.pos..].chars().next() {
            if c.is_alphanumeric() || c == '_' || c == '$' {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        if start == self.pos {
            return Err(self.error("expected a name"));
        }
        Ok(self.text[start..self.pos].to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        let quote = self.text[self.pos..].chars().next().unwrap_or('\'');
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.text[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            if c == quote {
                self.pos += i + 1;
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next().map(|(_, e)| e) {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('b') => out.push('\u{8}'),
                Some('f') => out.push('\u{c}'),
                Some(e) => out.push(e),
                None => break,
            }
        }
        Err(self.error("unclosed string"))
    }

    /// `null`, booleans and numbers.
    fn word(&mut self) -> Result<TVal, String> {
        let start = self.pos;
        while self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+' | b'_'))
        {
            self.pos += 1;
        }
        let word = &self.text[start..self.pos];
        match word {
            "null" => return Ok(TVal::Null),
            "true" => return Ok(TVal::Bool(true)),
            "false" => return Ok(TVal::Bool(false)),
            "NaN" => return Ok(TVal::Float(f64::NAN)),
            "Inf" | "Infinity" => return Ok(TVal::Float(f64::INFINITY)),
            "-Inf" | "-Infinity" => return Ok(TVal::Float(f64::NEG_INFINITY)),
            _ => {}
        }
        if let Ok(i) = word.parse::<i64>() {
            return Ok(TVal::Int(i));
        }
        let numeric = word
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'));
        match word.parse::<f64>() {
            Ok(x) if numeric && !word.is_empty() => Ok(TVal::Float(x)),
            _ => {
                self.pos = start;
                Err(self.error("unknown value"))
            }
        }
    }
}
