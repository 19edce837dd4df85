//! Eight bytes at a time ("SIMD within a register"): tests on the bytes of a `u64` that mark
//! each byte's high bit, for the loops that run over every byte of every answer (the analyzer's
//! word spans, the keyword-list check). Portable: plain integer arithmetic, no `unsafe`.

/// The high bit of every byte of a `u64`.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// `byte` in every byte of a `u64`.
pub(crate) const fn every_byte(byte: u8) -> u64 {
    byte as u64 * 0x0101_0101_0101_0101
}

/// The eight bytes from `at` as a little-endian `u64` (byte `at` lowest), zeros past the end.
pub(crate) fn eight_bytes(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(block) => u64::from_le_bytes(block.try_into().unwrap_or_default()),
        None => {
            let mut block = [0u8; 8];
            let rest = bytes.get(at..).unwrap_or_default();
            block[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(block)
        }
    }
}

/// The high bit of each byte of `block` that is an ASCII letter or digit. Each test adds to
/// the byte's low seven bits a constant that carries into its high bit exactly when the byte is
/// at least some bound; no sum leaves its byte.
pub(crate) fn ascii_alphanumeric(block: u64) -> u64 {
    let low = block & !HIGH_BITS;
    let at_least = |x: u64, bound: u8| x + every_byte(0x80 - bound);
    let between = |x: u64, first: u8, last: u8| at_least(x, first) & !at_least(x, last + 1);
    let folded = low | every_byte(0x20);
    (between(low, b'0', b'9') | between(folded, b'a', b'z')) & !block & HIGH_BITS
}

/// The index of the first byte of `marks` whose high bit is set (`marks` is not zero).
pub(crate) fn first_marked(marks: u64) -> usize {
    (marks.trailing_zeros() / 8) as usize
}

/// The high bit of each byte of `block` that is not zero. `(x & 0x7f) + 0x7f` carries into the
/// high bit exactly when the low seven bits are not all zero, and stays within its byte.
pub(crate) fn nonzero(block: u64) -> u64 {
    (((block & !HIGH_BITS) + every_byte(0x7f)) | block) & HIGH_BITS
}

/// The high bit of each byte of `block` that equals `byte`.
pub(crate) fn equal_to(block: u64, byte: u8) -> u64 {
    !nonzero(block ^ every_byte(byte)) & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_tests_mark_exactly_the_bytes_they_should() {
        // Every byte value in every position, among neighbours that could carry or borrow.
        for value in 0..=255u8 {
            for position in 0..8 {
                for fill in [0x00u8, 0x01, 0x7f, 0x80, 0xe2, 0xff, b'a'] {
                    let mut bytes = [fill; 8];
                    bytes[position] = value;
                    let block = u64::from_le_bytes(bytes);
                    for (i, &b) in bytes.iter().enumerate() {
                        let bit = |marks: u64| marks >> (8 * i + 7) & 1 == 1;
                        assert_eq!(bit(nonzero(block)), b != 0, "{bytes:?} {i}");
                        assert_eq!(bit(equal_to(block, 0xe2)), b == 0xe2, "{bytes:?} {i}");
                        assert_eq!(
                            bit(ascii_alphanumeric(block)),
                            b.is_ascii_alphanumeric(),
                            "{bytes:?} {i}"
                        );
                    }
                }
            }
        }
        assert_eq!(first_marked(0x80 << 24), 3);
        assert_eq!(
            eight_bytes(b"abc", 1),
            u64::from_le_bytes(*b"bc\0\0\0\0\0\0")
        );
    }
}
