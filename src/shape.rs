//! The shape of an answer: prose, or a bare list of terms.
//!
//! Keyword stuffing ("KPIs, OKRs, roadmap, governance, stakeholders") names concepts without
//! explaining any of them. Such an answer is split into fragments at line breaks and list
//! punctuation; when most of its words sit in fragments of three words or fewer, it is a list.
//! Code is left out first (fenced blocks, and lines that look like code or SQL): pseudocode and
//! queries are short-lined but no keyword list.
//!
//! Keywords strung together with spaces alone ("exponential backoff jitter max attempts
//! idempotency key circuit breaker ...") make one long fragment, so a long fragment counts as
//! bare terms too when it has almost no function words ("the", "of", "we", "is"): prose cannot
//! run that long without them.

use crate::analyzer::is_stop_word_in_any_case;

/// Fragments of at most this many words are "bare terms".
const BARE_FRAGMENT_WORDS: usize = 3;
/// Share of prose words in bare fragments that makes a keyword list.
const BARE_SHARE: f64 = 0.7;
/// Fewer words than this are judged by the short-answer rule instead.
const MIN_WORDS: usize = 8;
/// A line with this many words is prose even if it holds a code character ("over 3 σ (z > 3)").
const PROSE_LINE_WORDS: usize = 7;
/// A fragment of at least this many words in which fewer than one word in [`RUN_ON_STOP_EVERY`]
/// is a stop word ([`crate::analyzer::is_stop_word`]) is a run of bare terms, not a clause.
/// Longer than most sentences, so that a terse one ("arrays allow random access where linked
/// lists only allow sequential access") is never judged by it.
const RUN_ON_WORDS: usize = 14;
const RUN_ON_STOP_EVERY: usize = 10;

/// Whether `text` is mostly a list of bare terms rather than sentences.
pub fn is_keyword_list(text: &str) -> bool {
    judge(text, true)
}

/// [`is_keyword_list`]; `early` lets it stop as soon as the rest cannot change the verdict.
fn judge(text: &str, early: bool) -> bool {
    let mut total = 0usize;
    let mut bare = 0usize;
    let mut in_fence = false;
    let mut in_query = false;
    // For stopping early: a bound on the words of the whole text, and the part of it that the
    // lines seen so far (with their line breaks) account for.
    let bound = if early {
        word_bound(text.as_bytes())
    } else {
        0
    };
    let mut seen = 0usize;
    for line in text.lines() {
        // A bound on the words of this line and the rest, from before this line.
        let most_words = total + bound.saturating_sub(seen) + 1;
        if early {
            seen += word_bound(line.as_bytes()) + 1;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if trimmed.is_empty() {
            in_query = false;
            continue;
        }
        // Only "fewer than PROSE_LINE_WORDS" matters: stop counting there.
        let words = count_words(trimmed, PROSE_LINE_WORDS);
        if starts_query(trimmed) {
            in_query = true;
        }
        // A query runs on over short lines ("revenue," "FROM t") until prose or a blank line.
        if in_query && (words < PROSE_LINE_WORDS || !trimmed.ends_with('.')) {
            continue;
        }
        in_query = false;
        if words < PROSE_LINE_WORDS && looks_like_code(trimmed) {
            continue;
        }
        // Enough words in long fragments that the rest of the text cannot make this a list,
        // even if every word still to come were bare: most prose answers are decided before
        // their end, many within their first paragraph. `most_words` bounds the whole text's
        // words, so this many long words exceed the share a list may have (by one word, which
        // absorbs rounding). (An undercounted `seen`, as after "\r\n", only loosens the bound.)
        let enough = if early {
            let long_at_most = ((1.0 - BARE_SHARE) * most_words as f64 + 1.0).floor() as usize;
            (long_at_most + 1).saturating_sub(total - bare)
        } else {
            usize::MAX
        };
        let Some(Fragments {
            words,
            bare: bare_words,
            run_on,
        }) = fragment_words(trimmed, enough)
        else {
            return false;
        };
        total += words;
        bare += bare_words;
        // A run of terms without function words on a line that looks like code is code
        // ("const delay = base * 2 ** attempt + jitter"), not keywords.
        if run_on > 0 && !looks_like_code(trimmed) {
            bare += run_on;
        }
    }
    total >= MIN_WORDS && bare as f64 >= BARE_SHARE * total as f64
}

/// An upper bound on the words [`fragment_words`] and [`count_words`] find in `bytes`, less one:
/// every word but the last is followed by a byte that is no letter, or by a bullet (whose last
/// byte is 0xA2). Counted branch-free into bytes, so that it vectorises.
fn word_bound(bytes: &[u8]) -> usize {
    let ends = |b: u8| {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        u8::from(!(letter | digit | (b >= 0x80)) | (b == 0xA2))
    };
    bytes
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + ends(b))))
        .sum()
}

/// Words in `s`: runs of letters and digits (any non-ASCII byte counts as a letter), counted up
/// to `limit`.
fn count_words(s: &str, limit: usize) -> usize {
    let bytes = s.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80 {
            count += 1;
            if count >= limit {
                break;
            }
            i = letters_end(bytes, i + 1, false);
        } else {
            i += 1;
        }
    }
    count
}

/// Where the run of letters from `i` ends: the first byte from `i` on that is not an ASCII letter
/// or digit nor any other byte of 0x80 and above (but for the first byte of a bullet, 0xE2, when
/// `bullets` break words), or the end. Eight bytes at a time: most bytes of a line are letters.
fn letters_end(bytes: &[u8], mut i: usize, bullets: bool) -> usize {
    use crate::swar::{HIGH_BITS, ascii_alphanumeric, eight_bytes, equal_to, first_marked};
    while i < bytes.len() {
        let block = eight_bytes(bytes, i);
        let mut wide = block & HIGH_BITS;
        if bullets {
            wide &= !equal_to(block, 0xE2);
        }
        let stops = !(ascii_alphanumeric(block) | wide) & HIGH_BITS;
        if stops != 0 {
            return (i + first_marked(stops)).min(bytes.len());
        }
        i += 8;
    }
    bytes.len()
}

const OTHER: u8 = 0;
const LETTER: u8 = 1;
const SEPARATOR: u8 = 2;
const DOT_OR_DASH: u8 = 3;
const BULLET_LEAD: u8 = 4;

/// The class of each byte for [`fragment_words`]: letters and digits (any non-ASCII byte counts
/// as a letter), the separators `,` `;` `|` `/`, `.` and `-` (separators between spaces), and the
/// first byte of U+2022 BULLET.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b >= 0x80 {
            table[i] = LETTER;
        }
        i += 1;
    }
    table[b',' as usize] = SEPARATOR;
    table[b';' as usize] = SEPARATOR;
    table[b'|' as usize] = SEPARATOR;
    table[b'/' as usize] = SEPARATOR;
    table[b'.' as usize] = DOT_OR_DASH;
    table[b'-' as usize] = DOT_OR_DASH;
    table[0xE2] = BULLET_LEAD;
    table
};

/// The words of a line by the fragments they stand in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fragments {
    /// All words of the line.
    words: usize,
    /// Words in fragments of at most [`BARE_FRAGMENT_WORDS`] words.
    bare: usize,
    /// Words in run-on fragments: at least [`RUN_ON_WORDS`] words with almost no stop word
    /// among them. Bare terms unless the line looks like code (the caller decides).
    run_on: usize,
}

/// The words of a line by their fragments. Fragments end at `,` `;` `|` `/` `•`, at ". " and
/// at " - ". `None` as soon as `enough` words stand in closed fragments that are neither bare
/// nor run-on: the caller needs no more. One pass over the bytes: this runs for every graded
/// answer.
fn fragment_words(line: &str, enough: usize) -> Option<Fragments> {
    let bytes = line.as_bytes();
    // Words in closed fragments (long, bare and run-on), and in the fragment open, with its
    // stop words.
    let (mut long, mut bare, mut run_on) = (0, 0, 0);
    let (mut current, mut stops) = (0, 0);
    let mut in_word = false;
    // Closes the open fragment; whether `enough` long words are now certain.
    let mut close = |current: &mut usize, stops: &mut usize| {
        if *current <= BARE_FRAGMENT_WORDS {
            bare += *current;
        } else if *current >= RUN_ON_WORDS && *stops * RUN_ON_STOP_EVERY < *current {
            run_on += *current;
        } else {
            long += *current;
        }
        *current = 0;
        *stops = 0;
        long >= enough
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match BYTE_CLASS[b as usize] {
            LETTER => {
                let end = letters_end(bytes, i + 1, true);
                if !in_word {
                    current += 1;
                    in_word = true;
                }
                stops += usize::from(is_stop_word_in_any_case(&bytes[i..end]));
                // The rest of the word at once: most bytes of a line are letters.
                i = end - 1;
            }
            SEPARATOR => {
                if close(&mut current, &mut stops) {
                    return None;
                }
                in_word = false;
            }
            DOT_OR_DASH => {
                let before = i == 0 || bytes[i - 1] == b' ' || b == b'.';
                let after = bytes.get(i + 1) == Some(&b' ');
                if before && after && close(&mut current, &mut stops) {
                    return None;
                }
                in_word = false;
            }
            // U+2022 BULLET ends a fragment; any other character that starts with 0xE2 is a
            // letter, like all non-ASCII bytes.
            BULLET_LEAD => {
                if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA2) {
                    i += 2;
                    if close(&mut current, &mut stops) {
                        return None;
                    }
                    in_word = false;
                } else if !in_word {
                    current += 1;
                    in_word = true;
                }
            }
            _ => in_word = false,
        }
        i += 1;
    }
    if close(&mut current, &mut stops) {
        return None;
    }
    Some(Fragments {
        words: long + bare + run_on,
        bare,
        run_on,
    })
}

/// An SQL statement starts here: an upper-case keyword first.
fn starts_query(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    matches!(
        first,
        "SELECT"
            | "WITH"
            | "FROM"
            | "WHERE"
            | "INSERT"
            | "UPDATE"
            | "DELETE"
            | "CREATE"
            | "ALTER"
            | "JOIN"
            | "GROUP"
            | "ORDER"
            | "HAVING"
            | "EXPLAIN"
            | "DROP"
            | "UNION"
            | "LEFT"
            | "INNER"
    )
}

fn looks_like_code(line: &str) -> bool {
    line.bytes().any(|b| {
        matches!(
            b,
            b'{' | b'}' | b'=' | b'(' | b')' | b'[' | b']' | b'<' | b'>' | b';'
        )
    }) || line.ends_with(':') && !line.contains(' ')
        || line.starts_with("//")
        || line.starts_with('#') && !line.starts_with("# ") && !line.starts_with("##")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopping_early_never_changes_the_verdict() {
        let proses = [
            "We would measure delivery with a small set of KPIs that the board reviews every quarter.",
            "Caf\u{e9} na\u{ef}ve r\u{e9}sum\u{e9} words, written with accents, still count as words here.\r",
        ];
        // Bullets between words leave no byte that is not a letter: the bound must count them.
        let bullet_sets = [
            "- KPIs\n- OKRs, roadmap\n- governance | stakeholders\n- budget\n",
            "KPIs\u{2022}OKRs\u{2022}roadmap\u{2022}budget\u{2022}funding\u{2022}risk\r\n\n",
        ];
        let mut lists = 0;
        for (prose, bullets) in proses.iter().flat_map(|p| bullet_sets.map(|b| (p, b))) {
            for prose_lines in 0..6 {
                for bullet_blocks in 0..12 {
                    for order in 0..4 {
                        // Prose in lines of its own, or run together in one paragraph (which
                        // can be decided inside the line).
                        let p = if order < 2 {
                            format!("{prose}\n").repeat(prose_lines)
                        } else {
                            format!("{} \n", format!("{prose} ").repeat(prose_lines).trim_end())
                        };
                        let b = bullets.repeat(bullet_blocks);
                        let text = if order % 2 == 0 { p + &b } else { b + &p };
                        let verdict = judge(&text, false);
                        lists += usize::from(verdict);
                        assert_eq!(is_keyword_list(&text), verdict, "{text:?}");
                    }
                }
            }
        }
        // Both verdicts occur, so the comparison means something.
        assert!(lists > 80 && lists < 800, "{lists} lists");
    }

    #[test]
    fn keyword_lists_are_recognised() {
        assert!(is_keyword_list(
            "KPIs, OKRs, roadmap, governance, stakeholders, funding, quarterly reviews"
        ));
        assert!(is_keyword_list(
            "- KPIs\n- OKRs\n- roadmap\n- quarterly reviews\n- finance partner\n- value stream"
        ));
        assert!(is_keyword_list(
            "jitter; exponential backoff; max retries; timeouts; idempotency; circuit breaker"
        ));
    }

    #[test]
    fn prose_and_explained_bullets_are_not() {
        assert!(!is_keyword_list(
            "I meet the executives to learn their goals, then build a roadmap with measurable KPIs and review it every quarter."
        ));
        assert!(!is_keyword_list(
            "- Tie every project to a business KPI that finance agrees with\n- Review progress each quarter with the leadership team\n- Cascade goals through OKRs so engineers see the outcome"
        ));
        assert!(!is_keyword_list(
            "function dfs(v):\n  visited.add(v)\n  for n in adj(v):\n    if n in stack: return true\nDFS with a recursion stack runs in linear time over vertices and edges."
        ));
    }

    #[test]
    fn queries_are_code_not_keywords() {
        let answer = "WITH stats AS (\nSELECT\nday,\nrevenue,\nAVG(revenue) OVER w AS mean\nFROM daily\n)\nSELECT day\nFROM stats\nWHERE z > 3;\nA day is flagged when revenue sits more than three standard deviations (z > 3) from its trailing mean.";
        assert!(!is_keyword_list(answer));
    }

    #[test]
    fn fragments_split_at_list_punctuation_and_sentence_ends() {
        let counts = |line: &str, enough: usize| {
            fragment_words(line, enough).map(|f| (f.words, f.bare, f.run_on))
        };
        assert_eq!(counts("a b, c d e f; g", usize::MAX), Some((7, 3, 0)));
        assert_eq!(
            counts("one two three four. five six - seven", usize::MAX),
            Some((7, 3, 0))
        );
        assert_eq!(
            counts("Node.js and Math.random stay whole", usize::MAX),
            Some((7, 0, 0))
        );
        assert_eq!(counts("x \u{2022} y z", usize::MAX), Some((3, 3, 0)));
        // Stopped once closed fragments make `enough` long words, and not before.
        assert_eq!(counts("a b, c d e f; g h i j", 9), Some((10, 2, 0)));
        assert_eq!(counts("a b, c d e f; g h i j", 8), None);
        assert_eq!(counts("a b c, d e f", 1), Some((6, 6, 0)));
    }

    #[test]
    fn long_fragments_without_function_words_are_runs_of_terms() {
        let counts = |line: &str| {
            let f = fragment_words(line, usize::MAX).unwrap();
            (f.words, f.bare, f.run_on)
        };
        let terms = "exponential backoff jitter max attempts retry budget circuit breaker \
                     idempotency key header timeout";
        // Thirteen terms are too few to tell from a terse sentence; fourteen are a run.
        assert_eq!(counts(terms), (13, 0, 0));
        assert_eq!(counts(&format!("{terms} promise")), (14, 0, 14));
        // One stop word in fourteen words is still a run; two make a clause.
        assert_eq!(
            counts(
                "retry the request after backoff jitter cap budget breaker idempotency key header timeout promise"
            ),
            (14, 0, 14)
        );
        assert_eq!(
            counts(
                "retry the request and backoff jitter cap budget breaker idempotency key header timeout promise"
            ),
            (14, 0, 0)
        );
        // A sentence as long has its function words, in any case ("We", "The").
        assert_eq!(
            counts(
                "We retry with backoff so The server can recover before the next burst of traffic arrives"
            ),
            (16, 0, 0)
        );
        // Fragments are judged one by one.
        assert_eq!(counts(&format!("short list, {terms} promise")), (16, 2, 14));
    }

    #[test]
    fn keywords_strung_together_with_spaces_are_a_list() {
        assert!(is_keyword_list(
            "exponential backoff jitter max attempts retry only 5xx and 429 idempotency key \
             Retry-After header AbortController timeout per attempt setTimeout promise throw last \
             error circuit breaker retry budget metrics logging fake timers typed generic helper"
        ));
        // The same terms in sentences are prose.
        assert!(!is_keyword_list(
            "We retry with exponential backoff and jitter, and stop after a few attempts. Only \
             5xx and 429 responses are retried, and a POST carries an idempotency key so that a \
             repeat is harmless. The client honours Retry-After and gives each attempt its own \
             timeout with an AbortController."
        ));
        // Code without function words is code, fenced or not.
        assert!(!is_keyword_list(
            "const delay = Math.min(maxDelay, baseDelay * 2 ** attempt) + Math.random() * jitterMs\n\
             await new Promise((resolve) => setTimeout(resolve, delay))\n\
             The delay doubles on each attempt, is capped, and gets a random jitter on top."
        ));
    }

    #[test]
    fn runs_of_letters_end_where_the_byte_classes_say() {
        let texts = [
            "abc def,ghi",
            "0123456789abcdefXYZ",
            "caf\u{e9}s na\u{ef}ve\u{2022}bullet \u{2014}dash\u{2013}",
            "a\u{2022}b\u{2022}c\u{2022}d\u{2022}e\u{2022}f\u{2022}g\u{2022}h",
            "~`!@#$%^&*()_+-=[]{}|;':\",./<>?\u{7f}",
            "",
        ];
        for text in texts {
            let bytes = text.as_bytes();
            for bullets in [false, true] {
                let letter = |b: u8| {
                    if bullets {
                        BYTE_CLASS[b as usize] == LETTER
                    } else {
                        b.is_ascii_alphanumeric() || b >= 0x80
                    }
                };
                for i in 0..=bytes.len() {
                    let expected = (i..bytes.len())
                        .find(|&j| !letter(bytes[j]))
                        .unwrap_or(bytes.len());
                    assert_eq!(
                        letters_end(bytes, i, bullets),
                        expected,
                        "{text:?} {i} {bullets}"
                    );
                }
            }
            for limit in 1..12 {
                let mut naive = 0;
                let mut in_word = false;
                for &b in bytes {
                    let letter = b.is_ascii_alphanumeric() || b >= 0x80;
                    if letter && !in_word && naive < limit {
                        naive += 1;
                    }
                    in_word = letter;
                }
                assert_eq!(count_words(text, limit), naive, "{text:?} {limit}");
            }
        }
    }

    #[test]
    fn short_texts_are_left_to_the_short_answer_rule() {
        assert!(!is_keyword_list("KPIs, OKRs"));
    }
}
