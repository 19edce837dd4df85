//! `itdq questions` and `itdq show`.

use std::fmt::Write as _;

use serde::Serialize;

use itdq::{Analyzer, Bank, Corpus};

use super::{BankArgs, EXIT_OK, Format, print, render::Paint};

/// The corpus that weights rubrics derived from reference answers when no answers are at hand:
/// the bank's own prompts and references. Empty (and free) when every question has a rubric file.
fn bank_corpus(bank: &Bank, analyzer: &Analyzer) -> anyhow::Result<Corpus> {
    if bank.questions().iter().any(|q| bank.derives_rubric(q)) {
        Ok(Corpus::build(analyzer, bank.documents())?)
    } else {
        Ok(Corpus::empty())
    }
}

#[derive(Debug, clap::Args)]
pub struct QuestionsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    #[command(flatten)]
    pub bank: BankArgs,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The question id.
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub bank: BankArgs,
}

#[derive(Serialize)]
struct QuestionRow<'a> {
    id: &'a str,
    section: &'a str,
    prompt: &'a str,
    concepts: usize,
}

pub fn run_list(args: QuestionsArgs) -> anyhow::Result<u8> {
    let bank = args.bank.load()?;
    let analyzer = Analyzer::new();
    let corpus = bank_corpus(&bank, &analyzer)?;
    let mut rows = Vec::new();
    for q in bank.questions() {
        let concepts = if bank.has_rubric(q) || bank.derives_rubric(q) {
            bank.grading_rubric(q, &corpus, &analyzer, &[])?
                .concepts
                .len()
        } else {
            0
        };
        rows.push(QuestionRow {
            id: &q.id,
            section: &q.section,
            prompt: &q.prompt,
            concepts,
        });
    }
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Human => {
            let mut out = String::new();
            for r in &rows {
                writeln!(
                    out,
                    "{:>4}  {:<12} {:>2} concepts  {}",
                    r.id, r.section, r.concepts, r.prompt
                )?;
            }
            out
        }
    };
    print(&out)?;
    Ok(EXIT_OK)
}

pub fn run_show(args: ShowArgs, color: bool) -> anyhow::Result<u8> {
    let bank = args.bank.load()?;
    let q = bank.question(&args.id)?;
    let p = Paint(color);
    let mut out = String::new();
    writeln!(
        out,
        "{} ({})",
        p.bold(&format!("Question {}", q.id)),
        q.section
    )?;
    writeln!(out, "{}", q.prompt)?;
    if !bank.has_rubric(q) && !bank.derives_rubric(q) {
        writeln!(out, "\nNo rubric yet (expected rubrics/{}).", q.rubric_file)?;
        print(&out)?;
        return Ok(EXIT_OK);
    }
    let analyzer = Analyzer::new();
    let rubric = bank.grading_rubric(q, &bank_corpus(&bank, &analyzer)?, &analyzer, &[])?;
    if bank.derives_rubric(q) {
        writeln!(
            out,
            "\nReference answer:\n{}",
            q.reference.as_deref().unwrap_or_default()
        )?;
    }
    let origin = if bank.derives_rubric(q) {
        "derived from the reference answer".to_string()
    } else {
        rubric.file.clone()
    };
    // Derived weights are fractions: two decimals, without trailing zeros.
    let total = format!("{:.2}", rubric.total_weight());
    writeln!(
        out,
        "\nRubric {origin}: {} concepts, total weight {}, full marks at {:.0}% of it",
        rubric.concepts.len(),
        total.trim_end_matches('0').trim_end_matches('.'),
        rubric.full_marks_at * 100.0
    )?;
    if let Some(scale) = &rubric.scale {
        let levels: Vec<String> = scale
            .levels
            .iter()
            .map(|l| match l.when {
                itdq::rubric::LevelRule::Found(n) => format!("{} pts for {n}+ concepts", l.points),
                itdq::rubric::LevelRule::Score(s) => format!("{} pts for score {s}+", l.points),
            })
            .collect();
        writeln!(out, "Scale 0-{}: {}", scale.max, levels.join(", "))?;
    }
    writeln!(out)?;
    for c in &rubric.concepts {
        let required = if c.required { ", required" } else { "" };
        writeln!(
            out,
            "{} {}  (weight {}{required})",
            p.bold(&c.id),
            c.label,
            c.weight
        )?;
        if !c.aliases.is_empty() {
            let aliases: Vec<&str> = c.aliases.iter().map(|a| a.text.as_str()).collect();
            writeln!(out, "    aliases: {}", aliases.join(" | "))?;
        }
        for pattern in &c.patterns {
            writeln!(out, "    pattern: {}", pattern.source)?;
        }
        if let Some(hint) = &c.hint {
            writeln!(out, "    hint: {hint}")?;
        }
    }
    for g in &rubric.groups {
        writeln!(
            out,
            "\ngroup {}: {} — any {} of [{}] earn {}",
            g.id,
            g.label,
            g.need,
            g.concepts.join(", "),
            g.weight
        )?;
    }
    if !rubric.misconceptions.is_empty() {
        writeln!(out, "\n{}", p.bold("Misconceptions"))?;
        for m in &rubric.misconceptions {
            writeln!(out, "{} {}  (-{})", p.bold(&m.id), m.label, m.penalty)?;
            let aliases: Vec<&str> = m.aliases.iter().map(|a| a.text.as_str()).collect();
            if !aliases.is_empty() {
                writeln!(out, "    aliases: {}", aliases.join(" | "))?;
            }
            for pattern in &m.patterns {
                writeln!(out, "    pattern: {}", pattern.source)?;
            }
            writeln!(out, "    why: {}", m.explanation)?;
        }
    }
    if !rubric.samples.is_empty() {
        writeln!(
            out,
            "\n{} sample answers with expected scores",
            rubric.samples.len()
        )?;
    }
    print(&out)?;
    Ok(EXIT_OK)
}
