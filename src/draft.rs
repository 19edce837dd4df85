//! Writing a rubric out as TOML, in the format `docs/rubric-format.md` describes, for an author to
//! edit: `itdq rubric draft` prints a rubric derived from a reference answer this way.
//!
//! Only what differs from a default is written, so a draft stays short; reading the text back
//! gives the same rubric.

use std::fmt::Write as _;

use crate::rubric::{
    Alias, DEFAULT_FULL_MARKS_AT, DEFAULT_MAX_GAP, DEFAULT_SHORT_ANSWER_WORDS, LevelRule, Pattern,
    Rubric,
};

/// Lines longer than this put an array's items one per line.
const ONE_LINE_ARRAY: usize = 100;

/// The rubric as TOML. `comment` (any number of lines) opens the file as `#` comments.
pub fn rubric_to_toml(rubric: &Rubric, comment: &str) -> String {
    let mut out = String::new();
    for line in comment.lines() {
        let _ = writeln!(out, "{}", format!("# {line}").trim_end());
    }
    if !comment.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "question = {}", string(&rubric.question));
    if rubric.full_marks_at != DEFAULT_FULL_MARKS_AT {
        let _ = writeln!(out, "full_marks_at = {}", number(rubric.full_marks_at));
    }
    if rubric.short_answer_words != DEFAULT_SHORT_ANSWER_WORDS {
        let _ = writeln!(out, "short_answer_words = {}", rubric.short_answer_words);
    }
    if rubric.count_negated {
        let _ = writeln!(out, "count_negated = true");
    }
    if let Some(scale) = &rubric.scale {
        let levels: Vec<String> = scale
            .levels
            .iter()
            .map(|l| match l.when {
                LevelRule::Found(n) => format!("{{ found = {n}, points = {} }}", l.points),
                LevelRule::Score(s) => {
                    format!("{{ score = {}, points = {} }}", number(s), l.points)
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "\n[scale]\nmax = {}\n{}",
            scale.max,
            array("levels", &levels)
        );
    }
    for c in &rubric.concepts {
        let _ = writeln!(
            out,
            "\n[[concept]]\nid = {}\nlabel = {}",
            string(&c.id),
            string(&c.label)
        );
        if c.weight != 1.0 {
            let _ = writeln!(out, "weight = {}", number(c.weight));
        }
        if c.required {
            let _ = writeln!(out, "required = true");
        }
        write_matching(&mut out, &c.aliases, &c.patterns, c.any_order, c.max_gap);
        if let Some(hint) = &c.hint {
            let _ = writeln!(out, "hint = {}", string(hint));
        }
    }
    for g in &rubric.groups {
        let members: Vec<String> = g.concepts.iter().map(|c| string(c)).collect();
        let _ = writeln!(
            out,
            "\n[[group]]\nid = {}\nlabel = {}\n{}",
            string(&g.id),
            string(&g.label),
            array("concepts", &members)
        );
        if g.need != 1 {
            let _ = writeln!(out, "need = {}", g.need);
        }
        if g.weight != 1.0 {
            let _ = writeln!(out, "weight = {}", number(g.weight));
        }
    }
    for m in &rubric.misconceptions {
        let _ = writeln!(
            out,
            "\n[[misconception]]\nid = {}\nlabel = {}",
            string(&m.id),
            string(&m.label)
        );
        write_matching(&mut out, &m.aliases, &m.patterns, m.any_order, m.max_gap);
        let _ = writeln!(
            out,
            "penalty = {}\nexplanation = {}",
            number(m.penalty),
            string(&m.explanation)
        );
    }
    for s in &rubric.samples {
        let _ = writeln!(
            out,
            "\n[[sample]]\nname = {}\nscore = [{}, {}]\ntext = {}",
            string(&s.name),
            number(s.min),
            number(s.max),
            string(&s.text)
        );
    }
    out
}

fn write_matching(
    out: &mut String,
    aliases: &[Alias],
    patterns: &[Pattern],
    any_order: bool,
    max_gap: u32,
) {
    if !aliases.is_empty() {
        let items: Vec<String> = aliases.iter().map(|a| string(&a.text)).collect();
        let _ = writeln!(out, "{}", array("aliases", &items));
    }
    if !patterns.is_empty() {
        let items: Vec<String> = patterns.iter().map(|p| string(&p.source)).collect();
        let _ = writeln!(out, "{}", array("patterns", &items));
    }
    if any_order {
        let _ = writeln!(out, "any_order = true");
    }
    if max_gap != DEFAULT_MAX_GAP {
        let _ = writeln!(out, "max_gap = {max_gap}");
    }
}

fn array(key: &str, items: &[String]) -> String {
    let one_line = format!("{key} = [{}]", items.join(", "));
    if one_line.len() <= ONE_LINE_ARRAY {
        return one_line;
    }
    let mut out = format!("{key} = [\n");
    for item in items {
        let _ = writeln!(out, "  {item},");
    }
    out.push(']');
    out
}

/// A TOML basic string, escaped as the format requires.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whole numbers without a fraction ("3"), others in their shortest exact form ("2.35").
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"question = "22"
full_marks_at = 0.7
short_answer_words = 12
count_negated = true

[scale]
max = 3
levels = [{ found = 3, points = 3 }, { score = 40.5, points = 1 }]

[[concept]]
id = "jitter"
label = "Jitter \"random\" \\ delay"
weight = 2.5
required = true
aliases = ["jitter", "random delay"]
patterns = ['Math\.random\(\)']
any_order = true
max_gap = 4
hint = "Add a random part.\nAlways."

[[concept]]
id = "cap"
label = "Cap"
aliases = ["max attempts"]

[[group]]
id = "bound"
label = "Bound"
concepts = ["cap"]
weight = 2

[[misconception]]
id = "forever"
label = "Forever"
aliases = ["retry forever"]
penalty = 15
explanation = "Unbounded."

[[sample]]
name = "s"
score = [10, 90]
text = """
We add jitter.
"""
"#;

    #[test]
    fn a_written_rubric_reads_back_the_same() {
        let rubric = Rubric::from_toml("r.toml", FULL).unwrap();
        let text = rubric_to_toml(&rubric, "Drafted for a test.\nSecond line.");
        assert!(
            text.starts_with("# Drafted for a test.\n# Second line.\n\nquestion = \"22\"\n"),
            "{text}"
        );
        let again = Rubric::from_toml("r.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(rubric_to_toml(&again, ""), rubric_to_toml(&rubric, ""));
        assert_eq!(again.concepts[0].label, "Jitter \"random\" \\ delay");
        assert_eq!(
            again.concepts[0].hint.as_deref(),
            Some("Add a random part.\nAlways.")
        );
        assert_eq!(again.concepts[0].patterns[0].source, r"Math\.random\(\)");
        assert_eq!(
            (
                again.concepts[0].weight,
                again.concepts[0].max_gap,
                again.concepts[0].any_order
            ),
            (2.5, 4, true)
        );
        assert_eq!(
            (
                again.full_marks_at,
                again.short_answer_words,
                again.count_negated
            ),
            (0.7, 12, true)
        );
        assert_eq!(again.scale, rubric.scale);
        assert_eq!(again.groups[0].weight, 2.0);
        assert_eq!(again.misconceptions[0].penalty, 15.0);
        assert_eq!(again.samples[0].text, "We add jitter.\n");
    }

    #[test]
    fn defaults_are_left_out() {
        let rubric = Rubric::from_toml(
            "r.toml",
            "question = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\naliases = [\"x\"]\n",
        )
        .unwrap();
        assert_eq!(
            rubric_to_toml(&rubric, ""),
            "question = \"1\"\n\n[[concept]]\nid = \"a\"\nlabel = \"A\"\naliases = [\"x\"]\n"
        );
    }

    #[test]
    fn long_arrays_take_a_line_per_item() {
        let items: Vec<String> = (0..12)
            .map(|i| string(&format!("alias number {i}")))
            .collect();
        let text = array("aliases", &items);
        assert!(
            text.starts_with("aliases = [\n  \"alias number 0\",\n"),
            "{text}"
        );
        assert!(text.ends_with("\n]"));
    }

    #[test]
    fn numbers_and_strings() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.35), "2.35");
        assert_eq!(string("tab\there \u{1}"), "\"tab\\there \\u0001\"");
    }
}
