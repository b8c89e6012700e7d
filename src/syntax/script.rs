//! Cutting a script into statements at the `;` that are not inside a
//! string, a backticked name or a comment (using the `script` rule of the
//! grammar, never a plain `split(';')`).

use pest::Parser;

use super::grammar::{KgqParser, Rule};
use crate::error::Span;

/// One statement of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptChunk {
    /// The statement text, without surrounding whitespace and without the
    /// `;` that ended it.
    pub text: String,
    /// Where `text` is in the script (byte offsets), so that errors in the
    /// statement can be shifted to script positions.
    pub span: Span,
}

/// Splits `text` into statements. Chunks holding only whitespace and
/// comments are dropped. An unterminated string, name or comment runs to
/// the end of the script, so its statement then fails to parse with a
/// positioned error.
pub fn split_script(text: &str) -> Vec<ScriptChunk> {
    let Ok(mut pairs) = KgqParser::parse(Rule::script, text) else {
        return whole(text);
    };
    let Some(script) = pairs.next() else {
        return whole(text);
    };
    script
        .into_inner()
        .filter(|p| p.as_rule() == Rule::chunk)
        .filter(|chunk| {
            chunk
                .clone()
                .into_inner()
                .any(|p| p.as_rule() == Rule::chunk_code)
        })
        .filter_map(|chunk| trimmed(text, chunk.as_span().start(), chunk.as_span().end()))
        .collect()
}

/// The whole script as one chunk (used only if the grammar ever fails).
fn whole(text: &str) -> Vec<ScriptChunk> {
    trimmed(text, 0, text.len()).into_iter().collect()
}

fn trimmed(text: &str, start: usize, end: usize) -> Option<ScriptChunk> {
    let raw = text.get(start..end)?;
    let lead = raw.len() - raw.trim_start().len();
    let body = raw.trim();
    if body.is_empty() {
        return None;
    }
    let start = start + lead;
    Some(ScriptChunk {
        text: body.to_string(),
        span: Span::new(start, start + body.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<String> {
        split_script(script).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn splits_at_top_level_semicolons() {
        assert_eq!(texts("RETURN 1; RETURN 2;"), ["RETURN 1", "RETURN 2"]);
        assert_eq!(texts("RETURN 1"), ["RETURN 1"]);
        assert!(texts("").is_empty());
        assert!(texts(" ;; \n ; ").is_empty());
    }

    #[test]
    fn ignores_semicolons_in_strings_names_and_comments() {
        let script = "RETURN 'a;b', \"c;\\\"d\" AS `x;y`; // one; two\nRETURN /* ; */ 2";
        assert_eq!(
            texts(script),
            [
                "RETURN 'a;b', \"c;\\\"d\" AS `x;y`",
                "// one; two\nRETURN /* ; */ 2"
            ]
        );
    }

    #[test]
    fn drops_comment_only_chunks() {
        assert_eq!(
            texts("// only a comment;\n;/* x; */ ; RETURN 1"),
            ["RETURN 1"]
        );
    }

    #[test]
    fn spans_point_into_the_script() {
        let script = "RETURN 1;\n  MATCH (n) RETURN n ;";
        let chunks = split_script(script);
        assert_eq!(chunks.len(), 2);
        for chunk in &chunks {
            assert_eq!(&script[chunk.span.start..chunk.span.end], chunk.text);
        }
        assert_eq!(chunks[1].span.start, 12);
    }

    #[test]
    fn unterminated_tokens_swallow_the_rest() {
        assert_eq!(
            texts("RETURN 1; RETURN 'a; RETURN 2"),
            ["RETURN 1", "RETURN 'a; RETURN 2"]
        );
        assert_eq!(
            texts("RETURN 1; /* a; RETURN 2"),
            ["RETURN 1", "/* a; RETURN 2"]
        );
        assert_eq!(texts("RETURN `a; b"), ["RETURN `a; b"]);
    }
}
