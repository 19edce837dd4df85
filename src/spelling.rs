//! British-to-American spelling, as a tantivy token filter.
//!
//! The same filter runs over rubric aliases and answers, so it only has to map the two spellings of
//! a word onto one form; it does not have to produce a real word. Over-normalising a word that has
//! no British variant ("enterprise" -> "enterprize") is harmless because both sides get it.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Maps British spellings onto American ones (optimise -> optimize, behaviour -> behavior).
///
/// Expects lowercase input: put it after `LowerCaser`.
#[derive(Clone, Copy, Debug, Default)]
pub struct AmericanSpelling;

impl TokenFilter for AmericanSpelling {
    type Tokenizer<T: Tokenizer> = AmericanSpellingFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        AmericanSpellingFilter { inner: tokenizer }
    }
}

/// The tokenizer produced by [`AmericanSpelling`].
#[derive(Clone, Debug)]
pub struct AmericanSpellingFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for AmericanSpellingFilter<T> {
    type TokenStream<'a> = AmericanSpellingStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AmericanSpellingStream {
            tail: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

/// The token stream produced by [`AmericanSpelling`].
#[derive(Debug)]
pub struct AmericanSpellingStream<T> {
    tail: T,
    buffer: String,
}

impl<T: TokenStream> TokenStream for AmericanSpellingStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        if americanize(&self.tail.token().text, &mut self.buffer) {
            mem::swap(&mut self.tail.token_mut().text, &mut self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Whole words whose British form no suffix rule reaches.
const WORDS: &[(&str, &str)] = &[
    ("aeroplane", "airplane"),
    ("analyse", "analyze"),
    ("analysed", "analyzed"),
    ("analyses", "analyzes"),
    ("analysing", "analyzing"),
    ("catalogue", "catalog"),
    ("catalogues", "catalogs"),
    ("centre", "center"),
    ("centred", "centered"),
    ("centres", "centers"),
    ("cheque", "check"),
    ("defence", "defense"),
    ("dialogue", "dialog"),
    ("enrol", "enroll"),
    ("enrolment", "enrollment"),
    ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"),
    ("grey", "gray"),
    ("judgement", "judgment"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("litre", "liter"),
    ("metre", "meter"),
    ("metres", "meters"),
    ("offence", "offense"),
    ("paralyse", "paralyze"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("practises", "practices"),
    ("practising", "practicing"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("travelled", "traveled"),
    ("travelling", "traveling"),
    ("tyre", "tire"),
];

/// Words ending in -our that are not British spellings of -or words.
const OUR_KEEP: &[&str] = &[
    "contour", "detour", "devour", "hour", "four", "your", "pour", "tour", "sour", "flour", "our",
];

/// Writes the American form of `word` into `out` and returns true, or returns false when the word
/// is unchanged.
pub fn americanize(word: &str, out: &mut String) -> bool {
    if !word.is_ascii() || word.len() < 4 {
        return false;
    }
    // Every rule below ends in one of these letters; most words leave here.
    if !matches!(
        word.as_bytes()[word.len() - 1],
        b'e' | b'd' | b'g' | b's' | b'r' | b'l' | b'n' | b't' | b'y'
    ) {
        return false;
    }
    if let Ok(i) = WORDS.binary_search_by(|(british, _)| british.cmp(&word)) {
        out.clear();
        out.push_str(WORDS[i].1);
        return true;
    }
    // Every suffix rule below starts with one of these pairs, at most eight letters from the end.
    let bytes = word.as_bytes();
    let tail = &bytes[bytes.len().saturating_sub(9)..];
    if !tail
        .windows(2)
        .any(|w| matches!(w, b"is" | b"ys" | b"ou" | b"el"))
    {
        return false;
    }
    // -ise/-ize family: organise, organised, organising, organisation, organiser.
    for (british, american) in [
        ("isation", "ization"),
        ("isations", "izations"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("iser", "izer"),
        ("isers", "izers"),
        ("ise", "ize"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ysing", "yzing"),
        // -our: behaviour, colour, favourite, labour.
        ("iour", "ior"),
        ("iours", "iors"),
        ("ioural", "ioral"),
        ("our", "or"),
        ("ours", "ors"),
        ("ourite", "orite"),
        ("oured", "ored"),
        ("ouring", "oring"),
        ("ourable", "orable"),
        // doubled l before a suffix: modelling, labelled, cancelled.
        ("elling", "eling"),
        ("elled", "eled"),
        ("eller", "eler"),
    ] {
        if let Some(stem) = word.strip_suffix(british) {
            // Keep short stems alone: "rise", "wise", "noise" gain nothing and "yse" needs a stem.
            if stem.len() < 3 || (british.starts_with("our") && keeps_our(word)) {
                return false;
            }
            if british.starts_with("ell") && stem.len() < 3 {
                return false;
            }
            out.clear();
            out.push_str(stem);
            out.push_str(american);
            return true;
        }
    }
    false
}

fn keeps_our(word: &str) -> bool {
    OUR_KEEP
        .iter()
        .any(|keep| word == *keep || word.ends_with(keep) && word.len() <= keep.len() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn am(word: &str) -> String {
        let mut out = String::new();
        if americanize(word, &mut out) {
            out
        } else {
            word.to_string()
        }
    }

    #[test]
    fn word_table_is_sorted_for_binary_search() {
        assert!(WORDS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn maps_british_spellings() {
        for (british, american) in [
            ("optimise", "optimize"),
            ("optimised", "optimized"),
            ("optimising", "optimizing"),
            ("organisation", "organization"),
            ("organisations", "organizations"),
            ("prioritise", "prioritize"),
            ("behaviour", "behavior"),
            ("behavioural", "behavioral"),
            ("colour", "color"),
            ("favourite", "favorite"),
            ("modelling", "modeling"),
            ("labelled", "labeled"),
            ("analyse", "analyze"),
            ("centre", "center"),
            ("licence", "license"),
            ("catalogue", "catalog"),
            ("programme", "program"),
        ] {
            assert_eq!(am(british), american, "{british}");
        }
    }

    #[test]
    fn leaves_other_words_alone() {
        for word in [
            "hour", "four", "your", "detour", "rise", "wise", "cost", "post", "tell", "jitter",
        ] {
            assert_eq!(am(word), word);
        }
    }
}
