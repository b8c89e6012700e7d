//! The prompts: `kgq> ` (with the active `:asof` and `:why` in brackets,
//! `kgq[as of 2025-02-10, why]> `) and, while a statement is unfinished,
//! a continuation prompt that shows what is still open: `  '> ` inside a
//! string, `  (> ` inside brackets, `  -> ` when only the `;` is missing.

use kgq::syntax::lex::{TokenKind, tokens};

/// The main prompt, showing the session's valid time and provenance mode.
pub fn main(as_of: Option<&str>, why: bool) -> String {
    let mut tags = Vec::new();
    if let Some(instant) = as_of {
        tags.push(format!("as of {instant}"));
    }
    if why {
        tags.push("why".to_string());
    }
    if tags.is_empty() {
        "kgq> ".to_string()
    } else {
        format!("kgq[{}]> ", tags.join(", "))
    }
}

/// The prompt for the next line of the unfinished `input`: the open
/// quote, comment or innermost bracket, right-aligned under `kgq> `.
pub fn continuation(input: &str) -> String {
    format!("{:>4}> ", open_part(input))
}

/// What `input` leaves open: a quote, backtick or `/*`, else the innermost
/// unclosed bracket, else `-`.
fn open_part(input: &str) -> String {
    let toks = tokens(input);
    if let Some(open) = toks.iter().find(|t| !t.terminated) {
        let text = open.text(input);
        return match open.kind {
            TokenKind::Comment => "/*".to_string(),
            _ => text.chars().next().map_or("-".to_string(), String::from),
        };
    }
    let mut stack = Vec::new();
    for t in toks.iter().filter(|t| t.kind == TokenKind::Bracket) {
        match t.text(input) {
            open @ ("(" | "[" | "{") => stack.push(open),
            _ => {
                stack.pop();
            }
        }
    }
    stack.last().map_or("-", |b| b).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_prompt_shows_as_of_and_why() {
        assert_eq!(main(None, false), "kgq> ");
        assert_eq!(main(Some("2025-02-10"), false), "kgq[as of 2025-02-10]> ");
        assert_eq!(
            main(Some("2025-02-10"), true),
            "kgq[as of 2025-02-10, why]> "
        );
        assert_eq!(main(None, true), "kgq[why]> ");
    }

    #[test]
    fn the_continuation_prompt_shows_what_is_open() {
        assert_eq!(continuation("MATCH (n)"), "   -> ");
        assert_eq!(continuation("RETURN 'abc"), "   '> ");
        assert_eq!(continuation("RETURN \"a"), "   \"> ");
        assert_eq!(continuation("RETURN `a"), "   `> ");
        assert_eq!(continuation("RETURN 1 /* note"), "  /*> ");
        assert_eq!(continuation("MATCH (n {name: 'x'"), "   {> ");
        assert_eq!(continuation("RETURN [1, (2"), "   (> ");
        assert_eq!(continuation("RETURN [1, (2)"), "   [> ");
    }
}
