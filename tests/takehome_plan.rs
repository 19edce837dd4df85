//! How a take-home fixture is split into answers: a snapshot of the plan (which question, from
//! where, which lines), with no scores in it, so it changes only when splitting does.

use std::fmt::Write as _;

use itdq::plan::plan;

fn describe(path: &str, text: &str) -> String {
    let p = plan(path, text, None).unwrap();
    let mut out = String::new();
    for part in &p.parts {
        let claim = part.claim.as_ref().unwrap();
        let body = &p.text[part.range.clone()];
        let first = part.excerpt.first_line;
        let last = first + body.trim_end_matches('\n').matches('\n').count();
        let _ = writeln!(
            out,
            "question {} from {} (line {}), heading {:?}, body lines {first}-{last}",
            claim.question,
            claim.source.as_str(),
            claim.line,
            part.heading.as_deref().unwrap_or("")
        );
        let _ = writeln!(
            out,
            "  starts: {:?}",
            body.trim_start().lines().next().unwrap_or("")
        );
        let _ = writeln!(
            out,
            "  ends:   {:?}",
            body.trim_end().lines().last().unwrap_or("")
        );
    }
    out
}

#[test]
fn jane_take_home_splits_into_three_answers() {
    let text = include_str!("../fixtures/takehomes/jane.md");
    insta::assert_snapshot!(describe("takehomes/jane.md", text));
}
