//! `itdq calibrate`, run as a user would, on the small marked sets under fixtures/calibrate/.

use std::process::{Command, Output};

fn itdq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_itdq"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run itdq")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

const BANK: &str = "fixtures/calibrate/bank";

fn json(marks: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["calibrate", marks, "--bank", BANK, "--format", "json"];
    args.extend_from_slice(extra);
    let out = itdq(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn points_on_a_rubric_scale_give_kappa() {
    let c = json("fixtures/calibrate/marks-points.csv", &[]);
    assert_eq!(c["schema_version"], 1);
    assert_eq!(c["overall"]["n"], 6);
    assert_eq!(c["scale"]["source"], "rubric");
    assert_eq!(c["scale"]["max"], 3.0);
    let qwk = c["overall"]["qwk"]
        .as_f64()
        .expect("integer marks on a 0-3 scale have a kappa");
    assert!((-1.0..=1.0).contains(&qwk));
    // answers were marked the way the rubric reads: itdq must at least rank them the same way round
    assert!(c["overall"]["pearson"].as_f64().unwrap() > 0.0);
    let concepts: Vec<&str> = c["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["concept"].as_str().unwrap())
        .collect();
    assert_eq!(concepts, ["backoff", "jitter", "cap"]);
    let sources: Vec<&str> = c["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert!(
        sources
            .iter()
            .all(|s| s.starts_with("fixtures/calibrate/answers/")),
        "{sources:?}"
    );
}

#[test]
fn reference_answers_and_text_columns() {
    let c = json("fixtures/calibrate/marks-reference.csv", &[]);
    assert_eq!(c["overall"]["n"], 7);
    assert_eq!(c["scale"]["source"], "marks");
    assert_eq!(c["scale"]["max"], 5.0);
    assert!(
        c["overall"]["qwk"].is_null(),
        "half marks and no point scale: no kappa"
    );
    assert!(c["overall"]["pearson"].as_f64().unwrap() > 0.0);
    let disagreements = c["disagreements"].as_array().unwrap();
    assert!(disagreements.len() <= 10);
    let gaps: Vec<f64> = disagreements
        .iter()
        .map(|d| d["difference"].as_f64().unwrap().abs())
        .collect();
    assert!(
        gaps.windows(2).all(|w| w[0] >= w[1]),
        "largest first: {gaps:?}"
    );
    assert!(
        disagreements[0]["source"]
            .as_str()
            .unwrap()
            .starts_with("fixtures/calibrate/marks-reference.csv:")
    );
    let given = json(
        "fixtures/calibrate/marks-reference.csv",
        &["--max-mark", "10"],
    );
    assert_eq!(given["scale"]["source"], "given");
}

#[test]
fn thresholds_fail_the_run() {
    let c = json("fixtures/calibrate/marks-points.csv", &[]);
    let spearman = c["overall"]["spearman"].as_f64().unwrap();
    let qwk = c["overall"]["qwk"].as_f64().unwrap();
    let run = |flag: &str, bar: f64| {
        itdq(&[
            "calibrate",
            "fixtures/calibrate/marks-points.csv",
            "--bank",
            BANK,
            flag,
            &format!("{bar}"),
        ])
    };
    assert_eq!(
        run("--min-spearman", spearman - 0.01).status.code(),
        Some(0)
    );
    let below = run("--min-spearman", spearman + 0.01);
    assert_eq!(below.status.code(), Some(1));
    assert!(
        stderr(&below).contains("below --min-spearman"),
        "{}",
        stderr(&below)
    );
    assert_eq!(run("--min-qwk", qwk - 0.01).status.code(), Some(0));
    assert_eq!(run("--min-qwk", qwk + 0.01).status.code(), Some(1));
    assert_eq!(run("--min-pearson", 1.01).status.code(), Some(1));
    // a kappa cannot be had from half marks: asking for one is a usage error
    let out = itdq(&[
        "calibrate",
        "fixtures/calibrate/marks-reference.csv",
        "--bank",
        BANK,
        "--min-qwk",
        "0.5",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("integer marks"), "{}", stderr(&out));
}

#[test]
fn the_human_report_ends_with_the_figures() {
    let out = itdq(&[
        "calibrate",
        "fixtures/calibrate/marks-points.csv",
        "--bank",
        BANK,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for heading in ["Per question", "Concepts:", "Largest disagreements"] {
        assert!(text.contains(heading), "{heading} missing in\n{text}");
    }
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("n=6 pearson=0.") && last.contains(" qwk="),
        "{last}"
    );
}

#[test]
fn bad_marks_files_name_what_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "question,mark,text\nretry,1,x\n",
            "must name the columns `question` and `score`",
        ),
        (
            "question,score\nretry,1\n",
            "neither a `file` nor a `text` column",
        ),
        (
            "question,score,text\nretry,1,fine\nretry,lots,x\n",
            "marks.csv:3: score \"lots\" is not a number",
        ),
        (
            "question,score,text\nnope,1,x\n",
            "marks.csv:2: cannot grade this row",
        ),
        ("question,score,file\nretry,1,missing.txt\n", "marks.csv:2"),
        (
            "question,score,file,text\nretry,1,a.txt,also text\n",
            "both `file` and `text`",
        ),
        ("question,score,text\n", "no marked answers"),
    ];
    for (content, expected) in cases {
        let path = dir.path().join("marks.csv");
        std::fs::write(&path, content).unwrap();
        let out = itdq(&["calibrate", path.to_str().unwrap(), "--bank", BANK]);
        assert_eq!(out.status.code(), Some(2), "{content}");
        assert!(
            stderr(&out).contains(expected),
            "expected {expected:?} for {content:?}, got {}",
            stderr(&out)
        );
    }
    let out = itdq(&["calibrate", "fixtures/calibrate/none.csv", "--bank", BANK]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("none.csv"), "{}", stderr(&out));
}

#[test]
fn a_cohort_only_touches_reference_questions() {
    let plain = json("fixtures/calibrate/marks-points.csv", &[]);
    let cohort = json("fixtures/calibrate/marks-points.csv", &["--cohort"]);
    assert_eq!(
        plain["overall"], cohort["overall"],
        "a rubric file is used as written"
    );
}

#[test]
fn snapshot_of_a_human_report() {
    let out = itdq(&[
        "calibrate",
        "fixtures/calibrate/marks-points.csv",
        "--bank",
        BANK,
    ]);
    insta::assert_snapshot!("calibrate_points", String::from_utf8(out.stdout).unwrap());
}
