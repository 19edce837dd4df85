//! The human-readable report.

use std::fmt::Write as _;

use itdq::Report;
use itdq::detect::Detection;
use itdq::report::{Band, ConceptResult, Evidence, Status};

use super::Paint;

/// The line that says which question an answer was detected to address.
pub fn detection(d: &Detection, color: bool) -> String {
    let p = Paint(color);
    match d.best() {
        Some(best) => format!(
            "{} (confidence {:.2})\n",
            p.bold(&format!("Detected question {}", best.question)),
            best.confidence
        ),
        None => String::new(),
    }
}

/// Renders a report for a person at a terminal.
pub fn report(r: &Report, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "{} ({}): {}",
        p.bold(&format!("Question {}", r.question.id)),
        r.question.section,
        r.question.prompt
    );
    let band = match r.band {
        Band::Strong => p.green(r.band.as_str()),
        Band::Adequate => p.yellow(r.band.as_str()),
        Band::Weak | Band::OffTopic => p.red(r.band.as_str()),
    };
    let points = r
        .points
        .map(|pt| format!(" · {}/{} points", pt.value, pt.max))
        .unwrap_or_default();
    let _ = writeln!(
        w,
        "{} {}/100 · {band}{points}",
        p.bold("Score"),
        fmt_num(r.score)
    );
    let found: Vec<&ConceptResult> = r.concepts_with(Status::Found).collect();
    let _ = writeln!(
        w,
        "\n{} {} of {} concepts",
        p.bold("Found"),
        found.len(),
        r.concepts.len()
    );
    for c in &found {
        let _ = writeln!(w, "  {} {}{}", p.green("✓"), c.label, weight_note(c));
        for e in &c.evidence {
            let _ = writeln!(w, "      {}", evidence_line(e, p));
        }
    }
    let negated: Vec<&ConceptResult> = r.concepts_with(Status::Negated).collect();
    if !negated.is_empty() {
        let _ = writeln!(
            w,
            "\n{} {} (mentioned only to be rejected: earns nothing)",
            p.bold("Negated"),
            negated.len()
        );
        for c in &negated {
            let _ = writeln!(w, "  {} {}{}", p.yellow("✗"), c.label, weight_note(c));
            for e in &c.evidence {
                let _ = writeln!(w, "      {}", evidence_line(e, p));
            }
            if let Some(hint) = &c.hint {
                let _ = writeln!(w, "      {} {hint}", p.dim("hint:"));
            }
        }
    }
    let missed: Vec<&ConceptResult> = r.concepts_with(Status::Missed).collect();
    if !missed.is_empty() {
        let _ = writeln!(w, "\n{} {}", p.bold("Missed"), missed.len());
        for c in &missed {
            let _ = writeln!(w, "  {} {}{}", p.red("✗"), c.label, weight_note(c));
            if let Some(hint) = &c.hint {
                let _ = writeln!(w, "      {} {hint}", p.dim("hint:"));
            }
        }
    }
    if !r.misconceptions.is_empty() {
        let _ = writeln!(w, "\n{}", p.bold("Misconceptions"));
        for m in &r.misconceptions {
            let _ = writeln!(w, "  {} {} (-{})", p.red("!"), m.label, fmt_num(m.penalty));
            for e in &m.evidence {
                let _ = writeln!(w, "      {}", evidence_line(e, p));
            }
            let _ = writeln!(w, "      {} {}", p.dim("why:"), m.explanation);
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(w, "\n{}", p.bold("Warnings"));
        for warning in &r.warnings {
            let _ = writeln!(w, "  {} {}", p.yellow("!"), warning.message);
        }
    }
    out
}

fn weight_note(c: &ConceptResult) -> String {
    let mut parts = vec![format!("weight {}", fmt_num(c.weight))];
    if c.required {
        parts.push("required".into());
    }
    if let Some(group) = &c.group {
        parts.push(format!("group {group}"));
    }
    format!("  ({})", parts.join(", "))
}

fn evidence_line(e: &Evidence, p: Paint) -> String {
    p.dim(&format!("line {}:{}", e.line, e.column))
        + &format!("  \"{}\"  [{}]", e.text, e.how.describe())
}

/// 72 for 72.0, 72.5 for 72.5.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}
