//! What one answer of a batch costs, part by part: planning a file (front matter, markers,
//! sections) against grading it. `scripts/bench-batch.sh` times the whole binary; this bench says
//! where that time goes.

use criterion::{Criterion, criterion_group, criterion_main};
use itdq::{Analyzer, Bank, Grader};

/// A ~300-word answer to question 22 in the style of the benchmark corpus: the strong fixture,
/// padded with prose.
fn answer() -> String {
    let strong = include_str!("../fixtures/answers/q22-strong.md");
    let mut text = String::from(strong);
    while text.split_whitespace().count() < 300 {
        text.push_str("We reviewed the results with the team and wrote down what we learned. ");
    }
    text
}

fn batch(c: &mut Criterion) {
    let bank = Bank::builtin();
    let question = bank.question("22").unwrap();
    let grader = Grader::new(question, bank.rubric(question).unwrap(), &Analyzer::new());
    let text = answer();
    let take_home =
        format!("---\nquestion: 22\n---\n# Take-home\n## Q22\n{text}\n## Q13\n{text}\n");

    c.bench_function("grade a 300-word answer", |b| {
        b.iter(|| grader.grade(std::hint::black_box(&text)))
    });
    c.bench_function("plan a two-section take-home", |b| {
        b.iter(|| itdq::plan::plan("jane.md", std::hint::black_box(&take_home), None).unwrap())
    });
    c.bench_function("compile the rubric of one question", |b| {
        b.iter(|| Grader::new(question, bank.rubric(question).unwrap(), &Analyzer::new()))
    });
}

criterion_group!(benches, batch);
criterion_main!(benches);
