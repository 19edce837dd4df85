//! The bank's search index. Target (issue 3): at most 20 ms to have the index of the built-in bank
//! ready, which is met by building it at compile time; `open built-in` is what a command pays.
//! `build at run time` is what a bank read with `--bank DIR` costs, once per run.

use criterion::{Criterion, criterion_group, criterion_main};
use itdq::index::BankIndex;
use itdq::{Analyzer, Bank};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let bank = Bank::builtin();
    let analyzer = Analyzer::new();
    let mut group = c.benchmark_group("index");
    group.sample_size(20);
    group.bench_function("open built-in (embedded at compile time)", |b| {
        b.iter(|| BankIndex::for_bank(black_box(&bank)).unwrap())
    });
    group.bench_function("build at run time (as for --bank DIR)", |b| {
        b.iter(|| BankIndex::build(black_box(&bank)).unwrap())
    });
    let index = BankIndex::for_bank(&bank).unwrap();
    let answer = std::fs::read_to_string("fixtures/answers/q22-strong.md").unwrap();
    group.bench_function("search a 300-word answer", |b| {
        b.iter(|| index.search(black_box(&answer), &analyzer))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
