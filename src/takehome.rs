//! Take-homes: one Markdown file with a section per question (`## Q13`, `## Question 13`,
//! `## 13. Retries`), split so that each section is graded against its own question.
//!
//! A section starts after its heading line and runs to the next question heading, or to a heading
//! of a higher level (`# Appendix` ends a `## Q13` section), or to the end of the file. Headings of
//! the same or a lower level that do not name a question (`### Complexity`) stay inside: a
//! candidate's own sub-headings must not cut their answer short. Headings inside fenced code blocks
//! are code (`# comment` lines in Python), not sections.

use std::ops::Range;

use crate::report::Report;

/// One question's section of a take-home.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The question id the heading names, as written (`13` for `## Q13`).
    pub question: String,
    /// The heading text without the `#` marks (`Q13: Retries`).
    pub heading: String,
    /// 1-based line of the heading.
    pub heading_line: usize,
    /// Byte range of the body: from the line after the heading to the end of the section.
    pub body: Range<usize>,
    /// Whether the heading names the question explicitly (`Q13`, `Question 13`) rather than by a
    /// bare number (`13. Retries`), which could as well be a numbered chapter of one answer.
    pub explicit: bool,
}

impl Section {
    /// Where the body starts in the file, for moving evidence back to the file's own lines.
    pub fn excerpt(&self) -> Excerpt {
        Excerpt {
            start: self.body.start,
            first_line: self.heading_line + 1,
        }
    }
}

/// A piece of a file, starting at the beginning of a line, that was graded on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// Byte offset of the piece in the file.
    pub start: usize,
    /// 1-based line of the file on which the piece starts.
    pub first_line: usize,
}

impl Excerpt {
    /// Moves the evidence of a report graded on this excerpt so that lines and byte offsets point
    /// into the whole file. Columns stay: an excerpt starts at the beginning of a line.
    pub fn relocate(self, report: &mut Report) {
        let shift_lines = self.first_line.saturating_sub(1);
        let evidence = report
            .concepts
            .iter_mut()
            .flat_map(|c| c.evidence.iter_mut())
            .chain(
                report
                    .misconceptions
                    .iter_mut()
                    .flat_map(|m| m.evidence.iter_mut()),
            );
        for e in evidence {
            e.line += shift_lines;
            e.end_line += shift_lines;
            e.start += self.start;
            e.end += self.start;
        }
    }
}

/// The question sections of a Markdown text, in file order. Empty when no heading names a
/// question.
pub fn split_sections(text: &str) -> Vec<Section> {
    struct Open {
        section: Section,
        level: usize,
    }
    let mut sections = Vec::new();
    let mut open: Option<Open> = None;
    let mut fence: Option<(u8, usize)> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(marker) = fence_marker(content) {
            match fence {
                None => fence = Some(marker),
                Some((ch, len)) if ch == marker.0 && marker.1 >= len && is_bare_fence(content) => {
                    fence = None
                }
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let Some((level, title)) = atx_heading(content) else {
            continue;
        };
        let named = question_in_heading(title);
        let closes = match &open {
            Some(o) => named.is_some() || level < o.level,
            None => false,
        };
        if closes && let Some(mut o) = open.take() {
            o.section.body.end = line_start;
            sections.push(o.section);
        }
        if let Some((question, explicit)) = named {
            open = Some(Open {
                section: Section {
                    question,
                    heading: title.to_string(),
                    heading_line: index + 1,
                    body: offset..offset,
                    explicit,
                },
                level,
            });
        }
    }
    if let Some(mut o) = open {
        o.section.body.end = text.len();
        sections.push(o.section);
    }
    sections
}

/// The fence character and run length of a line that opens or closes a fenced code block.
fn fence_marker(line: &str) -> Option<(u8, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let run = rest.bytes().take_while(|&b| b == ch).count();
    (run >= 3).then_some((ch, run))
}

/// A closing fence carries nothing after its run of fence characters.
fn is_bare_fence(line: &str) -> bool {
    line.trim().bytes().all(|b| b == b'`' || b == b'~')
}

/// The level and text of an ATX heading (`## Title ##` gives `(2, "Title")`).
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let level = rest.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let after = &rest[level..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let title = after.trim();
    // An optional closing run of `#`, separated by a space.
    let title = match title.trim_end_matches('#') {
        stripped
            if stripped.len() < title.len()
                && (stripped.is_empty() || stripped.ends_with([' ', '\t'])) =>
        {
            stripped.trim_end()
        }
        _ => title,
    };
    Some((level, title))
}

/// The question a heading names, and whether it names it explicitly.
///
/// `Q13`, `Q 13`, `Q13: Retries`, `Question 13 - Retries`, `Question #13` are explicit;
/// `13. Retries`, `13) Retries`, `13: Retries` and a bare `13` name it by number only.
pub fn question_in_heading(title: &str) -> Option<(String, bool)> {
    let title = title.trim_start_matches(['*', '_']).trim_start();
    let lower = title.to_ascii_lowercase();
    let (rest, explicit) = if let Some(rest) = lower.strip_prefix("question") {
        (rest, true)
    } else if let Some(rest) = lower.strip_prefix('q') {
        (rest, true)
    } else {
        (lower.as_str(), false)
    };
    let rest = if explicit {
        rest.trim_start_matches([' ', '\t', '#', '-', '_', '.'])
    } else {
        rest
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    let number = &rest[..digits];
    let after = rest[digits..].trim_start_matches(['*', '_']);
    let ends_well = if explicit {
        // `Q13`, `Q13: x`, `Q13 x`: anything but more letters or digits glued to the number.
        !after.starts_with(|c: char| c.is_alphanumeric())
    } else {
        // A bare number needs punctuation to be a question heading: `2024 plans` is not one.
        after.trim().is_empty() || after.starts_with(['.', ')', ':'])
    };
    if !ends_well {
        return None;
    }
    let number = number.trim_start_matches('0');
    let number = if number.is_empty() { "0" } else { number };
    Some((number.to_string(), explicit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Band, ConceptResult, Evidence, MatchKind, QuestionRef, Stats, Status};

    #[test]
    fn headings_that_name_questions() {
        let cases = [
            ("Q13", Some(("13", true))),
            ("q7: Retries", Some(("7", true))),
            ("Q 22 - Back-off", Some(("22", true))),
            ("Question 13", Some(("13", true))),
            ("Question #4. Strategy", Some(("4", true))),
            ("QUESTION-05", Some(("5", true))),
            ("**Q13** Retries", Some(("13", true))),
            ("13. Retries", Some(("13", false))),
            ("13) Retries", Some(("13", false))),
            ("13", Some(("13", false))),
            ("2024 plans", None),
            ("Quality attributes", None),
            ("Questions and answers", None),
            ("Q13a", None),
            ("Introduction", None),
        ];
        for (title, expected) in cases {
            let got = question_in_heading(title);
            let expected = expected.map(|(q, e)| (q.to_string(), e));
            assert_eq!(got, expected, "{title:?}");
        }
    }

    #[test]
    fn atx_headings_and_their_levels() {
        assert_eq!(atx_heading("## Q13 ##"), Some((2, "Q13")));
        assert_eq!(atx_heading("# C#"), Some((1, "C#")));
        assert_eq!(atx_heading("   ### x"), Some((3, "x")));
        assert_eq!(atx_heading("#hashtag"), None);
        assert_eq!(atx_heading("    # indented code"), None);
        assert_eq!(atx_heading("####### seven"), None);
    }

    const TAKE_HOME: &str = "\
# Jane's take-home

Some words before the first question are not graded.

## Q13: Metrics
Lead time and change failure rate.

### My approach
Still part of question 13.

## Question 22
```python
# retry with jitter
## not a heading either
```
Back-off with jitter.
# Appendix
Not an answer.
";

    #[test]
    fn a_take_home_splits_at_question_headings_only() {
        let sections = split_sections(TAKE_HOME);
        assert_eq!(sections.len(), 2);
        let q13 = &sections[0];
        assert_eq!(
            (
                q13.question.as_str(),
                q13.heading.as_str(),
                q13.heading_line
            ),
            ("13", "Q13: Metrics", 5)
        );
        let body = &TAKE_HOME[q13.body.clone()];
        assert!(
            body.starts_with("Lead time") && body.contains("Still part of question 13"),
            "{body:?}"
        );
        assert!(!body.contains("Question 22"));
        let q22 = &sections[1];
        let body = &TAKE_HOME[q22.body.clone()];
        assert_eq!(q22.heading_line, 11);
        assert!(
            body.contains("## not a heading either") && body.ends_with("Back-off with jitter.\n"),
            "{body:?}"
        );
        assert_eq!(
            q22.excerpt(),
            Excerpt {
                start: q22.body.start,
                first_line: 12
            }
        );
    }

    #[test]
    fn a_file_without_question_headings_has_no_sections() {
        assert!(split_sections("# My answer\n\nRetries need jitter.\n").is_empty());
        assert!(split_sections("").is_empty());
        // A last section without a trailing newline still ends at the end of the text.
        let s = split_sections("## Q1\nanswer");
        assert_eq!(s[0].body, 6..12);
    }

    #[test]
    fn relocated_evidence_points_into_the_file() {
        let evidence = Evidence {
            line: 2,
            column: 5,
            end_line: 2,
            end_column: 11,
            start: 10,
            end: 16,
            text: "jitter".into(),
            matched: "jitter".into(),
            how: MatchKind::Exact,
            negated: false,
        };
        let mut report = Report {
            question: QuestionRef {
                id: "22".into(),
                section: "".into(),
                prompt: "".into(),
            },
            score: 50.0,
            points: None,
            band: Band::Adequate,
            concepts: vec![ConceptResult {
                id: "jitter".into(),
                label: "Jitter".into(),
                weight: 1.0,
                required: false,
                group: None,
                status: Status::Found,
                evidence: vec![evidence],
                hint: None,
            }],
            groups: Vec::new(),
            misconceptions: Vec::new(),
            warnings: Vec::new(),
            stats: Stats {
                words: 3,
                sentences: 1,
            },
        };
        Excerpt {
            start: 100,
            first_line: 13,
        }
        .relocate(&mut report);
        let e = &report.concepts[0].evidence[0];
        assert_eq!(
            (e.line, e.column, e.end_line, e.start, e.end),
            (14, 5, 14, 110, 116)
        );
    }
}
