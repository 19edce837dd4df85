//! Negation scopes: which words stand in a clause that denies them.
//!
//! A candidate who writes "we would not add jitter" or "no need for an outbox" has named the
//! concept only to reject it; the grade must not reward that. The rules are deliberately simple
//! and local (one clause, a few words), because a wrong negation costs a candidate real credit:
//!
//! - a forward cue (not, no, never, without, n't, nor, neither, cannot) covers the words after it
//!   up to the end of its clause, at most [`FORWARD_REACH`] content words;
//! - "instead of X" and "rather than X" cover the next few words;
//! - a dismissive predicate ("X is not needed", "X is overkill", "X is unnecessary") covers its
//!   whole clause, including the words before it;
//! - "no more than", "not only", "no matter" and similar idioms are not negations, and neither is
//!   a sentence that opens with "Without X, ..." (it explains why X matters).

use crate::analyzer::{RawToken, is_stop_word};

/// How many content words a forward cue reaches.
const FORWARD_REACH: usize = 6;
/// How many content words "instead of" / "rather than" reach.
const ALTERNATIVE_REACH: usize = 3;

/// For each token, the byte offset of the cue that negates it.
pub(crate) fn scopes(tokens: &[RawToken]) -> Vec<Option<usize>> {
    let mut out = vec![None; tokens.len()];
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).map(|t| t.norm.as_str());
        let cue = token.start;
        if is_forward_cue(tokens, i) {
            if ignored_idiom(&token.norm, next) || opens_explanation(tokens, i) {
                continue;
            }
            if dismisses(tokens, i) {
                mark_clause(tokens, i, cue, &mut out);
            } else {
                mark_forward(tokens, i + 1, FORWARD_REACH, cue, &mut out);
            }
        } else if (token.norm == "instead" && next == Some("of"))
            || (token.norm == "rather" && next == Some("than"))
        {
            mark_forward(tokens, i + 2, ALTERNATIVE_REACH, cue, &mut out);
        } else if is_dismissive_word(&token.norm) {
            mark_clause(tokens, i, cue, &mut out);
        }
    }
    out
}

fn is_forward_cue(tokens: &[RawToken], i: usize) -> bool {
    let norm = tokens[i].norm.as_str();
    // don't, isn't, won't: the tokenizer splits at the apostrophe, leaving "t" after "...n".
    is_cue_word(norm)
        || (norm == "t" && i > 0 && tokens[i - 1].norm.ends_with('n') && tokens[i].start - tokens[i - 1].end <= 3)
}

/// Whether a (normalised) word opens a negation scope by itself: not, no, never, without...
pub(crate) fn is_cue_word(norm: &str) -> bool {
    matches!(
        norm,
        "not" | "no" | "never" | "without" | "nor" | "neither" | "cannot" | "dont" | "doesnt"
            | "didnt" | "isnt" | "arent" | "wont" | "wouldnt" | "shouldnt" | "cant" | "couldnt"
    )
}

fn ignored_idiom(cue: &str, next: Option<&str>) -> bool {
    let Some(next) = next else { return true };
    match cue {
        "no" => matches!(
            next,
            "more" | "less" | "fewer" | "greater" | "later" | "earlier" | "matter" | "doubt"
        ),
        "not" | "t" => matches!(next, "only" | "just" | "merely" | "least" | "necessarily"),
        _ => false,
    }
}

/// "Without jitter, clients retry in lockstep": an explanation of why the thing matters.
fn opens_explanation(tokens: &[RawToken], i: usize) -> bool {
    tokens[i].norm == "without"
        && (i == 0 || tokens[i - 1].sentence != tokens[i].sentence)
}

/// "is not needed", "isn't necessary", "don't need": the cue dismisses its whole clause.
fn dismisses(tokens: &[RawToken], i: usize) -> bool {
    tokens[i + 1..]
        .iter()
        .take(2)
        .take_while(|t| !t.clause_start)
        .any(|t| {
            matches!(
                t.norm.as_str(),
                "need" | "needed" | "necessary" | "required" | "worth" | "useful" | "helpful"
                    | "matter" | "important" | "relevant" | "recommended"
            )
        })
}

fn is_dismissive_word(norm: &str) -> bool {
    matches!(
        norm,
        "unnecessary" | "overkill" | "pointless" | "needless" | "useless" | "irrelevant" | "unneeded"
    )
}

fn mark_forward(tokens: &[RawToken], from: usize, reach: usize, cue: usize, out: &mut [Option<usize>]) {
    let mut content = 0;
    for j in from..tokens.len() {
        if tokens[j].clause_start {
            break;
        }
        out[j].get_or_insert(cue);
        if !is_stop_word(&tokens[j].norm) {
            content += 1;
            if content >= reach {
                break;
            }
        }
    }
}

fn mark_clause(tokens: &[RawToken], i: usize, cue: usize, out: &mut [Option<usize>]) {
    let mut start = i;
    while start > 0 && !tokens[start].clause_start {
        start -= 1;
    }
    for slot in out.iter_mut().take(i).skip(start) {
        slot.get_or_insert(cue);
    }
    mark_forward(tokens, i + 1, FORWARD_REACH, cue, out);
}

#[cfg(test)]
mod tests {
    use crate::analyzer::Analyzer;

    /// The content words of `text` that are negated.
    fn negated(text: &str) -> Vec<String> {
        Analyzer::new()
            .analyze(text)
            .terms
            .into_iter()
            .filter(|t| t.negation.is_some())
            .map(|t| t.norm)
            .collect()
    }

    #[test]
    fn negation_table() {
        let table: &[(&str, &[&str])] = &[
            ("we would not add jitter", &["add", "jitter"]),
            ("we won't add jitter", &["add", "jitter"]),
            ("we won\u{2019}t add jitter", &["add", "jitter"]),
            ("retry without any circuit breaker", &["circuit", "breaker"]),
            ("there is no need for an outbox", &["need", "outbox"]),
            ("jitter is not needed here", &["jitter", "needed"]),
            ("an outbox is overkill for this", &["outbox"]),
            ("use polling instead of an outbox table", &["outbox", "table"]),
            ("add jitter, not a fixed delay", &["fixed", "delay"]),
            // scope ends at the clause
            ("we do not retry forever, but we add jitter", &["retry", "forever"]),
            // idioms that are not negations
            ("retry no more than five times", &[]),
            ("not only backoff but jitter", &[]),
            ("Without jitter, clients retry in lockstep.", &[]),
            ("use exponential backoff with jitter", &[]),
        ];
        for (text, expected) in table {
            assert_eq!(negated(text), *expected, "{text}");
        }
    }

    #[test]
    fn scope_is_bounded() {
        let words = negated("we will not do it in the first release because budgets are tight and teams busy");
        assert!(!words.contains(&"busy".to_string()), "{words:?}");
    }
}
