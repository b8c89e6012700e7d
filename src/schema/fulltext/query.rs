//! The query text of `db.index.fulltext.queryNodes | queryRelationships`:
//! a subset of Lucene's classic query syntax, parsed into a [`Query`].
//!
//! Supported: terms (`truck`), phrases (`"heavy truck"`), prefix and
//! wildcard terms (`sino*`, `tr?ck`), fuzzy terms (`sinotruck~`,
//! `sinotruck~1`), `AND` / `&&`, `OR` / `||`, `NOT` / `!`, `+` / `-`,
//! parentheses, field-qualified clauses (`name:foo`, `name:(a b)`),
//! boosts (`truck^2`), `*:*` (everything), backslash escapes; clauses
//! without an operator are joined by OR. Range (`[a TO b]`) and
//! regular-expression (`/re/`) queries and phrase slop are refused with an
//! error. Every error names the character where the problem is.

use std::fmt;

/// How deep parentheses may nest (deeper is an error, not a stack overflow).
const MAX_DEPTH: usize = 64;

/// A bad query text: a message and the 1-based character position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based position of the character where the problem is.
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position)
    }
}

impl std::error::Error for QueryError {}

/// Whether a clause must, may or must not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// `+x`, or either side of `AND`.
    Must,
    /// The default.
    Should,
    /// `-x`, `NOT x`, `!x`.
    MustNot,
}

/// What a query matches, before analysis.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// A word as written (the analyzer may split it).
    Term(String),
    /// A quoted phrase as written.
    Phrase(String),
    /// A word ending in `*` (the part before it).
    Prefix(String),
    /// A word with `*` or `?` elsewhere.
    Wildcard(String),
    /// A word followed by `~`: terms within `edits` edits of it.
    Fuzzy(String, u8),
    /// Clauses.
    Bool(Vec<(Occur, Query)>),
    /// `*:*`: every indexed element.
    All,
}

/// A parsed query: what it matches, in which field (all indexed
/// properties when `None`), with which boost.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// What it matches.
    pub matcher: Matcher,
    /// The property it looks in, if qualified.
    pub field: Option<String>,
    /// Score factor (`^n`, default 1).
    pub boost: f64,
}

/// Parses a query text.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        end: text.chars().count() + 1,
    };
    let query = parser.clauses(None, 0)?;
    if let Some(t) = parser.peek() {
        return Err(err(t.position, "unexpected `)`"));
    }
    match &query.matcher {
        Matcher::Bool(c) if c.is_empty() => Err(err(1, "the query is empty")),
        _ => Ok(query),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word { text: String, wild: bool },
    Quoted(String),
    And,
    Or,
    Not,
    Plus,
    Minus,
    Open,
    Close,
    Colon,
    Boost(f64),
    Tilde(Option<u8>),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    position: usize,
}

fn err(position: usize, message: impl Into<String>) -> QueryError {
    QueryError {
        position,
        message: message.into(),
    }
}

fn is_special(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '+' | '-'
                | '!'
                | '('
                | ')'
                | ':'
                | '^'
                | '['
                | ']'
                | '"'
                | '{'
                | '}'
                | '~'
                | '\\'
                | '/'
        )
}

fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let position = i + 1;
        let next = chars.get(i + 1).copied();
        let mut push = |tok| out.push(Token { tok, position });
        match c {
            c if c.is_whitespace() => i += 1,
            '&' if next == Some('&') => {
                push(Tok::And);
                i += 2;
            }
            '|' if next == Some('|') => {
                push(Tok::Or);
                i += 2;
            }
            '+' | '-' | '!' | '(' | ')' | ':' => {
                push(match c {
                    '+' => Tok::Plus,
                    '-' => Tok::Minus,
                    '!' => Tok::Not,
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    _ => Tok::Colon,
                });
                i += 1;
            }
            '^' => {
                let (number, len) = number_at(&chars, i + 1);
                let boost = number
                    .and_then(|n| n.parse::<f64>().ok())
                    .filter(|b| b.is_finite() && *b >= 0.0)
                    .ok_or_else(|| err(position, "`^` needs a number after it, e.g. `truck^2`"))?;
                push(Tok::Boost(boost));
                i += 1 + len;
            }
            '~' => {
                let (number, len) = number_at(&chars, i + 1);
                let edits = match number {
                    None => None,
                    Some(n) => match n.parse::<f64>() {
                        Ok(e) if (0.0..=2.0).contains(&e) && e.fract() == 0.0 => Some(e as u8),
                        _ => {
                            return Err(err(
                                position,
                                format!("a fuzzy term allows 0, 1 or 2 edits, not {n}"),
                            ));
                        }
                    },
                };
                push(Tok::Tilde(edits));
                i += 1 + len;
            }
            '"' => {
                let mut phrase = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return Err(err(position, "the phrase has no closing `\"`")),
                        Some('"') => break,
                        Some('\\') => {
                            let escaped = chars
                                .get(j + 1)
                                .ok_or_else(|| err(j + 1, "`\\` at the end of the query"))?;
                            phrase.push(*escaped);
                            j += 2;
                        }
                        Some(other) => {
                            phrase.push(*other);
                            j += 1;
                        }
                    }
                }
                push(Tok::Quoted(phrase));
                i = j + 1;
            }
            '[' | '{' => {
                return Err(err(
                    position,
                    "range queries (`[a TO b]`) are not supported",
                ));
            }
            ']' | '}' => return Err(err(position, format!("unexpected `{c}`"))),
            '/' => {
                return Err(err(
                    position,
                    "regular-expression queries (`/…/`) are not supported",
                ));
            }
            _ => {
                let mut word = String::new();
                let mut wild = false;
                let mut escaped_any = false;
                let mut j = i;
                while let Some(&d) = chars.get(j) {
                    if d == '\\' {
                        let escaped = chars
                            .get(j + 1)
                            .ok_or_else(|| err(j + 1, "`\\` at the end of the query"))?;
                        word.push(*escaped);
                        escaped_any = true;
                        j += 2;
                        continue;
                    }
                    let inner = j > i && matches!(d, '+' | '-');
                    if is_special(d) && !inner {
                        break;
                    }
                    if (d == '&' && chars.get(j + 1) == Some(&'&'))
                        || (d == '|' && chars.get(j + 1) == Some(&'|'))
                    {
                        break;
                    }
                    wild |= matches!(d, '*' | '?');
                    word.push(d);
                    j += 1;
                }
                let tok = match word.as_str() {
                    "AND" if !escaped_any => Tok::And,
                    "OR" if !escaped_any => Tok::Or,
                    "NOT" if !escaped_any => Tok::Not,
                    _ => Tok::Word { text: word, wild },
                };
                push(tok);
                i = j.max(i + 1);
            }
        }
    }
    Ok(out)
}

/// The number (digits and at most one `.`) starting at `at`, and its length.
fn number_at(chars: &[char], at: usize) -> (Option<String>, usize) {
    let mut s = String::new();
    let mut j = at;
    while let Some(&c) = chars.get(j) {
        if c.is_ascii_digit() || (c == '.' && !s.contains('.')) {
            s.push(c);
            j += 1;
        } else {
            break;
        }
    }
    ((!s.is_empty()).then_some(s), j - at)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// The position just past the text (for "expected … at the end").
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn position(&self) -> usize {
        self.peek().map_or(self.end, |t| t.position)
    }

    /// Clauses up to the end or a `)`, joined as Lucene's classic parser
    /// joins them with OR as the default operator.
    fn clauses(&mut self, field: Option<&str>, depth: usize) -> Result<Query, QueryError> {
        let mut clauses: Vec<(Occur, Query)> = Vec::new();
        while let Some(token) = self.peek() {
            if token.tok == Tok::Close {
                break;
            }
            let conj_at = token.position;
            let conj = match token.tok {
                Tok::And | Tok::Or => {
                    let c = token.tok.clone();
                    self.next();
                    if clauses.is_empty() {
                        let word = if c == Tok::And { "AND" } else { "OR" };
                        return Err(err(conj_at, format!("`{word}` needs a clause before it")));
                    }
                    Some(c)
                }
                _ => None,
            };
            let modifier = match self.peek().map(|t| &t.tok) {
                Some(Tok::Plus) => Some(Occur::Must),
                Some(Tok::Minus | Tok::Not) => Some(Occur::MustNot),
                _ => None,
            };
            if modifier.is_some() {
                self.next();
            }
            if matches!(self.peek().map(|t| &t.tok), None | Some(Tok::Close)) {
                return Err(err(
                    self.position(),
                    "expected a term, phrase or `(` after an operator",
                ));
            }
            let query = self.clause(field, depth)?;
            if conj == Some(Tok::And)
                && let Some(last) = clauses.last_mut()
                && last.0 == Occur::Should
            {
                last.0 = Occur::Must;
            }
            let occur = match modifier {
                Some(Occur::MustNot) => Occur::MustNot,
                Some(_) => Occur::Must,
                None if conj == Some(Tok::And) => Occur::Must,
                None => Occur::Should,
            };
            clauses.push((occur, query));
        }
        Ok(Query {
            matcher: Matcher::Bool(clauses),
            field: field.map(str::to_string),
            boost: 1.0,
        })
    }

    /// `[field:] (word | "phrase" | ( clauses )) [~n] [^n]`
    fn clause(&mut self, field: Option<&str>, depth: usize) -> Result<Query, QueryError> {
        let mut field = field.map(str::to_string);
        let star = |t: Option<&Token>| matches!(t, Some(Token { tok: Tok::Word { text, .. }, .. }) if text == "*");
        if star(self.peek())
            && matches!(
                self.tokens.get(self.at + 1).map(|t| &t.tok),
                Some(Tok::Colon)
            )
            && star(self.tokens.get(self.at + 2))
        {
            self.at += 3;
            return Ok(Query {
                matcher: Matcher::All,
                field: None,
                boost: 1.0,
            });
        }
        if let (Some(Tok::Word { text, wild: false }), Some(Tok::Colon)) = (
            self.peek().map(|t| &t.tok),
            self.tokens.get(self.at + 1).map(|t| &t.tok),
        ) {
            field = Some(text.clone());
            self.at += 2;
        }
        let Some(token) = self.next() else {
            return Err(err(self.end, "expected a term, phrase or `(` at the end"));
        };
        let mut query = match token.tok {
            Tok::Word { text, wild } => Query {
                matcher: word_matcher(text, wild),
                field: field.clone(),
                boost: 1.0,
            },
            Tok::Quoted(text) => Query {
                matcher: Matcher::Phrase(text),
                field: field.clone(),
                boost: 1.0,
            },
            Tok::Open => {
                if depth >= MAX_DEPTH {
                    return Err(err(
                        token.position,
                        format!("parentheses nest deeper than {MAX_DEPTH}"),
                    ));
                }
                let inner = self.clauses(field.as_deref(), depth + 1)?;
                match self.next() {
                    Some(Token {
                        tok: Tok::Close, ..
                    }) => inner,
                    _ => return Err(err(token.position, "this `(` is never closed")),
                }
            }
            Tok::Colon => return Err(err(token.position, "`:` needs a field name before it")),
            other => {
                return Err(err(
                    token.position,
                    format!("expected a term, phrase or `(`, found {}", describe(&other)),
                ));
            }
        };
        if let Some(Token {
            tok: Tok::Tilde(edits),
            position,
        }) = self.peek().cloned()
        {
            self.next();
            query.matcher = match query.matcher {
                Matcher::Term(t) => Matcher::Fuzzy(t, edits.unwrap_or(2)),
                Matcher::Phrase(_) => {
                    return Err(err(position, "phrase slop (`\"…\"~n`) is not supported"));
                }
                _ => return Err(err(position, "`~` follows only a plain term")),
            };
        }
        if let Some(Token {
            tok: Tok::Boost(b), ..
        }) = self.peek().cloned()
        {
            self.next();
            query.boost *= b;
        }
        if let Some(Token {
            tok: Tok::Colon,
            position,
        }) = self.peek()
        {
            return Err(err(*position, "`:` needs a field name before it"));
        }
        Ok(query)
    }
}

fn word_matcher(text: String, wild: bool) -> Matcher {
    if !wild {
        return Matcher::Term(text);
    }
    match text.strip_suffix('*') {
        Some(prefix) if !prefix.contains(['*', '?']) => Matcher::Prefix(prefix.to_string()),
        _ => Matcher::Wildcard(text),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::And => "`AND`".into(),
        Tok::Or => "`OR`".into(),
        Tok::Not => "`NOT`".into(),
        Tok::Plus => "`+`".into(),
        Tok::Minus => "`-`".into(),
        Tok::Close => "`)`".into(),
        Tok::Boost(_) => "`^`".into(),
        Tok::Tilde(_) => "`~`".into(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
