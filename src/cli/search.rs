//! `itdq search`: the questions of the bank ranked by relevance to some words.

use std::fmt::Write as _;

use anyhow::bail;
use serde::Serialize;

use itdq::Analyzer;
use itdq::index::BankIndex;

use super::{BankArgs, EXIT_OK, Format, print, render::Paint};

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for: a few words, or the text of an answer.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// How many questions to list at most.
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,
    #[command(flatten)]
    pub bank: BankArgs,
}

/// One ranked question on the wire.
#[derive(Serialize)]
struct SearchRow<'a> {
    id: &'a str,
    section: &'a str,
    prompt: &'a str,
    /// BM25 relevance, three decimals: comparable only within one search.
    score: f64,
}

pub fn run(args: SearchArgs, color: bool) -> anyhow::Result<u8> {
    let query = args.query.join(" ");
    let analyzer = Analyzer::new();
    if analyzer.analyze(&query).terms.is_empty() {
        bail!(
            "the query {query:?} has no words to search for (common words such as \"the\" are ignored)"
        );
    }
    let bank = args.bank.load()?;
    let index = BankIndex::for_bank(&bank)?;
    let hits = index.search(&query, &analyzer);
    let limit = usize::try_from(args.limit).unwrap_or(usize::MAX);
    let rows: Vec<SearchRow> = hits
        .iter()
        .take(limit)
        .map(|hit| {
            let q = &bank.questions()[hit.question];
            SearchRow {
                id: &q.id,
                section: &q.section,
                prompt: &q.prompt,
                score: (f64::from(hit.score) * 1000.0).round() / 1000.0,
            }
        })
        .collect();
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&rows)? + "\n",
        Format::Human => {
            let p = Paint(color);
            let mut out = String::new();
            if rows.is_empty() {
                writeln!(out, "No question shares a word with {query:?}.")?;
            }
            for r in &rows {
                writeln!(
                    out,
                    "{}  {:<12} {:>7.2}  {}",
                    p.bold(&format!("{:>4}", r.id)),
                    r.section,
                    r.score,
                    r.prompt
                )?;
            }
            out
        }
    };
    print(&out)?;
    Ok(EXIT_OK)
}
