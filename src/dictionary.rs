//! A list of correctly spelled English words (SCOWL, `data/english-words.txt`).
//!
//! A word found here is never taken for a misspelling of a rubric word: "latent" is a word, not a
//! typo of "latency". The list is sorted bytewise and searched in place, so it costs nothing at
//! start-up.

const WORDS: &str = include_str!("../data/english-words.txt");

/// Whether `word` (lowercase ASCII, five letters or more) is a correctly spelled English word.
pub fn contains(word: &str) -> bool {
    let bytes = WORDS.as_bytes();
    let target = word.as_bytes();
    let (mut lo, mut hi) = (0usize, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        // The line that holds byte `mid`.
        let start = bytes[..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = bytes[mid..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| mid + i);
        match bytes[start..end].cmp(target) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_and_not_misspellings() {
        for word in [
            "latent",
            "latency",
            "posts",
            "idempotent",
            "aardvark",
            "zucchini",
        ] {
            assert!(contains(word), "{word}");
        }
        for word in ["jiter", "idempotant", "exponental", "zzzzzzz", "aaaaa"] {
            assert!(!contains(word), "{word}");
        }
    }

    #[test]
    fn the_list_is_sorted() {
        assert!(
            WORDS
                .lines()
                .collect::<Vec<_>>()
                .windows(2)
                .all(|w| w[0] < w[1])
        );
    }
}
