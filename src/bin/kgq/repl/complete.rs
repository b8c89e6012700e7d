//! Tab completion: what fits at the cursor, judged from the statement's
//! tokens (the grammar's own, via `kgq::syntax::lex`) and the graph's names.

use kgq::syntax::lex::{Token, TokenKind, tokens};
use rustyline::completion::Pair;

use super::catalog::Catalog;
use super::commands::COMMANDS;
use super::help;

/// The keywords offered where an expression or clause may start.
pub const KEYWORDS: &[&str] = &[
    "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "AS", "ORDER", "BY", "SKIP", "LIMIT",
    "CREATE", "MERGE", "SET", "REMOVE", "DELETE", "DETACH", "UNION", "ALL", "DISTINCT", "ON",
    "CALL", "YIELD", "CASE", "WHEN", "THEN", "ELSE", "END", "AND", "OR", "XOR", "NOT", "IN", "IS",
    "NULL", "TRUE", "FALSE", "STARTS", "ENDS", "CONTAINS", "ASC", "DESC", "EXISTS", "EXPLAIN",
    "PROFILE", "ALIAS",
];

/// The aggregating functions (they are not in the scalar function table).
pub const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "collect",
    "stDev",
    "stDevP",
    "percentileCont",
    "percentileDisc",
];

/// The output formats `:format` takes.
pub const FORMATS: &[&str] = &["table", "csv", "tsv", "json", "jsonl", "markdown"];

/// What to offer at the cursor.
pub enum Completion {
    /// Replace the text from byte `start` to the cursor with one of `items`.
    Items {
        /// Where the replaced text starts.
        start: usize,
        /// The candidates, best first.
        items: Vec<Pair>,
    },
    /// Complete a file path (left to the file-name completer).
    Path,
}

impl Completion {
    fn none(pos: usize) -> Completion {
        Completion::Items {
            start: pos,
            items: Vec::new(),
        }
    }
}

/// What fits at byte `pos` of `line` (the whole input so far, possibly
/// several lines).
pub fn complete(line: &str, pos: usize, catalog: &Catalog) -> Completion {
    let Some(before) = line.get(..pos) else {
        return Completion::none(pos);
    };
    let trimmed = before.trim_start();
    match trimmed.strip_prefix(':') {
        Some(rest) => complete_command(before, rest, pos, catalog),
        None => complete_statement(before, 0, catalog),
    }
}

/// After `:`: a command name, or the command's argument.
fn complete_command(before: &str, rest: &str, pos: usize, catalog: &Catalog) -> Completion {
    let Some(space) = rest.find(char::is_whitespace) else {
        let items = COMMANDS
            .iter()
            .filter(|c| c.name.starts_with(rest))
            .map(|c| pair(format!(":{}", c.name), format!(":{}", c.name)))
            .collect();
        return Completion::Items {
            start: pos - rest.len() - 1,
            items,
        };
    };
    let name = &rest[..space];
    let arg_start = pos - (rest.len() - space);
    let arg = &before[arg_start..];
    let word_start = pos - arg.len() + arg.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &before[word_start..];
    let words = |options: Vec<String>| Completion::Items {
        start: word_start,
        items: options
            .into_iter()
            .filter(|o| starts_with_ignore_case(o, word))
            .map(|o| pair(o.clone(), o))
            .collect(),
    };
    match name {
        "read" | "load" | "save" | "diff" => Completion::Path,
        "asof" => words(vec!["off".into()]),
        "why" if !arg.contains(char::is_whitespace) && !arg.contains('(') => {
            let mut options = vec!["on".to_string(), "off".to_string()];
            options.extend(super::complete::KEYWORDS.iter().map(|k| k.to_string()));
            words(options)
        }
        "why" => complete_statement(before, arg_start, catalog),
        "help" => words(help::topics()),
        "format" => words(FORMATS.iter().map(|s| s.to_string()).collect()),
        "timing" => words(vec!["on".into(), "off".into()]),
        "param" if !arg.contains("=>") => {
            let mut options = vec!["clear".to_string()];
            options.extend(catalog.params.iter().cloned());
            words(options)
        }
        "param" => {
            let offset = arg_start + arg.find("=>").map_or(0, |i| i + 2);
            complete_statement(before, offset, catalog)
        }
        "explain" => complete_statement(before, arg_start, catalog),
        _ => Completion::none(pos),
    }
}

/// Inside a statement that starts at byte `offset` of `before`; the cursor
/// is at the end of `before`.
fn complete_statement(before: &str, offset: usize, catalog: &Catalog) -> Completion {
    let pos = before.len();
    let text = &before[offset..];
    let mut toks: Vec<Token> = tokens(text)
        .into_iter()
        .map(|t| Token {
            span: t.span.shifted(offset),
            ..t
        })
        .collect();
    // Only the statement the cursor is in.
    if let Some(i) = toks
        .iter()
        .rposition(|t| t.kind == TokenKind::Other && t.text(before) == ";")
    {
        toks.drain(..=i);
    }
    let last = toks.last().copied();
    if let Some(last) = last.filter(|t| t.span.end == pos) {
        match last.kind {
            TokenKind::Comment => return Completion::none(pos),
            TokenKind::String if !last.terminated => {
                return complete_value(before, &toks, catalog);
            }
            TokenKind::String | TokenKind::Number => return Completion::none(pos),
            TokenKind::Parameter => {
                let typed = &last.text(before)[1..];
                return Completion::Items {
                    start: last.span.start,
                    items: catalog
                        .params
                        .iter()
                        .filter(|p| p.starts_with(typed))
                        .map(|p| pair(format!("${p}"), format!("${p}")))
                        .collect(),
                };
            }
            _ => {}
        }
    }
    let (start, prefix, context) = match last {
        Some(t)
            if t.span.end == pos
                && matches!(
                    t.kind,
                    TokenKind::Word | TokenKind::Keyword | TokenKind::Name
                ) =>
        {
            (t.span.start, t.text(before), &toks[..toks.len() - 1])
        }
        _ => (pos, "", &toks[..]),
    };
    let names = |list: &[String]| -> Vec<Pair> {
        list.iter()
            .filter(|n| starts_with_ignore_case(n, prefix.trim_start_matches('`')))
            .map(|n| pair(n.clone(), quote_name(n)))
            .collect()
    };
    let items = match expected(before, context) {
        Expected::Label => names(&catalog.labels),
        Expected::Type => names(&catalog.types),
        Expected::Key => names(&catalog.keys),
        Expected::Expression => expression_items(before, context, prefix),
    };
    Completion::Items { start, items }
}

/// What kind of name the cursor is at.
#[derive(Debug, PartialEq, Eq)]
enum Expected {
    Label,
    Type,
    Key,
    Expression,
}

/// Judges what is expected after the tokens `context`.
fn expected(source: &str, context: &[Token]) -> Expected {
    let Some(prev) = context.last() else {
        return Expected::Expression;
    };
    let prev_text = prev.text(source);
    let open = innermost_open_bracket(source, context);
    match (prev.kind, prev_text) {
        (TokenKind::Other, ":") => match open {
            Some(("[", _)) => Expected::Type,
            Some(("{", _)) => Expected::Expression,
            _ => Expected::Label,
        },
        (TokenKind::Other, "|") if matches!(open, Some(("[", _))) => Expected::Type,
        (TokenKind::Other, ".") => Expected::Key,
        (TokenKind::Bracket, "{") | (TokenKind::Other, ",") => match open {
            // `{` after a keyword (`EXISTS {`) holds a pattern, not a map.
            Some(("{", i)) if i == 0 || context[i - 1].kind != TokenKind::Keyword => Expected::Key,
            _ => Expected::Expression,
        },
        _ => Expected::Expression,
    }
}

/// The innermost bracket still open after `context`, with its index.
fn innermost_open_bracket<'a>(source: &'a str, context: &[Token]) -> Option<(&'a str, usize)> {
    let mut stack: Vec<(&str, usize)> = Vec::new();
    for (i, t) in context.iter().enumerate() {
        if t.kind != TokenKind::Bracket {
            continue;
        }
        match t.text(source) {
            open @ ("(" | "[" | "{") => stack.push((open, i)),
            _ => {
                stack.pop();
            }
        }
    }
    stack.pop()
}

/// Keywords, functions and the statement's variables that start with `prefix`.
fn expression_items(source: &str, context: &[Token], prefix: &str) -> Vec<Pair> {
    let mut items = Vec::new();
    let lower = !prefix.is_empty() && prefix.chars().all(|c| !c.is_uppercase());
    for v in variables(source, context) {
        if v.starts_with(prefix) && v != prefix {
            items.push(pair(v.clone(), v));
        }
    }
    for k in KEYWORDS {
        if starts_with_ignore_case(k, prefix) {
            let k = if lower {
                k.to_lowercase()
            } else {
                k.to_string()
            };
            items.push(pair(k.clone(), k));
        }
    }
    let functions = help::function_names()
        .into_iter()
        .chain(AGGREGATES.iter().map(|s| s.to_string()));
    for f in functions {
        if starts_with_ignore_case(&f, prefix) {
            items.push(pair(format!("{f}()"), format!("{f}(")));
        }
    }
    items
}

/// Variables bound earlier in the statement: names opening a node or
/// relationship pattern or a comprehension, and names after `AS`.
pub fn variables(source: &str, context: &[Token]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pair in context.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let binds = match (a.kind, a.text(source)) {
            (TokenKind::Bracket, "(" | "[") => true,
            (TokenKind::Keyword, kw) => kw.eq_ignore_ascii_case("AS"),
            _ => false,
        };
        if binds && matches!(b.kind, TokenKind::Word | TokenKind::Name) {
            let name = b.text(source).to_string();
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Inside an unfinished string: the string values of the property being
/// compared or set, as whole quoted literals.
fn complete_value(source: &str, toks: &[Token], catalog: &Catalog) -> Completion {
    let Some(string) = toks.last() else {
        return Completion::none(source.len());
    };
    let body = string.text(source);
    let quote = body.chars().next().unwrap_or('\'');
    let typed = &body[quote.len_utf8()..];
    let context = &toks[..toks.len() - 1];
    let key = property_key(source, context);
    let labels = labels_in_scope(source, context, key.as_ref().map(|k| k.1));
    let fits = |case_sensitive: bool| -> Vec<&str> {
        let mut values: Vec<&str> = catalog
            .values
            .iter()
            .filter(|v| key.as_ref().is_none_or(|(k, _)| v.key == *k))
            .filter(|v| labels.iter().all(|l| v.labels.contains(l)))
            .filter(|v| {
                if case_sensitive {
                    v.value.starts_with(typed)
                } else {
                    starts_with_ignore_case(&v.value, typed)
                }
            })
            .map(|v| v.value.as_str())
            .collect();
        values.sort_unstable();
        values.dedup();
        values
    };
    let mut values = fits(true);
    if values.is_empty() && key.as_ref().is_none_or(|(k, _)| k == kgq::resolve::NAME) {
        // Names reached through the alias index: `'shacm` offers
        // 'Shaanxi Heavy Truck', `'росст` offers 'Rosstandart'.
        let typed = kgq::resolve::normalize(typed);
        let mut names: Vec<&str> = catalog
            .entities
            .iter()
            .filter(|e| labels.iter().all(|l| e.labels.contains(l)))
            .filter(|e| e.forms.iter().any(|f| f.starts_with(&typed)))
            .map(|e| e.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        values = names;
    }
    if values.is_empty() {
        values = fits(false);
    }
    Completion::Items {
        start: string.span.start,
        items: values
            .into_iter()
            .map(|v| pair(v.to_string(), quote_string(v, quote)))
            .collect(),
    }
}

/// The property key a string is compared with or assigned to:
/// `{name: '…`, `x.name = '…`, `x.name STARTS WITH '…`; with the index
/// of the key's token.
fn property_key(source: &str, context: &[Token]) -> Option<(String, usize)> {
    let mut i = context.len();
    let mut steps = 0;
    while i > 0 && steps < 4 {
        i -= 1;
        steps += 1;
        let t = context[i];
        match t.kind {
            TokenKind::Word | TokenKind::Name => {
                return Some((unquote_name(t.text(source)), i));
            }
            TokenKind::Keyword | TokenKind::Other => {}
            _ => return None,
        }
    }
    None
}

/// The labels known for the entity whose property is completed: those of
/// the node pattern the map is in, or those bound to the variable before
/// `.key`.
fn labels_in_scope(source: &str, context: &[Token], key_index: Option<usize>) -> Vec<String> {
    let Some(key_index) = key_index else {
        return Vec::new();
    };
    // `x.key`: the labels written for `x` earlier in the statement.
    if key_index >= 2 && context[key_index - 1].text(source) == "." {
        let var = context[key_index - 2].text(source);
        return context
            .windows(4)
            .filter(|w| w[0].text(source) == "(" && w[1].text(source) == var)
            .flat_map(|w| pattern_labels(source, &context[index_of(context, &w[1])..]))
            .collect();
    }
    // `(x:Label {key: '…`: the labels of the enclosing node pattern.
    match innermost_open_bracket(source, &context[..key_index]) {
        Some(("{", brace)) => match innermost_open_bracket(source, &context[..brace]) {
            Some(("(", paren)) => pattern_labels(source, &context[paren + 1..brace]),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The labels written right after a pattern's variable: `x:A:B` → `[A, B]`.
fn pattern_labels(source: &str, toks: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = usize::from(toks.first().is_some_and(|t| t.text(source) != ":"));
    while i + 1 < toks.len() && toks[i].text(source) == ":" {
        out.push(unquote_name(toks[i + 1].text(source)));
        i += 2;
    }
    out
}

fn index_of(toks: &[Token], t: &Token) -> usize {
    toks.iter().position(|x| x == t).unwrap_or(0)
}

fn pair(display: String, replacement: String) -> Pair {
    Pair {
        display,
        replacement,
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.chars()
        .zip(prefix.chars())
        .all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
        && text.chars().count() >= prefix.chars().count()
}

/// A name as the language needs it written: backticked unless it is a
/// plain identifier.
fn quote_name(name: &str) -> String {
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

fn unquote_name(text: &str) -> String {
    match text.strip_prefix('`') {
        Some(rest) => rest.strip_suffix('`').unwrap_or(rest).replace("``", "`"),
        None => text.to_string(),
    }
}

/// `value` as a string literal in `quote`s.
fn quote_string(value: &str, quote: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push(quote);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        match kgq::bundled::graph() {
            Ok(graph) => Catalog::of(&graph),
            Err(e) => panic!("the bundled graph builds: {e}"),
        }
    }

    /// The replacements offered with the cursor at the end of `line`, and
    /// where they start.
    fn offered(line: &str) -> (usize, Vec<String>) {
        match complete(line, line.len(), &catalog()) {
            Completion::Items { start, items } => {
                (start, items.into_iter().map(|p| p.replacement).collect())
            }
            Completion::Path => (usize::MAX, vec!["<path>".to_string()]),
        }
    }

    #[test]
    fn labels_after_a_colon_in_a_node_pattern() {
        let (start, items) = offered("MATCH (c:Comp");
        assert_eq!(start, 9);
        assert_eq!(items, ["Company"]);
        let (_, items) = offered("MATCH (c:");
        assert!(items.contains(&"Country".to_string()), "{items:?}");
        let (_, items) = offered("MATCH (c) WHERE c:Per");
        assert_eq!(items, ["Person"]);
    }

    #[test]
    fn relationship_types_after_a_colon_in_brackets() {
        let (_, items) = offered("MATCH (a)-[r:BASED");
        assert_eq!(items, ["BASED_IN"]);
        let (_, items) = offered("MATCH (a)-[:EXPORTED_TO|BAS");
        assert_eq!(items, ["BASED_IN"]);
    }

    #[test]
    fn property_keys_after_a_dot_and_in_maps() {
        let (_, items) = offered("MATCH (c) RETURN c.na");
        assert_eq!(items, ["name"]);
        let (_, items) = offered("MATCH (c {na");
        assert_eq!(items, ["name"]);
        let (_, items) = offered("MATCH (c {name: 'x', ali");
        assert_eq!(items, ["aliases"]);
    }

    #[test]
    fn entity_names_inside_quotes() {
        let (start, items) = offered("MATCH (c:Company {name: 'Sha");
        assert_eq!(start, 24);
        assert_eq!(items, ["'Shaanxi Heavy Truck'"]);
        let (_, items) = offered("MATCH (c:Company) WHERE c.name = \"Sha");
        assert_eq!(items, ["\"Shaanxi Heavy Truck\""]);
        // Without a label every node's names fit.
        let (_, items) = offered("MATCH (x {name: 'Shaanxi");
        assert!(items.len() > 1, "{items:?}");
        // Case is ignored when nothing fits exactly.
        let (_, items) = offered("MATCH (c:Company {name: 'sha");
        assert_eq!(items, ["'Shaanxi Heavy Truck'"]);
        // Names are also reached through their aliases, in any script.
        let (_, items) = offered("MATCH (c:Company {name: 'shacm");
        assert_eq!(items, ["'Shaanxi Heavy Truck'"]);
        let (_, items) = offered("MATCH (a {name: 'Росст");
        assert_eq!(items, ["'Rosstandart'"]);
        let (_, items) = offered("MATCH (c:Company) WHERE c.name = 'sinot");
        assert_eq!(items, ["'China National Heavy Duty Truck Group'"]);
    }

    #[test]
    fn keywords_functions_and_bound_variables() {
        let (_, items) = offered("MATCH (company:Company) RETURN comp");
        assert_eq!(items.first().map(String::as_str), Some("company"));
        let (_, items) = offered("MATCH (c) RET");
        assert_eq!(items, ["RETURN"]);
        let (_, items) = offered("match (c) ret");
        assert_eq!(items, ["return"]);
        let (_, items) = offered("RETURN toUp");
        assert_eq!(items, ["toUpper("]);
        let (_, items) = offered("MATCH (c) RETURN coll");
        assert_eq!(items, ["collect("]);
        let (_, items) = offered("UNWIND [1] AS total RETURN tot");
        assert_eq!(items, ["total"]);
    }

    #[test]
    fn only_the_current_statement_counts() {
        let (_, items) = offered("MATCH (company) RETURN 1; RETURN comp");
        assert!(!items.contains(&"company".to_string()), "{items:?}");
    }

    #[test]
    fn nothing_inside_comments_or_finished_strings() {
        assert!(offered("RETURN 1 // MAT").1.is_empty());
        assert!(offered("RETURN 'abc'").1.is_empty());
    }

    #[test]
    fn meta_commands_and_their_arguments() {
        let (start, items) = offered(":sch");
        assert_eq!((start, items), (0, vec![":schema".to_string()]));
        let (_, items) = offered(":format js");
        assert_eq!(items, ["json", "jsonl"]);
        let (_, items) = offered(":help toUp");
        assert_eq!(items, ["toUpper"]);
        assert_eq!(offered(":read scr").1, ["<path>"]);
        assert_eq!(offered(":load g").1, ["<path>"]);
        assert_eq!(offered(":save g").1, ["<path>"]);
        let (_, items) = offered(":explain MATCH (c:Comp");
        assert_eq!(items, ["Company"]);
    }

    #[test]
    fn names_that_need_backticks_get_them() {
        assert_eq!(quote_name("Company"), "Company");
        assert_eq!(quote_name("two words"), "`two words`");
        assert_eq!(quote_string("it's", '\''), "'it\\'s'");
    }
}
