//! `itdq search` and `itdq grade` without `--q`: the real binary, its output and exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn itdq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_itdq"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run itdq")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const RETRIES: &str = "fixtures/answers/q22-strong.md";
const HOLIDAY: &str = "fixtures/detect/holiday.md";

/// The confidence of a "Detected question N (confidence C)" line.
fn detected(line: &str, question: &str) -> f64 {
    let prefix = format!("Detected question {question} (confidence ");
    let rest = line
        .strip_prefix(&prefix)
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("not a detection of {question}: {line}"));
    rest.parse().unwrap()
}

#[test]
fn grade_without_q_detects_the_question_and_says_how_confident() {
    let out = itdq(&["grade", RETRIES]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let confidence = detected(lines.next().unwrap(), "22");
    assert!((0.5..=1.0).contains(&confidence), "{confidence}");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Question 22 (technical):")
    );
    // The report is the one --q gives, after the detection line.
    let given = stdout(&itdq(&["grade", RETRIES, "--q", "22"]));
    assert_eq!(text.split_once('\n').unwrap().1, given);
}

#[test]
fn grade_json_without_q_carries_a_detection_object() {
    let out = itdq(&[
        "grade",
        "fixtures/detect/recovery-plain.md",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["question"]["id"], "21");
    let d = &v["detection"];
    assert_eq!(d["question"], "21");
    assert_eq!(d["method"], "index+rubric");
    let confidence = d["confidence"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&confidence), "{d}");
    let runner_up = &d["runner_up"];
    assert_ne!(runner_up["question"], "21");
    assert!(runner_up["confidence"].as_f64().unwrap() <= confidence);
    // Given with --q, there is nothing detected to report.
    let given = itdq(&["grade", RETRIES, "--q", "22", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&given)).unwrap();
    assert!(v.get("detection").is_none(), "{v}");
}

#[test]
fn an_answer_about_something_else_is_refused_with_exit_2() {
    for format in ["human", "json"] {
        let out = itdq(&["grade", HOLIDAY, "--format", format]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("itdq: error: cannot tell which question this answers (best guess "),
            "{err}"
        );
        assert!(err.contains("pass --q"), "{err}");
    }
}

#[test]
fn fail_under_still_applies_to_a_detected_question() {
    let out = itdq(&[
        "grade",
        "fixtures/answers/q22-negated.md",
        "--fail-under",
        "60",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Detected question 22 "));
}

#[test]
fn search_ranks_questions_with_scores() {
    let out = itdq(&["search", "retry", "with", "exponential", "backoff"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.lines().next().unwrap();
    assert!(first.trim_start().starts_with("22  technical"), "{text}");
    assert!(text.lines().count() <= 5, "{text}");
}

#[test]
fn search_json_snapshot() {
    let out = itdq(&[
        "search",
        "disaster recovery across cloud regions: RTO, RPO and backups",
        "--format",
        "json",
        "--limit",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut rows: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows = rows.as_array_mut().unwrap();
    assert_eq!(rows.len(), 3);
    let scores: Vec<f64> = rows.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]) && scores[2] > 0.0,
        "{scores:?}"
    );
    // BM25 scores move with every rubric edit; the snapshot keeps the ranking and the shape.
    for row in rows.iter_mut() {
        row["score"] = Value::from("[score]");
    }
    insta::assert_json_snapshot!("search-disaster-recovery", rows);
}

#[test]
fn search_refuses_an_empty_query_and_a_zero_limit() {
    let out = itdq(&["search", "the", "and", "of"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no words to search for"),
        "{}",
        stderr(&out)
    );
    let out = itdq(&["search", "retry", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn search_with_no_match_says_so() {
    let out = itdq(&["search", "sourdough", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "[]\n");
    let out = itdq(&["search", "sourdough"]);
    assert_eq!(
        stdout(&out),
        "No question shares a word with \"sourdough\".\n"
    );
}

#[test]
fn search_reads_a_bank_folder_with_reference_answers() {
    // A bank read from a folder is indexed at run time, reference answers included.
    let out = itdq(&[
        "search",
        "codons and tRNA anticodons",
        "--bank",
        "examples/asap-sas/bank",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v[0]["id"], "5", "{v}");
    assert_eq!(v[0]["section"], "biology", "{v}");
}

#[test]
fn batch_detects_the_question_of_a_file_that_names_none() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &str, to: &str| {
        std::fs::copy(from, dir.path().join(to)).unwrap();
    };
    copy(RETRIES, "jane.md");
    copy(HOLIDAY, "notes.md");
    let out = Command::new(env!("CARGO_BIN_EXE_itdq"))
        .args(["batch", ".", "--format", "jsonl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    // The holiday notes cannot be graded: exit 2, and the batch goes on.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let rows: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let jane = rows.iter().find(|r| r["file"] == "jane.md").unwrap();
    assert_eq!(jane["question_from"], "detected");
    assert_eq!(jane["question"]["id"], "22");
    assert_eq!(jane["detection"]["question"], "22");
    let notes = rows.iter().find(|r| r["file"] == "notes.md").unwrap();
    let error = notes["error"].as_str().unwrap();
    assert!(
        error.starts_with("cannot tell which question this answers (best guess ")
            && error.ends_with("or pass --q"),
        "{error}"
    );
}

#[test]
fn a_question_graded_from_its_reference_answer_is_detected_too() {
    // The calibration bank's "stack" question has a reference answer and no rubric file.
    let mut child = Command::new(env!("CARGO_BIN_EXE_itdq"))
        .args([
            "grade",
            "-",
            "--bank",
            "fixtures/calibrate/bank",
            "--format",
            "json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"A stack offers push, which puts an element on the top, and pop, which takes the top element off again.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["question"]["id"], "stack");
    assert_eq!(v["detection"]["question"], "stack");
}
