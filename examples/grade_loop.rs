//! Grades one answer many times: a target for profilers (`valgrind --tool=callgrind`).
//! Usage: cargo run --release --example grade_loop -- FILE QUESTION [TIMES]
//!        cargo run --release --example grade_loop -- --samples [TIMES]
//!        cargo run --release --example grade_loop -- --round-robin [ROUNDS]
//!        cargo run --release --example grade_loop -- --corpus DIR [ROUNDS]
//! The second form grades the first (strong) sample of every built-in rubric and prints the time
//! per grade and per word for each, slowest first.

// The allocator the `itdq` binary grades batches with (see src/alloc.rs).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[path = "../src/alloc/fast.rs"]
mod fast;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: fast::Fast = fast::Fast;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bank = itdq::Bank::builtin();
    let analyzer = itdq::Analyzer::new();
    if args.get(1).map(String::as_str) == Some("--round-robin") {
        // Every question's strong sample in turn, as a batch of mixed questions grades them.
        let rounds: u32 = args.get(2).map_or(100, |n| n.parse().expect("a count"));
        let graders: Vec<(itdq::Grader, String)> = bank
            .questions()
            .iter()
            .map(|q| {
                let rubric = bank.rubric(q).expect("a rubric");
                let text = rubric.samples[0].text.clone();
                let grader = itdq::Grader::new(q, rubric, &analyzer);
                grader.grade(&text);
                (grader, text)
            })
            .collect();
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            for (grader, text) in &graders {
                std::hint::black_box(grader.grade(std::hint::black_box(text)));
            }
        }
        let per = start.elapsed() / (rounds * graders.len() as u32);
        println!(
            "round robin over {} questions: {per:.1?} per answer",
            graders.len()
        );
        return;
    }
    if args.get(1).map(String::as_str) == Some("--corpus") {
        // The answers of a generated corpus (examples/gen_corpus.rs) whose file names give the
        // question (`q13-000123.md`), in path order: mixed questions, about 300 words each.
        let dir = args.get(2).expect("a corpus directory");
        let rounds: u32 = args.get(3).map_or(3, |n| n.parse().expect("a count"));
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        let mut pending = vec![std::path::PathBuf::from(dir)];
        while let Some(path) = pending.pop() {
            for entry in std::fs::read_dir(&path).expect("a directory") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        files.sort();
        let mut graders: std::collections::HashMap<String, itdq::Grader> = Default::default();
        let mut answers: Vec<(String, String)> = Vec::new();
        for path in &files {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some(id) = name
                .strip_prefix('q')
                .and_then(|rest| rest.split('-').next())
                .filter(|id| bank.question(id).is_ok())
            else {
                continue;
            };
            graders.entry(id.to_string()).or_insert_with(|| {
                let question = bank.question(id).expect("a question");
                itdq::Grader::new(
                    question,
                    bank.rubric(question).expect("a rubric"),
                    &analyzer,
                )
            });
            let text = std::fs::read_to_string(path).expect("an answer file");
            answers.push((id.to_string(), text));
        }
        let grade_all = || {
            for (id, text) in &answers {
                std::hint::black_box(graders[id].grade(std::hint::black_box(text)));
            }
        };
        grade_all();
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            grade_all();
        }
        let per = start.elapsed() / (rounds * answers.len() as u32);
        let words: usize = answers
            .iter()
            .map(|(_, t)| t.split_whitespace().count())
            .sum();
        println!(
            "corpus of {} answers ({} words on average, {} questions): {per:.1?} per answer",
            answers.len(),
            words / answers.len().max(1),
            graders.len()
        );
        return;
    }
    if args.get(1).map(String::as_str) == Some("--samples") {
        let times: u32 = args.get(2).map_or(200, |n| n.parse().expect("a count"));
        let mut rows = Vec::new();
        for question in bank.questions() {
            let rubric = bank.rubric(question).expect("a rubric");
            let text = rubric.samples[0].text.clone();
            let grader = itdq::Grader::new(question, rubric, &analyzer);
            grader.grade(&text);
            let start = std::time::Instant::now();
            for _ in 0..times {
                std::hint::black_box(grader.grade(std::hint::black_box(&text)));
            }
            let per = start.elapsed() / times;
            let words = text.split_whitespace().count();
            rows.push((per, words, question.id.clone()));
        }
        rows.sort_by_key(|row| std::cmp::Reverse(row.0));
        for (per, words, id) in &rows {
            let ns_per_word = per.as_nanos() as f64 / *words as f64;
            println!("q{id:>3}  {words:>4} words  {per:>10.1?}  {ns_per_word:>6.0} ns/word");
        }
        let total: std::time::Duration = rows.iter().map(|r| r.0).sum();
        let words: usize = rows.iter().map(|r| r.1).sum();
        println!(
            "mean {:.1?} per answer of {} words on average",
            total / rows.len() as u32,
            words / rows.len()
        );
        return;
    }
    let (file, id) = (&args[1], &args[2]);
    let times: usize = args.get(3).map_or(1000, |n| n.parse().expect("a count"));
    let question = bank.question(id).expect("a question id");
    let grader = itdq::Grader::new(
        question,
        bank.rubric(question).expect("a rubric"),
        &analyzer,
    );
    let text = std::fs::read_to_string(file).expect("an answer file");
    let mut total = 0.0;
    let start = std::time::Instant::now();
    for _ in 0..times {
        total += grader.grade(&text).score;
    }
    let per = start.elapsed() / times as u32;
    println!(
        "{times} grades, {per:?} each, mean score {:.1}",
        total / times as f64
    );
}
