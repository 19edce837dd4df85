//! The summary of a batch for people: counts, mean and median, bands, and the concepts the pool
//! of candidates missed most often.

use std::fmt::Write as _;

use itdq::summary::Summary;

use super::Paint;
use super::human::fmt_num;

/// The summary as a few lines of text.
pub fn text(summary: &Summary, most_missed: usize, color: bool) -> String {
    let p = Paint(color);
    let t = summary.totals(most_missed);
    let mut out = String::new();
    let w = &mut out;
    let mut counts = vec![format!("{} graded", plural(t.graded, "answer"))];
    if t.errors > 0 {
        counts.push(p.red(&format!("{} could not be graded", t.errors)));
    }
    if t.ignored > 0 {
        counts.push(format!("{} opted out", plural(t.ignored, "file")));
    }
    let _ = writeln!(w, "{}", counts.join(" · "));
    if let (Some(mean), Some(median)) = (t.mean, t.median) {
        let _ = writeln!(
            w,
            "score: mean {} · median {}",
            fmt_num(mean),
            fmt_num(median)
        );
        let _ = writeln!(
            w,
            "bands: {} strong · {} adequate · {} weak · {} off-topic",
            t.bands.strong, t.bands.adequate, t.bands.weak, t.bands.off_topic
        );
        let failed = if t.failed > 0 {
            p.red(&format!("{} fell short", t.failed))
        } else {
            "none fell short".into()
        };
        let _ = writeln!(w, "verdict: {} passed · {failed}", t.passed);
    }
    if !t.most_missed.is_empty() {
        let _ = writeln!(w, "most often missed:");
        let ratio: Vec<String> = t
            .most_missed
            .iter()
            .map(|m| format!("{}/{}", m.missed, m.answers))
            .collect();
        let ratio_width = ratio.iter().map(String::len).max().unwrap_or(0);
        let question_width = t
            .most_missed
            .iter()
            .map(|m| m.question.len())
            .max()
            .unwrap_or(0);
        let concept_width = t
            .most_missed
            .iter()
            .map(|m| m.concept.len())
            .max()
            .unwrap_or(0);
        for (m, ratio) in t.most_missed.iter().zip(&ratio) {
            let concept = format!("{:<concept_width$}", m.concept);
            let _ = writeln!(
                w,
                "  {ratio:>ratio_width$}  q{:<question_width$}  {}  {}",
                m.question,
                p.bold(&concept),
                p.dim(&m.label)
            );
        }
    }
    out
}

pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
