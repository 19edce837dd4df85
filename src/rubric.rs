//! Rubrics as validated data: read from TOML, checked, and kept with the places they came from.
//!
//! The format is documented in `docs/rubric-format.md`.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{LoadError, Location};
use crate::pattern_syntax::{self, PatternCheck};
use crate::text::LineIndex;

/// The default share of the total weight that earns full marks.
pub const DEFAULT_FULL_MARKS_AT: f64 = 0.8;
/// The default number of content words allowed between two words of an alias.
pub const DEFAULT_MAX_GAP: u32 = 2;
/// The default length, in words, below which an answer counts as short.
pub const DEFAULT_SHORT_ANSWER_WORDS: usize = 30;

/// A rubric: the concepts a strong answer to one question covers.
#[derive(Clone, Debug)]
pub struct Rubric {
    /// The id of the question this rubric grades.
    pub question: String,
    /// The file it was read from (for messages).
    pub file: String,
    /// Share of the total weight that earns 100.
    pub full_marks_at: f64,
    /// Answers with fewer words are scaled down towards half their score; 0 turns this off.
    pub short_answer_words: usize,
    /// A concept named only in a negated clause still earns its weight (misconceptions are
    /// unaffected). For short factual answers, where "no base case" is the answer.
    pub count_negated: bool,
    pub scale: Option<Scale>,
    pub concepts: Vec<Concept>,
    pub groups: Vec<Group>,
    pub misconceptions: Vec<Misconception>,
    pub samples: Vec<Sample>,
}

/// A point scale reported beside the 0-100 score.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    pub max: u32,
    /// Tried in order; the first that applies gives the points.
    pub levels: Vec<Level>,
}

/// One step of a point scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Level {
    pub when: LevelRule,
    pub points: u32,
}

/// When a level applies.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LevelRule {
    /// At least this many concepts found.
    Found(usize),
    /// A 0-100 score at least this high.
    Score(f64),
}

/// A piece of substance a strong answer contains.
#[derive(Clone, Debug)]
pub struct Concept {
    pub id: String,
    pub label: String,
    pub weight: f64,
    pub required: bool,
    pub aliases: Vec<Alias>,
    pub patterns: Vec<Pattern>,
    pub any_order: bool,
    pub max_gap: u32,
    pub hint: Option<String>,
    /// The concept names a harm the answer avoids ("without exhausting sockets"), so a negated
    /// mention counts like any other.
    pub ignore_negation: bool,
    pub location: Location,
}

/// A phrase that expresses a concept or a misconception.
#[derive(Clone, Debug)]
pub struct Alias {
    pub text: String,
    pub location: Location,
}

/// A regular expression for notation (O(V+E), `2 ** attempt`).
#[derive(Clone, Debug)]
pub struct Pattern {
    pub source: String,
    /// Lowercase literals one of which every match starts with; `None` when there is no such
    /// finite set. The grader skips the pattern for answers that contain none of them.
    pub prefixes: Option<Vec<String>>,
    pub location: Location,
}

/// Equally good alternatives: any `need` of `concepts` earn `weight`.
#[derive(Clone, Debug)]
pub struct Group {
    pub id: String,
    pub label: String,
    pub concepts: Vec<String>,
    pub need: usize,
    pub weight: f64,
    pub location: Location,
}

/// A wrong claim that costs points.
#[derive(Clone, Debug)]
pub struct Misconception {
    pub id: String,
    pub label: String,
    pub aliases: Vec<Alias>,
    pub patterns: Vec<Pattern>,
    pub any_order: bool,
    pub max_gap: u32,
    pub penalty: f64,
    pub explanation: String,
    pub location: Location,
}

/// An answer with the score range an expert would give it.
#[derive(Clone, Debug)]
pub struct Sample {
    pub name: String,
    pub text: String,
    pub min: f64,
    pub max: f64,
    pub location: Location,
}

impl Rubric {
    /// Reads and validates a rubric from TOML `source`, read from `file`; the first problem found
    /// is the error.
    pub fn from_toml(file: &str, source: &str) -> Result<Rubric, LoadError> {
        Rubric::check(file, source).map_err(|mut errors| errors.swap_remove(0))
    }

    /// Reads and validates a rubric, reporting every problem found, in file order. A TOML syntax
    /// error or an unknown field stops the reading, so it comes alone.
    pub fn check(file: &str, source: &str) -> Result<Rubric, Vec<LoadError>> {
        let raw: RawRubric =
            toml::from_str(source).map_err(|e| vec![LoadError::from_toml(file, source, &e)])?;
        let mut result = Validator {
            file,
            source,
            lines: LineIndex::new(source),
            errors: Vec::new(),
        }
        .rubric(raw);
        if let Err(errors) = &mut result {
            errors.sort_by(|a, b| a.location().cmp(&b.location()));
        }
        result
    }

    /// The sum of weights an answer can earn: concepts outside groups plus group weights.
    pub fn total_weight(&self) -> f64 {
        let grouped: HashSet<&str> = self
            .groups
            .iter()
            .flat_map(|g| g.concepts.iter().map(String::as_str))
            .collect();
        let loose: f64 = self
            .concepts
            .iter()
            .filter(|c| !grouped.contains(c.id.as_str()))
            .map(|c| c.weight)
            .sum();
        loose + self.groups.iter().map(|g| g.weight).sum::<f64>()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    question: Spanned<String>,
    full_marks_at: Option<Spanned<f64>>,
    short_answer_words: Option<usize>,
    #[serde(default)]
    count_negated: bool,
    scale: Option<Spanned<RawScale>>,
    #[serde(default, rename = "concept")]
    concepts: Vec<Spanned<RawConcept>>,
    #[serde(default, rename = "group")]
    groups: Vec<Spanned<RawGroup>>,
    #[serde(default, rename = "misconception")]
    misconceptions: Vec<Spanned<RawMisconception>>,
    #[serde(default, rename = "sample")]
    samples: Vec<Spanned<RawSample>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    max: u32,
    levels: Vec<Spanned<RawLevel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    found: Option<usize>,
    score: Option<f64>,
    points: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    id: Spanned<String>,
    label: String,
    weight: Option<Spanned<f64>>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    any_order: bool,
    max_gap: Option<u32>,
    hint: Option<String>,
    #[serde(default)]
    ignore_negation: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: Spanned<String>,
    label: String,
    concepts: Vec<Spanned<String>>,
    need: Option<Spanned<usize>>,
    weight: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMisconception {
    id: Spanned<String>,
    label: String,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    any_order: bool,
    max_gap: Option<u32>,
    penalty: Spanned<f64>,
    explanation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSample {
    name: String,
    score: Spanned<[f64; 2]>,
    text: String,
}

/// Checks a raw rubric, collecting every problem rather than stopping at the first, so that an
/// author (and `itdq rubric lint`) sees them all at once.
struct Validator<'a> {
    file: &'a str,
    source: &'a str,
    /// Built once: every concept and alias records where it stands.
    lines: LineIndex,
    errors: Vec<LoadError>,
}

impl Validator<'_> {
    fn at(&self, offset: usize) -> Location {
        let (line, column) = self
            .lines
            .position(self.source, offset.min(self.source.len()));
        Location {
            file: self.file.to_string(),
            line,
            column,
        }
    }

    fn report(&mut self, offset: usize, message: impl Into<String>) {
        let location = self.at(offset);
        self.errors.push(LoadError::Invalid {
            location,
            message: message.into(),
        });
    }

    fn rubric(mut self, raw: RawRubric) -> Result<Rubric, Vec<LoadError>> {
        let question = raw.question.get_ref().trim().to_string();
        if question.is_empty() {
            self.report(
                raw.question.span().start,
                "`question` must name a question id",
            );
        }
        let full_marks_at = match raw.full_marks_at {
            Some(f) if !(*f.get_ref() > 0.0 && *f.get_ref() <= 1.0) => {
                self.report(f.span().start, "`full_marks_at` must be in (0, 1]");
                DEFAULT_FULL_MARKS_AT
            }
            Some(f) => *f.get_ref(),
            None => DEFAULT_FULL_MARKS_AT,
        };
        if raw.concepts.is_empty() {
            self.report(0, "a rubric needs at least one [[concept]]");
        }
        let mut ids = HashSet::new();
        let mut concepts = Vec::with_capacity(raw.concepts.len());
        for spanned in raw.concepts {
            let at = spanned.span().start;
            let c = spanned.into_inner();
            let id = self.id(&c.id, "concept", &mut ids);
            let weight = self.weight(c.weight.as_ref());
            let aliases = self.aliases(&c.aliases);
            let patterns = self.patterns(&c.patterns);
            if c.aliases.is_empty() && c.patterns.is_empty() {
                self.report(
                    c.id.span().start,
                    format!("concept `{id}` has no aliases and no patterns: nothing can match it"),
                );
            }
            concepts.push(Concept {
                id,
                label: c.label,
                weight,
                required: c.required,
                aliases,
                patterns,
                any_order: c.any_order,
                max_gap: c.max_gap.unwrap_or(DEFAULT_MAX_GAP),
                hint: c.hint.filter(|h| !h.trim().is_empty()),
                ignore_negation: c.ignore_negation,
                location: self.at(at),
            });
        }
        let groups = self.groups(raw.groups, &concepts, &mut ids);
        let mut misconceptions = Vec::new();
        for spanned in raw.misconceptions {
            let at = spanned.span().start;
            let m = spanned.into_inner();
            let id = self.id(&m.id, "misconception", &mut ids);
            if !(*m.penalty.get_ref() >= 0.0 && *m.penalty.get_ref() <= 100.0) {
                self.report(
                    m.penalty.span().start,
                    "`penalty` must be between 0 and 100",
                );
            }
            let aliases = self.aliases(&m.aliases);
            let patterns = self.patterns(&m.patterns);
            if m.aliases.is_empty() && m.patterns.is_empty() {
                self.report(
                    m.id.span().start,
                    format!("misconception `{id}` has no aliases and no patterns"),
                );
            }
            misconceptions.push(Misconception {
                id,
                label: m.label,
                aliases,
                patterns,
                any_order: m.any_order,
                max_gap: m.max_gap.unwrap_or(DEFAULT_MAX_GAP),
                penalty: m.penalty.get_ref().clamp(0.0, 100.0),
                explanation: m.explanation,
                location: self.at(at),
            });
        }
        let scale = raw.scale.and_then(|s| self.scale(s));
        let mut samples = Vec::new();
        for spanned in raw.samples {
            let at = spanned.span().start;
            let s = spanned.into_inner();
            let [min, max] = *s.score.get_ref();
            if !(0.0..=100.0).contains(&min) || !(0.0..=100.0).contains(&max) || min > max {
                self.report(
                    s.score.span().start,
                    "sample `score` must be [min, max] with 0 <= min <= max <= 100",
                );
                continue;
            }
            samples.push(Sample {
                name: s.name,
                text: s.text,
                min,
                max,
                location: self.at(at),
            });
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(Rubric {
            question,
            file: self.file.to_string(),
            full_marks_at,
            short_answer_words: raw.short_answer_words.unwrap_or(DEFAULT_SHORT_ANSWER_WORDS),
            count_negated: raw.count_negated,
            scale,
            concepts,
            groups,
            misconceptions,
            samples,
        })
    }

    fn id(&mut self, id: &Spanned<String>, what: &str, seen: &mut HashSet<String>) -> String {
        let text = id.get_ref();
        let valid = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !valid {
            self.report(
                id.span().start,
                format!("{what} id {text:?} must be lowercase letters, digits, '-' or '_'"),
            );
        } else if !seen.insert(text.clone()) {
            self.report(
                id.span().start,
                format!(
                    "duplicate id `{text}`: concept, group and misconception ids must be unique"
                ),
            );
        }
        text.clone()
    }

    fn weight(&mut self, weight: Option<&Spanned<f64>>) -> f64 {
        match weight {
            None => 1.0,
            Some(w) if *w.get_ref() > 0.0 && w.get_ref().is_finite() => *w.get_ref(),
            Some(w) => {
                self.report(
                    w.span().start,
                    format!("weight must be greater than zero, not {}", w.get_ref()),
                );
                1.0
            }
        }
    }

    fn aliases(&mut self, raw: &[Spanned<String>]) -> Vec<Alias> {
        let mut out = Vec::with_capacity(raw.len());
        for a in raw {
            if a.get_ref().trim().is_empty() {
                self.report(a.span().start, "empty alias");
            } else {
                out.push(Alias {
                    text: a.get_ref().clone(),
                    location: self.at(a.span().start),
                });
            }
        }
        out
    }

    fn patterns(&mut self, raw: &[Spanned<String>]) -> Vec<Pattern> {
        let mut out = Vec::with_capacity(raw.len());
        for p in raw {
            // Parsing is enough to reject a bad pattern, and far cheaper than compiling it; the
            // built-in bank's patterns were parsed when itdq was compiled.
            let source = p.get_ref();
            let checked = pattern_syntax::precomputed(source)
                .unwrap_or_else(|| pattern_syntax::check_pattern(source));
            match checked {
                PatternCheck::Invalid(detail) => {
                    self.report(
                        p.span().start,
                        format!("invalid regex {source:?}: {detail}"),
                    );
                }
                PatternCheck::MatchesEmpty => {
                    self.report(
                        p.span().start,
                        format!("pattern {source:?} matches empty text"),
                    );
                }
                PatternCheck::Valid(prefixes) => out.push(Pattern {
                    source: source.clone(),
                    prefixes,
                    location: self.at(p.span().start),
                }),
            }
        }
        out
    }

    fn groups(
        &mut self,
        raw: Vec<Spanned<RawGroup>>,
        concepts: &[Concept],
        ids: &mut HashSet<String>,
    ) -> Vec<Group> {
        let known: HashSet<&str> = concepts.iter().map(|c| c.id.as_str()).collect();
        let mut member_of: HashMap<String, String> = HashMap::new();
        let mut groups = Vec::new();
        for spanned in raw {
            let at = spanned.span().start;
            let g = spanned.into_inner();
            let id = self.id(&g.id, "group", ids);
            if g.concepts.is_empty() {
                self.report(g.id.span().start, format!("group `{id}` names no concepts"));
            }
            let mut members = Vec::new();
            for c in &g.concepts {
                if !known.contains(c.get_ref().as_str()) {
                    self.report(
                        c.span().start,
                        format!("group `{id}` names unknown concept `{}`", c.get_ref()),
                    );
                    continue;
                }
                if let Some(other) = member_of.insert(c.get_ref().clone(), id.clone()) {
                    self.report(
                        c.span().start,
                        format!("concept `{}` is already in group `{other}`", c.get_ref()),
                    );
                    continue;
                }
                members.push(c.get_ref().clone());
            }
            let need = match &g.need {
                Some(n) if *n.get_ref() == 0 || *n.get_ref() > g.concepts.len() => {
                    self.report(
                        n.span().start,
                        format!(
                            "`need` must be between 1 and {} (the group's size)",
                            g.concepts.len()
                        ),
                    );
                    1
                }
                Some(n) => *n.get_ref(),
                None => 1,
            };
            let weight = self.weight(g.weight.as_ref());
            groups.push(Group {
                id,
                label: g.label,
                concepts: members,
                need,
                weight,
                location: self.at(at),
            });
        }
        groups
    }

    fn scale(&mut self, raw: Spanned<RawScale>) -> Option<Scale> {
        let at = raw.span().start;
        let s = raw.into_inner();
        let errors = self.errors.len();
        if s.max == 0 {
            self.report(at, "scale `max` must be at least 1");
        }
        if s.levels.is_empty() {
            self.report(at, "scale needs at least one level");
        }
        let mut levels = Vec::new();
        for spanned in s.levels {
            let at = spanned.span().start;
            let l = spanned.into_inner();
            let when = match (l.found, l.score) {
                (Some(found), None) => LevelRule::Found(found),
                (None, Some(score)) if (0.0..=100.0).contains(&score) => LevelRule::Score(score),
                (None, Some(_)) => {
                    self.report(at, "a level's `score` must be between 0 and 100");
                    continue;
                }
                _ => {
                    self.report(at, "a level needs exactly one of `found` or `score`");
                    continue;
                }
            };
            if l.points > s.max {
                self.report(
                    at,
                    format!(
                        "level gives {} points, more than the scale's max {}",
                        l.points, s.max
                    ),
                );
            }
            levels.push(Level {
                when,
                points: l.points,
            });
        }
        (self.errors.len() == errors).then_some(Scale { max: s.max, levels })
    }
}

/// Compiles rubric patterns into one regex that reports which pattern matched: case-insensitive,
/// with ASCII classes when the pattern allows it, and without capture groups (only the span is
/// used).
///
/// `anchored`: the regex will only be asked for matches that start at given offsets (where one of
/// the patterns' literal prefixes occurs), so a forward lazy DFA serves (a Pike VM where it gives
/// up): they build in a fraction of the time of the meta engine, from one parse and one NFA, and
/// their anchored searches are as long as the match. Otherwise the meta engine searches the whole
/// text, without its own literal prefilter, whose case-insensitive extraction dominates compile
/// time.
pub fn compile_patterns(patterns: &[&str], anchored: bool) -> Result<PatternRegex, String> {
    use regex_automata::hybrid;
    use regex_automata::meta;
    use regex_automata::nfa::thompson::{self, WhichCaptures, pikevm::PikeVM};
    // Each pattern gets ASCII classes when it allows them, and Unicode otherwise (see
    // [`parse_pattern`]); `unicode` says whether some pattern needed it.
    let mut unicode = false;
    let hirs = patterns
        .iter()
        .map(|p| {
            let (hir, needed) = parse_pattern(p)?;
            unicode |= needed;
            Ok(hir)
        })
        .collect::<Result<Vec<_>, String>>()?;
    if anchored {
        // Compiled to one NFA, which the lazy DFA and the Pike VM share.
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::Implicit)
                    .nfa_size_limit(Some(1 << 20)),
            )
            .build_many_from_hir(&hirs)
            .map_err(|e| e.to_string())?;
        let dfa = hybrid::dfa::Builder::new()
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        // A lazy DFA cannot handle a Unicode word boundary on non-ASCII text; a Pike VM then
        // takes over.
        let vm = unicode
            .then(|| PikeVM::builder().build_from_nfa(nfa).ok())
            .flatten();
        let create = {
            let dfa = dfa.clone();
            Box::new(move || dfa.create_cache()) as CacheFn
        };
        return Ok(PatternRegex::Anchored(Box::new(Anchored {
            dfa,
            caches: regex_automata::util::pool::Pool::new(create),
            vm,
        })));
    }
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .which_captures(WhichCaptures::Implicit)
                .auto_prefilter(false)
                .nfa_size_limit(Some(1 << 20)),
        )
        .build_many_from_hir(&hirs)
        .map_err(|e| e.to_string())
        .map(PatternRegex::Full)
}

/// Parses one rubric pattern, case-insensitively: with ASCII classes when it allows them (the
/// regex then compiles several times faster), else in Unicode mode, which `[^.]` or a literal
/// `£` needs. Even then its `\w`, `\d`, `\s` and `\b` stay ASCII, as in every other pattern:
/// a Unicode `\w` alone made one pattern take milliseconds to compile. Returns the pattern and
/// whether it needed Unicode.
fn parse_pattern(pattern: &str) -> Result<(regex_syntax::hir::Hir, bool), String> {
    let parse = |pattern: &str, unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .unicode(unicode)
            .build()
            .parse(pattern)
            .map_err(|e| e.to_string())
    };
    if let Ok(hir) = parse(pattern, false) {
        return Ok((hir, false));
    }
    let hir = ascii_classes(pattern)
        .and_then(|ascii| parse(&ascii, true).ok())
        .map_or_else(|| parse(pattern, true), Ok)?;
    Ok((hir, true))
}

/// `pattern` with each `\w`, `\d`, `\s` and `\b` outside brackets wrapped in `(?-u:...)`;
/// `None` if it does not parse.
fn ascii_classes(pattern: &str) -> Option<String> {
    use regex_syntax::ast::{self, Ast};
    struct Spans(Vec<ast::Span>);
    impl ast::Visitor for Spans {
        type Output = Vec<ast::Span>;
        type Err = ();
        fn finish(self) -> Result<Self::Output, ()> {
            Ok(self.0)
        }
        fn visit_pre(&mut self, ast: &Ast) -> Result<(), ()> {
            match ast {
                // Negated classes (\W) would match bytes of other characters in ASCII mode.
                Ast::ClassPerl(class) if !class.negated => self.0.push(class.span),
                Ast::Assertion(a) if a.kind == ast::AssertionKind::WordBoundary => {
                    self.0.push(a.span)
                }
                _ => {}
            }
            Ok(())
        }
    }
    let parsed = ast::parse::Parser::new().parse(pattern).ok()?;
    let mut spans = ast::visit(&parsed, Spans(Vec::new())).ok()?;
    spans.sort_by_key(|span| span.start.offset);
    let mut out = String::with_capacity(pattern.len() + 8 * spans.len());
    let mut at = 0;
    for span in spans {
        out.push_str(pattern.get(at..span.start.offset)?);
        out.push_str("(?-u:");
        out.push_str(pattern.get(span.start.offset..span.end.offset)?);
        out.push(')');
        at = span.end.offset;
    }
    out.push_str(pattern.get(at..)?);
    Some(out)
}

type CacheFn = Box<
    dyn Fn() -> regex_automata::hybrid::dfa::Cache
        + Send
        + Sync
        + std::panic::UnwindSafe
        + std::panic::RefUnwindSafe,
>;

/// Compiled rubric patterns (see [`compile_patterns`]).
pub enum PatternRegex {
    /// For searches anchored where a literal prefix occurs.
    Anchored(Box<Anchored>),
    /// For searches of the whole text.
    Full(regex_automata::meta::Regex),
}

/// A forward lazy DFA (the start of a match is known), and a Pike VM for what the DFA cannot do.
pub struct Anchored {
    dfa: regex_automata::hybrid::dfa::DFA,
    caches: regex_automata::util::pool::Pool<regex_automata::hybrid::dfa::Cache, CacheFn>,
    vm: Option<regex_automata::nfa::thompson::pikevm::PikeVM>,
}

impl std::fmt::Debug for Anchored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Anchored")
    }
}

impl std::fmt::Debug for PatternRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PatternRegex::Anchored(_) => "PatternRegex::Anchored",
            PatternRegex::Full(_) => "PatternRegex::Full",
        })
    }
}

impl PatternRegex {
    /// The leftmost-first match in `input`, if any.
    pub fn search(&self, input: &regex_automata::Input<'_>) -> Option<regex_automata::Match> {
        match self {
            PatternRegex::Anchored(anchored) => {
                let Anchored { dfa, caches, vm } = &**anchored;
                let at = |start: usize| {
                    let input = input
                        .clone()
                        .span(start..input.end())
                        .anchored(regex_automata::Anchored::Yes);
                    match dfa.try_search_fwd(&mut caches.get(), &input) {
                        Ok(half) => {
                            half.map(|h| regex_automata::Match::new(h.pattern(), start..h.offset()))
                        }
                        Err(_) => {
                            let vm = vm.as_ref()?;
                            vm.find(&mut vm.create_cache(), input)
                        }
                    }
                };
                if input.get_anchored().is_anchored() {
                    return at(input.start());
                }
                // Unanchored (a search of the whole text, which the grader never asks of this
                // form): try every character boundary in turn.
                let haystack = input.haystack();
                (input.start()..=input.end())
                    .filter(|&i| i == haystack.len() || (haystack[i] as i8) >= -0x40)
                    .find_map(at)
            }
            PatternRegex::Full(regex) => regex.search(input),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_that_needs_unicode_keeps_ascii_classes() {
        assert_eq!(
            ascii_classes(r"\bsav\w*\b[^.]{0,5}\d+\s(%|pct)").as_deref(),
            Some(r"(?-u:\b)sav(?-u:\w)*(?-u:\b)[^.]{0,5}(?-u:\d)+(?-u:\s)(%|pct)")
        );
        // Inside brackets, negated, and \B: left as written.
        assert_eq!(ascii_classes(r"[\w-]+\W\B").as_deref(), Some(r"[\w-]+\W\B"));
        let (_, unicode) = parse_pattern(r"\bsav\w*").unwrap();
        assert!(!unicode);
        let (_, unicode) = parse_pattern(r"\bsav\w*\b[^.]{0,20}?\d+%").unwrap();
        assert!(unicode);
        for anchored in [false, true] {
            let regex =
                compile_patterns(&[r"\bsav\w*\b[^.]{0,20}?\d+%", r"\u{a3}\d+"], anchored).unwrap();
            for (text, pattern, end) in [
                ("savings of about 30% a year", 0, 20),
                ("caf\u{e9} savings \u{2014} 30%", 0, 21),
                ("\u{a3}300 a month", 1, 5),
            ] {
                let start = text.find(['s', '\u{a3}']).unwrap();
                let input = regex_automata::Input::new(text).span(start..text.len());
                let found = regex.search(&input).unwrap_or_else(|| panic!("{text}"));
                assert_eq!(
                    (found.pattern().as_usize(), found.start(), found.end()),
                    (pattern, start, end),
                    "{text}"
                );
            }
        }
    }

    const GOOD: &str = r#"
question = "22"

[[concept]]
id = "jitter"
label = "Jitter"
weight = 2
aliases = ["jitter", "random delay"]

[[concept]]
id = "cap"
label = "A cap on attempts"
aliases = ["max attempts"]

[[concept]]
id = "deadline"
label = "A deadline"
aliases = ["deadline"]

[[group]]
id = "bound"
label = "Bounded retrying"
concepts = ["cap", "deadline"]
weight = 3
"#;

    fn err(source: &str) -> String {
        Rubric::from_toml("r.toml", source).unwrap_err().to_string()
    }

    #[test]
    fn reads_a_valid_rubric() {
        let rubric = Rubric::from_toml("r.toml", GOOD).unwrap();
        assert_eq!(rubric.question, "22");
        assert_eq!(rubric.concepts.len(), 3);
        assert_eq!(rubric.total_weight(), 5.0);
        assert_eq!(rubric.concepts[1].weight, 1.0);
        assert_eq!(rubric.concepts[0].location.line, 4);
    }

    #[test]
    fn unknown_fields_are_errors_with_a_location() {
        let e = err(
            "question = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\naliases = [\"x\"]\nwieght = 2\n",
        );
        assert!(e.starts_with("r.toml:6:1:"), "{e}");
        assert!(e.contains("wieght"), "{e}");
    }

    #[test]
    fn validation_errors_name_line_and_column() {
        let cases = [
            (
                GOOD.replace("weight = 2", "weight = 0"),
                "r.toml:7:10:",
                "greater than zero",
            ),
            (
                GOOD.replace("id = \"cap\"", "id = \"jitter\""),
                "r.toml:11:6:",
                "duplicate id",
            ),
            (
                GOOD.replace("[\"cap\", \"deadline\"]", "[\"cap\", \"nope\"]"),
                "r.toml:23:20:",
                "unknown concept `nope`",
            ),
            (
                GOOD.replace("aliases = [\"deadline\"]", "patterns = ['O(V']"),
                "r.toml:18:13:",
                "invalid regex",
            ),
        ];
        for (source, at, what) in cases {
            let e = err(&source);
            assert!(
                e.starts_with(at) && e.contains(what),
                "expected {at} {what}, got {e}"
            );
        }
    }

    #[test]
    fn every_problem_is_reported_in_file_order() {
        let source = GOOD
            .replace("weight = 2", "weight = -1")
            .replace("[\"cap\", \"deadline\"]", "[\"cap\", \"nope\"]")
            .replace("aliases = [\"deadline\"]", "patterns = ['O(V']");
        let errors = Rubric::check("r.toml", &source).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.location().unwrap().line).collect();
        assert_eq!(lines, [7, 18, 23], "{errors:?}");
        // the first of them is the error of from_toml
        assert!(err(&source).starts_with("r.toml:7:10:"));
    }

    #[test]
    fn a_concept_needs_something_to_match() {
        let e = err("question = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\n");
        assert!(e.contains("no aliases and no patterns"), "{e}");
    }

    #[test]
    fn scale_levels_are_checked() {
        let source = format!("{GOOD}\n[scale]\nmax = 3\nlevels = [{{ found = 2, points = 4 }}]\n");
        assert!(err(&source).contains("more than the scale's max"));
        let source = format!(
            "{GOOD}\n[scale]\nmax = 3\nlevels = [{{ found = 2, score = 50, points = 1 }}]\n"
        );
        assert!(err(&source).contains("exactly one of"));
    }
    #[test]
    fn pattern_prefixes_are_literal_and_lowercase() {
        let prefixes = |p: &str| {
            let source = format!(
                "question = \"1\"\n[[concept]]\nid = \"c\"\nlabel = \"C\"\npatterns = ['{p}']\n"
            );
            Rubric::from_toml("r.toml", &source).unwrap().concepts[0].patterns[0]
                .prefixes
                .clone()
        };
        assert_eq!(
            prefixes(r"Math\.random\(\)"),
            Some(vec!["math.random()".to_string()])
        );
        assert_eq!(
            prefixes(r"(two|three)\s+tries"),
            Some(vec!["three".to_string(), "two".to_string()])
        );
        assert_eq!(prefixes(r"\w+\.ok"), None);
    }
}
