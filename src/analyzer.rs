//! The one analyzer that rubric aliases and answers both go through.
//!
//! Pipeline (tantivy token filters, composed statically): tantivy's `SimpleTokenizer` (split on anything not alphanumeric), an acronym-plural
//! filter (KPIs -> KPI, before case is lost), `LowerCaser`, `AsciiFoldingFilter`, then
//! [`AmericanSpelling`]; after that each token is stemmed with Snowball English. Byte offsets are
//! never changed by the filters, so every term points back into the original text.

use std::sync::Arc;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::negation;
pub use crate::negation::Cue;
use crate::spelling::AmericanSpelling;
use crate::swar::{HIGH_BITS, ascii_alphanumeric, eight_bytes, first_marked};

/// A normalised word or a stem: shared, so that copying it costs no allocation. A word of the
/// built-in bank points into the binary (copying it costs nothing at all: answers are mostly
/// made of such words); any other word is reference-counted. It compares, orders and hashes as
/// the string it holds.
#[derive(Clone)]
pub struct Word(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Word {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }

    /// A word that lives as long as the program, such as one of the build script's tables.
    pub fn from_static(s: &'static str) -> Word {
        Word(Repr::Static(s))
    }
}

impl Default for Word {
    fn default() -> Self {
        Word::from_static("")
    }
}

impl PartialEq for Word {
    fn eq(&self, other: &Word) -> bool {
        let (a, b) = (self.as_str(), other.as_str());
        // Two copies of one word of the bank share their text: equal without reading it.
        a.len() == b.len() && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
    }
}

impl Eq for Word {}

impl PartialOrd for Word {
    fn partial_cmp(&self, other: &Word) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Word {
    fn cmp(&self, other: &Word) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Word {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // As `str` hashes, which `Borrow<str>` lookups rely on.
        self.as_str().hash(state)
    }
}

impl std::ops::Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Word {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Word {
    fn from(s: &str) -> Self {
        Word(Repr::Shared(s.into()))
    }
}

impl From<String> for Word {
    fn from(s: String) -> Self {
        Word(Repr::Shared(s.into()))
    }
}

impl From<Word> for String {
    fn from(w: Word) -> Self {
        w.as_str().to_string()
    }
}

/// A word of analysed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// Byte range in the analysed text.
    pub start: usize,
    pub end: usize,
    /// Lowercased, ASCII-folded, American-spelled form.
    pub norm: Word,
    /// Snowball English stem of `norm`.
    pub stem: Word,
    /// Sentence number, from 0. Alias words must stand in one sentence.
    pub sentence: u32,
    /// Written in capitals in the text (KPI, RTO): never matched fuzzily.
    pub acronym: bool,
    /// All digits: never matched fuzzily.
    pub number: bool,
    /// A correctly spelled English word (as normalised or as written), so no misspelling of a
    /// rubric word. Only looked up for words that could be one: five or more lowercase letters.
    pub dictionary: bool,
    /// The negation cue ("not", "without", "no need for", "avoid") whose scope covers this word,
    /// if any. A match that contains its own cue ("no downtime") is not negated by it.
    pub negation: Option<Cue>,
    /// The number of `stem` among the stems of the built-in bank's words ([`stem_id`]), so that
    /// a rubric can look the word up by number instead of by string.
    pub(crate) stem_id: u32,
}

/// The result of analysing a text: its content words (stop words removed) and counts.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Content words in order.
    pub terms: Vec<Term>,
    /// All words, stop words included.
    pub word_count: usize,
    /// Number of sentences.
    pub sentence_count: usize,
}

/// Tokenizes, normalises and stems text. Cheap to clone; `Send + Sync`.
#[derive(Clone, Copy)]
pub struct Analyzer {
    _private: (),
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzer")
    }
}

/// A raw token from the pipeline, before stop words are dropped. It borrows the analysis of its
/// word from the thread's word cache: stop words, many of the tokens, are never copied.
#[derive(Clone, Debug)]
pub(crate) struct RawToken<'w> {
    pub start: usize,
    pub end: usize,
    pub info: &'w WordInfo,
    pub sentence: u32,
    /// A clause boundary (comma, semicolon, "but", sentence end) stands before this token.
    pub clause_start: bool,
    /// Copies of `info`'s flags that every token is asked for, so that the passes over the
    /// tokens read the analysis of a word only when they need more of it.
    pub stop: bool,
    pub acronym: bool,
    pub may_open_scope: bool,
}

/// A word as the first pass over a text finds it: its span, and its number in the thread's word
/// cache, which may still grow (and move its entries) before the pass ends.
#[derive(Clone, Copy, Debug)]
struct Located {
    start: usize,
    end: usize,
    entry: u32,
}

impl Analyzer {
    /// The standard English analyzer.
    pub fn new() -> Self {
        Analyzer { _private: () }
    }

    /// The token pipeline, built on the stack for each text: no boxing, no shared state.
    fn pipeline() -> impl Tokenizer {
        let tokenizer = AcronymPlural.transform(SimpleTokenizer::default());
        let tokenizer = LowerCaser.transform(tokenizer);
        let tokenizer = AsciiFoldingFilter.transform(tokenizer);
        AmericanSpelling.transform(tokenizer)
    }

    /// Analyses `text`: content terms with offsets, negation marks and sentence numbers.
    pub fn analyze(&self, text: &str) -> Analysis {
        let mut analysis = Analysis::default();
        self.analyze_into(text, &mut analysis);
        analysis
    }

    /// Analyses `text` into `analysis`, replacing what it held but keeping the room of its
    /// terms: for callers that analyse one text after another.
    pub fn analyze_into(&self, text: &str, analysis: &mut Analysis) {
        SCRATCH.with_borrow_mut(|scratch| {
            WORDS.with_borrow_mut(|cache| {
                let Scratch {
                    located,
                    raw,
                    negated,
                } = scratch;
                Self::locate_words(text, cache, located);
                // Every word is in the cache now: the tokens can borrow their analyses.
                let mut tokens: Vec<RawToken<'_>> = recycle(std::mem::take(raw));
                Self::raw_tokens(text, located, &cache.infos, &mut tokens);
                negation::scopes(&tokens, negated);
                Self::content_terms(text, &tokens, negated, analysis);
                // The buffers are kept for the thread's next text, but not the room a very long
                // text made.
                *raw = recycle(tokens);
                located.clear();
                if located.capacity() > SCRATCH_CAPACITY {
                    located.shrink_to(SCRATCH_CAPACITY);
                    raw.shrink_to(SCRATCH_CAPACITY);
                    negated.shrink_to(SCRATCH_CAPACITY);
                }
            })
        })
    }

    /// The content words of the raw tokens, into `analysis`: stop words dropped, unless they
    /// stand in a hyphenated compound or are written as an acronym.
    fn content_terms(
        text: &str,
        raw: &[RawToken<'_>],
        negated: &[Option<Cue>],
        analysis: &mut Analysis,
    ) {
        // A stop word inside a hyphenated compound is part of a term: opt-in, at-least-once.
        let hyphenated = |j: usize, k: usize| {
            raw.get(j)
                .zip(raw.get(k))
                .is_some_and(|(a, b)| is_hyphen(&text[a.end..b.start]))
        };
        // Asked only of stop words: most tokens never look at their neighbours.
        let keep = |i: usize| {
            let token = &raw[i];
            !token.stop || token.acronym || (i > 0 && hyphenated(i - 1, i)) || hyphenated(i, i + 1)
        };
        let terms = &mut analysis.terms;
        terms.clear();
        terms.reserve(raw.len());
        for (i, token) in raw.iter().enumerate() {
            if !keep(i) {
                continue;
            }
            let info = token.info;
            terms.push(Term {
                start: token.start,
                end: token.end,
                norm: info.norm.clone(),
                stem: info.stem.clone(),
                sentence: token.sentence,
                acronym: info.acronym,
                number: info.number,
                dictionary: info.dictionary,
                negation: negated[i],
                stem_id: info.stem_id,
            });
        }
        analysis.word_count = raw.len();
        analysis.sentence_count = raw.last().map_or(0, |t| t.sentence as usize + 1);
    }

    /// Stems one already-normalised word the way [`Analyzer::analyze`] does.
    pub fn stem(&self, norm: &str) -> Word {
        stem_cached(norm)
    }

    /// Normalises one word (lowercase, folding, American spelling) without stemming it.
    pub fn normalize_word(&self, word: &str) -> String {
        let mut pipeline = Self::pipeline();
        let mut stream = pipeline.token_stream(word);
        let mut out = String::new();
        while let Some(token) = stream.next() {
            out.push_str(&token.text);
        }
        out
    }

    /// The words of `text` in order, stop words included, each by its number in `cache`. Words
    /// are split by tantivy's `SimpleTokenizer`; each distinct word then goes through the rest of
    /// the pipeline once per thread ([`analyze_word`]): answers repeat their words, and the
    /// filters and the stemmer are pure functions of the word as written.
    fn locate_words(text: &str, cache: &mut WordCache, out: &mut Vec<Located>) {
        out.clear();
        // Emptied, when full, only between texts: the entry numbers of a text's words must hold
        // until its tokens are made.
        cache.clear_if_full();
        let bytes = text.as_bytes();
        out.extend(word_spans(text).map(|(start, end)| Located {
            start,
            end,
            entry: cache.entry(&text[start..end], eight_bytes(bytes, start)),
        }));
    }

    /// The tokens of the words `located` in `text`, with their analyses from `words` and the
    /// sentence and clause boundaries between them, into `out` (cleared first).
    fn raw_tokens<'w>(
        text: &str,
        located: &[Located],
        words: &'w [CacheLine],
        out: &mut Vec<RawToken<'w>>,
    ) {
        out.clear();
        let mut sentence = 0u32;
        let mut prev_end = 0usize;
        let mut prev_abbreviation = false;
        let bytes = text.as_bytes();
        for &Located { start, end, entry } in located {
            let info = &words[entry as usize].0;
            let (sentence_break, clause_break) = if out.is_empty() {
                (false, true)
            } else if bytes[prev_end..start] == *b" " {
                (false, false)
            } else {
                let found = boundaries(&text[prev_end..start], &bytes[start..end]);
                (found.0 && !prev_abbreviation, found.1)
            };
            if sentence_break {
                sentence += 1;
            }
            prev_abbreviation = info.abbreviation;
            out.push(RawToken {
                start,
                end,
                info,
                sentence,
                clause_start: clause_break || sentence_break || info.conjunction,
                stop: info.stop,
                acronym: info.acronym,
                may_open_scope: info.may_open_scope,
            });
            prev_end = end;
        }
    }
}

/// An empty vector of another element type in the allocation of `v` (cleared first): the
/// standard library collects a vector's own iterator in place when the two types have the same
/// size and alignment, as the lifetimes of one type do. A thread's buffer of tokens that borrow
/// from one text is thus kept for the next.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// The byte spans of the words of `text`, split as tantivy's `SimpleTokenizer` splits: a word is
/// a run of alphanumeric characters (`char::is_alphanumeric`). Written out, eight bytes at a
/// time while they are ASCII, because it runs over every byte of every answer: the end of a word
/// is then found without a branch per byte (whose exit, at a length no predictor knows, was
/// mispredicted once a word). A test keeps it equal to tantivy's.
pub(crate) fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    // The non-ASCII character at `i`: whether it is alphanumeric, and its length in bytes.
    let wide = move |i: usize| -> (bool, usize) {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c.is_alphanumeric(), c.len_utf8())
    };
    std::iter::from_fn(move || {
        // Up to the next word: the next byte that is an ASCII letter or digit, or not ASCII.
        loop {
            if at >= bytes.len() {
                return None;
            }
            let block = eight_bytes(bytes, at);
            let candidates = ascii_alphanumeric(block) | (block & HIGH_BITS);
            if candidates == 0 {
                at += 8;
                continue;
            }
            at += first_marked(candidates);
            if bytes[at] < 0x80 {
                break;
            }
            let (word, len) = wide(at);
            if word {
                break;
            }
            at += len;
        }
        // Through the word: ASCII letters and digits eight at a time, others one by one.
        let start = at;
        loop {
            let stops = !ascii_alphanumeric(eight_bytes(bytes, at)) & HIGH_BITS;
            if stops == 0 {
                at += 8;
                continue;
            }
            at += first_marked(stops);
            if at < bytes.len() && bytes[at] >= 0x80 {
                let (word, len) = wide(at);
                if word {
                    at += len;
                    continue;
                }
            }
            break;
        }
        Some((start, at))
    })
}

/// What the analyzer knows about a word as written, whatever text it stands in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WordInfo {
    pub(crate) norm: Word,
    pub(crate) stem: Word,
    pub(crate) acronym: bool,
    pub(crate) number: bool,
    pub(crate) dictionary: bool,
    pub(crate) stop: bool,
    /// A full stop after it is no sentence end ("e.g.").
    pub(crate) abbreviation: bool,
    /// It opens a clause ("but", "however").
    pub(crate) conjunction: bool,
    /// It may open a negation scope ("not", "without", "avoid").
    pub(crate) may_open_scope: bool,
    /// [`stem_id`] of `stem`.
    pub(crate) stem_id: u32,
}

impl WordInfo {
    /// The flags packed into one byte, as the build script stores them (see [`precomputed`]).
    #[allow(dead_code)] // the build script packs the flags; the library only reads them
    pub(crate) fn flags(&self) -> u8 {
        [
            self.acronym,
            self.number,
            self.dictionary,
            self.stop,
            self.abbreviation,
            self.conjunction,
            self.may_open_scope,
        ]
        .iter()
        .enumerate()
        .fold(0, |bits, (i, &set)| bits | (u8::from(set) << i))
    }

    fn from_parts(norm: &'static str, stem: &'static str, flags: u8, stem_id: u32) -> WordInfo {
        let bit = |i: u8| flags & (1 << i) != 0;
        WordInfo {
            stem_id,
            norm: Word::from_static(norm),
            stem: Word::from_static(stem),
            acronym: bit(0),
            number: bit(1),
            dictionary: bit(2),
            stop: bit(3),
            abbreviation: bit(4),
            conjunction: bit(5),
            may_open_scope: bit(6),
        }
    }
}

/// The analysis of a word of the built-in bank, done when itdq was compiled: the words of its
/// rubrics and model answers are the words answers use most, and the Snowball stemmer and the
/// dictionary lookup cost far more than this binary search. The build script runs
/// [`analyze_word`] itself, so the two cannot differ; a test checks every entry.
fn precomputed(original: &str) -> Option<WordInfo> {
    let records = crate::builtin_words::RECORDS;
    let text = crate::builtin_words::TEXT.as_bytes();
    let word_of = |i: usize| {
        let record = records[i];
        let start = (record >> 32) as usize;
        let len = usize::from((record >> 24) as u8);
        text.get(start..start + len).unwrap_or_default()
    };
    let i = table_find(
        crate::builtin_words::WORD_SLOTS,
        original.as_bytes(),
        word_of,
    )?;
    let (_, norm, stem, flags) = precomputed_record(records[i]);
    let stem_id = crate::builtin_words::STEM_OF
        .get(i)
        .copied()
        .unwrap_or(NO_STEM_ID);
    Some(WordInfo::from_parts(norm, stem, flags, stem_id))
}

/// [`stem_id`] of a stem that no word of the built-in bank has.
pub(crate) const NO_STEM_ID: u32 = u32::MAX;

/// The number of `stem` among the distinct stems of the built-in bank's words (sorted), or
/// [`NO_STEM_ID`]. Two words have the same number exactly when they have the same stem, or both
/// have none: a rubric's vocabulary (nearly all of it stems of the bank) is looked up by number,
/// without reading or hashing the stem.
pub(crate) fn stem_id(stem: &str) -> u32 {
    let stems = crate::builtin_words::STEMS.as_bytes();
    let spans = crate::builtin_words::STEM_SPANS;
    let stem_of = |i: usize| {
        let (start, end) = spans[i];
        stems.get(start as usize..end as usize).unwrap_or_default()
    };
    table_find(crate::builtin_words::STEM_SLOTS, stem.as_bytes(), stem_of)
        .map_or(NO_STEM_ID, |i| i as u32)
}

/// A place of the build script's hash tables that holds no entry.
pub(crate) const EMPTY_SLOT: u16 = u16::MAX;

/// The hash of a key of the build script's tables: a rotate-xor-multiply step in the manner of
/// FxHash (with its constant) over eight bytes at a time, read little-endian, so that the build
/// script and the library agree on every platform.
pub(crate) fn table_hash(key: &[u8]) -> u64 {
    let mut chunks = key.chunks_exact(8);
    let mut h = key.len() as u64;
    for chunk in &mut chunks {
        h = table_step(h, u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // The last bytes, zero-padded: no call to copy them.
        let last = rest.iter().rev().fold(0u64, |x, &b| x << 8 | u64::from(b));
        h = table_step(h, last);
    }
    table_finish(h)
}

/// [`table_hash`] of a key of one to eight bytes, from its length and its bytes zero-padded.
fn table_hash_short(len: usize, head: u64) -> u64 {
    table_finish(table_step(len as u64, head))
}

/// The last step of [`table_hash`]: the high half folded into the low, which picks the place.
fn table_finish(h: u64) -> u64 {
    h ^ (h >> 32)
}

/// One step of [`table_hash`]: eight more bytes of the key.
fn table_step(h: u64, chunk: u64) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    (h.rotate_left(26) ^ chunk).wrapping_mul(K)
}

/// The first place of `key` in a table of `len` places (a power of two).
pub(crate) fn table_start(key: &[u8], len: usize) -> usize {
    table_hash(key) as usize & (len - 1)
}

/// Looks `key` up in a hash table the build script made (open addressing, linear probing, at
/// most half full): `slots` holds entry numbers, or [`EMPTY_SLOT`]; `key_of` gives an entry's
/// key. One or two probes where a binary search of the sorted entries took fourteen steps.
fn table_find<'t>(slots: &[u16], key: &[u8], key_of: impl Fn(usize) -> &'t [u8]) -> Option<usize> {
    if slots.is_empty() {
        return None;
    }
    let mut at = table_start(key, slots.len());
    loop {
        let entry = slots[at];
        if entry == EMPTY_SLOT {
            return None;
        }
        if key_of(usize::from(entry)) == key {
            return Some(usize::from(entry));
        }
        at = (at + 1) & (slots.len() - 1);
    }
}

/// A record of the build script's table: word, norm, stem and flags. The record holds where the
/// three strings start in the table's text, back to back, their lengths and the flags.
fn precomputed_record(record: u64) -> (&'static str, &'static str, &'static str, u8) {
    let text = crate::builtin_words::TEXT;
    let start = (record >> 32) as usize;
    let len = |shift: u32| usize::from((record >> shift) as u8);
    let (word, norm, stem) = (len(24), len(16), len(8));
    let at = |from: usize, len: usize| text.get(from..from + len).unwrap_or_default();
    (
        at(start, word),
        at(start + word, norm),
        at(start + word + norm, stem),
        record as u8,
    )
}

/// The buffers [`Analyzer::analyze`] reuses from one text to the next on a thread.
#[derive(Default)]
struct Scratch {
    located: Vec<Located>,
    /// Always empty between texts: only its allocation is kept.
    raw: Vec<RawToken<'static>>,
    negated: Vec<Option<Cue>>,
}

/// The most tokens the analysis buffers keep room for between texts.
const SCRATCH_CAPACITY: usize = 1 << 16;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// How many words a thread keeps analysed; the cache is emptied when full, before a text.
const WORD_CACHE_CAPACITY: usize = 1 << 16;

thread_local! {
    static WORDS: std::cell::RefCell<WordCache> = std::cell::RefCell::default();
}

/// Words a thread has analysed, by the word as written, cleared when full.
///
/// Laid out for a batch that grades one answer after another, each of whose words is looked up
/// once: the table's places hold the first eight bytes of their word and its length, so that a
/// lookup of a word of up to eight bytes (most words) reads no key outside the table, and the
/// analyses lie side by side, one to a cache line. A lookup thus touches the table and one line
/// of analysis, where keys and analyses allocated one by one cost a line each besides.
#[derive(Default)]
struct WordCache {
    table: hashbrown::HashTable<Place>,
    /// The analyses, by entry number.
    infos: Vec<CacheLine>,
    /// The words longer than eight bytes, back to back; `long_starts` holds where each entry's
    /// word starts (entries of shorter words hold 0 and never look).
    long_keys: Vec<u8>,
    long_starts: Vec<usize>,
}

/// A place of [`WordCache`]'s table: a word's first eight bytes (zero-padded), its length and its
/// entry number.
#[derive(Clone, Copy, Debug)]
struct Place {
    head: u64,
    len: u32,
    entry: u32,
}

/// An analysis alone on its cache line.
#[derive(Debug)]
#[repr(align(64))]
struct CacheLine(WordInfo);

impl WordCache {
    /// The first eight bytes of `word` zero-padded, from `block`: eight bytes that start with it.
    fn head(word: &[u8], block: u64) -> u64 {
        let missing = 8 - word.len().min(8) as u32;
        block & u64::MAX.checked_shr(8 * missing).unwrap_or(0)
    }

    /// [`table_hash`] of a word of `len` bytes whose [`WordCache::head`] is `head`: `word`, the
    /// word itself, is read only when longer than eight bytes.
    fn hash<'k>(len: usize, head: u64, word: impl FnOnce() -> &'k [u8]) -> u64 {
        match len {
            1..=8 => table_hash_short(len, head),
            _ => table_hash(word()),
        }
    }

    /// The entry number of `word` (a word of `SimpleTokenizer`), analysed and added if new.
    /// `block` is eight bytes that start with the word (zero-padded or not: see
    /// [`WordCache::head`]), read with the text around it. Inlined into the loop over the words
    /// of a text, which calls it for each.
    #[inline(always)]
    fn entry(&mut self, word: &str, block: u64) -> u32 {
        let bytes = word.as_bytes();
        let head = Self::head(bytes, block);
        let len = bytes.len();
        let hash = Self::hash(len, head, || bytes);
        let WordCache {
            table,
            long_keys,
            long_starts,
            ..
        } = self;
        let same = |place: &Place| {
            place.head == head
                && place.len as usize == len
                && (len <= 8 || {
                    let start = long_starts[place.entry as usize];
                    long_keys.get(start..start + len) == Some(bytes)
                })
        };
        if let Some(place) = table.find(hash, same) {
            return place.entry;
        }
        self.insert(hash, head, word)
    }

    /// Empties the cache if it holds [`WORD_CACHE_CAPACITY`] words or more, and gives back the
    /// room one huge text made. A text adds words past that (as many as it has distinct words):
    /// entry numbers stay valid until the next call.
    fn clear_if_full(&mut self) {
        if self.infos.len() >= WORD_CACHE_CAPACITY {
            self.table.clear();
            self.infos.clear();
            self.long_keys.clear();
            self.long_starts.clear();
            // Empty: nothing is rehashed.
            self.table.shrink_to(WORD_CACHE_CAPACITY, |_| 0);
            self.infos.shrink_to(WORD_CACHE_CAPACITY);
            self.long_keys.shrink_to(WORD_CACHE_CAPACITY * 16);
            self.long_starts.shrink_to(WORD_CACHE_CAPACITY);
        }
    }

    fn insert(&mut self, hash: u64, head: u64, word: &str) -> u32 {
        let bytes = word.as_bytes();
        let entry = self.infos.len() as u32;
        let info = precomputed(word).unwrap_or_else(|| analyze_word(word));
        self.infos.push(CacheLine(info));
        if bytes.len() > 8 {
            self.long_starts.push(self.long_keys.len());
            self.long_keys.extend_from_slice(bytes);
        } else {
            self.long_starts.push(0);
        }
        let place = Place {
            head,
            len: bytes.len() as u32,
            entry,
        };
        let long_keys = &self.long_keys;
        let long_starts = &self.long_starts;
        self.table.insert_unique(hash, place, |place| {
            let start = long_starts[place.entry as usize];
            let len = place.len as usize;
            Self::hash(len, place.head, || {
                long_keys.get(start..start + len).unwrap_or_default()
            })
        });
        entry
    }
}

/// Runs one word (a token of `SimpleTokenizer`) through the filters and the stemmer.
pub(crate) fn analyze_word(original: &str) -> WordInfo {
    let mut pipeline = Analyzer::pipeline();
    let mut stream = pipeline.token_stream(original);
    let mut norm = String::new();
    while let Some(token) = stream.next() {
        norm.push_str(&token.text);
    }
    let acronym = is_acronym(original);
    let typo_shaped = !acronym && norm.len() >= 5 && norm.bytes().all(|b| b.is_ascii_lowercase());
    // The spelling filter may have changed the word ("expertise" -> "expertize"): the word as
    // written counts too.
    let dictionary = typo_shaped && {
        let lower = original.to_ascii_lowercase();
        crate::dictionary::contains(&norm) || (lower != norm && crate::dictionary::contains(&lower))
    };
    let stem = stem_cached(&norm);
    WordInfo {
        stem_id: stem_id(&stem),
        stem,
        acronym,
        number: original.bytes().all(|b| b.is_ascii_digit()),
        dictionary,
        stop: is_stop_word(&norm),
        abbreviation: is_abbreviation(&norm),
        conjunction: is_clause_conjunction(&norm),
        may_open_scope: negation::may_open_scope(&norm),
        norm: norm.into(),
    }
}

/// Snowball stemming costs about a microsecond a word; each thread keeps the stems it has
/// computed (bounded, cleared when full).
fn stem_cached(norm: &str) -> Word {
    use rustc_hash::FxHashMap as HashMap;
    use std::cell::RefCell;
    const CAPACITY: usize = 1 << 16;
    thread_local! {
        static STEMS: RefCell<HashMap<Box<str>, Word>> = RefCell::new(HashMap::default());
        static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
    }
    STEMS.with_borrow_mut(|stems| {
        if let Some(stem) = stems.get(norm) {
            return stem.clone();
        }
        // A word of the built-in bank (or two of an alias run together) was stemmed when itdq
        // was compiled.
        let stem = precomputed(norm)
            .filter(|info| *info.norm == *norm)
            .map(|info| info.stem)
            .unwrap_or_else(|| STEMMER.with(|s| s.stem(norm).into_owned()).into());
        if stems.len() >= CAPACITY {
            stems.clear();
        }
        stems.insert(norm.into(), stem.clone());
        stem
    })
}

/// Whether the text between two words ends a sentence, and whether it ends a clause.
fn boundaries(gap: &str, next_word: &[u8]) -> (bool, bool) {
    let bytes = gap.as_bytes();
    let mut sentence = false;
    let mut clause = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            // "Node.js", "3.5", "e.g" keep going: a full stop ends a sentence only before space.
            b'.' | b'!' | b'?' if i + 1 < bytes.len() && bytes[i + 1].is_ascii_whitespace() => {
                sentence = true;
            }
            b',' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'|' => clause = true,
            b'\n' => {
                // A hard-wrapped line goes on with the same sentence and clause; a blank line, or a new line that opens a list item or a heading.
                let rest = gap[i + 1..].trim_start_matches([' ', '\t']);
                if rest.starts_with('\n')
                    || rest.starts_with(['-', '*', '+', '#', '>', '|', '`'])
                    || rest.starts_with('\u{2022}')
                    || (rest.is_empty() && next_word.first().is_some_and(u8::is_ascii_digit))
                {
                    sentence = true;
                }
            }
            _ => {}
        }
    }
    // Non-ASCII punctuation: bullets, em dashes.
    if !gap.is_ascii() {
        if gap.contains('\u{2022}') {
            sentence = true;
        }
        if gap.contains(['\u{2014}', '\u{2013}']) {
            clause = true;
        }
    }
    (sentence, clause || sentence)
}

/// Words after which a full stop is an abbreviation, not a sentence end ("e.g.", "i.e.", "vs.").
fn is_abbreviation(norm: &str) -> bool {
    norm.len() == 1
        || matches!(
            norm,
            "vs" | "approx" | "incl" | "cf" | "al" | "eg" | "ie" | "mr" | "dr"
        )
}

/// A single hyphen (ASCII or Unicode) between two words.
fn is_hyphen(gap: &str) -> bool {
    matches!(gap, "-" | "\u{2010}" | "\u{2011}")
}

fn is_clause_conjunction(norm: &str) -> bool {
    matches!(
        norm,
        "but" | "however" | "although" | "though" | "whereas" | "yet" | "instead" | "otherwise"
    )
}

/// Two or more capitals (digits allowed after the first letter): KPI, RTO, S3, OAuth is not.
fn is_acronym(original: &str) -> bool {
    let mut letters = 0;
    for (i, c) in original.chars().enumerate() {
        if c.is_ascii_uppercase() {
            letters += 1;
        } else if c.is_ascii_digit() && i > 0 {
        } else if c == 's' && i + 1 == original.chars().count() && letters >= 2 {
            // plural acronym, stripped by AcronymPlural
        } else {
            return false;
        }
    }
    letters >= 2
}

/// English stop words: dropped from aliases and answers alike, but seen by negation first.
/// Negation words ("no", "not", "without", "never") are content words on purpose, so that an
/// alias such as "no downtime" keeps them.
const STOP_WORDS: &[&str] = &[
    "a", "about", "also", "am", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by",
    "can", "could", "d", "did", "do", "does", "doing", "eg", "etc", "for", "from", "had", "has",
    "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "ie", "if", "in",
    "into", "is", "it", "its", "itself", "just", "ll", "m", "me", "might", "must", "my", "of",
    "on", "or", "our", "ours", "s", "she", "should", "so", "t", "than", "that", "the", "their",
    "theirs", "them", "then", "there", "these", "they", "this", "those", "to", "us", "ve", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "yours",
];

/// Whether `norm` is an English stop word (one of [`STOP_WORDS`], as written there).
pub fn is_stop_word(norm: &str) -> bool {
    is_listed_stop_word(norm.as_bytes())
}

/// Whether `word` is one of [`STOP_WORDS`], byte for byte: most words are longer than any stop
/// word and are answered without a lookup; the others by a binary search of [`STOP_KEYS`].
fn is_listed_stop_word(word: &[u8]) -> bool {
    word.len() <= MAX_STOP_WORD_LEN && STOP_KEYS.binary_search(&stop_key(word)).is_ok()
}

/// The length of the longest stop word.
const MAX_STOP_WORD_LEN: usize = 6;

/// A word of up to seven bytes as a number: its bytes, the first highest, zeros after the last,
/// then its length in the lowest byte. Words without zero bytes order by their numbers as they
/// do by their bytes, and no two words share a number.
const fn stop_key(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < 7 {
        key <<= 8;
        if i < word.len() {
            key |= word[i] as u64;
        }
        i += 1;
    }
    key << 8 | word.len() as u64
}

/// [`STOP_WORDS`] as [`stop_key`]s, in the same (sorted) order.
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0u64; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = stop_key(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// Whether the word `letters`, in any case, is a stop word: for callers that scan raw text
/// word by word and have no normalised string.
pub(crate) fn is_stop_word_in_any_case(letters: &[u8]) -> bool {
    if letters.len() > MAX_STOP_WORD_LEN {
        return false;
    }
    let mut lower = [0u8; MAX_STOP_WORD_LEN];
    for (to, &from) in lower.iter_mut().zip(letters) {
        *to = from.to_ascii_lowercase();
    }
    is_listed_stop_word(&lower[..letters.len()])
}

/// Strips the plural `s` of an acronym (KPIs -> KPI, SLOs -> SLO) while case is still known.
#[derive(Clone, Copy, Debug, Default)]
struct AcronymPlural;

impl TokenFilter for AcronymPlural {
    type Tokenizer<T: Tokenizer> = AcronymPluralFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        AcronymPluralFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
struct AcronymPluralFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for AcronymPluralFilter<T> {
    type TokenStream<'a> = AcronymPluralStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AcronymPluralStream {
            tail: self.inner.token_stream(text),
        }
    }
}

struct AcronymPluralStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for AcronymPluralStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &self.tail.token().text;
        let bytes = text.as_bytes();
        if bytes.len() >= 3
            && bytes[bytes.len() - 1] == b's'
            && bytes[..bytes.len() - 1]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && bytes[0].is_ascii_uppercase()
        {
            self.tail.token_mut().text.pop();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        Analyzer::new()
            .analyze(text)
            .terms
            .into_iter()
            .map(|t| t.stem.into())
            .collect()
    }

    #[test]
    fn stop_words_in_any_case_are_the_stop_words() {
        for word in STOP_WORDS {
            assert!(is_stop_word(word), "{word}");
            assert!(is_stop_word_in_any_case(word.as_bytes()), "{word}");
            let upper = word.to_ascii_uppercase();
            assert!(is_stop_word_in_any_case(upper.as_bytes()), "{upper}");
            // A letter more or less is another word.
            let longer = format!("{word}x");
            assert_eq!(
                is_stop_word_in_any_case(longer.as_bytes()),
                is_stop_word(&longer),
                "{longer}"
            );
            let shorter = &word[..word.len() - 1];
            assert_eq!(
                is_stop_word_in_any_case(shorter.as_bytes()),
                is_stop_word(shorter),
                "{shorter:?}"
            );
        }
        for word in [
            "",
            "not",
            "no",
            "KPI",
            "retry",
            "abouts",
            "th",
            "caf\u{e9}",
            "\u{e9}",
        ] {
            assert_eq!(
                is_stop_word_in_any_case(word.as_bytes()),
                is_stop_word(&word.to_lowercase()),
                "{word:?}"
            );
        }
        assert!(!is_stop_word_in_any_case(b"whom\0"));
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_KEYS.windows(2).all(|k| k[0] < k[1]));
        assert_eq!(
            STOP_WORDS.iter().map(|w| w.len()).max(),
            Some(MAX_STOP_WORD_LEN)
        );
    }

    #[test]
    fn inflections_share_a_stem() {
        let table = [
            ("prioritise", "prioritizing"),
            ("prioritize", "prioritise"),
            ("retries", "retry"),
            ("optimise", "optimized"),
            ("behaviour", "behavior"),
            ("organisation", "organization"),
            ("KPIs", "KPI"),
            ("SLOs", "slo"),
            ("indexes", "index"),
        ];
        for (a, b) in table {
            assert_eq!(stems(a), stems(b), "{a} vs {b}");
        }
    }

    #[test]
    fn markdown_and_quotes_do_not_change_words() {
        let plain = stems("use exponential backoff and don't retry forever");
        let marked = stems("**Use** `exponential` _backoff_ and don\u{2019}t retry forever");
        assert_eq!(plain, marked);
        assert_eq!(
            stems("# Heading\n- bullet one"),
            stems("heading bullet one")
        );
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Add **jitter** to the back\u{2011}off";
        let analysis = Analyzer::new().analyze(text);
        let jitter = &analysis.terms[1];
        assert_eq!(&text[jitter.start..jitter.end], "jitter");
        let last = analysis.terms.last().unwrap();
        assert_eq!(&text[last.start..last.end], "off");
    }

    #[test]
    fn acronyms_and_numbers_are_flagged() {
        let analysis = Analyzer::new().analyze("Track KPIs and an RTO of 15 minutes in Kafka");
        let flags: Vec<(&str, bool, bool)> = analysis
            .terms
            .iter()
            .map(|t| (t.norm.as_str(), t.acronym, t.number))
            .collect();
        assert!(flags.contains(&("kpi", true, false)));
        assert!(flags.contains(&("rto", true, false)));
        assert!(flags.contains(&("15", false, true)));
        assert!(flags.contains(&("kafka", false, false)));
    }

    #[test]
    fn the_acronym_it_is_not_a_stop_word() {
        let analysis = Analyzer::new().analyze("It aligns IT with the business");
        let norms: Vec<&str> = analysis.terms.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, ["aligns", "it", "business"]);
    }

    #[test]
    fn sentences_split_on_full_stops_and_list_items_but_not_on_dotted_names() {
        let analysis = Analyzer::new().analyze("Use Node.js here. Then stop.\n- one item\n- two");
        let sentences: Vec<u32> = analysis.terms.iter().map(|t| t.sentence).collect();
        // use node js here | then stop | one item | two
        // "here" and "then" are stop words
        assert_eq!(sentences, vec![0, 0, 0, 1, 2, 2, 3]);
        assert_eq!(analysis.sentence_count, 4);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let analysis = Analyzer::new().analyze("Cache hot keys, e.g. sessions. Then stop.");
        let sentences: Vec<u32> = analysis.terms.iter().map(|t| t.sentence).collect();
        // cache hot keys e g sessions | stop
        assert_eq!(sentences, vec![0, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn stop_words_inside_hyphenated_compounds_are_kept() {
        let norms = |text: &str| -> Vec<String> {
            Analyzer::new()
                .analyze(text)
                .terms
                .into_iter()
                .map(|t| t.norm.into())
                .collect()
        };
        assert_eq!(norms("an opt-in flag"), ["opt", "in", "flag"]);
        assert_eq!(
            norms("at-least-once delivery"),
            ["at", "least", "once", "delivery"]
        );
        assert_eq!(norms("opt in"), ["opt"]);
    }

    #[test]
    fn hard_wrapped_lines_stay_one_sentence() {
        let analysis = Analyzer::new().analyze("exponential\nbackoff");
        assert_eq!(analysis.terms[0].sentence, analysis.terms[1].sentence);
    }

    #[test]
    fn word_count_includes_stop_words() {
        let analysis = Analyzer::new().analyze("the cat and the hat");
        assert_eq!(analysis.word_count, 5);
        assert_eq!(analysis.terms.len(), 2);
    }

    #[test]
    fn unicode_letters_fold_to_ascii() {
        assert_eq!(stems("café naïve"), stems("cafe naive"));
    }

    #[test]
    fn words_split_as_tantivys_simple_tokenizer_splits() {
        let lengths: String = (1..=19)
            .map(|n| "abcdefghijKLMNOPQRS0123456789"[..n].to_string() + &" .,-".repeat(n % 4))
            .collect();
        let texts = [
            "Hello, happy tax payer!",
            "O(V+E) \u{2014} na\u{ef}ve caf\u{e9}s; x\u{b2} \u{2162} \u{4e2d}\u{6587}\u{5b57} \u{1f680}rocket_2 \u{a0}a\u{301}b",
            "",
            "   ",
            "**bold** `code` -- e.g. 3.5 KPIs/OKRs\n\n- item",
            "\u{feff}\u{200b}zero\u{200b}width \u{0661}\u{0662} \u{3000}",
            // Words and gaps of every length up to past eight bytes, at every alignment, ending
            // at the end of the text or not, with characters of two and three bytes among them.
            &lengths,
            "1234567",
            "12345678",
            "123456789 z",
            "a\u{e9}bcdefgh\u{e9}ijk \u{2014}\u{2014}\u{2014} 9\u{2162}x\u{e9}",
            "~~~~~~~~~~~~~~~~x",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
            "`{}[]@/:;<=>?^_`\u{7f}\u{80}\u{ff}",
        ];
        for text in texts {
            let mut tokenizer = SimpleTokenizer::default();
            let mut stream = tokenizer.token_stream(text);
            let mut expected = Vec::new();
            while let Some(t) = stream.next() {
                expected.push((t.offset_from, t.offset_to));
            }
            assert_eq!(word_spans(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn words_analysed_at_compile_time_are_analysed_as_at_run_time() {
        let words: Vec<&str> = crate::builtin_words::RECORDS
            .iter()
            .map(|&start| precomputed_record(start).0)
            .collect();
        // The bank's rubrics and model answers hold thousands of distinct words.
        assert!(words.len() > 1000, "{} precomputed words", words.len());
        assert!(words.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        // The stems are checked against the stemmer itself: `analyze_word` reads this table.
        let stemmer = Stemmer::create(Algorithm::English);
        for &word in &words {
            let info = precomputed(word).expect("a word of the table");
            assert_eq!(info, analyze_word(word), "{word:?}");
            assert_eq!(*info.stem, *stemmer.stem(&info.norm), "{word:?}");
        }
        assert_eq!(precomputed("zzzzqx"), None);
        for word in ["KPIs", "jitter", "however", "The", "e", "404"] {
            assert!(precomputed(word).is_some(), "{word} is in the bank");
        }
    }

    impl WordCache {
        /// The analysis of entry `entry`.
        fn info(&self, entry: u32) -> WordInfo {
            self.infos[entry as usize].0.clone()
        }
    }

    /// The entry of `word` read on its own (the bytes after it are no part of it).
    fn entry(cache: &mut WordCache, word: &str) -> u32 {
        cache.entry(word, crate::swar::eight_bytes(word.as_bytes(), 0))
    }

    #[test]
    fn short_keys_hash_as_table_hash_hashes_them() {
        for word in ["a", "ab", "abc", "jitter", "backoff", "outboxes"] {
            let head = crate::swar::eight_bytes(word.as_bytes(), 0);
            assert_eq!(
                table_hash_short(word.len(), head),
                table_hash(word.as_bytes()),
                "{word}"
            );
            // Eight bytes that run on past the word.
            let text = format!("{word} and more");
            let block = crate::swar::eight_bytes(text.as_bytes(), 0);
            assert_eq!(WordCache::head(word.as_bytes(), block), head, "{word}");
        }
    }

    #[test]
    fn the_word_cache_tells_words_apart_by_all_their_bytes() {
        // Words of up to 18 bytes, one byte shorter, and each one-byte change: words sharing
        // their first eight bytes, or all but the last, are different entries.
        let base: String = ('a'..='r').collect();
        let mut cache = WordCache::default();
        let mut words: Vec<String> = Vec::new();
        for n in 1..=base.len() {
            words.push(base[..n].to_string());
            for i in 0..n {
                let mut changed = base.as_bytes()[..n].to_vec();
                changed[i] = b'z';
                words.push(String::from_utf8(changed).unwrap());
            }
        }
        let entries: Vec<u32> = words.iter().map(|w| entry(&mut cache, w)).collect();
        let mut distinct = entries.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), words.len(), "one entry a word");
        for (word, &number) in words.iter().zip(&entries) {
            assert_eq!(entry(&mut cache, word), number, "{word} found again");
            assert_eq!(cache.info(number), analyze_word(word), "{word}");
        }
        assert_eq!(cache.infos.len(), words.len(), "nothing added twice");
    }

    #[test]
    fn a_full_word_cache_starts_again_before_a_text_not_within_one() {
        let mut cache = WordCache::default();
        for i in 0..WORD_CACHE_CAPACITY - 3 {
            entry(&mut cache, &format!("w{i}"));
        }
        // A text whose new words fill the cache and go past it: each word keeps its entry (and
        // its analysis) until the text's tokens are made.
        let text = "Jitter spreads the retries; idempotency keys dedupe them, and backoff waits.";
        let mut located = Vec::new();
        Analyzer::locate_words(text, &mut cache, &mut located);
        assert!(
            cache.infos.len() > WORD_CACHE_CAPACITY,
            "{}",
            cache.infos.len()
        );
        assert_eq!(located.len(), 11);
        for l in &located {
            let word = &text[l.start..l.end];
            assert_eq!(cache.info(l.entry), analyze_word(word), "{word}");
        }
        // The next text finds it full, and starts again.
        Analyzer::locate_words("backoff", &mut cache, &mut located);
        assert_eq!(cache.infos.len(), 1);
        assert!(cache.infos.capacity() <= WORD_CACHE_CAPACITY);
        assert_eq!(located[0].entry, 0);
        assert_eq!(*cache.info(0).norm, *"backoff");
    }

    #[test]
    fn token_buffers_are_kept_from_one_text_to_the_next() {
        let mut v: Vec<RawToken<'static>> = Vec::with_capacity(100);
        let capacity = v.capacity();
        let kept: Vec<RawToken<'_>> = recycle(std::mem::take(&mut v));
        assert_eq!(kept.capacity(), capacity);
        let back: Vec<RawToken<'static>> = recycle(kept);
        assert_eq!(back.capacity(), capacity);
    }

    #[test]
    fn stems_are_numbered_by_their_text() {
        let spans = crate::builtin_words::STEM_SPANS;
        assert!(spans.len() > 1000, "{} stems", spans.len());
        let mut previous = "";
        for (i, &(start, end)) in spans.iter().enumerate() {
            let stem = &crate::builtin_words::STEMS[start as usize..end as usize];
            assert!(previous < stem, "sorted, no repeats: {previous:?} {stem:?}");
            assert_eq!(stem_id(stem), i as u32, "{stem:?}");
            previous = stem;
        }
        assert_eq!(stem_id("zzzzqx"), NO_STEM_ID);
        assert_eq!(stem_id(""), NO_STEM_ID);
        // A word the bank never writes, with a stem it has, gets that stem's number: a rubric
        // finds it by number.
        let known = precomputed("idempotent").expect("a word of the bank");
        let unseen = "idempotently";
        assert_eq!(precomputed(unseen), None);
        let info = analyze_word(unseen);
        assert_eq!(info.stem, known.stem);
        assert_eq!(info.stem_id, known.stem_id);
        assert_ne!(info.stem_id, NO_STEM_ID);
        // One the bank has no stem for has no number.
        assert_eq!(analyze_word("zzzzqx").stem_id, NO_STEM_ID);
    }
}
