//! A linear pre-scan that refuses input the recursive parts of the parser
//! could not handle: brackets nested deeper than [`MAX_NESTING`], long runs
//! of prefix operators, and unterminated strings, names or comments (which
//! it reports at their opening position).

use crate::error::{Error, Result, Span};

/// The deepest nesting of `(`, `[`, `{` and `CASE … END` accepted.
pub const MAX_NESTING: usize = 200;

/// The longest run of consecutive prefix operators (`NOT`, `-`, `+`) accepted.
pub const MAX_PREFIX_OPERATORS: usize = 200;

/// The most binary operators (`+ * / % ^ =`, `AND`, `OR`, `XOR`) accepted
/// between two commas or clause keywords. The AST builder refuses chains
/// longer than [`MAX_EXPRESSION_DEPTH`](super::build::MAX_EXPRESSION_DEPTH)
/// anyway; this coarser count stops a million-term chain before the
/// grammar spends time on it.
pub const MAX_OPERATOR_RUN: usize = 50_000;

/// Checks nesting depth, prefix-operator runs, operator chains and
/// unterminated tokens of a statement before it is parsed.
pub fn check(text: &str) -> Result<()> {
    Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        prefix_run: 0,
        operator_run: 0,
    }
    .run()
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    prefix_run: usize,
    operator_run: usize,
}

/// Words that start a new expression (clause keywords and the like).
const RESETTING_WORDS: [&[u8]; 16] = [
    b"RETURN", b"WITH", b"WHERE", b"AS", b"ORDER", b"SKIP", b"LIMIT", b"SET", b"MATCH", b"UNWIND",
    b"CREATE", b"MERGE", b"DELETE", b"REMOVE", b"UNION", b"THEN",
];

impl Scanner<'_> {
    fn run(mut self) -> Result<()> {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\'' | b'"' => self.skip_string(b)?,
                b'`' => self.skip_backticks()?,
                b'/' if self.at(1) == Some(b'/') => self.skip_line_comment(),
                b'/' if self.at(1) == Some(b'*') => self.skip_block_comment()?,
                b'(' | b'[' | b'{' => self.open()?,
                b')' | b']' | b'}' => self.close(),
                b'+' => {
                    self.binary()?;
                    self.prefix()?;
                }
                b'-' => self.prefix()?,
                b'*' | b'/' | b'%' | b'^' | b'=' => {
                    self.binary()?;
                    self.prefix_run = 0;
                    self.pos += 1;
                }
                b',' | b';' => {
                    self.operator_run = 0;
                    self.prefix_run = 0;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => self.pos += 1,
                _ if is_word_byte(b) => self.word()?,
                _ => {
                    self.prefix_run = 0;
                    self.pos += 1;
                }
            }
        }
        Ok(())
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn binary(&mut self) -> Result<()> {
        self.operator_run += 1;
        if self.operator_run > MAX_OPERATOR_RUN {
            return Err(Error::syntax(
                "ExpressionTooDeep",
                format!(
                    "this expression chains more than {MAX_OPERATOR_RUN} operators; split it into \
                     smaller parts"
                ),
            )
            .at(Span::new(self.pos, self.pos + 1)));
        }
        Ok(())
    }

    fn open(&mut self) -> Result<()> {
        self.prefix_run = 0;
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Error::syntax(
                "NestingTooDeep",
                format!("the statement nests brackets or CASE expressions more than {MAX_NESTING} levels deep"),
            )
            .at(Span::new(self.pos, self.pos + 1)));
        }
        self.pos += 1;
        Ok(())
    }

    fn close(&mut self) {
        self.prefix_run = 0;
        self.depth = self.depth.saturating_sub(1);
        self.pos += 1;
    }

    fn prefix(&mut self) -> Result<()> {
        self.prefix_run += 1;
        if self.prefix_run > MAX_PREFIX_OPERATORS {
            return Err(Error::syntax(
                "NestingTooDeep",
                format!("more than {MAX_PREFIX_OPERATORS} prefix operators in a row"),
            )
            .at(Span::new(self.pos, self.pos + 1)));
        }
        self.pos += 1;
        Ok(())
    }

    fn word(&mut self) -> Result<()> {
        let start = self.pos;
        while self.at(0).is_some_and(is_word_byte) {
            self.pos += 1;
        }
        let word = &self.bytes[start..self.pos];
        if [&b"AND"[..], b"OR", b"XOR"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
        {
            self.pos = start;
            self.binary()?;
            self.pos = start + word.len();
        } else if RESETTING_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)) {
            self.operator_run = 0;
        }
        if word.eq_ignore_ascii_case(b"NOT") {
            self.pos = start;
            self.prefix()?;
            self.pos = start + word.len();
            return Ok(());
        }
        self.prefix_run = 0;
        if word.eq_ignore_ascii_case(b"CASE") {
            self.pos = start;
            self.open()?;
            self.pos = start + word.len();
        } else if word.eq_ignore_ascii_case(b"END") {
            self.depth = self.depth.saturating_sub(1);
        }
        Ok(())
    }

    fn skip_string(&mut self, quote: u8) -> Result<()> {
        self.prefix_run = 0;
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.at(0) {
            match b {
                b'\\' => self.pos += 2,
                _ if b == quote => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => self.pos += 1,
            }
        }
        Err(unterminated(start, self.bytes.len(), "string literal"))
    }

    fn skip_backticks(&mut self) -> Result<()> {
        self.prefix_run = 0;
        let start = self.pos;
        self.pos += 1;
        while let Some(b) = self.at(0) {
            self.pos += 1;
            if b == b'`' {
                return Ok(());
            }
        }
        Err(unterminated(start, self.bytes.len(), "backticked name"))
    }

    fn skip_line_comment(&mut self) {
        while self.at(0).is_some_and(|b| b != b'\n' && b != b'\r') {
            self.pos += 1;
        }
    }

    fn skip_block_comment(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 2;
        while let Some(b) = self.at(0) {
            if b == b'*' && self.at(1) == Some(b'/') {
                self.pos += 2;
                return Ok(());
            }
            self.pos += 1;
        }
        Err(unterminated(start, self.bytes.len(), "comment"))
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn unterminated(start: usize, end: usize, what: &str) -> Error {
    Error::syntax("UnexpectedSyntax", format!("unterminated {what}"))
        .at(Span::new(start, end.min(start + 1).max(start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_nesting_up_to_the_limit() {
        let ok = format!(
            "RETURN {}1{}",
            "(".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        assert!(check(&ok).is_ok());
        let deep = format!("RETURN {}1", "[".repeat(MAX_NESTING + 1));
        let err = check(&deep).unwrap_err();
        assert_eq!(err.code, "NestingTooDeep");
        assert_eq!(err.span, Some(Span::new(7 + MAX_NESTING, 8 + MAX_NESTING)));
    }

    #[test]
    fn brackets_in_strings_comments_and_names_do_not_count() {
        let text = format!(
            "RETURN '{0}' AS `{0}` // {0}\n /* {0} */",
            "(".repeat(MAX_NESTING + 5)
        );
        assert!(check(&text).is_ok());
    }

    #[test]
    fn refuses_long_prefix_runs() {
        let text = format!("RETURN {}true", "NOT ".repeat(MAX_PREFIX_OPERATORS + 1));
        assert_eq!(check(&text).unwrap_err().code, "NestingTooDeep");
        let text = format!("RETURN {}1", "- ".repeat(MAX_PREFIX_OPERATORS + 1));
        assert_eq!(check(&text).unwrap_err().code, "NestingTooDeep");
        let flat = format!("RETURN 1{}", " - 1".repeat(10_000));
        assert!(check(&flat).is_ok());
    }

    #[test]
    fn refuses_very_long_operator_chains_only() {
        let long = format!("RETURN 1{}", " + 1".repeat(MAX_OPERATOR_RUN + 1));
        assert_eq!(check(&long).unwrap_err().code, "ExpressionTooDeep");
        let long = format!("RETURN true{}", " AND true".repeat(MAX_OPERATOR_RUN + 1));
        assert_eq!(check(&long).unwrap_err().code, "ExpressionTooDeep");
        let separated = format!("RETURN [{}1]", "1 + 1, ".repeat(MAX_OPERATOR_RUN));
        assert!(check(&separated).is_ok());
        let clauses = "WITH 1 + 1 AS x ".repeat(MAX_OPERATOR_RUN);
        assert!(check(&clauses).is_ok());
    }

    #[test]
    fn case_counts_as_nesting() {
        let text = format!("RETURN {}1", "CASE WHEN true THEN ".repeat(MAX_NESTING + 1));
        assert_eq!(check(&text).unwrap_err().code, "NestingTooDeep");
    }

    #[test]
    fn reports_unterminated_tokens_at_their_start() {
        let err = check("RETURN 'abc").unwrap_err();
        assert_eq!(err.span, Some(Span::new(7, 8)));
        assert!(err.message.contains("unterminated string"));
        assert!(
            check("RETURN 1 /* x")
                .unwrap_err()
                .message
                .contains("comment")
        );
        assert!(
            check("RETURN `x")
                .unwrap_err()
                .message
                .contains("backticked")
        );
        assert!(check("RETURN 'a\\'b'").is_ok());
    }
}
