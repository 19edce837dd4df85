//! Positions in an answer, and the normalized copy that regex patterns run over.

/// Line and column (both from 1; the column counts characters) of byte offsets in one text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Where the UTF-8 continuation bytes of the text are, in order: a column is the bytes from
    /// the line start less those among them. Most answers have none or a few (a curly quote, a
    /// dash), so a column costs two binary searches instead of a walk from the line start.
    continuations: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts and the multi-byte characters of `text`.
    pub fn new(text: &str) -> Self {
        // Counted first (a fast pass), so that the vector is allocated once.
        let breaks = memchr::memchr_iter(b'\n', text.as_bytes());
        let mut line_starts = Vec::with_capacity(breaks.clone().count() + 1);
        line_starts.push(0);
        line_starts.extend(breaks.map(|i| i + 1));
        // Eight bytes at a time: a continuation byte is 0b10xx_xxxx, its high bit set and the
        // next one (shifted up into the high bit's place) clear.
        use crate::swar::{HIGH_BITS, eight_bytes, first_marked};
        let bytes = text.as_bytes();
        let mut continuations = Vec::new();
        for at in (0..bytes.len()).step_by(8) {
            let block = eight_bytes(bytes, at);
            let mut marks = block & !(block << 1) & HIGH_BITS;
            while marks != 0 {
                continuations.push(at + first_marked(marks));
                marks &= marks - 1;
            }
        }
        LineIndex {
            line_starts,
            continuations,
        }
    }

    /// Characters in bytes `from..to` of the text, both character boundaries.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        let wide = if self.continuations.is_empty() {
            0
        } else {
            self.continuations.partition_point(|&i| i < to)
                - self.continuations.partition_point(|&i| i < from)
        };
        to - from - wide
    }

    /// Line and column of byte `offset` in `text` (the text this index was built from).
    /// An offset inside a character, or past the end, has column 1.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = if text.is_char_boundary(offset) {
            self.chars_between(start, offset) + 1
        } else {
            1
        };
        (line + 1, column)
    }

    /// Line and column of byte `offset`, given those of an earlier offset `from`: counts only
    /// the characters between the two when no line break lies between.
    pub fn position_after(
        &self,
        text: &str,
        (line, column): (usize, usize),
        from: usize,
        offset: usize,
    ) -> (usize, usize) {
        // The line after `from`'s starts past `offset`: no line break between.
        let same_line = self.line_starts.get(line).is_none_or(|&next| next > offset);
        if same_line
            && from <= offset
            && text.is_char_boundary(from)
            && text.is_char_boundary(offset)
        {
            (line, column + self.chars_between(from, offset))
        } else {
            self.position(text, offset)
        }
    }
}

/// A copy of the text with typographic characters made ASCII, and a map back to the original.
///
/// Curly quotes become straight, Unicode dashes and the minus sign become `-`, the multiplication
/// sign becomes `x`, non-breaking spaces become spaces. Patterns such as `O\(V\s*\+\s*E\)` then match
/// however the answer was typeset.
#[derive(Clone, Debug)]
pub struct NormalizedText {
    /// The normalized copy.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original; one extra entry for the end.
    origin: Vec<u32>,
}

impl NormalizedText {
    /// Builds the normalized copy of `original`.
    pub fn new(original: &str) -> Self {
        if original.is_ascii() {
            return NormalizedText {
                text: original.to_string(),
                origin: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        for (offset, c) in original.char_indices() {
            let replacement = match c {
                '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => Some('\''),
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => Some('"'),
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
                '\u{00D7}' => Some('x'),
                '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' | '\u{200A}' => Some(' '),
                _ => None,
            };
            let before = text.len();
            match replacement {
                Some(r) => text.push(r),
                None => text.push(c),
            }
            origin.extend(std::iter::repeat_n(offset as u32, text.len() - before));
        }
        origin.push(original.len() as u32);
        NormalizedText { text, origin }
    }

    /// The original byte offset of normalized byte `offset`.
    pub fn original_offset(&self, offset: usize) -> usize {
        if self.origin.is_empty() {
            offset
        } else {
            self.origin[offset.min(self.origin.len() - 1)] as usize
        }
    }

    /// The original byte range of normalized range `start..end`.
    pub fn original_range(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        if self.origin.is_empty() {
            return (start, end);
        }
        let from = self.original_offset(start);
        if end == 0 || end <= start {
            return (from, from);
        }
        // The last normalized byte maps to the start of its original character; take that
        // character whole.
        let last = self.original_offset(end - 1);
        let width = original[last..].chars().next().map_or(0, char::len_utf8);
        (from, last + width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_from_one_in_characters() {
        let text = "first line\nsecond \u{00e9}t\u{00e9} jitter\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), (1, 1));
        let at = text.find("jitter").unwrap();
        assert_eq!(index.position(text, at), (2, 12));
        // From an earlier position: on the same line, and across a line break.
        let second = text.find("second").unwrap();
        let from = index.position(text, second);
        for offset in [second, at, at + 6, text.len()] {
            assert_eq!(
                index.position_after(text, from, second, offset),
                index.position(text, offset),
                "{offset}"
            );
        }
        let first = index.position(text, 2);
        assert_eq!(index.position_after(text, first, 2, at), (2, 12));
    }

    #[test]
    fn ascii_lines_and_others_give_the_columns_that_counting_characters_gives() {
        // Characters of two and three bytes at many alignments, and a long line.
        let text = &format!(
            "{}{}",
            "plain ascii\ncaf\u{e9} \u{201C}quoted\u{201D} x\n\nlast \u{2014} line\r\nend"
                .repeat(5),
            "a long line of \u{e9}\u{e9} and \u{2014} ".repeat(8)
        );
        let index = LineIndex::new(text);
        let expected = |offset: usize| {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (line, text[line_start..offset].chars().count() + 1)
        };
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &offset in &boundaries {
            assert_eq!(index.position(text, offset), expected(offset), "{offset}");
            for &from in boundaries.iter().filter(|&&from| from <= offset) {
                let at = index.position(text, from);
                assert_eq!(
                    index.position_after(text, at, from, offset),
                    expected(offset),
                    "{from}..{offset}"
                );
            }
        }
    }

    #[test]
    fn normalized_text_maps_back_to_the_original() {
        let original = "It runs in O(V \u{2212} E) \u{2014} \u{201C}quoted\u{201D}";
        let normalized = NormalizedText::new(original);
        assert_eq!(normalized.text, "It runs in O(V - E) - \"quoted\"");
        let start = normalized.text.find("O(").unwrap();
        let end = normalized.text.find(')').unwrap() + 1;
        let (from, to) = normalized.original_range(start, end, original);
        assert_eq!(&original[from..to], "O(V \u{2212} E)");
        let q = normalized.text.find("\"quoted\"").unwrap();
        let (from, to) = normalized.original_range(q, q + 8, original);
        assert_eq!(&original[from..to], "\u{201C}quoted\u{201D}");
    }
}
