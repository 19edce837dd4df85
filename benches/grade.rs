//! Library grading throughput: one compiled rubric, answers of about 300 words.
//! Target (issue 2): at least 20,000 answers per second per core, i.e. at most 50 µs per answer.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use itdq::{Analyzer, Bank, Grader};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let bank = Bank::builtin();
    let analyzer = Analyzer::new();
    let mut group = c.benchmark_group("grade");
    group.throughput(Throughput::Elements(1));
    for (id, file) in [
        ("22", "fixtures/answers/q22-strong.md"),
        ("22", "fixtures/answers/q22-weak.md"),
    ] {
        let question = bank.question(id).unwrap();
        let grader = Grader::new(question, bank.rubric(question).unwrap(), &analyzer);
        let text = std::fs::read_to_string(file).unwrap();
        // Warm the lazily compiled patterns, as a batch run would.
        grader.grade(&text);
        let name = file.rsplit('/').next().unwrap();
        group.bench_function(
            format!("q{id}/{name} ({} words)", text.split_whitespace().count()),
            |b| b.iter(|| grader.grade(black_box(&text))),
        );
    }
    // Every built-in question with its first (strong) sample: a mix of rubric sizes.
    let graders: Vec<(Grader, String)> = bank
        .questions()
        .iter()
        .map(|q| {
            let rubric = bank.rubric(q).unwrap();
            let text = rubric.samples[0].text.clone();
            let grader = Grader::new(q, rubric, &analyzer);
            grader.grade(&text);
            (grader, text)
        })
        .collect();
    group.throughput(Throughput::Elements(graders.len() as u64));
    group.bench_function("all 50 questions, strong sample each", |b| {
        b.iter(|| {
            for (grader, text) in &graders {
                black_box(grader.grade(black_box(text)));
            }
        })
    });
    group.finish();

    let question = bank.question("22").unwrap();
    c.bench_function("compile rubric q22", |b| {
        b.iter(|| Grader::new(question, bank.rubric(question).unwrap(), &analyzer))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
