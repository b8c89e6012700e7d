//! When the input is finished: a meta-command at the end of its line, a
//! statement at a `;` that is not inside a string or comment.

use kgq::syntax::lex::{TokenKind, tokens};

/// Whether `input` is ready to run (otherwise Enter starts a new line).
pub fn is_complete(input: &str) -> bool {
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.starts_with(':') {
        return true;
    }
    let toks = tokens(input);
    if toks.iter().any(|t| !t.terminated) {
        return false;
    }
    toks.iter()
        .rev()
        .find(|t| t.kind != TokenKind::Comment)
        .is_some_and(|t| t.kind == TokenKind::Other && t.text(input) == ";")
}

#[cfg(test)]
mod tests {
    use super::is_complete;

    #[test]
    fn a_statement_ends_at_a_semicolon() {
        assert!(is_complete("RETURN 1;"));
        assert!(is_complete("MATCH (n)\nRETURN n;  "));
        assert!(is_complete("RETURN 1; // done"));
        assert!(!is_complete("MATCH (n)"));
        assert!(!is_complete("MATCH (n)\nRETURN n"));
        assert!(!is_complete("RETURN 1; RETURN 2"));
    }

    #[test]
    fn semicolons_in_strings_and_comments_do_not_count() {
        assert!(!is_complete("RETURN 'a;"));
        assert!(!is_complete("RETURN \"a;\\\";"));
        assert!(!is_complete("RETURN 1 /* ; */"));
        assert!(!is_complete("RETURN 1; /* open"));
        assert!(!is_complete("RETURN 1 // ;"));
        assert!(!is_complete("RETURN `a;"));
        assert!(is_complete("RETURN 'a;b';"));
    }

    #[test]
    fn meta_commands_and_empty_lines_are_one_line() {
        assert!(is_complete(":schema"));
        assert!(is_complete("  :help MATCH"));
        assert!(is_complete(""));
        assert!(is_complete("   "));
    }
}
