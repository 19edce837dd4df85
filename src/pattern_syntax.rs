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
        Ok(hir) => PatternCheck::Valid(literal_prefixes(&hir)),
    }
}

/// The literal prefixes of a pattern, lowercased, when the set is finite and none is empty.
fn literal_prefixes(hir: &regex_syntax::hir::Hir) -> Option<Vec<String>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    // Non-ASCII literals would need Unicode case folding to compare: no prefilter for those.
    if literals.iter().any(|l| !l.as_bytes().is_ascii()) {
        return None;
    }
    let mut prefixes: Vec<String> = literals
        .iter()
        .map(|l| String::from_utf8_lossy(l.as_bytes()).to_ascii_lowercase())
        .collect();
    prefixes.sort();
    prefixes.dedup();
    Some(prefixes)
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
    }
}
