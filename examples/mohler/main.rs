//! Turns the Mohler/UNT short-answer data (one flat CSV) into what `itdq calibrate` reads: a bank of
//! reference-only questions and a marks file. Used by `examples/mohler/run.sh`; not part of the
//! tests, since the data lives outside the repository.
//!
//! Input columns: id, question, desired_answer, student_answer, score_me, score_other, score_avg.
//! Output: OUT/bank/questions.toml (id, prompt, reference; no rubric files, so itdq derives each
//! rubric from its reference answer) and OUT/marks.csv (question, score, text), with the average of
//! the two graders as the mark. Nothing of the marks goes into the bank. OUT/marks-odd.csv and
//! OUT/marks-even.csv split the marks by assignment (the number before the dot of a question id):
//! itdq's settings were chosen on the odd half, so the even half shows how they carry over.

use std::path::PathBuf;

use anyhow::{Context, bail};
use serde::Serialize;

#[derive(Serialize)]
struct Questions {
    question: Vec<Question>,
}

#[derive(Serialize)]
struct Question {
    id: String,
    prompt: String,
    reference: String,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out] = args.as_slice() else {
        bail!("usage: mohler MOHLER.csv OUT_DIR");
    };
    let out = PathBuf::from(out);
    let mut reader =
        csv::Reader::from_path(input).with_context(|| format!("cannot read {input}"))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{input}: no column {name:?}"))
    };
    let (id, question, desired, answer, score) = (
        col("id")?,
        col("question")?,
        col("desired_answer")?,
        col("student_answer")?,
        col("score_avg")?,
    );

    let mut questions: Vec<Question> = Vec::new();
    std::fs::create_dir_all(out.join("bank"))?;
    let mut marks = csv::Writer::from_path(out.join("marks.csv"))?;
    let mut odd = csv::Writer::from_path(out.join("marks-odd.csv"))?;
    let mut even = csv::Writer::from_path(out.join("marks-even.csv"))?;
    for w in [&mut marks, &mut odd, &mut even] {
        w.write_record(["question", "score", "text"])?;
    }
    for record in reader.records() {
        let record = record?;
        let qid = record[id].trim().to_string();
        if !questions.iter().any(|q| q.id == qid) {
            questions.push(Question {
                id: qid.clone(),
                prompt: record[question].trim().to_string(),
                reference: record[desired].trim().to_string(),
            });
        }
        let row = [qid.as_str(), record[score].trim(), record[answer].trim()];
        marks.write_record(row)?;
        let assignment: u32 = qid
            .split('.')
            .next()
            .unwrap_or("")
            .parse()
            .with_context(|| format!("question id {qid:?}"))?;
        if assignment % 2 == 1 {
            odd.write_record(row)?
        } else {
            even.write_record(row)?
        }
    }
    for w in [&mut marks, &mut odd, &mut even] {
        w.flush()?;
    }
    let toml = toml::to_string(&Questions {
        question: questions,
    })?;
    std::fs::write(out.join("bank").join("questions.toml"), toml)?;
    Ok(())
}
