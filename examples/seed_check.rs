//! Grades each seed model answer against every rubric of the built-in bank (issue 3's bar: each
//! scores at least 70 on its own rubric, and no other rubric scores it higher).
//! Usage: cargo run --release --example seed_check -- [../shared/seed/model-answers]
//! The last line is `own>=70: N/40 own-highest: N/40 min-own: X`.

use itdq::{Analyzer, Bank, Grader};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/seed/model-answers".into());
    let bank = Bank::builtin();
    let analyzer = Analyzer::new();
    let graders: Vec<Grader> = bank
        .questions()
        .iter()
        .map(|q| Grader::new(q, bank.rubric(q).expect("built-in rubric"), &analyzer))
        .collect();
    let (mut total, mut passing, mut highest, mut min_own) = (0, 0, 0, f64::MAX);
    for (i, question) in bank.questions().iter().enumerate() {
        let path = format!("{dir}/q{:02}.txt", i + 1);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        total += 1;
        let scores: Vec<f64> = graders.iter().map(|g| g.grade(&text).score).collect();
        let own = scores[i];
        let (best, best_score) = scores.iter().enumerate().filter(|(j, _)| *j != i).fold(
            (0, f64::MIN),
            |acc, (j, s)| if *s > acc.1 { (j, *s) } else { acc },
        );
        let ok_own = own >= 70.0;
        let ok_top = own >= best_score;
        passing += usize::from(ok_own);
        highest += usize::from(ok_top);
        min_own = min_own.min(own);
        println!(
            "q{:<3} own {:>5.1}{}  best other q{} {:>5.1}{}",
            question.id,
            own,
            if ok_own { "" } else { " (below 70)" },
            bank.questions()[best].id,
            best_score,
            if ok_top { "" } else { " (HIGHER)" }
        );
    }
    println!("own>=70: {passing}/{total} own-highest: {highest}/{total} min-own: {min_own:.1}");
}
