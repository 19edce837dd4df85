//! `itdq check`: itdq.toml found by walking up, flags over config, config errors with places,
//! and `--changed-since` on a temporary git repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const STRONG_22: &str = include_str!("../fixtures/answers/q22-strong.md");
const WEAK_22: &str = include_str!("../fixtures/answers/q22-weak.md");

fn itdq() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_itdq"));
    cmd.env_remove("NO_COLOR");
    cmd
}

fn run(args: &[&str], dir: &Path) -> Output {
    itdq()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run itdq")
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn jsonl(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn files(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect()
}

/// A repository of prepared answers whose names do not say the question: itdq.toml maps them.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "answers/retries/strong.md", STRONG_22);
    write(dir.path(), "answers/retries/weak.md", WEAK_22);
    write(dir.path(), "answers/drafts/q22-draft.md", WEAK_22);
    write(dir.path(), "README.md", "# My answers\n");
    write(
        dir.path(),
        "itdq.toml",
        r#"paths = ["answers"]
exclude = ["answers/drafts/**"]
min_score = 60
format = "jsonl"

[[map]]
glob = "answers/retries/*.md"
question = 22
"#,
    );
    dir
}

#[test]
fn itdq_toml_is_found_by_walking_up_and_sets_paths_map_bar_and_format() {
    let dir = repo();
    let sub = dir.path().join("answers/retries");
    let o = run(&["check"], &sub);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let rows = jsonl(&o);
    // Paths are shown relative to the folder of itdq.toml; the draft is excluded, README is not
    // under `paths`.
    assert_eq!(
        files(&rows),
        ["answers/retries/strong.md", "answers/retries/weak.md"]
    );
    for r in &rows {
        assert_eq!(
            (r["question"]["id"].as_str(), r["question_from"].as_str()),
            (Some("22"), Some("config"))
        );
        assert_eq!(r["verdict"]["min_score"], 60.0);
    }
    assert_eq!(rows[0]["verdict"]["passed"], true);
    assert_eq!(rows[1]["verdict"]["passed"], false);
}

#[test]
fn flags_override_the_config() {
    let dir = repo();
    // Only the strong answer, with a bar it clears: exit 0.
    let o = run(
        &["check", "answers/retries/strong.md", "--min-score", "10"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = jsonl(&o);
    assert_eq!(rows[0]["verdict"]["min_score"], 10.0);
    // --format beats `format` of itdq.toml.
    let o = run(
        &["check", "answers/retries/strong.md", "--format", "csv"],
        dir.path(),
    );
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("file,section,question,"));
    // With no bar at all, a missing required concept still fails.
    let o = run(
        &["check", "answers/retries/weak.md", "--min-score", "0"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let rows = jsonl(&o);
    assert_eq!(rows[0]["verdict"]["below_min_score"], false);
    assert!(
        !rows[0]["verdict"]["missing_required"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn per_question_rules_and_required_concepts() {
    let dir = repo();
    write(
        dir.path(),
        "itdq.toml",
        r#"paths = ["answers/retries/strong.md"]
format = "jsonl"

[[map]]
glob = "answers/retries/*.md"
question = "22"

[question.22]
min_score = 10
required = ["circuit-breaker", "jitter"]
"#,
    );
    let o = run(&["check"], dir.path());
    let rows = jsonl(&o);
    assert_eq!(rows[0]["verdict"]["min_score"], 10.0);
    let concepts = rows[0]["concepts"].as_array().unwrap();
    let status = |id: &str| {
        concepts.iter().find(|c| c["id"] == id).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let missing: Vec<&str> = rows[0]["verdict"]["missing_required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for id in ["circuit-breaker", "jitter"] {
        assert_eq!(status(id) != "found", missing.contains(&id), "{id}");
    }
    let expected = if missing.is_empty() { 0 } else { 1 };
    assert_eq!(o.status.code(), Some(expected));
}

#[test]
fn config_errors_name_file_line_and_column() {
    let dir = repo();
    let cases = [
        (
            "paths = [\"answers\"]\nmin_scor = 60\n",
            "itdq.toml:2:1: unknown field `min_scor`",
        ),
        (
            "[[map]]\nglob = \"a/*.md\"\nquestion = \"999\"\n",
            "itdq.toml:3:12: question \"999\" is not in the bank",
        ),
        (
            "[question.22]\nrequired = [\"jitter\", \"telepathy\"]\n",
            "itdq.toml:2:23: question 22 has no concept \"telepathy\"",
        ),
        (
            "[[map]]\nglob = \"a/[.md\"\nquestion = \"22\"\n",
            "itdq.toml:2:8: bad glob",
        ),
        (
            "paths = [\"answers\"]\nformat = \"pdf\"\n",
            "itdq.toml:2:10: unknown format \"pdf\"",
        ),
    ];
    for (config, expected) in cases {
        write(dir.path(), "itdq.toml", config);
        let o = run(&["check", "answers/retries"], dir.path());
        assert_eq!(o.status.code(), Some(2), "{config}");
        assert!(stderr(&o).contains(expected), "{config}: {}", stderr(&o));
    }
    // --config names another file, which must exist.
    let o = run(&["check", "answers", "--config", "nope.toml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--config nope.toml: no such file"));
}

#[test]
fn check_works_without_any_config() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "q22-strong.md", STRONG_22);
    write(dir.path(), "q22-weak.md", WEAK_22);
    write(
        dir.path(),
        "q22-skip.md",
        format!("<!-- itdq: ignore -->\n{WEAK_22}"),
    );
    let o = run(&["check", "q22-strong.md", "--min-score", "60"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The default format of check is the table, also in CI logs.
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("FILE"));
    let o = run(&["check", ".", "--min-score", "60"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        table.contains("q22-weak.md") && !table.contains("q22-skip.md"),
        "{table}"
    );
    assert!(table.contains("1 file opted out"), "{table}");
    // No PATH and no config: nothing to check is a usage error, not a silent pass.
    let o = run(&["check"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to check"), "{}", stderr(&o));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=itdq",
            "-c",
            "user.email=itdq@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn changed_since_checks_only_what_changed_in_git() {
    let dir = repo();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "answers"]);
    git(root, &["tag", "base"]);
    // Nothing changed yet: nothing to check, and that passes.
    let o = run(&["check", "--changed-since", "base"], root);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(jsonl(&o).is_empty());
    // A committed change, an uncommitted one, and a new file.
    write(
        root,
        "answers/retries/strong.md",
        format!("{STRONG_22}\nOne more line.\n"),
    );
    git(root, &["commit", "-q", "-am", "edit"]);
    write(
        root,
        "answers/retries/weak.md",
        format!("{WEAK_22}\nEdited.\n"),
    );
    write(root, "answers/retries/new.md", STRONG_22);
    write(root, "answers/q22-untouched.md", STRONG_22);
    git(root, &["add", "answers/q22-untouched.md"]);
    git(root, &["commit", "-q", "-m", "untouched"]);
    git(root, &["tag", "later"]);
    let o = run(&["check", "--changed-since", "base"], root);
    let rows = jsonl(&o);
    assert_eq!(
        files(&rows),
        [
            "answers/q22-untouched.md",
            "answers/retries/new.md",
            "answers/retries/strong.md",
            "answers/retries/weak.md"
        ]
    );
    let o = run(&["check", "--changed-since", "later"], root);
    assert_eq!(
        files(&jsonl(&o)),
        ["answers/retries/new.md", "answers/retries/weak.md"]
    );
    // A revision git does not know is bad input.
    let o = run(&["check", "--changed-since", "no-such-rev"], root);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--changed-since no-such-rev"),
        "{}",
        stderr(&o)
    );
}
