//! What parsing a rubric pattern tells before it is ever compiled: whether it is a valid regex
//! that cannot match empty text, and the literal prefixes every match starts with.
//!
//! The build script checks the built-in bank's patterns with this same file, so loading the
//! built-in rubrics skips the parse (see `precomputed`).

/// The outcome of checking one pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PatternCheck {
    /// Not a regex: the parser's reason.
    Invalid(String),
    /// A regex that matches empty text, which would be found in every answer.
    MatchesEmpty,
    /// A usable pattern, with the lowercase literals one of which every match starts with
    /// (`None` when there is no such finite set).
    Valid(Option<Vec<String>>),
}

/// Parses `source` as a rubric pattern is parsed: case-sensitive, Unicode.
pub(crate) fn check_pattern(source: &str) -> PatternCheck {
    match regex_syntax::ParserBuilder::new().build().parse(source) {
        Err(e) => PatternCheck::Invalid(
            e.to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_string(),
        ),
        Ok(hir) if hir.properties().minimum_len() == Some(0) => PatternCheck::MatchesEmpty,
        Ok(hir) => PatternCheck::Valid(match literal_prefixes(&hir) {
            Prefixes::Ascii(prefixes) => Some(prefixes),
            Prefixes::NonAscii => folded_prefixes(source),
            Prefixes::None => None,
        }),
    }
}

enum Prefixes {
    /// Every match starts with one of these, compared with ASCII case ignored.
    Ascii(Vec<String>),
    /// A finite set, but with non-ASCII literals ("Θ("), whose case variants ASCII folding
    /// does not cover.
    NonAscii,
    None,
}

/// The literal prefixes of a pattern, lowercased, when the set is finite and none is empty.
fn literal_prefixes(hir: &regex_syntax::hir::Hir) -> Prefixes {
    let Some(literals) = prefix_literals(hir) else {
        return Prefixes::None;
    };
    if literals.iter().any(|l| !l.is_ascii()) {
        return Prefixes::NonAscii;
    }
    Prefixes::Ascii(tidy(literals))
}

/// For a pattern whose prefixes are not all ASCII: the prefixes of the pattern parsed
/// case-insensitively, as it is searched, so that every Unicode case variant ("θ(", "ϑ(") is
/// among them. `None` when that set is not finite (or too large to list).
fn folded_prefixes(source: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(source)
        .ok()?;
    prefix_literals(&hir).map(tidy)
}

/// The literals every match of `hir` starts with, if that set is finite, non-empty and has no
/// empty literal.
fn prefix_literals(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// Lowercased (ASCII letters only: the prefix search ignores ASCII case), sorted, deduplicated.
fn tidy(literals: Vec<Vec<u8>>) -> Vec<String> {
    let mut prefixes: Vec<String> = literals
        .iter()
        .map(|l| String::from_utf8_lossy(l).to_ascii_lowercase())
        .collect();
    prefixes.sort();
    prefixes.dedup();
    prefixes
}

/// The check of a built-in pattern, done when itdq was compiled; `None` for any other pattern.
/// Only valid patterns are stored, and a test checks each against [`check_pattern`].
pub(crate) fn precomputed(source: &str) -> Option<PatternCheck> {
    let checked = crate::builtin_patterns::CHECKED;
    let i = checked
        .binary_search_by(|(pattern, _)| (*pattern).cmp(source))
        .ok()?;
    let prefixes = checked[i]
        .1
        .map(|prefixes| prefixes.iter().map(|p| p.to_string()).collect());
    Some(PatternCheck::Valid(prefixes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_checked_at_compile_time_are_checked_as_at_run_time() {
        let checked = crate::builtin_patterns::CHECKED;
        assert!(checked.len() > 50, "{} precomputed patterns", checked.len());
        assert!(
            checked.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no repeats"
        );
        for (pattern, _) in checked {
            assert_eq!(
                precomputed(pattern),
                Some(check_pattern(pattern)),
                "{pattern:?}"
            );
        }
        assert_eq!(precomputed("not (a built-in) pattern"), None);
    }

    #[test]
    fn checks_reject_bad_and_empty_patterns_and_find_prefixes() {
        assert!(matches!(check_pattern("O(V"), PatternCheck::Invalid(_)));
        assert_eq!(check_pattern("a*"), PatternCheck::MatchesEmpty);
        assert_eq!(
            check_pattern(r"(Math|math)\.min\("),
            PatternCheck::Valid(Some(vec!["math.min(".to_string()]))
        );
        assert_eq!(check_pattern(r"\w+ing"), PatternCheck::Valid(None));
        // Non-ASCII prefixes come with all their Unicode case variants.
        let PatternCheck::Valid(Some(prefixes)) = check_pattern(r"[OΘ]\(\s*n\)") else {
            panic!("a finite set of prefixes");
        };
        for variant in ["o(", "θ(", "Θ(", "ϑ("] {
            assert!(
                prefixes.iter().any(|p| p == variant),
                "{variant} in {prefixes:?}"
            );
        }
    }
}
