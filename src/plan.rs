//! Planning how to grade one answer file: which parts of it to grade, against which question.
//!
//! The question comes from the first of these that applies:
//!
//! 1. a question given from outside (`--q`, or a glob of `itdq.toml`): the sections of a take-home
//!    for that question when it has some, otherwise the whole file;
//! 2. front matter `question: 13`, then a marker `<!-- itdq: question 13 -->`: the whole file;
//! 3. headings that name questions explicitly (`## Q13`, `## Question 13`): one part per section;
//! 4. the file or folder name (`q13.md`, `13-jane.txt`, `question-13/...`): the whole file;
//! 5. numbered headings (`## 13. Retries`): one part per section (after the file name, because a
//!    single answer in `q13.md` may well number its own chapters);
//! 6. otherwise the whole file with no question, for a detector to decide or refuse.

use std::borrow::Cow;
use std::ops::Range;

use crate::declaration::{self, Claim, Conflict, Declarations, Source};
use crate::takehome::{self, Excerpt};

/// What to grade in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan<'t> {
    /// The text to grade: the file with its itdq directives blanked out, offsets unchanged.
    pub text: Cow<'t, str>,
    /// The file opted out with `<!-- itdq: ignore -->`: grade nothing.
    pub ignored: bool,
    /// The parts to grade, in file order.
    pub parts: Vec<Part>,
}

/// A part of a file graded as one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The question, or `None` when nothing names one.
    pub claim: Option<Claim>,
    /// The heading of the take-home section this part is, if it is one.
    pub heading: Option<String>,
    /// Byte range of the part in the file.
    pub range: Range<usize>,
    /// Where the part starts, to move its evidence to the file's lines.
    pub excerpt: Excerpt,
}

impl Part {
    fn whole(text: &str, claim: Option<Claim>) -> Part {
        Part {
            claim,
            heading: None,
            range: 0..text.len(),
            excerpt: Excerpt {
                start: 0,
                first_line: 1,
            },
        }
    }

    fn section(section: &takehome::Section, source: Source) -> Part {
        Part {
            claim: Some(Claim {
                question: section.question.clone(),
                source,
                line: section.heading_line,
            }),
            heading: Some(section.heading.clone()),
            range: section.body.clone(),
            excerpt: section.excerpt(),
        }
    }
}

/// Plans the grading of `text`, read from `path`, with an optional question `given` from outside.
pub fn plan<'t>(path: &str, text: &'t str, given: Option<Claim>) -> Result<Plan<'t>, Conflict> {
    let declarations = Declarations::read(text)?;
    let masked = declarations.mask(text);
    if declarations.ignore {
        return Ok(Plan {
            text: masked,
            ignored: true,
            parts: Vec::new(),
        });
    }
    // Sections are looked for only where they can matter: a declared question takes the whole
    // file without them.
    let parts = if let Some(given) = given {
        let sections = takehome::split_sections(&masked);
        let wanted = declaration::canonical(&given.question);
        let chosen: Vec<Part> = sections
            .iter()
            .filter(|s| declaration::canonical(&s.question) == wanted)
            .map(|s| Part::section(s, given.source))
            .collect();
        if chosen.is_empty() {
            vec![Part::whole(&masked, Some(given))]
        } else {
            chosen
        }
    } else if let Some(claim) = declarations.question {
        vec![Part::whole(&masked, Some(claim))]
    } else {
        let sections = takehome::split_sections(&masked);
        if sections.iter().any(|s| s.explicit) {
            sections
                .iter()
                .map(|s| Part::section(s, Source::Section))
                .collect()
        } else if let Some(claim) = declaration::question_in_path(path) {
            vec![Part::whole(&masked, Some(claim))]
        } else if !sections.is_empty() {
            sections
                .iter()
                .map(|s| Part::section(s, Source::Section))
                .collect()
        } else {
            vec![Part::whole(&masked, None)]
        }
    };
    Ok(Plan {
        text: masked,
        ignored: false,
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions(plan: &Plan) -> Vec<(Option<String>, Option<Source>)> {
        plan.parts
            .iter()
            .map(|p| {
                (
                    p.claim.as_ref().map(|c| c.question.clone()),
                    p.claim.as_ref().map(|c| c.source),
                )
            })
            .collect()
    }

    fn flag(q: &str) -> Claim {
        Claim {
            question: q.into(),
            source: Source::Flag,
            line: 0,
        }
    }

    const TAKE_HOME: &str = "# Jane\n## Q13\nmetrics\n## Q22\nretries\n";

    #[test]
    fn the_flag_comes_first_and_picks_sections() {
        let p = plan("q5.md", "---\nquestion: 7\n---\nbody\n", Some(flag("13"))).unwrap();
        assert_eq!(questions(&p), [(Some("13".into()), Some(Source::Flag))]);
        let p = plan("jane.md", TAKE_HOME, Some(flag("q22"))).unwrap();
        assert_eq!(questions(&p), [(Some("22".into()), Some(Source::Flag))]);
        assert_eq!(&TAKE_HOME[p.parts[0].range.clone()], "retries\n");
        assert_eq!(p.parts[0].heading.as_deref(), Some("Q22"));
        // No section for the flag's question: the whole file answers it.
        let p = plan("jane.md", TAKE_HOME, Some(flag("7"))).unwrap();
        assert_eq!(p.parts[0].range, 0..TAKE_HOME.len());
    }

    #[test]
    fn declarations_beat_sections_and_sections_beat_file_names() {
        let p = plan("jane.md", "<!-- itdq: question 7 -->\n## Q13\nx\n", None).unwrap();
        assert_eq!(questions(&p), [(Some("7".into()), Some(Source::Marker))]);
        let p = plan("q5.md", TAKE_HOME, None).unwrap();
        assert_eq!(
            questions(&p),
            [
                (Some("13".into()), Some(Source::Section)),
                (Some("22".into()), Some(Source::Section))
            ]
        );
    }

    #[test]
    fn numbered_chapters_of_one_answer_do_not_split_a_named_file() {
        let text = "## 1. Approach\nretry\n## 2. Complexity\nlinear\n";
        let p = plan("q13.md", text, None).unwrap();
        assert_eq!(questions(&p), [(Some("13".into()), Some(Source::FileName))]);
        let p = plan("jane.md", text, None).unwrap();
        assert_eq!(p.parts.len(), 2);
    }

    #[test]
    fn nothing_named_leaves_the_question_open_and_ignore_grades_nothing() {
        let p = plan("jane.md", "Just an answer.\n", None).unwrap();
        assert_eq!(questions(&p), [(None, None)]);
        let p = plan(
            "q13.md",
            "<!-- itdq: ignore -->\nDraft.\n",
            Some(flag("13")),
        )
        .unwrap();
        assert!(p.ignored && p.parts.is_empty());
    }

    #[test]
    fn sections_are_found_in_the_masked_text() {
        let text = "---\nquestion: x\n---\n";
        let p = plan("a.md", text, None).unwrap();
        assert!(!p.text.contains("question"));
        assert_eq!(p.text.len(), text.len());
    }
}
