//! Detection over the seed's model answers: each `qNN.txt` of a folder (default
//! `../shared/seed/model-answers`, outside the repository) should be detected as question NN of
//! the built-in bank. Prints one line per answer and, last, how many were detected correctly.
//!
//! ```sh
//! cargo run --release --example detect_seed [-- DIR]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use itdq::Bank;
use itdq::detect::Detector;

fn main() -> ExitCode {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/seed/model-answers".into()),
    );
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    files.sort();
    let bank = Bank::builtin();
    let detector = match Detector::new(&bank) {
        Ok(detector) => detector,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut correct = 0;
    for path in &files {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let expected = stem.trim_start_matches('q').trim_start_matches('0');
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        let detection = detector.rank(&text);
        let verdict = match detection.best() {
            Some(best) if detection.is_confident() && best.question == expected => {
                correct += 1;
                "ok".to_string()
            }
            Some(_) if !detection.is_confident() => "REFUSED".to_string(),
            Some(best) => format!("WRONG (detected {})", best.question),
            None => "REFUSED (no words in common)".to_string(),
        };
        let best = detection
            .best()
            .map(|b| format!("{} at {:.2}", b.question, b.confidence))
            .unwrap_or_default();
        let runner_up = detection
            .runner_up()
            .map(|r| format!("{} at {:.2}", r.question, r.confidence))
            .unwrap_or_else(|| "-".into());
        println!("{stem}: best {best}, runner-up {runner_up}: {verdict}");
    }
    println!(
        "{correct}/{} seed model answers detected correctly",
        files.len()
    );
    if correct == files.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
