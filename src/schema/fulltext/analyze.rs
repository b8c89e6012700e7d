//! The analyzer of full-text indexes: text to terms.
//!
//! Like Neo4j's default (`standard-no-stop-words`) it lower-cases and
//! splits on everything that is not a letter or digit (Unicode-aware, so
//! `Nils-Erik` gives `nils`, `erik`), keeps stop words, and makes each
//! CJK ideograph a term of its own. Unlike it, Latin letters lose their
//! accents (`Kùzu` gives `kuzu`), with `deunicode` folding one letter at a
//! time; other scripts are kept as they are.

/// The name [`SHOW INDEXES`](crate::procedures::show) and the options use.
pub const ANALYZER: &str = "standard-no-stop-words";

/// The terms of `text`, in order (a term's position is its index).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if is_ideograph(c) {
            flush(&mut current, &mut out);
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            fold_into(c, &mut current);
        } else if !is_mark(c) {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// One query word in the analyzer's normal form without splitting it
/// (for prefix, wildcard and fuzzy terms, whose `*`, `?` are kept).
pub fn normalize(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if c.is_alphanumeric() {
            fold_into(c, &mut out);
        } else if !is_mark(c) {
            out.push(c);
        }
    }
    out
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    if !current.is_empty() {
        out.push(std::mem::take(current));
    }
}

/// Appends `c` lower-cased, without its accent if it is a Latin letter.
fn fold_into(c: char, out: &mut String) {
    if is_latin_with_accent(c)
        && let Some(plain) = deunicode::deunicode_char(c)
        && !plain.is_empty()
        && plain.chars().all(|p| p.is_ascii_alphanumeric())
    {
        out.extend(plain.chars().map(|p| p.to_ascii_lowercase()));
        return;
    }
    out.extend(c.to_lowercase());
}

/// Latin-1 Supplement, Latin Extended-A/B and Latin Extended Additional.
fn is_latin_with_accent(c: char) -> bool {
    matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF)
}

/// Combining marks (a decomposed accent): dropped, not a separator.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

/// Han ideographs, Hiragana, Katakana, Hangul syllables: one term each.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lowercases_and_folds() {
        assert_eq!(
            terms("Nils-Erik is OFTEN late; Kùzu/Ladybug 2025!"),
            [
                "nils", "erik", "is", "often", "late", "kuzu", "ladybug", "2025"
            ]
        );
        assert_eq!(terms("Ärger über Straße"), ["arger", "uber", "strasse"]);
        assert_eq!(terms("Кузу Москва"), ["кузу", "москва"]);
        assert_eq!(terms("中国重汽 truck"), ["中", "国", "重", "汽", "truck"]);
        assert_eq!(terms("Ku\u{300}zu"), ["kuzu"]);
        assert!(terms(" -- ").is_empty());
    }

    #[test]
    fn normalize_keeps_wildcards() {
        assert_eq!(normalize("Sino*"), "sino*");
        assert_eq!(normalize("Kù?u"), "ku?u");
    }
}
