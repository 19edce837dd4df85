//! Finding a rubric's aliases and patterns in an answer.
//!
//! A rubric is compiled once into a [`Vocabulary`] (every stem its aliases use) and a list of
//! [`Matcher`]s. An answer is then indexed against the vocabulary in one pass ([`AnswerIndex`]):
//! each answer word is looked up by stem, by a two-word join ("back-off" for "backoff"), or, when it
//! is no English word, fuzzily against the vocabulary's words with the same first letter. Phrase
//! matchers then only walk the occurrences of their own words.

use rustc_hash::FxHashMap as HashMap;

use crate::analyzer::{Analysis, Analyzer, NO_STEM_ID, Term, Word};
use crate::report::MatchKind;
use crate::text::NormalizedText;

/// What a matcher finds evidence for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Concept(usize),
    Misconception(usize),
}

/// One place an alias or pattern matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match<'m> {
    pub target: Target,
    /// Byte range in the answer.
    pub start: usize,
    pub end: usize,
    pub how: MatchKind,
    /// The alias or pattern text of the rubric (borrowed from the matcher: no reference count
    /// shared between the threads of a batch).
    pub matched: &'m str,
    /// Stands in the scope of a negation cue that lies outside the match.
    pub negated: bool,
}

/// Finds one alias or pattern in an answer.
pub trait Matcher: Send + Sync {
    /// What this matcher is evidence for.
    fn target(&self) -> Target;
    /// The rubric text this matcher was compiled from.
    fn source(&self) -> &str;
    /// Appends every match in `answer` to `out`.
    fn find<'m>(&'m self, answer: &AnswerIndex<'_>, out: &mut Vec<Match<'m>>);
}

/// A word of the vocabulary: a stem, with the form an alias wrote it in.
#[derive(Clone, Debug)]
struct VocabWord {
    stem: Word,
    /// [`crate::analyzer::stem_id`] of `stem`.
    stem_id: u32,
    norm: Word,
    /// The characters of `norm`, counted once: a fuzzy lookup compares lengths first.
    chars: usize,
    letters: [u8; 26],
    stem_letters: [u8; 26],
}

/// Every word the rubric's aliases use, by stem.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    words: Vec<VocabWord>,
    by_stem: HashMap<Word, u32>,
    /// The words whose stems the built-in bank has, by the stem's number: a lookup then reads
    /// no string (see [`Vocabulary::of_term`]). Built by [`Vocabulary::seal`].
    by_stem_id: StemIndex,
    /// First letter -> words that may be matched fuzzily.
    by_initial: HashMap<char, Vec<u32>>,
    /// The proper prefixes of long words, as a Bloom-style bit set of their hashes: an answer
    /// word whose bit is set may be the first half of a compound written apart ("back off" for
    /// "backoff"). A false positive costs one more lookup, never a wrong match.
    prefixes: PrefixFilter,
}

impl Vocabulary {
    fn intern(&mut self, term: &Term) -> u32 {
        self.add(term, true)
    }

    /// A word made by joining two alias words: matched exactly, never as a typo's target (it is
    /// no real word, and "backends" must not pass for "back edge").
    fn intern_joined(&mut self, term: &Term) -> u32 {
        self.add(term, false)
    }

    fn add(&mut self, term: &Term, typo_target: bool) -> u32 {
        if let Some(&id) = self.by_stem.get(&term.stem) {
            return id;
        }
        let id = self.words.len() as u32;
        let fuzzy = typo_target && !term.acronym && !term.number && term.norm.chars().count() >= 5;
        if fuzzy && let Some(initial) = term.norm.chars().next() {
            self.by_initial.entry(initial).or_default().push(id);
        }
        let len = term.norm.len();
        if len >= 5 && term.norm.is_ascii() {
            // The hash of each prefix extends the previous one by a byte.
            let bytes = term.norm.as_bytes();
            let mut hash = prefix_hash(&term.norm[..1]);
            for &b in &bytes[1..len - 2] {
                hash = fnv_step(hash, b);
                self.prefixes.insert(hash);
            }
        }
        self.words.push(VocabWord {
            stem: term.stem.clone(),
            stem_id: term.stem_id,
            norm: term.norm.clone(),
            chars: term.norm.chars().count(),
            letters: letter_counts(&term.norm),
            stem_letters: letter_counts(&term.stem),
        });
        self.by_stem.insert(term.stem.clone(), id);
        id
    }

    /// Indexes the words by stem number, once the vocabulary is complete: until then (and for
    /// words added after), lookups go by string.
    pub(crate) fn seal(&mut self) {
        let numbered: Vec<(u32, u32)> = self
            .words
            .iter()
            .enumerate()
            .map(|(id, word)| (word.stem_id, id as u32))
            .filter(|&(stem_id, _)| stem_id != NO_STEM_ID)
            .collect();
        self.by_stem_id = StemIndex::new(numbered, self.words.len());
    }

    /// The vocabulary word with the stem of `term`: by the stem's number when it has one, else
    /// by string.
    fn of_term(&self, term: &Term) -> Option<u32> {
        if term.stem_id != NO_STEM_ID && self.by_stem_id.covers == self.words.len() {
            self.by_stem_id.get(term.stem_id)
        } else {
            self.get(&term.stem)
        }
    }

    /// The vocabulary word two neighbouring answer words make when joined, if any.
    fn joined(&self, first: &str, second: &str, analyzer: &Analyzer) -> Option<u32> {
        if !self.prefixes.may_contain(prefix_hash(first)) {
            return None;
        }
        // Joined on the stack: most pairs make a short word, and most make none of the rubric's.
        let mut buffer = [0u8; 48];
        let len = first.len() + second.len();
        let Some(joined) = buffer.get_mut(..len) else {
            return self.get(&analyzer.stem(&[first, second].concat()));
        };
        joined[..first.len()].copy_from_slice(first.as_bytes());
        joined[first.len()..].copy_from_slice(second.as_bytes());
        // Two strings joined are a string.
        let joined = std::str::from_utf8(joined).ok()?;
        self.get(&analyzer.stem(joined))
    }

    fn get(&self, stem: &str) -> Option<u32> {
        self.by_stem.get(stem).copied()
    }

    /// Allowed edits for a word of `len` characters: none under 5, one for 5-7, two from 8.
    fn max_edits(len: usize) -> usize {
        match len {
            0..=4 => 0,
            5..=7 => 1,
            _ => 2,
        }
    }

    /// The closest vocabulary word to a misspelled answer word, with its edit distance.
    fn closest(&self, term: &Term) -> Option<(u32, u8)> {
        let initial = term.norm.chars().next()?;
        let candidates = self.by_initial.get(&initial)?;
        let len = term.norm.chars().count();
        let letters = letter_counts(&term.norm);
        let stem_letters = letter_counts(&term.stem);
        let mut best: Option<(u32, u8)> = None;
        for &id in candidates {
            let word = &self.words[id as usize];
            let word_len = word.chars;
            let allowed = Self::max_edits(len.min(word_len));
            // Cheap lower bounds on the edit distance first: the length difference, and half the
            // letters the two words do not share.
            if allowed == 0 || len.abs_diff(word_len) > allowed + 1 {
                continue;
            }
            // An edit changes at most two letter counts, so half the unshared letters is a lower
            // bound on the distance; the stems get the same test before their turn.
            let mut distance = usize::MAX;
            if unshared(&letters, &word.letters) <= 2 * allowed {
                distance = strsim::levenshtein(&term.norm, &word.norm);
            }
            if distance > allowed && unshared(&stem_letters, &word.stem_letters) <= 2 * allowed {
                distance = distance.min(strsim::levenshtein(&term.stem, &word.stem));
            }
            if distance > 0 && distance <= allowed && best.is_none_or(|(_, d)| (distance as u8) < d)
            {
                best = Some((id, distance as u8));
            }
        }
        best
    }
}

/// A set of stem numbers with a vocabulary word each, as a bit set with a count of the bits
/// before each 64: a lookup reads one entry of a small array (about 3 KB for the bank's stems,
/// where a hash map's entries lay scattered) and the word list. Grading a mix of questions finds
/// little of one rubric in the caches; this is the table each answer word is looked up in.
#[derive(Clone, Debug, Default)]
struct StemIndex {
    /// For each 64 stem numbers: which of them have a word, and how many before them do.
    blocks: Vec<(u64, u32)>,
    /// The words, in stem-number order.
    words: Vec<u32>,
    /// How many vocabulary words there were when it was built.
    covers: usize,
}

impl StemIndex {
    fn new(mut numbered: Vec<(u32, u32)>, covers: usize) -> StemIndex {
        numbered.sort_unstable();
        let size = numbered
            .last()
            .map_or(0, |&(stem, _)| stem as usize / 64 + 1);
        let mut blocks = vec![(0u64, 0u32); size];
        for &(stem, _) in &numbered {
            blocks[stem as usize / 64].0 |= 1 << (stem % 64);
        }
        let mut before = 0;
        for block in &mut blocks {
            block.1 = before;
            before += block.0.count_ones();
        }
        StemIndex {
            blocks,
            words: numbered.into_iter().map(|(_, word)| word).collect(),
            covers,
        }
    }

    fn get(&self, stem: u32) -> Option<u32> {
        let &(bits, before) = self.blocks.get(stem as usize / 64)?;
        let bit = 1u64 << (stem % 64);
        if bits & bit == 0 {
            return None;
        }
        self.words
            .get((before + (bits & (bit - 1)).count_ones()) as usize)
            .copied()
    }
}

/// How often each ASCII letter occurs in a word.
fn letter_counts(word: &str) -> [u8; 26] {
    let mut counts = [0u8; 26];
    for b in word.bytes().filter(u8::is_ascii_lowercase) {
        counts[(b - b'a') as usize] = counts[(b - b'a') as usize].saturating_add(1);
    }
    counts
}

/// How many letters two words do not share (by count).
fn unshared(a: &[u8; 26], b: &[u8; 26]) -> usize {
    a.iter().zip(b).map(|(x, y)| x.abs_diff(*y) as usize).sum()
}

/// FNV-1a: a cheap, stable hash for the prefix filter.
fn prefix_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, fnv_step)
}

/// One byte of FNV-1a.
fn fnv_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
}

/// A set of hashes that may answer "maybe" for one it does not hold: one bit per hash (of
/// 2^15), so building it costs a few instructions per prefix where a hash set cost a probe and
/// sometimes a resize, and a rubric's vocabulary (a few thousand prefixes) leaves most bits clear.
#[derive(Clone)]
struct PrefixFilter(Box<[u64; PrefixFilter::WORDS]>);

impl PrefixFilter {
    const WORDS: usize = 512;

    fn slot(hash: u64) -> (usize, u64) {
        // FNV's high bits mix best.
        let bit = (hash >> 49) as usize; // 15 bits
        (bit / 64, 1 << (bit % 64))
    }

    fn insert(&mut self, hash: u64) {
        let (word, mask) = Self::slot(hash);
        self.0[word] |= mask;
    }

    fn may_contain(&self, hash: u64) -> bool {
        let (word, mask) = Self::slot(hash);
        self.0[word] & mask != 0
    }
}

impl Default for PrefixFilter {
    fn default() -> Self {
        PrefixFilter(Box::new([0; PrefixFilter::WORDS]))
    }
}

impl std::fmt::Debug for PrefixFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set: u32 = self.0.iter().map(|w| w.count_ones()).sum();
        write!(f, "PrefixFilter({set} bits set)")
    }
}

/// How an answer word (or two) matched a vocabulary word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WordHit {
    Stem,
    /// Two answer words joined ("back off" for "backoff").
    Joined,
    Fuzzy(u8),
}

/// A vocabulary word found at answer terms `first..=last`.
#[derive(Clone, Copy, Debug)]
struct Occurrence {
    word: u32,
    first: u32,
    last: u32,
    hit: WordHit,
}

/// An answer, analysed and indexed against one rubric's vocabulary.
pub struct AnswerIndex<'a> {
    pub text: &'a str,
    pub analysis: &'a Analysis,
    /// Sorted by (word, first).
    occurrences: Vec<Occurrence>,
    /// Vocabulary word `w`'s slice of `occurrences` is `starts[w]..starts[w + 1]`.
    starts: Vec<u32>,
    normalized: std::cell::OnceCell<NormalizedText>,
}

impl std::fmt::Debug for AnswerIndex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnswerIndex")
            .field("occurrences", &self.occurrences.len())
            .finish()
    }
}

impl<'a> AnswerIndex<'a> {
    /// Indexes `analysis` of `text` against `vocabulary`.
    pub fn new(
        text: &'a str,
        analysis: &'a Analysis,
        vocabulary: &Vocabulary,
        analyzer: &Analyzer,
    ) -> Self {
        Buffers::with(|buffers| {
            let found = &mut buffers.found;
            found.clear();
            Self::find_words(text, analysis, vocabulary, analyzer, found);
            Self::from_found(text, analysis, vocabulary, found)
        })
    }

    /// The vocabulary words of the answer, in text order, into `found`.
    fn find_words(
        text: &str,
        analysis: &Analysis,
        vocabulary: &Vocabulary,
        analyzer: &Analyzer,
        found: &mut Vec<Occurrence>,
    ) {
        let terms = &analysis.terms;
        for (i, term) in terms.iter().enumerate() {
            let i32 = i as u32;
            if let Some(word) = vocabulary.of_term(term) {
                found.push(Occurrence {
                    word,
                    first: i32,
                    last: i32,
                    hit: WordHit::Stem,
                });
            } else if let Some(next) = terms.get(i + 1)
                && next.sentence == term.sentence
                && joinable(&text[term.end..next.start])
                && let Some(word) = vocabulary.joined(&term.norm, &next.norm, analyzer)
            {
                found.push(Occurrence {
                    word,
                    first: i32,
                    last: i32 + 1,
                    hit: WordHit::Joined,
                });
            } else if typo_shaped(term)
                && !term.dictionary
                && let Some((word, distance)) = vocabulary.closest(term)
            {
                found.push(Occurrence {
                    word,
                    first: i32,
                    last: i32,
                    hit: WordHit::Fuzzy(distance),
                });
            }
        }
    }

    /// The index of the words found, grouped by word.
    fn from_found(
        text: &'a str,
        analysis: &'a Analysis,
        vocabulary: &Vocabulary,
        found: &[Occurrence],
    ) -> Self {
        // Grouped by word, each word's occurrences in text order, as sorting by (word, first)
        // would leave them: a counting sort, since the terms were visited in order and the
        // vocabulary is small. Word `w`'s count goes to `starts[w + 2]`; summed up, `starts[w + 1]`
        // is where `w` starts, and it advances as `w`'s slice fills, to where `w + 1` starts.
        let mut starts = vec![0u32; vocabulary.words.len() + 2];
        for o in found {
            starts[o.word as usize + 2] += 1;
        }
        for w in 1..starts.len() {
            starts[w] += starts[w - 1];
        }
        let mut occurrences = found.to_vec();
        for &o in found {
            let at = &mut starts[o.word as usize + 1];
            occurrences[*at as usize] = o;
            *at += 1;
        }
        starts.pop();
        AnswerIndex {
            text,
            analysis,
            occurrences,
            starts,
            normalized: std::cell::OnceCell::new(),
        }
    }

    /// How many distinct vocabulary words the answer uses, however they stand: a measure of how
    /// much the answer is about the rubric's subject at all.
    pub fn distinct_words(&self) -> usize {
        self.words().count()
    }

    /// The vocabulary words the answer uses, each once, in vocabulary order.
    fn words(&self) -> impl Iterator<Item = u32> + '_ {
        // Occurrences are grouped by word: a word starts where it differs from the one before.
        let words = self.occurrences.iter().map(|o| o.word);
        let before = std::iter::once(None).chain(words.clone().map(Some));
        words
            .zip(before)
            .filter(|&(w, b)| b != Some(w))
            .map(|(w, _)| w)
    }

    /// Whether vocabulary word `word` occurs in the answer.
    fn occurs(&self, word: u32) -> bool {
        self.starts
            .get(word as usize..word as usize + 2)
            .is_some_and(|range| range[0] < range[1])
    }

    fn of_word(&self, word: u32) -> &[Occurrence] {
        match self.starts.get(word as usize..word as usize + 2) {
            Some(range) => &self.occurrences[range[0] as usize..range[1] as usize],
            None => &[],
        }
    }

    /// The normalized copy of the answer that patterns run over.
    pub fn normalized(&self) -> &NormalizedText {
        self.normalized
            .get_or_init(|| NormalizedText::new(self.text))
    }

    /// Whether any of `terms` lies in the scope of a negation cue that is not itself one of
    /// `own` (the words the alias or pattern matched: "no downtime" carries its own cue). Soft
    /// cues ("avoid") count only for misconceptions.
    fn negated(&self, terms: impl Iterator<Item = usize> + Clone, target: Target) -> bool {
        let all = &self.analysis.terms;
        let soft_counts = matches!(target, Target::Misconception(_));
        terms.clone().any(|i| {
            all[i].negation.is_some_and(|cue| {
                (cue.strong || soft_counts) && !terms.clone().any(|j| all[j].start == cue.offset)
            })
        })
    }
}

/// A word worth a fuzzy look: long enough, all letters, not an acronym.
fn typo_shaped(term: &Term) -> bool {
    !term.acronym && term.norm.len() >= 5 && term.norm.bytes().all(|b| b.is_ascii_lowercase())
}

/// Whether two words separated by `gap` may be one compound: adjacent, or split by one space or
/// one hyphen-like character ("back off", "back-off", "blue/green").
fn joinable(gap: &str) -> bool {
    let mut chars = gap.chars();
    match (chars.next(), chars.next()) {
        (None, _) => true,
        (Some(c), None) => {
            c == ' ' || c == '/' || c == '_' || c == '-' || ('\u{2010}'..='\u{2015}').contains(&c)
        }
        _ => false,
    }
}

/// An alias compiled to vocabulary words; matches the words in order (or any order) within a
/// small gap, in one sentence.
#[derive(Clone, Debug)]
pub struct PhraseMatcher {
    target: Target,
    alias: std::sync::Arc<str>,
    /// The alias as written, and variants with two neighbouring words joined ("multi cloud" ->
    /// "multicloud"): each as its vocabulary words, and the forms the alias wrote them in.
    variants: Vec<(Vec<u32>, Vec<Word>)>,
    any_order: bool,
    max_gap: u32,
}

/// One variant of an alias, as the search sees it: its words, the forms the alias wrote them in,
/// and the matcher's settings.
#[derive(Clone, Copy)]
struct Phrase<'p> {
    target: Target,
    alias: &'p str,
    words: &'p [u32],
    norms: &'p [Word],
    any_order: bool,
    max_gap: u32,
}

impl PhraseMatcher {
    /// Compiles `alias`, adding its words to `vocabulary`. `None` if only stop words remain.
    pub fn new(
        target: Target,
        alias: &str,
        any_order: bool,
        max_gap: u32,
        analyzer: &Analyzer,
        vocabulary: &mut Vocabulary,
    ) -> Option<PhraseMatcher> {
        let analysis = analyzer.analyze(alias);
        let terms = &analysis.terms;
        if terms.is_empty() {
            return None;
        }
        let words: Vec<u32> = terms.iter().map(|t| vocabulary.intern(t)).collect();
        let norms: Vec<Word> = terms.iter().map(|t| t.norm.clone()).collect();
        let mut variants = vec![(words, norms)];
        for i in 0..terms.len().saturating_sub(1) {
            let (a, b) = (&terms[i], &terms[i + 1]);
            if !joinable(&alias[a.end..b.start]) {
                continue;
            }
            let norm = format!("{}{}", a.norm, b.norm);
            let stem = analyzer.stem(&norm);
            // "diverse abilities" -> "diverseabilities" stems to "divers": a join that collapses
            // onto one of its own words would match that word alone.
            if stem.len() <= a.norm.len().max(b.norm.len()) || stem == a.stem || stem == b.stem {
                continue;
            }
            let joined = Term {
                start: a.start,
                end: b.end,
                stem_id: crate::analyzer::stem_id(&stem),
                stem,
                norm: norm.into(),
                sentence: 0,
                acronym: false,
                number: false,
                dictionary: false,
                negation: None,
            };
            let (mut words, mut norms) = variants[0].clone();
            words.splice(i..=i + 1, [vocabulary.intern_joined(&joined)]);
            norms.splice(i..=i + 1, [joined.norm]);
            variants.push((words, norms));
        }
        Some(PhraseMatcher {
            target,
            alias: alias.into(),
            variants,
            any_order,
            max_gap,
        })
    }
}

impl<'p> Phrase<'p> {
    fn find(&self, index: &AnswerIndex<'_>, scratch: &mut Scratch, out: &mut Vec<Match<'p>>) {
        if self.any_order && self.words.len() > 1 {
            self.find_any_order(index, scratch, out);
        } else {
            self.find_in_order(index, &mut scratch.hits, out);
        }
    }

    fn kind(&self, index: &AnswerIndex<'_>, hits: &[Occurrence]) -> MatchKind {
        let mut kind = MatchKind::Exact;
        for (norm, occ) in self.norms.iter().zip(hits) {
            let this = match occ.hit {
                WordHit::Fuzzy(distance) => MatchKind::Fuzzy { distance },
                WordHit::Joined => MatchKind::Stem,
                WordHit::Stem if index.analysis.terms[occ.first as usize].norm == *norm => {
                    MatchKind::Exact
                }
                WordHit::Stem => MatchKind::Stem,
            };
            kind = kind.max(this);
        }
        kind
    }

    fn emit(&self, index: &AnswerIndex<'_>, hits: &[Occurrence], out: &mut Vec<Match<'p>>) {
        let first = hits.iter().map(|o| o.first).min().unwrap_or(0) as usize;
        // Words between the alias's words do not carry its cue: "removing attributes does not
        // eliminate bias" negates "removing attributes eliminates bias".
        let last = hits.iter().map(|o| o.last).max().unwrap_or(0) as usize;
        let terms = &index.analysis.terms;
        let (start, end) = (terms[first].start, terms[last].end);
        out.push(Match {
            target: self.target,
            start,
            end,
            how: self.kind(index, hits),
            matched: self.alias,
            // Most matches have no cue anywhere near them: a look at the words they span tells.
            negated: terms[first..=last].iter().any(|t| t.negation.is_some())
                && index.negated(
                    hits.iter().flat_map(|o| o.first as usize..=o.last as usize),
                    self.target,
                ),
        });
    }

    fn find_in_order(
        &self,
        index: &AnswerIndex<'_>,
        hits: &mut Vec<Occurrence>,
        out: &mut Vec<Match<'p>>,
    ) {
        let words = self.words;
        let heads = index.of_word(words[0]);
        if heads.is_empty() {
            return;
        }
        let terms = &index.analysis.terms;
        'start: for &head in heads {
            hits.clear();
            hits.push(head);
            let sentence = terms[head.first as usize].sentence;
            for &word in &words[1..] {
                let after = hits.last().map_or(0, |o| o.last);
                let next = index.of_word(word).iter().find(|o| {
                    o.first > after
                        && o.first - after - 1 <= self.max_gap
                        && terms[o.first as usize].sentence == sentence
                });
                match next {
                    Some(&o) => hits.push(o),
                    None => continue 'start,
                }
            }
            self.emit(index, hits, out);
        }
    }

    fn find_any_order(
        &self,
        index: &AnswerIndex<'_>,
        scratch: &mut Scratch,
        out: &mut Vec<Match<'p>>,
    ) {
        let words = self.words;
        // Every word must occur somewhere before any window is worth building.
        if words.iter().any(|&w| index.of_word(w).is_empty()) {
            return;
        }
        let terms = &index.analysis.terms;
        let span = words.len() as u32 - 1 + self.max_gap;
        let Scratch { hits, starts } = scratch;
        starts.clear();
        starts.extend(
            words
                .iter()
                .flat_map(|&w| index.of_word(w).iter().map(|o| o.first)),
        );
        starts.sort_unstable();
        starts.dedup();
        let mut covered_to: Option<u32> = None;
        'start: for &s in starts.iter() {
            if covered_to.is_some_and(|to| s <= to) {
                continue;
            }
            hits.clear();
            let sentence = terms[s as usize].sentence;
            for &word in words {
                let found = index.of_word(word).iter().find(|o| {
                    o.first >= s
                        && o.last <= s + span
                        && terms[o.first as usize].sentence == sentence
                        && !hits.iter().any(|h| h.first == o.first)
                });
                match found {
                    Some(&o) => hits.push(o),
                    None => continue 'start,
                }
            }
            covered_to = hits.iter().map(|o| o.last).max();
            self.emit(index, hits, out);
        }
    }
}

impl Matcher for PhraseMatcher {
    fn target(&self) -> Target {
        self.target
    }

    fn source(&self) -> &str {
        &self.alias
    }

    fn find<'m>(&'m self, index: &AnswerIndex<'_>, out: &mut Vec<Match<'m>>) {
        let mut scratch = Scratch::default();
        for (words, norms) in &self.variants {
            Phrase {
                target: self.target,
                alias: &self.alias,
                words,
                norms,
                any_order: self.any_order,
                max_gap: self.max_gap,
            }
            .find(index, &mut scratch, out);
        }
    }
}

/// Buffers a phrase search reuses from one variant to the next.
#[derive(Default)]
struct Scratch {
    /// The occurrences that make the match being built.
    hits: Vec<Occurrence>,
    /// Where an any-order match may start.
    starts: Vec<u32>,
}

/// A variant of one alias in a [`PhraseSet`]: its number (variants are numbered in alias
/// order), its alias, and its slice of the set's words.
#[derive(Clone, Copy, Debug)]
struct Variant {
    order: u32,
    alias: u32,
    start: u32,
    end: u32,
}

/// All the phrase matchers of a rubric, flattened: the words of every variant of every alias lie
/// in one array, and a variant is searched only when all its words occur in the answer, which
/// one pass over that array tells. A search reads the words from the same array, so grading an
/// answer follows no pointer from one matcher to its variants to their words (a batch that mixes
/// questions finds little of a rubric in the processor's caches).
#[derive(Clone, Debug, Default)]
pub struct PhraseSet {
    /// Each alias's target, text and settings.
    aliases: Vec<AliasHead>,
    /// The vocabulary words of every variant of every alias, one after another.
    words: Vec<u32>,
    /// The form the alias wrote each of `words` in.
    norms: Vec<Word>,
    /// The variants by their first word: those of vocabulary word `w` are
    /// `by_first[first_ranges[w]..first_ranges[w + 1]]`, in order. An answer is searched only for
    /// the variants whose first word it uses, not for every variant of the rubric.
    by_first: Vec<Variant>,
    first_ranges: Vec<u32>,
}

/// What a [`PhraseMatcher`] is besides its variants.
#[derive(Clone, Debug)]
struct AliasHead {
    target: Target,
    alias: std::sync::Arc<str>,
    any_order: bool,
    max_gap: u32,
}

impl PhraseSet {
    pub fn new(matchers: Vec<PhraseMatcher>) -> Self {
        let mut aliases = Vec::with_capacity(matchers.len());
        let mut words = Vec::new();
        let mut norms = Vec::new();
        let mut variants = Vec::new();
        for m in matchers {
            for (variant_words, variant_norms) in m.variants {
                let start = words.len() as u32;
                words.extend(variant_words);
                norms.extend(variant_norms);
                variants.push(Variant {
                    order: variants.len() as u32,
                    alias: aliases.len() as u32,
                    start,
                    end: words.len() as u32,
                });
            }
            aliases.push(AliasHead {
                target: m.target,
                alias: m.alias,
                any_order: m.any_order,
                max_gap: m.max_gap,
            });
        }
        // A counting sort of the variants by first word, each word's variants in order.
        let vocabulary_size = words.iter().map(|&w| w as usize + 1).max().unwrap_or(0);
        let mut first_ranges = vec![0u32; vocabulary_size + 1];
        for v in &variants {
            first_ranges[words[v.start as usize] as usize + 1] += 1;
        }
        for w in 0..vocabulary_size {
            first_ranges[w + 1] += first_ranges[w];
        }
        let mut filled = first_ranges.clone();
        let mut by_first = variants.clone();
        for v in variants {
            let slot = &mut filled[words[v.start as usize] as usize];
            by_first[*slot as usize] = v;
            *slot += 1;
        }
        PhraseSet {
            aliases,
            words,
            norms,
            by_first,
            first_ranges,
        }
    }

    /// Appends every match of every alias in `answer` to `out`: each alias's matches in the order
    /// of its variants, the aliases in order.
    pub fn find<'m>(&'m self, index: &AnswerIndex<'_>, out: &mut Vec<Match<'m>>) {
        // The variants all of whose words the answer uses (no other can match), found from the
        // words it uses, then put back in order.
        Buffers::with(|buffers| self.find_with(index, buffers, out));
    }

    fn find_with<'m>(
        &'m self,
        index: &AnswerIndex<'_>,
        buffers: &mut Buffers,
        out: &mut Vec<Match<'m>>,
    ) {
        let Buffers {
            variants: candidates,
            phrase: scratch,
            ..
        } = buffers;
        candidates.clear();
        for word in index.words() {
            let Some(range) = self.first_ranges.get(word as usize..word as usize + 2) else {
                continue;
            };
            for &variant in &self.by_first[range[0] as usize..range[1] as usize] {
                let rest = &self.words[variant.start as usize + 1..variant.end as usize];
                if rest.iter().all(|&w| index.occurs(w)) {
                    candidates.push(variant);
                }
            }
        }
        candidates.sort_unstable_by_key(|v| v.order);
        for &variant in candidates.iter() {
            let (start, end) = (variant.start as usize, variant.end as usize);
            let words = &self.words[start..end];
            let m = &self.aliases[variant.alias as usize];
            Phrase {
                target: m.target,
                alias: &m.alias,
                words,
                norms: &self.norms[start..end],
                any_order: m.any_order,
                max_gap: m.max_gap,
            }
            .find(index, scratch, out);
        }
    }
}

/// Buffers the searches of one answer use, kept by each thread from one answer to the next, so
/// that grading an answer does not grow them again (and the memory they use stays in cache).
#[derive(Default)]
struct Buffers {
    /// [`PhraseSet::find`]: the variants to search.
    variants: Vec<Variant>,
    phrase: Scratch,
    /// [`PatternSet::find`]: (matcher, offset, pattern) of every literal occurrence.
    literals: Vec<(u32, usize, u32)>,
    /// One matcher's share of `literals`.
    at: Vec<(usize, u32)>,
    /// [`AnswerIndex::new`]: the vocabulary words of the answer, in text order.
    found: Vec<Occurrence>,
}

impl Buffers {
    /// The most entries a buffer keeps room for between answers: a huge answer's lists are not
    /// kept for the thread's life.
    const KEPT: usize = 1 << 14;

    /// Runs `search` with the thread's buffers, then trims them.
    fn with<R>(search: impl FnOnce(&mut Buffers) -> R) -> R {
        BUFFERS.with_borrow_mut(|buffers| {
            let result = search(buffers);
            buffers.trim();
            result
        })
    }

    fn trim(&mut self) {
        self.variants.shrink_to(Self::KEPT);
        self.literals.shrink_to(Self::KEPT);
        self.at.shrink_to(Self::KEPT);
        self.found.shrink_to(Self::KEPT);
        self.phrase.hits.shrink_to(Self::KEPT);
        self.phrase.starts.shrink_to(Self::KEPT);
    }
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

/// The regex patterns of one concept or misconception, over the normalized answer, compiled on
/// first use.
///
/// Compiling a regex costs far more than grading an answer, so a pattern is compiled only once an
/// answer contains one of the literals every match must start with ("math.random(" for
/// `Math\.random\(\)`); most answers never pay for most patterns. A [`PatternSet`] finds those
/// literals for all the patterns of a rubric in one pass.
#[derive(Debug)]
pub struct PatternMatcher {
    target: Target,
    /// The patterns, for evidence, and joined with " | " for display.
    sources: Vec<std::sync::Arc<str>>,
    source: String,
    /// For each pattern, the literals (lowercase ASCII) one of which every match starts with;
    /// `None` when unknown for some pattern.
    prefixes: Option<Vec<Vec<String>>>,
    /// All the patterns as one regex, for a search of the whole text.
    regex: std::sync::OnceLock<Option<crate::rubric::PatternRegex>>,
    /// Each pattern alone, for anchored searches where its prefixes occur: an answer compiles
    /// only the patterns whose prefixes it contains.
    singles: Vec<std::sync::OnceLock<Option<crate::rubric::PatternRegex>>>,
}

impl PatternMatcher {
    /// A matcher for the patterns of one concept or misconception, compiled together.
    pub fn new(target: Target, patterns: &[crate::rubric::Pattern]) -> Self {
        let sources: Vec<std::sync::Arc<str>> =
            patterns.iter().map(|p| p.source.as_str().into()).collect();
        let source = patterns
            .iter()
            .map(|p| p.source.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        let prefixes = patterns
            .iter()
            .map(|p| p.prefixes.as_deref().map(shortened))
            .collect::<Option<Vec<Vec<String>>>>();
        PatternMatcher {
            target,
            source,
            singles: sources.iter().map(|_| std::sync::OnceLock::new()).collect(),
            sources,
            prefixes,
            regex: std::sync::OnceLock::new(),
        }
    }

    /// All the patterns, compiled for a search of the whole text. A pattern that parsed but
    /// does not compile (over the size limit) matches nothing; `itdq rubric lint` reports it.
    fn regex(&self) -> Option<&crate::rubric::PatternRegex> {
        self.regex
            .get_or_init(|| {
                let sources: Vec<&str> = self.sources.iter().map(|s| &**s).collect();
                crate::rubric::compile_patterns(&sources, false).ok()
            })
            .as_ref()
    }

    /// Pattern `i` alone, compiled for anchored searches.
    fn single(&self, i: usize) -> Option<&crate::rubric::PatternRegex> {
        self.singles[i]
            .get_or_init(|| crate::rubric::compile_patterns(&[&*self.sources[i]], true).ok())
            .as_ref()
    }

    fn push<'m>(
        &'m self,
        index: &AnswerIndex<'_>,
        m: regex_automata::Match,
        out: &mut Vec<Match<'m>>,
    ) {
        let normalized = index.normalized();
        let (start, end) = normalized.original_range(m.start(), m.end(), index.text);
        let terms = &index.analysis.terms;
        let first = terms.partition_point(|t| t.end <= start);
        let last = terms.partition_point(|t| t.start < end);
        let negated = last > first && index.negated(first..last, self.target);
        out.push(Match {
            target: self.target,
            start,
            end,
            how: MatchKind::Pattern,
            matched: &self.sources[m.pattern().as_usize()],
            negated,
        });
    }

    /// The matches that start at some of `candidates`, (offset in the normalized text, pattern)
    /// sorted, a superset of where each pattern can match: the same as a search of the whole
    /// text for all the patterns at once (leftmost first, earlier patterns first at one offset,
    /// not overlapping), but each search is anchored and short.
    fn find_at<'m>(
        &'m self,
        index: &AnswerIndex<'_>,
        candidates: &[(usize, u32)],
        out: &mut Vec<Match<'m>>,
    ) {
        let text = index.normalized().text.as_str();
        let mut from = 0;
        for &(at, pattern) in candidates {
            if at < from {
                continue;
            }
            let Some(regex) = self.single(pattern as usize) else {
                continue;
            };
            let input = regex_automata::Input::new(text)
                .range(at..)
                .anchored(regex_automata::Anchored::Yes);
            if let Some(m) = regex.search(&input) {
                from = m.end().max(at + 1);
                let m = regex_automata::Match::must(pattern as usize, m.span());
                self.push(index, m, out);
            }
        }
    }
}

impl Matcher for PatternMatcher {
    fn target(&self) -> Target {
        self.target
    }

    fn source(&self) -> &str {
        &self.source
    }

    /// Searches the whole normalized answer.
    fn find<'m>(&'m self, index: &AnswerIndex<'_>, out: &mut Vec<Match<'m>>) {
        let Some(regex) = self.regex() else {
            return;
        };
        let text = index.normalized().text.as_str();
        let mut at = 0;
        while at <= text.len() {
            let Some(m) = regex.search(&regex_automata::Input::new(text).range(at..)) else {
                break;
            };
            at = m.end().max(m.start() + 1);
            self.push(index, m, out);
        }
    }
}

/// All the pattern matchers of a rubric, with one automaton over the literals their matches
/// start with: one pass over an answer tells which matchers can match at all, and where.
#[derive(Debug)]
pub struct PatternSet {
    matchers: Vec<PatternMatcher>,
    /// Every literal prefix of every matcher that has them (ASCII case ignored); `None` when no
    /// matcher has any.
    prefixes: Option<aho_corasick::AhoCorasick>,
    /// The same literals as a DFA, built once the set has searched a few answers (see
    /// [`PatternSet::automaton`]).
    fast_prefixes: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    searches: std::sync::atomic::AtomicU32,
    /// For each literal of `prefixes`, the matcher and the pattern it belongs to.
    owner: Vec<(u32, u32)>,
}

/// Searches after which a pattern set builds its DFA: a one-shot `grade` never pays for it.
const SEARCHES_BEFORE_DFA: u32 = 3;

impl PatternSet {
    pub fn new(matchers: Vec<PatternMatcher>) -> Self {
        let owner = literals(&matchers).map(|(_, owner)| owner).collect();
        // A contiguous NFA builds several times faster than a DFA, which a one-shot `grade`
        // feels; a DFA searches faster, which a batch feels.
        let prefixes = build_prefixes(&matchers, aho_corasick::AhoCorasickKind::ContiguousNFA);
        // Should the automaton fail to build, every matcher searches the whole answer.
        let owner = if prefixes.is_some() {
            owner
        } else {
            Vec::new()
        };
        PatternSet {
            matchers,
            prefixes,
            fast_prefixes: std::sync::OnceLock::new(),
            searches: std::sync::atomic::AtomicU32::new(0),
            owner,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.matchers.is_empty()
    }

    /// The automaton over the literal prefixes: the NFA for the first few searches, then the
    /// DFA (both find the same occurrences).
    fn automaton(&self) -> Option<&aho_corasick::AhoCorasick> {
        let nfa = self.prefixes.as_ref()?;
        // Counted only until the DFA is due: the threads of a batch would otherwise all write to
        // this one counter at every search.
        let ordering = std::sync::atomic::Ordering::Relaxed;
        if self.searches.load(ordering) < SEARCHES_BEFORE_DFA
            && self.searches.fetch_add(1, ordering) < SEARCHES_BEFORE_DFA
        {
            return Some(nfa);
        }
        let dfa = self
            .fast_prefixes
            .get_or_init(|| build_prefixes(&self.matchers, aho_corasick::AhoCorasickKind::DFA));
        Some(dfa.as_ref().unwrap_or(nfa))
    }

    /// Appends every match of every pattern in `answer` to `out`.
    pub fn find<'m>(&'m self, index: &AnswerIndex<'_>, out: &mut Vec<Match<'m>>) {
        if self.matchers.is_empty() {
            return;
        }
        Buffers::with(|buffers| self.find_with(index, buffers, out));
    }

    fn find_with<'m>(
        &'m self,
        index: &AnswerIndex<'_>,
        buffers: &mut Buffers,
        out: &mut Vec<Match<'m>>,
    ) {
        let text = index.normalized().text.as_str();
        let Buffers {
            literals: candidates,
            at,
            ..
        } = buffers;
        candidates.clear();
        if let Some(prefixes) = self.automaton() {
            candidates.extend(prefixes.find_overlapping_iter(text).map(|m| {
                let (matcher, pattern) = self.owner[m.pattern().as_usize()];
                (matcher, m.start(), pattern)
            }));
            candidates.sort_unstable();
            candidates.dedup();
        }
        for (i, matcher) in self.matchers.iter().enumerate() {
            if matcher.prefixes.is_none() || self.prefixes.is_none() {
                matcher.find(index, out);
                continue;
            }
            let from = candidates.partition_point(|&(m, _, _)| m < i as u32);
            let to = candidates.partition_point(|&(m, _, _)| m <= i as u32);
            if from == to {
                continue;
            }
            at.clear();
            at.extend(
                candidates[from..to]
                    .iter()
                    .map(|&(_, offset, pattern)| (offset, pattern)),
            );
            matcher.find_at(index, at, out);
        }
    }
}

/// The longest a literal prefix needs to be. A match is confirmed by an anchored search where
/// its prefix occurs, so a longer literal only grows the automaton: a pattern such as
/// `only (the )?(customer|user)s? (has|holds?) ...` lists dozens of long ones. Cut to 8 bytes,
/// the automata of the built-in rubrics take 0.75 MB instead of 1.6 MB, and build faster, for
/// the same instructions a search.
const PREFIX_BYTES: usize = 8;

/// `literals` cut to at most [`PREFIX_BYTES`] bytes (on a character boundary), deduplicated.
fn shortened(literals: &[String]) -> Vec<String> {
    let mut out: Vec<String> = literals
        .iter()
        .map(|l| {
            let mut end = l.len().min(PREFIX_BYTES);
            while !l.is_char_boundary(end) {
                end += 1;
            }
            l[..end].to_string()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Every literal prefix of every pattern of `matchers`, with the (matcher, pattern) it belongs
/// to, in the order of the automaton's literals.
fn literals(matchers: &[PatternMatcher]) -> impl Iterator<Item = (&str, (u32, u32))> {
    matchers.iter().enumerate().flat_map(|(i, m)| {
        m.prefixes
            .iter()
            .flatten()
            .enumerate()
            .flat_map(move |(j, pattern)| {
                pattern
                    .iter()
                    .map(move |literal| (literal.as_str(), (i as u32, j as u32)))
            })
    })
}

/// An automaton that finds every literal prefix of `matchers`, overlapping occurrences too, with
/// ASCII case ignored; `None` for no literals (or should it fail to build).
fn build_prefixes(
    matchers: &[PatternMatcher],
    kind: aho_corasick::AhoCorasickKind,
) -> Option<aho_corasick::AhoCorasick> {
    let literals: Vec<&str> = literals(matchers).map(|(literal, _)| literal).collect();
    if literals.is_empty() {
        return None;
    }
    // Overlapping search needs standard match semantics.
    aho_corasick::AhoCorasick::builder()
        .kind(Some(kind))
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(&literals)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stem_index_finds_each_numbered_word_and_nothing_else() {
        // Numbers at block edges, in runs, and far apart; words in another order than stems.
        let stems: Vec<u32> = [0, 1, 63, 64, 65, 127, 128, 500, 501, 502, 4095, 12000]
            .into_iter()
            .chain((200..260).step_by(3))
            .collect();
        let numbered: Vec<(u32, u32)> = stems
            .iter()
            .enumerate()
            .map(|(i, &stem)| (stem, (stems.len() - i) as u32 * 7))
            .collect();
        let index = StemIndex::new(numbered.clone(), 99);
        let expected: HashMap<u32, u32> = numbered.into_iter().collect();
        for stem in 0..12100 {
            assert_eq!(index.get(stem), expected.get(&stem).copied(), "{stem}");
        }
        assert_eq!(StemIndex::default().get(0), None);
    }

    #[test]
    fn the_prefix_filter_never_forgets_a_prefix() {
        let mut filter = PrefixFilter::default();
        let words = [
            "backoff",
            "multicloud",
            "idempotency",
            "bluegreen",
            "observability",
        ];
        assert!(
            words
                .iter()
                .all(|w| !filter.may_contain(prefix_hash(&w[..3])))
        );
        let mut vocabulary = Vocabulary::default();
        let analyzer = Analyzer::new();
        for word in words {
            for term in &analyzer.analyze(word).terms {
                vocabulary.intern(term);
            }
        }
        filter = vocabulary.prefixes.clone();
        for word in words {
            let norm = analyzer.analyze(word).terms[0].norm.clone();
            for cut in 2..=norm.len() - 2 {
                assert!(
                    filter.may_contain(prefix_hash(&norm[..cut])),
                    "{word} {cut}"
                );
            }
        }
        // "back off" is found as "backoff" through the filter.
        let text = "we back off between retries";
        let analysis = analyzer.analyze(text);
        let index = AnswerIndex::new(text, &analysis, &vocabulary, &analyzer);
        assert!(index.distinct_words() >= 1);
    }

    /// Compiles `aliases` as one concept and returns the matches in `answer` as (text, kind, negated).
    fn matches(aliases: &[&str], any_order: bool, answer: &str) -> Vec<(String, MatchKind, bool)> {
        let analyzer = Analyzer::new();
        let mut vocabulary = Vocabulary::default();
        let matchers: Vec<PhraseMatcher> = aliases
            .iter()
            .filter_map(|a| {
                PhraseMatcher::new(
                    Target::Concept(0),
                    a,
                    any_order,
                    2,
                    &analyzer,
                    &mut vocabulary,
                )
            })
            .collect();
        let analysis = analyzer.analyze(answer);
        let index = AnswerIndex::new(answer, &analysis, &vocabulary, &analyzer);
        let mut out = Vec::new();
        for m in &matchers {
            m.find(&index, &mut out);
        }
        out.into_iter()
            .map(|m| (answer[m.start..m.end].to_string(), m.how, m.negated))
            .collect()
    }

    fn found(alias: &str, answer: &str) -> bool {
        matches(&[alias], false, answer)
            .iter()
            .any(|(_, _, negated)| !negated)
    }

    #[test]
    fn inflections_and_spelling_variants_match() {
        assert!(found("prioritize", "we keep prioritising the backlog"));
        assert!(found("prioritize", "prioritization matters"));
        assert!(found("optimize queries", "we optimised the queries"));
        assert!(found("organizational behavior", "organisational behaviour"));
        assert!(found(
            "key performance indicator",
            "track key performance indicators"
        ));
        // Words whose stems no built-in rubric has are looked up by the stem's text.
        assert!(found("quuxify widgets", "we quuxified the widget"));
        assert!(!found("quuxify widgets", "we frobbed the widget"));
    }

    #[test]
    fn compounds_match_joined_split_or_hyphenated() {
        for answer in [
            "use back-off",
            "use backoff",
            "use back off",
            "use Back\u{2011}Off",
        ] {
            assert!(found("backoff", answer), "backoff in {answer}");
            assert!(found("back off", answer), "back off in {answer}");
            assert!(found("back-off", answer), "back-off in {answer}");
        }
        assert!(found("multi-cloud", "a multicloud plan"));
        assert!(found("multicloud", "a multi-cloud plan"));
        assert!(found("blue-green", "blue/green deployments"));
        assert!(found("blue green deployment", "a blue-green deployment"));
        // Words joined past the stack buffer's length, and joined words with accents.
        let long = "hyperconvergedinfrastructure";
        let longer = "orchestrationplatformengineering";
        assert!(found(
            &format!("{long}{longer}"),
            &format!("a {long} {longer}")
        ));
        assert!(!found(
            &format!("{long}{longer}"),
            &format!("a {long} {long}")
        ));
        assert!(found("caf\u{e9}terrace", "the caf\u{e9} terrace"));
    }

    #[test]
    fn acronyms_match_their_plurals_and_not_other_acronyms() {
        assert!(found("KPI", "we publish KPIs monthly"));
        assert!(found("SLO", "agreed SLOs"));
        assert!(found("CI/CD", "a CI/CD pipeline"));
        assert!(found("CI/CD", "a CI CD pipeline"));
        assert!(!found("KPI", "a public API"));
    }

    #[test]
    fn phrases_allow_a_small_gap_and_optionally_any_order() {
        assert!(found(
            "exponential backoff",
            "exponential, jittered backoff"
        ));
        assert!(found(
            "exponential backoff",
            "exponential and randomized jittered backoff"
        ));
        assert!(!found(
            "exponential backoff",
            "exponential growth of traffic means we need much more capacity and backoff"
        ));
        assert!(!found("exponential backoff", "backoff that is exponential"));
        assert!(
            matches(
                &["exponential backoff"],
                true,
                "backoff that is exponential"
            )
            .len()
                == 1
        );
        // never across sentences
        assert!(!found(
            "exponential backoff",
            "It grew exponential. Backoff helped."
        ));
    }

    #[test]
    fn misspellings_match_within_the_edit_budget() {
        let fuzzy = |alias: &str, answer: &str| {
            matches(&[alias], false, answer)
                .into_iter()
                .find_map(|(_, how, _)| match how {
                    MatchKind::Fuzzy { distance } => Some(distance),
                    _ => None,
                })
        };
        assert_eq!(fuzzy("jitter", "add some jiter"), Some(1));
        assert_eq!(fuzzy("exponential", "exponental growth"), Some(1));
        // "idempotant" stems like "idempotent": no edit needed
        assert!(found("idempotent", "make it idempotant"));
        assert!(found("exponential backoff", "exponental backoff"));
        assert!(found("idempotency key", "an idempotancy key"));
        // short words, acronyms, numbers and real English words never match fuzzily
        assert!(!found("cost", "post"));
        assert!(!found("costs", "posts"));
        assert!(!found("KPI", "API"));
        assert!(!found("latency", "latent"));
        // "expertise" is normalised to "expertize", but it is still a correctly spelled word
        assert!(!found("experiment", "expertise"));
        assert!(!found("promoted", "promising"));
        assert!(!found("2024", "2025"));
    }

    #[test]
    fn match_kinds_are_reported() {
        let kinds: Vec<MatchKind> =
            matches(&["exponential backoff"], false, "Exponential backoffs")
                .into_iter()
                .map(|m| m.1)
                .collect();
        assert_eq!(kinds, vec![MatchKind::Stem]);
        let kinds: Vec<MatchKind> = matches(&["exponential backoff"], false, "exponential backoff")
            .into_iter()
            .map(|m| m.1)
            .collect();
        assert_eq!(kinds, vec![MatchKind::Exact]);
    }

    #[test]
    fn negated_mentions_are_flagged_but_an_alias_may_carry_its_own_cue() {
        let negated = |aliases: &[&str], answer: &str| matches(aliases, false, answer)[0].2;
        assert!(negated(&["jitter"], "we would not add jitter"));
        assert!(!negated(
            &["zero downtime", "no downtime"],
            "a cutover with no downtime"
        ));
        assert!(negated(&["outbox"], "there is no need for an outbox"));
        assert!(!negated(
            &["doesn't require energy"],
            "it doesn't require energy"
        ));
        assert!(negated(&["require energy"], "it doesn't require energy"));
        // a cue between the alias's words is not the alias's own
        assert!(negated(
            &["devops is a tool"],
            "DevOps is a culture, not a tool"
        ));
    }

    #[test]
    fn patterns_run_over_normalized_text_and_map_back() {
        let analyzer = Analyzer::new();
        let rubric = crate::rubric::Rubric::from_toml(
            "r.toml",
            "question = \"13\"\n[[concept]]\nid = \"c\"\nlabel = \"C\"\npatterns = ['O\\(\\s*V\\s*\\+\\s*E\\s*\\)']\n",
        )
        .unwrap();
        let matcher = PatternMatcher::new(Target::Concept(0), &rubric.concepts[0].patterns);
        let answer = "Runs in \u{201C}O(V\u{00A0}+ E)\u{201D} time.";
        let analysis = analyzer.analyze(answer);
        let index = AnswerIndex::new(answer, &analysis, &Vocabulary::default(), &analyzer);
        let mut out = Vec::new();
        matcher.find(&index, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(&answer[out[0].start..out[0].end], "O(V\u{00A0}+ E)");
    }

    #[test]
    fn literal_prefixes_are_cut_on_a_character_boundary() {
        let literals = [
            "geschloßen",
            "only the customer",
            "only the user",
            "ab",
            "only",
        ];
        let literals: Vec<String> = literals.iter().map(|l| l.to_string()).collect();
        // "ß" spans bytes 7 and 8, so the cut moves past it.
        assert_eq!(shortened(&literals), ["ab", "geschloß", "only", "only the"]);
    }

    #[test]
    fn a_pattern_set_finds_what_searching_each_pattern_over_the_whole_text_finds() {
        let analyzer = Analyzer::new();
        let rubric = crate::rubric::Rubric::from_toml(
            "r.toml",
            r#"question = "22"
[[concept]]
id = "power"
label = "Doubling"
patterns = ['2\s*\*\*\s*\w+', '\*\s*2\s*\*\*', 'Math\.pow\(\s*2']
[[concept]]
id = "random"
label = "Randomness"
patterns = ['Math\.random\(\)', 'random']
[[concept]]
id = "big-o"
label = "Complexity"
patterns = ['[OΘθ]\(\s*\|?[VN]\|?\s*\)']
[[concept]]
id = "stack"
label = "Stack"
patterns = ['\bon_?stack\b', '\bstack\b']
[[concept]]
id = "keys"
label = "Customer-held keys"
patterns = ['only (the )?(customer|user)s? (has|holds?) (the )?keys?', 'geschloßen']
"#,
        )
        .unwrap();
        let matchers = || -> Vec<PatternMatcher> {
            rubric
                .concepts
                .iter()
                .enumerate()
                .map(|(i, c)| PatternMatcher::new(Target::Concept(i), &c.patterns))
                .collect()
        };
        let set = PatternSet::new(matchers());
        let key = |m: &Match| (m.target, m.start, m.end, m.matched.to_string());
        let answers = [
            "delay = base * 2 ** attempt + Math.random() * 100; MATH.POW(2, n) and 2**k",
            "Runs in Θ(N) or \u{201C}O(|V|)\u{201D}; keep an onstack set, an on_stack flag, a stack.",
            "random randomness Math.random() math.random() *2** 2 ** x",
            "Only the users hold keys; only the customer has the key; only then. Geschloßen.",
            "nothing to see here",
            "",
        ];
        // Twice round: the set's first searches use its NFA, the later ones its DFA.
        for answer in answers.iter().cycle().take(2 * answers.len()) {
            let analysis = analyzer.analyze(answer);
            let index = AnswerIndex::new(answer, &analysis, &Vocabulary::default(), &analyzer);
            let mut expected = Vec::new();
            let singles = matchers();
            for m in &singles {
                m.find(&index, &mut expected);
            }
            let mut actual = Vec::new();
            set.find(&index, &mut actual);
            let mut expected: Vec<_> = expected.iter().map(key).collect();
            let mut actual: Vec<_> = actual.iter().map(key).collect();
            expected.sort();
            actual.sort();
            assert_eq!(actual, expected, "{answer}");
            assert!(
                answer.len() < 20 || expected.len() >= 3,
                "{answer}: {expected:?}"
            );
        }
    }

    #[test]
    fn a_phrase_set_finds_what_its_matchers_find_one_by_one_in_the_same_order() {
        let analyzer = Analyzer::new();
        let bank = crate::Bank::builtin();
        let mut compared = 0;
        for question in bank.questions() {
            let rubric = bank.rubric(question).unwrap();
            let mut vocabulary = Vocabulary::default();
            let targets =
                rubric
                    .concepts
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (Target::Concept(i), &c.aliases, c.any_order, c.max_gap))
                    .chain(rubric.misconceptions.iter().enumerate().map(|(i, m)| {
                        (Target::Misconception(i), &m.aliases, m.any_order, m.max_gap)
                    }));
            let mut matchers = Vec::new();
            for (target, aliases, any_order, max_gap) in targets {
                matchers.extend(aliases.iter().filter_map(|alias| {
                    PhraseMatcher::new(
                        target,
                        &alias.text,
                        any_order,
                        max_gap,
                        &analyzer,
                        &mut vocabulary,
                    )
                }));
            }
            let set = PhraseSet::new(matchers.clone());
            // Each sample, and all of them run together: one text that uses much of the rubric.
            let all: String = rubric.samples.iter().map(|s| s.text.as_str()).collect();
            let texts = rubric.samples.iter().map(|s| s.text.as_str());
            for text in texts.chain([all.as_str(), ""]) {
                let analysis = analyzer.analyze(text);
                let index = AnswerIndex::new(text, &analysis, &vocabulary, &analyzer);
                let mut expected = Vec::new();
                for m in &matchers {
                    m.find(&index, &mut expected);
                }
                let mut actual = Vec::new();
                set.find(&index, &mut actual);
                assert_eq!(actual, expected, "question {}: {text}", question.id);
                compared += expected.len();
            }
        }
        assert!(compared > 1000, "{compared} matches compared");
    }
}
