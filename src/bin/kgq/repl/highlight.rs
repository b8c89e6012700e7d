//! Colouring the input with ANSI escapes: keywords, strings, numbers,
//! comments, parameters, and the bracket matching the one at the cursor.
//! The grammar's own tokens decide what is what (`kgq::syntax::lex`).

use kgq::syntax::lex::{Token, TokenKind, tokens};

const RESET: &str = "\x1b[0m";
const KEYWORD: &str = "\x1b[1;34m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const COMMENT: &str = "\x1b[90m";
const PARAMETER: &str = "\x1b[35m";
const MATCHED_BRACKET: &str = "\x1b[1;33m";

/// `line` with colours; `pos` is the cursor (byte offset). Meta-commands
/// (`:…`) are left plain. The text itself is unchanged: only escapes are
/// added.
pub fn highlight(line: &str, pos: usize) -> String {
    if line.trim_start().starts_with(':') {
        return line.to_string();
    }
    let toks = tokens(line);
    let brackets = matching_brackets(line, &toks, pos);
    let mut out = String::with_capacity(line.len() * 2);
    let mut at = 0;
    for (i, t) in toks.iter().enumerate() {
        out.push_str(line.get(at..t.span.start).unwrap_or(""));
        let text = t.text(line);
        let style = match t.kind {
            _ if brackets.contains(&i) => Some(MATCHED_BRACKET),
            TokenKind::Keyword => Some(KEYWORD),
            TokenKind::String => Some(STRING),
            TokenKind::Number => Some(NUMBER),
            TokenKind::Comment => Some(COMMENT),
            TokenKind::Parameter => Some(PARAMETER),
            _ => None,
        };
        match style {
            Some(style) => {
                out.push_str(style);
                out.push_str(text);
                out.push_str(RESET);
            }
            None => out.push_str(text),
        }
        at = t.span.end;
    }
    out.push_str(line.get(at..).unwrap_or(""));
    out
}

/// The indexes (into `toks`) of the bracket at or just before the cursor
/// and of its partner, when both exist.
fn matching_brackets(line: &str, toks: &[Token], pos: usize) -> Vec<usize> {
    let at_cursor = toks
        .iter()
        .position(|t| t.kind == TokenKind::Bracket && t.span.start == pos)
        .or_else(|| {
            toks.iter()
                .position(|t| t.kind == TokenKind::Bracket && t.span.end == pos)
        });
    let Some(index) = at_cursor else {
        return Vec::new();
    };
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Bracket {
            continue;
        }
        match t.text(line) {
            "(" | "[" | "{" => stack.push(i),
            close => {
                let Some(open) = stack.pop() else { continue };
                let pairs = matches!(
                    (toks[open].text(line), close),
                    ("(", ")") | ("[", "]") | ("{", "}")
                );
                if pairs && (open == index || i == index) {
                    return vec![open, i];
                }
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn colours_each_kind_of_token() {
        let line = "MATCH (c {name: 'A'}) WHERE c.n > 1.5 AND c.x = $p // note";
        let out = highlight(line, 0);
        assert_eq!(strip(&out), line);
        assert!(out.contains(&format!("{KEYWORD}MATCH{RESET}")));
        assert!(out.contains(&format!("{STRING}'A'{RESET}")));
        assert!(out.contains(&format!("{NUMBER}1.5{RESET}")));
        assert!(out.contains(&format!("{PARAMETER}$p{RESET}")));
        assert!(out.contains(&format!("{COMMENT}// note{RESET}")));
        assert!(out.contains(&format!("{KEYWORD}AND{RESET}")));
    }

    #[test]
    fn marks_the_matching_bracket() {
        let line = "RETURN [1, (2)]";
        let out = highlight(line, line.len());
        assert!(out.contains(&format!("{MATCHED_BRACKET}[{RESET}")));
        assert!(out.contains(&format!("{MATCHED_BRACKET}]{RESET}")));
        assert!(!out.contains(&format!("{MATCHED_BRACKET}({RESET}")));
        let plain = highlight("RETURN (1", 9);
        assert!(!plain.contains(MATCHED_BRACKET));
    }

    #[test]
    fn keeps_unfinished_text_and_meta_commands() {
        let line = "RETURN 'abc";
        assert_eq!(strip(&highlight(line, 3)), line);
        assert_eq!(highlight(":help MATCH", 0), ":help MATCH");
    }
}
