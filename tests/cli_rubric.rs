//! `itdq rubric lint`, `itdq rubric draft` and `itdq grade --reference`, run as a user would.

use std::path::Path;
use std::process::{Command, Output};

fn itdq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_itdq"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run itdq")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn the_builtin_bank_lints_without_errors() {
    let out = itdq(&["rubric", "lint"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("error["), "{text}");
    assert!(
        text.lines().last().unwrap().starts_with("ok: 0 errors"),
        "{text}"
    );
}

#[test]
fn format_errors_exit_1_with_file_line_column() {
    let out = itdq(&["rubric", "lint", "fixtures/rubrics/broken.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(": error[format]: "))
        .collect();
    assert_eq!(errors.len(), 3, "{text}");
    assert!(
        errors[0].starts_with(
            "fixtures/rubrics/broken.toml:7:10: error[format]: weight must be greater than zero"
        ),
        "{text}"
    );
    assert!(
        errors[1]
            .starts_with("fixtures/rubrics/broken.toml:11:6: error[format]: duplicate id `jitter`"),
        "{text}"
    );
    assert!(
        errors[2].starts_with("fixtures/rubrics/broken.toml:13:13: error[format]: invalid regex"),
        "{text}"
    );
}

#[test]
fn warnings_alone_exit_0() {
    let out = itdq(&["rubric", "lint", "fixtures/rubrics/warnings.toml"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for rule in [
        "stop-words-only",
        "overlapping-alias",
        "misconception-overlap",
    ] {
        assert!(
            text.contains(&format!(": warning[{rule}]: ")),
            "{rule} missing in\n{text}"
        );
    }
    assert!(
        text.contains("fixtures/rubrics/warnings.toml:7:35: warning[stop-words-only]"),
        "{text}"
    );
}

#[test]
fn an_unreadable_path_exits_2() {
    let out = itdq(&["rubric", "lint", "fixtures/rubrics/no-such-rubric.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-such-rubric.toml"),
        "{}",
        stderr(&out)
    );
    let out = itdq(&["rubric", "lint", "fixtures/answers"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a folder without questions.toml is no bank"
    );
    assert!(
        stderr(&out).contains("not a bank folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bank_folder_is_linted_whole_and_json_parses() {
    let out = itdq(&[
        "rubric",
        "lint",
        "fixtures/calibrate/bank",
        "fixtures/rubrics/broken.toml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"], 3);
    assert_eq!(
        json["files"], 3,
        "questions.toml, retry.toml and broken.toml"
    );
    let first = &json["diagnostics"][0];
    assert_eq!(first["file"], "fixtures/rubrics/broken.toml");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(7), Some(10))
    );
    assert_eq!(first["severity"], "error");
    assert_eq!(first["rule"], "format");
}

#[test]
fn a_draft_is_a_rubric_that_lints_clean() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.txt");
    std::fs::write(&reference, "A leaf is a node that has no children.\n").unwrap();
    let out = itdq(&[
        "rubric",
        "draft",
        "--from",
        reference.to_str().unwrap(),
        "--prompt",
        "What is a leaf?",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let draft = stdout(&out);
    assert!(
        draft.starts_with("# Drafted by `itdq rubric draft`"),
        "{draft}"
    );
    let rubric =
        itdq::Rubric::from_toml("draft.toml", &draft).unwrap_or_else(|e| panic!("{e}\n{draft}"));
    let ids: Vec<&str> = rubric.concepts.iter().map(|c| c.id.as_str()).collect();
    assert!(
        ids.contains(&"node") && ids.contains(&"children"),
        "{ids:?}"
    );
    let leaf = rubric.concepts.iter().find(|c| c.id == "leaf").unwrap();
    let node = rubric.concepts.iter().find(|c| c.id == "node").unwrap();
    assert!(
        leaf.weight < node.weight,
        "a word of the question is demoted"
    );

    let file = dir.path().join("q.toml");
    std::fs::write(&file, &draft).unwrap();
    let lint = itdq(&["rubric", "lint", file.to_str().unwrap()]);
    assert_eq!(lint.status.code(), Some(0), "{}", stdout(&lint));
}

#[test]
fn a_draft_from_a_bank_reference() {
    let out = itdq(&[
        "rubric",
        "draft",
        "--q",
        "stack",
        "--bank",
        "fixtures/calibrate/bank",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rubric = itdq::Rubric::from_toml("draft.toml", &stdout(&out)).unwrap();
    assert_eq!(rubric.question, "stack");
    assert!(rubric.concepts.iter().any(|c| c.id == "pop"));
}

#[test]
fn a_draft_needs_a_reference() {
    let out = itdq(&["rubric", "draft"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--from"), "{}", stderr(&out));
    let out = itdq(&[
        "rubric",
        "draft",
        "--q",
        "retry",
        "--bank",
        "fixtures/calibrate/bank",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no reference answer"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn grade_against_a_reference_file() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.txt");
    std::fs::write(
        &reference,
        "Push places an item on the top of the stack; pop removes the top item.",
    )
    .unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(
        &good,
        "push adds an item on top and pop removes the item from the top",
    )
    .unwrap();
    let poor = dir.path().join("poor.txt");
    std::fs::write(&poor, "a stack is a list").unwrap();
    let grade = |answer: &Path| {
        let out = itdq(&[
            "grade",
            answer.to_str().unwrap(),
            "--reference",
            reference.to_str().unwrap(),
            "--prompt",
            "What are the operations of a stack?",
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let (good, poor) = (grade(&good), grade(&poor));
    assert!(
        good["score"].as_f64() > poor["score"].as_f64(),
        "{} vs {}",
        good["score"],
        poor["score"]
    );
    let found: Vec<&str> = good["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "found")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(
        found.contains(&"push") && found.contains(&"pop"),
        "{found:?}"
    );
}

#[test]
fn grade_a_reference_only_question_of_a_bank() {
    let dir = tempfile::tempdir().unwrap();
    let answer = dir.path().join("a.txt");
    std::fs::write(&answer, "pop takes the top item off").unwrap();
    let out = itdq(&[
        "grade",
        answer.to_str().unwrap(),
        "--q",
        "stack",
        "--bank",
        "fixtures/calibrate/bank",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["question"]["id"], "stack");
    assert!(json["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_reference_with_no_content_words_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.txt");
    std::fs::write(&reference, "it is what it is").unwrap();
    let out = itdq(&[
        "grade",
        "fixtures/answers/q22-weak.md",
        "--reference",
        reference.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no content words"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn snapshot_of_a_draft() {
    let out = itdq(&[
        "rubric",
        "draft",
        "--q",
        "stack",
        "--bank",
        "fixtures/calibrate/bank",
    ]);
    insta::assert_snapshot!("draft_stack", stdout(&out));
}

#[test]
fn snapshot_of_a_lint_report() {
    let out = itdq(&[
        "rubric",
        "lint",
        "fixtures/rubrics/broken.toml",
        "fixtures/rubrics/warnings.toml",
    ]);
    insta::assert_snapshot!("lint_fixtures", stdout(&out));
}
