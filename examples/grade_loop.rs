//! Grades one answer many times: a target for profilers (`valgrind --tool=callgrind`).
//! Usage: cargo run --release --example grade_loop -- FILE QUESTION [TIMES]

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (file, id) = (&args[1], &args[2]);
    let times: usize = args.get(3).map_or(1000, |n| n.parse().expect("a count"));
    let bank = itdq::Bank::builtin();
    let question = bank.question(id).expect("a question id");
    let grader = itdq::Grader::new(
        question,
        bank.rubric(question).expect("a rubric"),
        &itdq::Analyzer::new(),
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
