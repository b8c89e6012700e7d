//! The normal form names are compared in: transliterated to Latin
//! (deunicode), case-folded, accents and punctuation dropped, legal-form
//! words (Co., Ltd., Group, ООО …) left out.

/// Words that name a legal form or a corporate wrapper rather than the
/// entity, in their normal form (Cyrillic forms arrive transliterated:
/// ООО → `ooo`, ПАО → `pao`).
const LEGAL_FORMS: &[&str] = &[
    "ag",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "group",
    "inc",
    "incorporated",
    "jsc",
    "kg",
    "limited",
    "llc",
    "lp",
    "ltd",
    "nv",
    "oao",
    "ooo",
    "pao",
    "pjsc",
    "plc",
    "sa",
    "sarl",
    "spa",
    "zao",
];

/// The words of `text` in normal form: transliterated to ASCII, lower case,
/// split at anything that is not a letter or digit, legal-form words left
/// out (unless nothing else is left).
pub fn words(text: &str) -> Vec<String> {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let all: Vec<String> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let kept: Vec<String> = all
        .iter()
        .filter(|w| !LEGAL_FORMS.contains(&w.as_str()))
        .cloned()
        .collect();
    if kept.is_empty() { all } else { kept }
}

/// `text` in normal form, words separated by one space:
/// `normalize("Shaanxi Heavy Truck Co., Ltd.") == "shaanxi heavy truck"`.
pub fn normalize(text: &str) -> String {
    words(text).join(" ")
}

/// The normal form without spaces, the key exact matches use (so that
/// `Da Ji Yuan` and `Dajiyuan`, `U.S.` and `US` meet).
pub fn compact(text: &str) -> String {
    words(text).concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(
            normalize("Shaanxi Heavy Truck Co., Ltd."),
            "shaanxi heavy truck"
        );
        assert_eq!(normalize("  SHACMAN  "), "shacman");
        assert_eq!(normalize("Société Générale S.A."), "societe generale s a");
        assert_eq!(compact("Société Générale SA"), "societegenerale");
        assert_eq!(normalize("Росстандарт"), "rosstandart");
        assert_eq!(normalize("ООО «Шакман»"), "shakman");
        assert_eq!(normalize("Group"), "group");
        assert_eq!(compact("U.S."), "us");
        assert_eq!(normalize(""), "");
    }
}
