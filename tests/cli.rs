//! Runs the real `itdq` binary: output, exit codes, bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn itdq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_itdq"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run itdq")
}

fn itdq_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_itdq"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run itdq");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path.display().to_string())
}

const STRONG: &str = "fixtures/answers/q22-strong.md";

#[test]
fn grade_prints_a_human_report_and_exits_zero() {
    let out = itdq(&["grade", STRONG, "--q", "22"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Question 22 (technical):"), "{text}");
    assert!(text.contains("Score 100/100 · strong"), "{text}");
    assert!(
        text.contains("line 22:44  \"Math.random\"  [exact]"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn human_report_snapshot() {
    let out = itdq(&["grade", "fixtures/answers/q22-negated.md", "--q", "22"]);
    insta::assert_snapshot!("grade-q22-negated-human", stdout(&out));
}

#[test]
fn colour_can_be_forced() {
    let out = itdq(&["grade", STRONG, "--q", "22", "--color", "always"]);
    assert!(stdout(&out).contains('\u{1b}'));
}

#[test]
fn json_output_is_versioned_and_complete() {
    let out = itdq(&["grade", STRONG, "--q", "22", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["question"]["id"], "22");
    assert!(v["score"].as_f64().unwrap() > 90.0);
    assert!(v["points"].is_null());
    let jitter = v["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "jitter")
        .unwrap();
    assert_eq!(jitter["status"], "found");
    assert!(jitter["evidence"][0]["line"].as_u64().unwrap() > 0);
    assert!(jitter["evidence"][0]["column"].as_u64().unwrap() > 0);
    assert!(v["misconceptions"].is_array() && v["warnings"].is_array());
}

#[test]
fn same_input_gives_byte_identical_output() {
    let a = itdq(&["grade", STRONG, "--q", "22", "--format", "json"]);
    let b = itdq(&["grade", STRONG, "--q", "22", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn fail_under_sets_exit_code_one() {
    assert_eq!(
        itdq(&[
            "grade",
            "fixtures/answers/q22-weak.md",
            "--q",
            "22",
            "--fail-under",
            "50"
        ])
        .status
        .code(),
        Some(1)
    );
    assert_eq!(
        itdq(&["grade", STRONG, "--q", "22", "--fail-under", "50"])
            .status
            .code(),
        Some(0)
    );
    let bad = itdq(&["grade", STRONG, "--q", "22", "--fail-under", "150"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn reads_the_answer_from_stdin() {
    let out = itdq_stdin(
        &["grade", "-", "--q", "22"],
        b"Use exponential backoff with random jitter and a cap on attempts.",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Found"));
}

#[test]
fn unknown_question_lists_the_valid_ids() {
    let out = itdq(&["grade", STRONG, "--q", "99"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("unknown question \"99\"") && err.contains("1, 2, 3") && err.contains("50"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn question_ids_may_be_padded_or_prefixed() {
    assert_eq!(
        itdq(&["grade", STRONG, "--q", "Q22"]).status.code(),
        Some(0)
    );
}

#[test]
fn without_a_question_flag_the_question_is_detected_or_the_user_is_asked() {
    let out = itdq(&["grade", STRONG]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("Detected question 22"),
        "{}",
        stdout(&out)
    );
    let out = itdq_stdin(
        &["grade", "-"],
        b"Knead the dough for ten minutes, let it rise for an hour, then bake it at 220 degrees until the crust is golden.",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("pass --q"), "{}", stderr(&out));
}

#[test]
fn without_a_question_flag_an_unclear_answer_is_refused_and_says_what_to_do() {
    let (_dir, path) = temp_file(
        "holiday.md",
        b"We spent a week by the sea, swam every morning and ate far too much ice cream.\n",
    );
    let out = itdq(&["grade", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("pass --q"), "{}", stderr(&out));
}

#[test]
fn binary_files_are_refused() {
    let (_dir, path) = temp_file("a.bin", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    let out = itdq(&["grade", &path, "--q", "22"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&path) && err.contains("binary"), "{err}");
}

#[test]
fn missing_files_and_folders_are_named() {
    let out = itdq(&["grade", "no/such/answer.md", "--q", "22"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no/such/answer.md"));
    let out = itdq(&["grade", "fixtures", "--q", "22"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
}

#[test]
fn huge_files_are_refused() {
    let (_dir, path) = temp_file("huge.txt", &vec![b'a'; 2 << 20]);
    let out = itdq(&["grade", &path, "--q", "22"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("larger than"), "{}", stderr(&out));
}

#[test]
fn an_empty_answer_is_graded_zero_with_a_warning() {
    let (_dir, path) = temp_file("empty.txt", b"");
    let out = itdq(&["grade", &path, "--q", "22", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["score"], 0.0);
    assert_eq!(v["warnings"][0]["code"], "empty-answer");
}

#[test]
fn windows_1252_and_utf16_answers_are_decoded_with_a_warning() {
    let (_dir, path) = temp_file(
        "cp1252.txt",
        b"Use exponential backoff with jitter \x96 and a cap on retries \x93always\x94.",
    );
    let out = itdq(&["grade", &path, "--q", "22", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["warnings"][0]["code"], "encoding");
    let jitter = v["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "jitter")
        .unwrap();
    assert_eq!(jitter["status"], "found");

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Add random jitter to every retry delay."
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let (_dir, path) = temp_file("utf16.txt", &utf16);
    let out = itdq(&["grade", &path, "--q", "22", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        v["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-16")
    );
}

#[test]
fn a_malformed_rubric_is_reported_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("questions.toml"),
        "[[question]]\nid = \"1\"\nprompt = \"Why?\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("rubrics")).unwrap();
    std::fs::write(
        dir.path().join("rubrics/q01.toml"),
        "question = \"1\"\n\n[[concept]]\nid = \"a\"\nlabel = \"A\"\naliases = [\"x\"]\nweight = -1\n",
    )
    .unwrap();
    let out = itdq(&[
        "grade",
        STRONG,
        "--q",
        "1",
        "--bank",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("q01.toml:7:10: weight must be greater than zero"),
        "{err}"
    );
}

#[test]
fn a_folder_that_is_no_bank_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = itdq(&["questions", "--bank", &dir.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a bank folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn questions_lists_the_bank() {
    let out = itdq(&["questions", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert_eq!(rows[12]["id"], "13");
    assert!(rows[12]["concepts"].as_u64().unwrap() >= 8);
    assert!(rows[0]["prompt"].as_str().unwrap().len() > 20);
    assert!(rows[0]["section"].is_string());
    let human = stdout(&itdq(&["questions"]));
    assert_eq!(human.lines().count(), 50);
}

#[test]
fn show_prints_the_rubric() {
    let out = itdq(&["show", "13"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("Question 13") && text.contains("aliases:") && text.contains("hint:"),
        "{text}"
    );
    assert_eq!(itdq(&["show", "0"]).status.code(), Some(2));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_itdq"))
        .args(["show", "22"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.code() == Some(0),
        "{:?} {}",
        out.status,
        stderr(&out)
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}
