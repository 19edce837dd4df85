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
//!   a sentence that opens with "Without X, ..." (it explains why X matters);
//! - a forward scope ends at "and"/"or" that opens a new clause ("... and the consumers are").
//!
//! Some cues are *soft*: "avoid", "unlike", "prevent", "X is a mistake". They reject a wrong claim
//! ("we avoid a big-bang cutover") but name the goal of a right one ("avoid vendor lock-in"), so
//! they cancel misconceptions only, never concepts.

use crate::analyzer::RawToken;

/// How many content words a forward cue reaches.
const FORWARD_REACH: usize = 6;
/// How many content words "instead of" / "rather than" reach.
const ALTERNATIVE_REACH: usize = 3;

/// A negation cue: where it stands, and whether it negates concepts too or only misconceptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cue {
    /// Byte offset of the cue word.
    pub offset: usize,
    /// Strong cues (not, no, without) negate everything; soft ones (avoid, unlike) only
    /// misconceptions.
    pub strong: bool,
}

/// Whether a word can open a negation scope in [`scopes`] at all: a cue, a soft cue, a dismissive
/// word, "t" (of "don't"), "instead" or "rather". The analyzer keeps this with each word it has
/// analysed, so that `scopes` passes over all other words at once.
pub(crate) fn may_open_scope(norm: &str) -> bool {
    is_soft_forward_cue(norm)
        || is_soft_dismissal(norm)
        || is_cue_word(norm)
        || is_dismissive_word(norm)
        || matches!(norm, "t" | "instead" | "rather")
}

/// For each token, the cue that negates it, into `out` (cleared first).
pub(crate) fn scopes(tokens: &[RawToken], out: &mut Vec<Option<Cue>>) {
    out.clear();
    out.resize(tokens.len(), None);
    for (i, token) in tokens.iter().enumerate() {
        if !token.may_open_scope {
            continue;
        }
        let next = tokens.get(i + 1).map(|t| t.info.norm.as_str());
        // The cue of "doesn't" is "doesn": the "t" is a stop word, never part of an alias, and an
        // alias such as "doesn't require energy" must carry its own cue.
        let at = if token.info.norm == "t" && i > 0 {
            tokens[i - 1].start
        } else {
            token.start
        };
        let cue = Cue {
            offset: at,
            strong: true,
        };
        let soft = Cue {
            offset: token.start,
            strong: false,
        };
        if is_soft_forward_cue(&token.info.norm) {
            mark_forward(tokens, i + 1, FORWARD_REACH, soft, out);
        } else if is_soft_dismissal(&token.info.norm) {
            mark_clause(tokens, i, soft, out);
        } else if is_forward_cue(tokens, i) {
            let whether_or_not = token.info.norm == "not"
                && i >= 2
                && tokens[i - 1].info.norm == "or"
                && tokens[i - 2].info.norm == "whether";
            if whether_or_not
                || ignored_idiom(&token.info.norm, next)
                || opens_explanation(tokens, i)
            {
                continue;
            }
            // "cannot ship without a sign-off": two negations make the sign-off required.
            if token.info.norm == "without"
                && let Some(outer) = out[i].filter(|c| c.strong)
            {
                for slot in out.iter_mut().skip(i + 1) {
                    if *slot == Some(outer) {
                        *slot = None;
                    } else {
                        break;
                    }
                }
                continue;
            }
            if dismisses(tokens, i) {
                mark_clause(tokens, i, cue, out);
            } else {
                mark_forward(tokens, i + 1, FORWARD_REACH, cue, out);
            }
        } else if (token.info.norm == "instead" && next == Some("of"))
            || (token.info.norm == "rather" && next == Some("than"))
        {
            mark_forward(tokens, i + 2, ALTERNATIVE_REACH, cue, out);
        } else if is_dismissive_word(&token.info.norm) {
            mark_clause(tokens, i, cue, out);
        }
    }
}

fn is_forward_cue(tokens: &[RawToken], i: usize) -> bool {
    let norm = tokens[i].info.norm.as_str();
    // don't, isn't, won't: the tokenizer splits at the apostrophe, leaving "t" after "...n".
    is_cue_word(norm)
        || (norm == "t"
            && i > 0
            && tokens[i - 1].info.norm.ends_with('n')
            && tokens[i].start - tokens[i - 1].end <= 3)
}

/// Whether a (normalised) word opens a negation scope by itself: not, no, never, without...
pub(crate) fn is_cue_word(norm: &str) -> bool {
    matches!(
        norm,
        "not"
            | "no"
            | "never"
            | "without"
            | "nor"
            | "neither"
            | "cannot"
            | "dont"
            | "doesnt"
            | "didnt"
            | "isnt"
            | "arent"
            | "wont"
            | "wouldnt"
            | "shouldnt"
            | "cant"
            | "couldnt"
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
    tokens[i].info.norm == "without" && (i == 0 || tokens[i - 1].sentence != tokens[i].sentence)
}

/// "X is not needed", "X isn't necessary": the cue dismisses its whole clause, subject included.
/// Without the copula ("work the user does not need to wait for") only the words after it are
/// negated.
fn dismisses(tokens: &[RawToken], i: usize) -> bool {
    let copula = |t: &RawToken| {
        matches!(
            t.info.norm.as_str(),
            "is" | "are" | "was" | "were" | "be" | "been" | "isn" | "aren" | "wasn" | "weren"
        )
    };
    let after_copula = match tokens[i].info.norm.as_str() {
        "isnt" | "arent" | "wasnt" | "werent" => true,
        "t" => i > 0 && copula(&tokens[i - 1]),
        _ => i > 0 && copula(&tokens[i - 1]),
    };
    after_copula
        && tokens[i + 1..]
            .iter()
            .take(2)
            .take_while(|t| !t.clause_start)
            .any(|t| {
                matches!(
                    t.info.norm.as_str(),
                    "need"
                        | "needed"
                        | "necessary"
                        | "required"
                        | "worth"
                        | "useful"
                        | "helpful"
                        | "matter"
                        | "important"
                        | "relevant"
                        | "recommended"
                )
            })
}

fn is_soft_forward_cue(norm: &str) -> bool {
    matches!(
        norm,
        "avoid"
            | "avoids"
            | "avoided"
            | "avoiding"
            | "unlike"
            | "prevent"
            | "prevents"
            | "preventing"
            | "against"
            | "forbid"
            | "prohibit"
            | "ban"
            | "discourage"
            | "beware"
            | "stop"
    )
}

/// "X is a mistake", "X is an anti-pattern": rejects the claim around it.
fn is_soft_dismissal(norm: &str) -> bool {
    matches!(
        norm,
        "mistake" | "antipattern" | "myth" | "misconception" | "wrong" | "dangerous" | "fallacy"
    )
}

fn is_dismissive_word(norm: &str) -> bool {
    matches!(
        norm,
        "unnecessary"
            | "overkill"
            | "pointless"
            | "needless"
            | "useless"
            | "irrelevant"
            | "unneeded"
    )
}

/// Records `cue` for a token unless a cue at least as strong already covers it.
fn mark(slot: &mut Option<Cue>, cue: Cue) {
    if slot.is_none_or(|old| cue.strong && !old.strong) {
        *slot = Some(cue);
    }
}

/// "and"/"or" followed by a new subject starts a new clause.
fn opens_new_clause(tokens: &[RawToken], j: usize) -> bool {
    matches!(
        tokens[j].info.norm.as_str(),
        "and" | "or" | "so" | "because" | "since"
    ) && tokens.get(j + 1).is_some_and(|t| {
        matches!(
            t.info.norm.as_str(),
            "the"
                | "we"
                | "our"
                | "they"
                | "their"
                | "it"
                | "its"
                | "this"
                | "that"
                | "i"
                | "you"
                | "he"
                | "she"
                | "each"
                | "every"
                | "all"
                | "then"
                | "there"
        )
    })
}

fn mark_forward(tokens: &[RawToken], from: usize, reach: usize, cue: Cue, out: &mut [Option<Cue>]) {
    let mut content = 0;
    for j in from..tokens.len() {
        if tokens[j].clause_start || opens_new_clause(tokens, j) {
            break;
        }
        mark(&mut out[j], cue);
        if !tokens[j].stop {
            content += 1;
            if content >= reach {
                break;
            }
        }
    }
}

fn mark_clause(tokens: &[RawToken], i: usize, cue: Cue, out: &mut [Option<Cue>]) {
    let mut start = i;
    while start > 0 && !tokens[start].clause_start && !opens_new_clause(tokens, start) {
        start -= 1;
    }
    if opens_new_clause(tokens, start) {
        start += 1;
    }
    for slot in out.iter_mut().take(i).skip(start) {
        mark(slot, cue);
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
            .filter(|t| t.negation.is_some_and(|cue| cue.strong))
            .map(|t| t.norm.into())
            .collect()
    }

    #[test]
    fn negation_table() {
        let table: &[(&str, &[&str])] = &[
            ("we would not add jitter", &["add", "jitter"]),
            ("we won't add jitter", &["add", "jitter"]),
            ("we won\u{2019}t add jitter", &["add", "jitter"]),
            (
                "retry without any circuit breaker",
                &["any", "circuit", "breaker"],
            ),
            ("there is no need for an outbox", &["need", "outbox"]),
            ("jitter is not needed here", &["jitter", "needed"]),
            ("an outbox is overkill for this", &["outbox"]),
            (
                "use polling instead of an outbox table",
                &["outbox", "table"],
            ),
            ("add jitter, not a fixed delay", &["fixed", "delay"]),
            // scope ends at the clause
            (
                "we do not retry forever, but we add jitter",
                &["retry", "forever"],
            ),
            // idioms that are not negations
            ("retry no more than five times", &[]),
            ("not only backoff but jitter", &[]),
            ("Without jitter, clients retry in lockstep.", &[]),
            ("use exponential backoff with jitter", &[]),
            ("decide whether or not to add jitter", &[]),
            // a new subject after "and" ends the scope
            (
                "we would not retry forever and the consumers are idempotent",
                &["retry", "forever"],
            ),
            // a dismissal reaches back over its subject only after a copula
            (
                "work the user does not need to wait for goes to a queue",
                &["need", "wait", "goes", "queue"],
            ),
            // a double negative affirms
            (
                "stories cannot leave grooming without a privacy sign-off",
                &["leave", "grooming", "without"],
            ),
            // soft cues do not negate concepts
            ("we avoid vendor lock-in", &[]),
        ];
        for (text, expected) in table {
            assert_eq!(negated(text), *expected, "{text}");
        }
    }

    #[test]
    fn soft_cues_negate_softly() {
        let analysis =
            Analyzer::new().analyze("We avoid a big-bang cutover. A rewrite is a mistake.");
        let soft: Vec<&str> = analysis
            .terms
            .iter()
            .filter(|t| t.negation.is_some_and(|cue| !cue.strong))
            .map(|t| t.norm.as_str())
            .collect();
        assert_eq!(soft, ["big", "bang", "cutover", "rewrite"]);
    }

    #[test]
    fn scope_is_bounded() {
        let words = negated(
            "we will not do it in the first release because budgets are tight and teams busy",
        );
        assert!(!words.contains(&"busy".to_string()), "{words:?}");
    }
}
