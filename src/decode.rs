//! Turning the bytes of an answer file into text.

/// The text of an answer and how it was decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Set when the bytes were not UTF-8: which encoding was used instead.
    pub note: Option<String>,
}

/// Why bytes could not be taken as an answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("looks like a binary file ({reason}), not a text answer")]
    Binary { reason: String },
}

/// Decodes an answer: UTF-8 (with or without a BOM), UTF-16 with a BOM, and otherwise
/// Windows-1252, which every byte sequence decodes as. Binary data (NUL bytes, many control
/// characters) is refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, had_errors) = encoding.decode(bytes);
        let note = (encoding != encoding_rs::UTF_8)
            .then(|| format!("decoded as {} (byte-order mark)", encoding.name()));
        let _ = bom;
        if had_errors && encoding != encoding_rs::UTF_8 {
            return Err(DecodeError::Binary {
                reason: format!("invalid {} text", encoding.name()),
            });
        }
        return checked(text.into_owned(), note);
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary {
            reason: "it contains NUL bytes".into(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => checked(text.to_string(), None),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            checked(
                text.into_owned(),
                Some("not valid UTF-8; decoded as Windows-1252".into()),
            )
        }
    }
}

fn checked(text: String, note: Option<String>) -> Result<Decoded, DecodeError> {
    if text.contains('\0') {
        return Err(DecodeError::Binary {
            reason: "it contains NUL characters".into(),
        });
    }
    let (control, total) = control_characters(&text);
    let total = total.max(1);
    if control * 20 > total {
        return Err(DecodeError::Binary {
            reason: format!("{control} control characters in {total}"),
        });
    }
    Ok(Decoded { text, note })
}

/// How many control characters (other than line breaks, tabs and form feeds) `text` holds, and
/// how many characters in all. Counted on the bytes: every answer of a batch goes
/// through here. A control character is C0, DEL or C1 (U+0080-U+009F, in UTF-8 `C2 80`-`C2 9F`).
fn control_characters(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    // One branch-free pass, counted into bytes per chunk so that it vectorises: C0 and DEL, and
    // character starts (every byte but a continuation byte); then the rare C1 pairs.
    let (mut c0, mut total) = (0usize, 0usize);
    for chunk in bytes.chunks(255) {
        let (mut controls, mut starts) = (0u8, 0u8);
        for &b in chunk {
            let line_break = (b == b'\n') | (b == b'\r') | (b == b'\t') | (b == 0x0C);
            controls += u8::from(((b < 0x20) & !line_break) | (b == 0x7F));
            starts += u8::from((b as i8) >= -0x40);
        }
        c0 += usize::from(controls);
        total += usize::from(starts);
    }
    let c1 = if total == bytes.len() {
        0 // all ASCII
    } else {
        memchr::memchr_iter(0xC2, bytes)
            .filter(|&i| matches!(bytes.get(i + 1), Some(0x80..=0x9F)))
            .count()
    };
    (c0 + c1, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_counted_as_char_by_char() {
        let by_chars = |s: &str| {
            let control = s
                .chars()
                .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
                .count();
            (control, s.chars().count())
        };
        for text in [
            "",
            "plain answer\nwith lines\r\n\tand tabs\u{c}",
            "bell\u{7}, escape\u{1b}, delete\u{7f}",
            "C1 controls \u{80}\u{85}\u{9f} but not \u{a0} or \u{c2}\u{bf} or caf\u{e9}",
            "wide \u{2014} \u{1F600} \u{4e2d}\u{6587} \u{1}",
        ] {
            assert_eq!(control_characters(text), by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn utf8_passes_through_and_its_bom_is_dropped() {
        assert_eq!(
            decode("caf\u{e9}".as_bytes()).unwrap(),
            Decoded {
                text: "caf\u{e9}".into(),
                note: None
            }
        );
        assert_eq!(decode(b"\xEF\xBB\xBFhello").unwrap().text, "hello");
    }

    #[test]
    fn windows_1252_and_utf16_are_decoded_with_a_note() {
        let d = decode(b"na\xefve \x93quoted\x94").unwrap();
        assert_eq!(d.text, "na\u{ef}ve \u{201C}quoted\u{201D}");
        assert!(d.note.unwrap().contains("Windows-1252"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hi".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode(&utf16).unwrap();
        assert_eq!(d.text, "hi");
        assert!(d.note.unwrap().contains("UTF-16LE"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"\x7fELF\x02\x01\x01\0\0\0").is_err());
        assert!(decode(&[0x01, 0x02, 0x03, 0x04, b'a']).is_err());
    }
}
