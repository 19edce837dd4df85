//! `itdq batch`: the real binary on temporary folders, asserting output and exit codes.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const STRONG_22: &str = include_str!("../fixtures/answers/q22-strong.md");
const WEAK_22: &str = include_str!("../fixtures/answers/q22-weak.md");

fn itdq() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_itdq"));
    cmd.env_remove("NO_COLOR").env("CLICOLOR", "0");
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

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn jsonl(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn row<'a>(rows: &'a [Value], file: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["file"] == file)
        .unwrap_or_else(|| panic!("no row for {file}: {rows:?}"))
}

#[test]
fn all_graded_and_passing_exits_0_with_the_grade_json_fields() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "answers/q22-jane.md", STRONG_22);
    let o = run(&["batch", "answers", "--format", "jsonl"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = jsonl(&o);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["file"], "answers/q22-jane.md");
    assert_eq!(r["question"]["id"], "22");
    assert_eq!(r["question_from"], "file-name");
    assert_eq!(r["verdict"]["passed"], true);
    // The same fields as `itdq grade --format json`.
    let grade = itdq()
        .args([
            "grade",
            "answers/q22-jane.md",
            "--q",
            "22",
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let single: Value = serde_json::from_slice(&grade.stdout).unwrap();
    for (key, value) in single.as_object().unwrap() {
        assert_eq!(&r[key], value, "field {key}");
    }
    // The human summary goes to stderr.
    assert!(stderr(&o).contains("1 answer graded"), "{}", stderr(&o));
}

#[test]
fn below_the_threshold_or_missing_a_required_concept_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "q22-strong.md", STRONG_22);
    write(dir.path(), "q22-weak.md", WEAK_22);
    let o = run(
        &["batch", ".", "--format", "jsonl", "--fail-under", "60"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let rows = jsonl(&o);
    let weak = row(&rows, "q22-weak.md");
    assert_eq!(weak["verdict"]["passed"], false);
    assert_eq!(weak["verdict"]["below_min_score"], true);
    assert_eq!(weak["verdict"]["min_score"], 60.0);
    assert_eq!(row(&rows, "q22-strong.md")["verdict"]["passed"], true);

    // Without a threshold, a missing required concept still fails the answer.
    let o = run(&["batch", "q22-weak.md", "--format", "jsonl"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let rows = jsonl(&o);
    let missing = rows[0]["verdict"]["missing_required"].as_array().unwrap();
    assert!(!missing.is_empty());
    assert_eq!(rows[0]["verdict"]["below_min_score"], false);
}

#[test]
fn inputs_that_cannot_be_graded_become_error_rows_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "q22-ok.md", STRONG_22);
    write(dir.path(), "q99-unknown.md", STRONG_22);
    write(
        dir.path(),
        "notes.md",
        "Some answer that names no question at all.\n",
    );
    write(
        dir.path(),
        "conflict.md",
        "---\nquestion: 13\n---\n<!-- itdq: question 22 -->\nText.\n",
    );
    let binary = write(
        dir.path(),
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    );
    let o = run(&["batch", ".", "--format", "jsonl"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let rows = jsonl(&o);
    let files: Vec<&str> = rows.iter().map(|r| r["file"].as_str().unwrap()).collect();
    // Sorted by path, whatever order the threads finished in.
    assert_eq!(
        files,
        [
            "conflict.md",
            "notes.md",
            "photo.txt",
            "q22-ok.md",
            "q99-unknown.md"
        ]
    );
    assert!(
        row(&rows, "notes.md")["error"]
            .as_str()
            .unwrap()
            .starts_with("cannot tell which question this answers")
    );
    assert!(
        row(&rows, "photo.txt")["error"]
            .as_str()
            .unwrap()
            .contains("binary")
    );
    let unknown = row(&rows, "q99-unknown.md");
    assert!(
        unknown["error"].as_str().unwrap().contains("question 99"),
        "{unknown}"
    );
    assert_eq!(unknown["question_id"], "99");
    assert!(
        row(&rows, "conflict.md")["error"]
            .as_str()
            .unwrap()
            .contains("keep one")
    );
    assert_eq!(row(&rows, "q22-ok.md")["verdict"]["passed"], true);
    assert!(
        stderr(&o).contains("4 could not be graded"),
        "{}",
        stderr(&o)
    );

    // A file named on the command line that cannot be read is an error row too.
    let o = run(
        &[
            "batch",
            "missing.md",
            binary.to_str().unwrap(),
            "--format",
            "jsonl",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    let rows = jsonl(&o);
    assert_eq!(
        row(&rows, "missing.md")["error"],
        "cannot read it: no such file"
    );
    assert_eq!(rows.len(), 2);
}

#[test]
fn the_question_comes_from_flag_front_matter_marker_then_file_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.md",
        format!("---\nquestion: 22\n---\n{STRONG_22}"),
    );
    write(
        dir.path(),
        "b.md",
        format!("<!-- itdq: question 22 -->\n{STRONG_22}"),
    );
    write(dir.path(), "question-22/c.md", STRONG_22);
    let o = run(&["batch", ".", "--format", "jsonl"], dir.path());
    let rows = jsonl(&o);
    assert_eq!(row(&rows, "a.md")["question_from"], "front-matter");
    assert_eq!(row(&rows, "b.md")["question_from"], "marker");
    assert_eq!(row(&rows, "question-22/c.md")["question_from"], "file-name");
    for r in &rows {
        assert_eq!(r["question"]["id"], "22");
    }
    // --q beats them all.
    let o = run(
        &["batch", ".", "--q", "13", "--format", "jsonl"],
        dir.path(),
    );
    for r in jsonl(&o) {
        assert_eq!(
            (r["question"]["id"].as_str(), r["question_from"].as_str()),
            (Some("13"), Some("flag"))
        );
    }
    // An unknown --q is bad usage, before anything is graded.
    let o = run(&["batch", ".", "--q", "999"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown question \"999\""),
        "{}",
        stderr(&o)
    );
}

/// The 1-based line `n` of `text`.
fn line_of(text: &str, n: u64) -> &str {
    text.lines().nth(n as usize - 1).unwrap()
}

#[test]
fn a_take_home_is_graded_section_by_section_with_evidence_in_the_original_file() {
    let dir = tempfile::tempdir().unwrap();
    let weak_13 = "Deployment frequency matters. We tracked it.\n";
    let take_home = format!(
        "---\ncandidate: Jane\n---\n# Jane's take-home\n\nIntro that is not graded.\n\n## Q13: Metrics\n\n{weak_13}\n## Question 22\n\n{STRONG_22}"
    );
    write(dir.path(), "jane.md", &take_home);
    let o = run(&["batch", "jane.md", "--format", "jsonl"], dir.path());
    let rows = jsonl(&o);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["question"]["id"], "13");
    assert_eq!(rows[0]["section"]["heading"], "Q13: Metrics");
    assert_eq!(rows[0]["section"]["line"], 8);
    assert_eq!(rows[1]["question"]["id"], "22");
    assert_eq!(rows[1]["question_from"], "section");
    assert_eq!(rows[1]["section"]["line"], 12);
    let section_start = 12;
    let mut checked = 0;
    for concept in rows[1]["concepts"].as_array().unwrap() {
        for e in concept["evidence"].as_array().unwrap() {
            let line = e["line"].as_u64().unwrap();
            assert!(line > section_start, "evidence before its section: {e}");
            let in_file = line_of(&take_home, line);
            let column = e["column"].as_u64().unwrap() as usize;
            let from_column: String = in_file.chars().skip(column - 1).collect();
            let first_word = e["text"]
                .as_str()
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap();
            assert!(
                from_column.starts_with(first_word),
                "line {line} col {column}: {in_file:?} vs {e}"
            );
            checked += 1;
        }
    }
    assert!(checked > 3, "too little evidence to check: {checked}");
    // --q picks the section for its question.
    let o = run(
        &["batch", "jane.md", "--q", "22", "--format", "jsonl"],
        dir.path(),
    );
    let rows = jsonl(&o);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["section"]["line"], 12);
}

#[test]
fn gitignore_itdqignore_and_opt_out_markers_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "q22-a.md", STRONG_22);
    write(dir.path(), "drafts/q22-b.md", STRONG_22);
    write(dir.path(), "build/q22-c.md", STRONG_22);
    write(
        dir.path(),
        "q22-d.md",
        format!("<!-- itdq: ignore -->\n{WEAK_22}"),
    );
    write(dir.path(), "q22-e.pdf", "not an answer file");
    write(dir.path(), ".itdqignore", "drafts/\n");
    write(dir.path(), ".gitignore", "build/\n");
    let o = run(&["batch", ".", "--format", "jsonl"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files: Vec<String> = jsonl(&o)
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, ["q22-a.md"]);
    assert!(stderr(&o).contains("1 file opted out"), "{}", stderr(&o));
    // An empty selection is an error, not a silent success.
    let empty = tempfile::tempdir().unwrap();
    let o = run(&["batch", "."], empty.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no answer files found"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn paths_can_come_from_stdin_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "q22-b.md", STRONG_22);
    write(dir.path(), "q22-a.md", WEAK_22);
    let mut child = itdq()
        .args(["batch", "-", "--format", "jsonl"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"q22-b.md\n\nq22-a.md\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let files: Vec<String> = jsonl(&o)
        .iter()
        .map(|r| r["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, ["q22-b.md", "q22-a.md"]);
}

#[test]
fn an_empty_list_on_stdin_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let o = itdq()
        .args(["batch", "-", "--format", "jsonl"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no paths were read from stdin"),
        "{}",
        stderr(&o)
    );
}

/// `batch . --format jsonl` in `dir`, on one thread and on two.
fn jsonl_on_one_and_two_threads(dir: &Path) -> (Output, Output) {
    let on = |jobs: &str| run(&["batch", ".", "--format", "jsonl", "--jobs", jobs], dir);
    (on("1"), on("2"))
}

#[test]
fn output_is_the_same_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        write(
            dir.path(),
            &format!("q22-{i:02}.md"),
            if i % 3 == 0 { WEAK_22 } else { STRONG_22 },
        );
    }
    let (one, two) = jsonl_on_one_and_two_threads(dir.path());
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(jsonl(&one).len(), 40);
}

/// Answers are graded sorted by question; rows must still come out in file order, each
/// take-home's sections in the order they stand.
#[test]
fn rows_come_out_in_file_order_however_the_questions_are_mixed() {
    let dir = tempfile::tempdir().unwrap();
    let mut expected: Vec<(String, Option<String>)> = Vec::new();
    for i in 0..30 {
        // Questions in an order unlike the files': 22, 13, 7, 1, 50, ...
        let question = [22, 13, 7, 1, 50, 36][i % 6];
        // One folder per candidate, walked in name order.
        let name = match i % 10 {
            3 => format!("c{i:02}/take-home.md"),
            5 => format!("c{i:02}/q99.md"),
            7 => format!("c{i:02}/ignored.md"),
            8 => format!("c{i:02}/binary.md"),
            _ => format!("c{i:02}/q{question}.md"),
        };
        match i % 10 {
            3 => {
                write(
                    dir.path(),
                    &name,
                    format!("# Take-home\n## Q36\nEvents.\n## Q22\n{STRONG_22}\n## Q1\nOKRs.\n"),
                );
                for heading in ["Q36", "Q22", "Q1"] {
                    expected.push((name.clone(), Some(heading.to_string())));
                }
            }
            7 => {
                write(dir.path(), &name, "<!-- itdq: ignore -->\nNot ready.\n");
            }
            8 => {
                write(dir.path(), &name, b"\x00\x01\x02binary\x00".as_slice());
                expected.push((name, None));
            }
            _ => {
                write(
                    dir.path(),
                    &name,
                    if i % 4 == 0 { WEAK_22 } else { STRONG_22 },
                );
                expected.push((name, None));
            }
        }
    }
    let rows_of = |o: &Output| -> Vec<(String, Option<String>)> {
        jsonl(o)
            .iter()
            .map(|row| {
                (
                    row["file"].as_str().unwrap().to_string(),
                    row["section"]["heading"].as_str().map(str::to_string),
                )
            })
            .collect()
    };
    let (one, two) = jsonl_on_one_and_two_threads(dir.path());
    assert_eq!(rows_of(&one), expected);
    assert_eq!(one.stdout, two.stdout);
    // The summary counts every row once, whatever the order of grading.
    assert_eq!(stderr(&one), stderr(&two));
    assert!(
        stderr(&one).contains("27 answers graded · 6 could not be graded · 3 files opted out"),
        "{}",
        stderr(&one)
    );
    // The formats that take rows one by one see the same order.
    let csv = run(
        &["batch", ".", "--format", "csv", "--jobs", "2"],
        dir.path(),
    );
    let csv_files: Vec<String> = stdout(&csv)
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_string())
        .collect();
    let files: Vec<String> = expected.iter().map(|(file, _)| file.clone()).collect();
    assert_eq!(csv_files, files);
    assert_eq!(stderr(&csv), stderr(&two));
}

fn temp_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".itdq-"))
        .collect()
}

#[test]
fn output_files_are_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "answers/q22-a.md", STRONG_22);
    let out = dir.path().join("report.json");
    // The format follows the extension.
    let o = run(&["batch", "answers", "--output", "report.json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let report: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(report["summary"]["graded"], 1);
    assert!(temp_leftovers(dir.path()).is_empty());

    // A run that fails leaves the previous report as it was.
    std::fs::write(&out, "previous report").unwrap();
    let o = run(
        &[
            "batch",
            "answers",
            "--output",
            "report.json",
            "--bank",
            "no-such-bank",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous report");
    assert!(temp_leftovers(dir.path()).is_empty());
}

#[test]
fn a_run_killed_midway_leaves_no_report_behind() {
    let dir = tempfile::tempdir().unwrap();
    let answer = write(dir.path(), "q22-a.md", STRONG_22);
    let mut child = itdq()
        .args([
            "batch",
            "-",
            "--format",
            "jsonl",
            "--output",
            "report.jsonl",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Enough paths for several steps; the list stays open, so the run is still going.
    for _ in 0..1000 {
        writeln!(stdin, "{}", answer.display()).unwrap();
    }
    stdin.flush().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let written = loop {
        let partial: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".itdq-"))
            .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
            .sum();
        if partial > 0 || std::time::Instant::now() > deadline {
            break partial;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(written > 0, "the run never started writing");
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert!(
        !dir.path().join("report.jsonl").exists(),
        "a killed run left a partial report"
    );
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        write(dir.path(), &format!("q22-{i:03}.md"), STRONG_22);
    }
    let mut child = itdq()
        .args(["batch", ".", "--format", "jsonl"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(first.starts_with("{\"file\":"));
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0));
}

/// A mixed batch: passing, failing (with a misconception), an error, and a take-home.
fn mixed_batch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "answers/q22-strong.md", STRONG_22);
    write(
        dir.path(),
        "answers/q22-weak, \"quoted\".md",
        format!("{WEAK_22}\nWe simply retry forever until it works.\n"),
    );
    write(dir.path(), "answers/notes.md", "No question named here.\n");
    write(
        dir.path(),
        "answers/takehome.md",
        format!("# Take-home\n## Q22\n{STRONG_22}\n## Q13\nLead time.\n"),
    );
    dir
}

fn batch(dir: &Path, format: &str) -> Output {
    let o = run(
        &["batch", "answers", "--format", format, "--fail-under", "60"],
        dir,
    );
    assert_eq!(o.status.code(), Some(2), "{format}: {}", stderr(&o));
    o
}

#[test]
fn json_and_jsonl_parse_and_agree() {
    let dir = mixed_batch();
    let lines = jsonl(&batch(dir.path(), "jsonl"));
    assert_eq!(lines.len(), 5);
    let doc: Value = serde_json::from_str(&stdout(&batch(dir.path(), "json"))).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["results"].as_array().unwrap(), &lines);
    let s = &doc["summary"];
    assert_eq!(
        (s["graded"].as_u64(), s["errors"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(
        s["passed"].as_u64().unwrap() + s["failed"].as_u64().unwrap(),
        4
    );
    let bands = &s["bands"];
    let total: u64 = ["strong", "adequate", "weak", "off-topic"]
        .iter()
        .map(|b| bands[b].as_u64().unwrap())
        .sum();
    assert_eq!(total, 4);
    assert!(s["median"].is_number() && s["mean"].is_number());
    let missed = s["most_missed"].as_array().unwrap();
    assert!(!missed.is_empty() && missed.len() <= 5);
    assert!(
        missed
            .windows(2)
            .all(|w| w[0]["missed"].as_u64() >= w[1]["missed"].as_u64())
    );
}

#[test]
fn csv_has_one_row_per_answer_with_quoting() {
    let dir = mixed_batch();
    let text = stdout(&batch(dir.path(), "csv"));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("file,section,question,score,band,passed,missed,error")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5);
    assert!(
        rows.iter()
            .any(|r| r.starts_with("\"answers/q22-weak, \"\"quoted\"\".md\",,22,")),
        "{text}"
    );
    let error = rows
        .iter()
        .find(|r| r.starts_with("answers/notes.md"))
        .unwrap();
    assert!(
        error.contains(",\"cannot tell which question this answers (best guess ")
            && error.ends_with(
                "): add front matter `question: N`, a marker `<!-- itdq: question N -->`, or pass --q\""
            ),
        "{error}"
    );
}

#[test]
fn junit_is_well_formed_with_one_test_case_per_answer() {
    let dir = mixed_batch();
    let text = stdout(&batch(dir.path(), "junit"));
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 5);
    assert_eq!(root.attribute("tests"), Some("5"));
    let failures = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    let errors = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("error")))
        .count();
    assert_eq!(
        root.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    assert_eq!((errors, root.attribute("errors")), (1, Some("1")));
    assert!(failures >= 1);
    assert!(
        cases
            .iter()
            .any(|c| c.attribute("name") == Some("answers/takehome.md:2"))
    );
}

#[test]
fn sarif_results_point_at_files_and_lines_and_name_known_rules() {
    let dir = mixed_batch();
    let doc: Value = serde_json::from_str(&stdout(&batch(dir.path(), "sarif"))).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert!(rules.contains(&r["ruleId"].as_str().unwrap()), "{r}");
        let location = &r["locations"][0]["physicalLocation"];
        assert!(
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("answers/")
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let misconception = results
        .iter()
        .find(|r| r["ruleId"].as_str().unwrap().contains("/misconception/"))
        .expect("the weak answer states a misconception");
    let region = &misconception["locations"][0]["physicalLocation"]["region"];
    assert!(region["startColumn"].is_number() && region["endLine"].is_number());
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"].as_str().unwrap().contains("/missing/"))
    );
    assert!(results.iter().any(|r| r["ruleId"] == "itdq/not-graded"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn github_annotations_and_markdown_summary() {
    let dir = mixed_batch();
    let text = stdout(&batch(dir.path(), "github"));
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::notice "),
            "{line}"
        );
    }
    assert!(
        text.contains("::error file=answers/q22-weak%2C \"quoted\".md,line="),
        "{text}"
    );
    assert!(text.contains(
        "::error file=answers/notes.md,line=1,title=itdq%3A could not grade::cannot tell"
    ));
    let md = stdout(&batch(dir.path(), "markdown"));
    assert!(md.starts_with("## ⚠️ itdq: 4 answers graded"), "{md}");
    assert!(md.contains("| answer | question | score | band | result | missed |"));
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| `answers/")).count(),
        5,
        "{md}"
    );
    assert!(md.contains("### Most often missed"));
}

#[test]
fn the_table_lists_every_answer_then_the_summary() {
    let dir = mixed_batch();
    let text = stdout(&batch(dir.path(), "table"));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("FILE") && lines[0].contains("SCORE"));
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("answers/")).count(),
        5,
        "{text}"
    );
    // Why an answer fell short, or could not be graded, on the line under it.
    let notes = lines
        .iter()
        .position(|l| l.starts_with("answers/notes.md"))
        .unwrap();
    assert!(lines[notes].contains("ERROR"));
    assert!(
        lines[notes + 1].starts_with("    ✗ cannot tell which question"),
        "{text}"
    );
    let weak = lines
        .iter()
        .position(|l| l.starts_with("answers/q22-weak"))
        .unwrap();
    assert!(
        lines[weak].contains("FAIL") && lines[weak + 1].contains("missing required"),
        "{text}"
    );
    assert!(
        text.contains("4 answers graded · 1 could not be graded"),
        "{text}"
    );
    assert!(text.contains("most often missed:"));
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
}
