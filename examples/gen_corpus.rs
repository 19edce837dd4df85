//! Writes a deterministic corpus of answers for benchmarking `itdq batch`.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- DIR N [SEED]
//! ```
//!
//! Each answer is about 300 words: sentences built from the aliases of its question's rubric (some
//! concepts covered, some not, now and then a misconception) mixed with filler prose, so that the
//! grader does the work it does on real answers. Files are spread over every question of the
//! built-in bank and named `qID-NNNNNN.md`, so the question comes from the file name; every tenth
//! carries front matter instead, and every fiftieth is a take-home with three sections. The same
//! N and SEED always give the same bytes.

use std::fmt::Write as _;
use std::path::PathBuf;

use itdq::{Bank, Rubric};

const FILLER: &[&str] = &[
    "In my experience the hard part is rarely the technology itself",
    "I would start by agreeing with the team what good looks like",
    "we measured the effect for a few weeks before deciding anything",
    "the trade-off depends on the size of the organisation and its risk appetite",
    "I have seen this go wrong when nobody owned the outcome",
    "it is worth writing the decision down so the next person understands it",
    "communication with stakeholders matters as much as the design",
    "a small pilot gives evidence before a large investment",
    "we reviewed the results with finance and the business owners",
    "the team kept a short list of risks and revisited it every sprint",
    "documentation and a clear runbook made the handover painless",
    "the budget was tight so we prioritised the changes with the most impact",
];

/// Sentences that carry a rubric phrase, `{}`.
const FRAMES: &[&str] = &[
    "I would make sure we use {} because it keeps the system predictable",
    "the first thing I look at is {} and how the team applies it",
    "in my last role we introduced {} and it paid off within a quarter",
    "without {} the rest of the plan does not hold together",
    "{} is where most teams cut corners, so I would review it early",
    "we wrote down how {} works for us and taught it to new joiners",
    "a good answer here has to mention {} and explain why it matters",
    "I would measure whether {} actually changes the outcome",
];

/// A small xorshift generator: deterministic across platforms and Rust versions.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn answer(rubric: &Rubric, dice: &mut Dice, words: usize) -> String {
    let mut text = String::new();
    let mut count = 0;
    while count < words {
        let sentence = if dice.below(3) == 0 || rubric.concepts.is_empty() {
            FILLER[dice.below(FILLER.len())].to_string()
        } else if dice.below(25) == 0 && !rubric.misconceptions.is_empty() {
            let m = &rubric.misconceptions[dice.below(rubric.misconceptions.len())];
            match m.aliases.first() {
                Some(alias) => format!("honestly I think {} is fine here", alias.text),
                None => FILLER[0].to_string(),
            }
        } else {
            // Concepts early in the rubric come up more often, as in real answers.
            let concept = &rubric.concepts[dice
                .below(rubric.concepts.len())
                .min(dice.below(rubric.concepts.len()))];
            match concept
                .aliases
                .get(dice.below(concept.aliases.len().max(1)))
            {
                Some(alias) => FRAMES[dice.below(FRAMES.len())].replace("{}", &alias.text),
                None => FILLER[1].to_string(),
            }
        };
        count += sentence.split_whitespace().count();
        let mut chars = sentence.chars();
        if let Some(first) = chars.next() {
            text.push(first.to_ascii_uppercase());
            text.push_str(chars.as_str());
        }
        text.push_str(if dice.below(6) == 0 { ".\n\n" } else { ". " });
    }
    text.push('\n');
    text
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1)) else {
        eprintln!("usage: gen_corpus DIR N [SEED]");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let n: usize = n.parse()?;
    let seed: u64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(42);
    let bank = Bank::builtin();
    let rubrics: Vec<(String, Rubric)> = bank
        .questions()
        .iter()
        .filter(|q| bank.has_rubric(q))
        .map(|q| Ok((q.id.clone(), bank.rubric(q)?)))
        .collect::<Result<_, itdq::LoadError>>()?;
    let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    // A hundred files per folder, like candidates grouped by round.
    for i in 0..n {
        let (id, rubric) = &rubrics[i % rubrics.len()];
        let folder = dir.join(format!("round-{:03}", i / 100));
        if i % 100 == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let (name, text) = if i % 50 == 49 {
            let mut text = String::from("# Take-home\n\n");
            for k in 0..3 {
                let (id, rubric) = &rubrics[(i + k * 7) % rubrics.len()];
                let _ = write!(text, "## Q{id}\n\n{}", answer(rubric, &mut dice, 100));
            }
            (format!("takehome-{i:06}.md"), text)
        } else if i % 10 == 9 {
            (
                format!("answer-{i:06}.md"),
                format!(
                    "---\ncandidate: c{i}\nquestion: {id}\n---\n{}",
                    answer(rubric, &mut dice, 300)
                ),
            )
        } else {
            (format!("q{id}-{i:06}.md"), answer(rubric, &mut dice, 300))
        };
        std::fs::write(folder.join(name), text)?;
    }
    Ok(())
}
