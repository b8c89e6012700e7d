//! Cutting any text — even an unfinished statement — into tokens, with the
//! grammar's own token rules (the `tokens` rule of `grammar/kgq.pest`).
//! Editors use it to colour and complete statements; the parser does not.

use pest::Parser;

use super::grammar::{KgqParser, Rule};
use crate::error::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A reserved word (`MATCH`, `WHERE`, `AND`, …), `EXPLAIN` or `PROFILE`.
    Keyword,
    /// A plain identifier: a variable, label, function or property name.
    Word,
    /// A backticked name.
    Name,
    /// A string literal.
    String,
    /// A number literal.
    Number,
    /// A parameter such as `$year`.
    Parameter,
    /// A `//` or `/* */` comment.
    Comment,
    /// One of `( ) [ ] { }`.
    Bracket,
    /// Anything else: operators and punctuation, one character each.
    Other,
}

/// One token of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Where the token is (byte offsets).
    pub span: Span,
    /// What it is.
    pub kind: TokenKind,
    /// False for a string, backticked name or block comment that is still
    /// open at the end of the text.
    pub terminated: bool,
}

impl Token {
    /// The token's text in `source`.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.span.start..self.span.end).unwrap_or("")
    }
}

/// The tokens of `text`, in order; whitespace is skipped. Never fails.
pub fn tokens(text: &str) -> Vec<Token> {
    let Ok(mut pairs) = KgqParser::parse(Rule::tokens, text) else {
        return Vec::new();
    };
    let Some(all) = pairs.next() else {
        return Vec::new();
    };
    all.into_inner()
        .filter_map(|pair| {
            let (kind, terminated) = match pair.as_rule() {
                Rule::tok_comment => (TokenKind::Comment, true),
                Rule::tok_open_comment => (TokenKind::Comment, false),
                Rule::tok_string => (TokenKind::String, true),
                Rule::tok_open_string => (TokenKind::String, false),
                Rule::tok_name => (TokenKind::Name, true),
                Rule::tok_open_name => (TokenKind::Name, false),
                Rule::number => (TokenKind::Number, true),
                Rule::parameter => (TokenKind::Parameter, true),
                Rule::tok_keyword => (TokenKind::Keyword, true),
                Rule::tok_word => (TokenKind::Word, true),
                Rule::tok_bracket => (TokenKind::Bracket, true),
                Rule::tok_other => (TokenKind::Other, true),
                _ => return None,
            };
            let span = pair.as_span();
            Some(Token {
                span: Span::new(span.start(), span.end()),
                kind,
                terminated,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str, bool)> {
        tokens(text)
            .into_iter()
            .map(|t| (t.kind, t.text(text), t.terminated))
            .collect()
    }

    #[test]
    fn cuts_a_statement() {
        use TokenKind::*;
        assert_eq!(
            kinds("MATCH (c:Company {name: 'X'}) WHERE c.year > $y // hi\nRETURN 1.5"),
            [
                (Keyword, "MATCH", true),
                (Bracket, "(", true),
                (Word, "c", true),
                (Other, ":", true),
                (Word, "Company", true),
                (Bracket, "{", true),
                (Word, "name", true),
                (Other, ":", true),
                (String, "'X'", true),
                (Bracket, "}", true),
                (Bracket, ")", true),
                (Keyword, "WHERE", true),
                (Word, "c", true),
                (Other, ".", true),
                (Word, "year", true),
                (Other, ">", true),
                (Parameter, "$y", true),
                (Comment, "// hi", true),
                (Keyword, "RETURN", true),
                (Number, "1.5", true),
            ]
        );
    }

    #[test]
    fn keywords_need_a_word_boundary() {
        assert_eq!(kinds("matches")[0].0, TokenKind::Word);
        assert_eq!(kinds("match")[0].0, TokenKind::Keyword);
        assert_eq!(kinds("explain")[0].0, TokenKind::Keyword);
    }

    #[test]
    fn unfinished_tokens_run_to_the_end() {
        assert_eq!(
            kinds("RETURN 'a; b")[1],
            (TokenKind::String, "'a; b", false)
        );
        assert_eq!(kinds("/* x")[0], (TokenKind::Comment, "/* x", false));
        assert_eq!(kinds("`a b")[0], (TokenKind::Name, "`a b", false));
        assert_eq!(kinds("'it\\'s'")[0], (TokenKind::String, "'it\\'s'", true));
    }
}
