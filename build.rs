//! Embeds the built-in bank (bank/questions.toml and rubrics/*.toml) into the binary, so that
//! `itdq grade answer.txt --q 13` works from any folder after `cargo install`, and indexes it for
//! search and question detection: opening a finished index costs far less than writing one.
//!
//! The index goes through the library's own analyzer and index writer, compiled into this script
//! from their source files, so compile-time and run-time indexes cannot drift apart.

use std::fmt::Write as _;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/analyzer.rs"]
mod analyzer;
#[allow(dead_code)]
#[path = "src/dictionary.rs"]
mod dictionary;
#[allow(dead_code)]
#[path = "src/index/documents.rs"]
mod documents;
#[allow(dead_code)]
#[path = "src/negation.rs"]
mod negation;
#[allow(dead_code)]
#[path = "src/spelling.rs"]
mod spelling;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    println!("cargo:rerun-if-changed=bank");
    println!("cargo:rerun-if-changed=rubrics");
    for source in [
        "src/analyzer.rs",
        "src/negation.rs",
        "src/spelling.rs",
        "src/dictionary.rs",
        "data/english-words.txt",
        "src/index/documents.rs",
    ] {
        println!("cargo:rerun-if-changed={source}");
    }
    let mut rubrics: Vec<String> = std::fs::read_dir(root.join("rubrics"))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    rubrics.sort();
    let mut code = String::new();
    let questions = root.join("bank/questions.toml");
    writeln!(
        code,
        "pub(crate) const QUESTIONS: &str = include_str!({:?});",
        questions.display().to_string()
    )
    .unwrap();
    writeln!(code, "pub(crate) const RUBRICS: &[(&str, &str)] = &[").unwrap();
    for name in &rubrics {
        let path = root.join("rubrics").join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    writeln!(code, "];").unwrap();
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);
    std::fs::write(out_dir.join("builtin_bank.rs"), code).expect("write builtin_bank.rs");

    // A bank that does not parse gets no embedded index: the library then indexes it at run
    // time and reports the problem with its file, line and column, which this script cannot.
    let index = match index_bank(root, out_dir) {
        Ok(files) => files,
        Err(why) => {
            println!("cargo:warning=the built-in bank is not indexed at compile time: {why}");
            Vec::new()
        }
    };
    let mut code = String::from("pub(crate) const FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &index {
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    std::fs::write(out_dir.join("builtin_index.rs"), code).expect("write builtin_index.rs");
}

/// The parts of questions.toml the index needs; the library validates the rest.
#[derive(serde::Deserialize)]
struct Questions {
    #[serde(default)]
    question: Vec<QuestionEntry>,
}

#[derive(serde::Deserialize)]
struct QuestionEntry {
    id: String,
    prompt: String,
    reference: Option<String>,
    rubric: Option<String>,
}

/// The parts of a rubric the index needs.
#[derive(serde::Deserialize)]
struct RubricTerms {
    #[serde(default)]
    concept: Vec<ConceptTerms>,
}

#[derive(serde::Deserialize)]
struct ConceptTerms {
    label: String,
    #[serde(default)]
    aliases: Vec<String>,
}

/// Writes the index of the bank under `root` into `out_dir/bank-index/` and returns its files
/// (name, path). Mirrors `BankIndex::build`; a test checks that both rank alike.
fn index_bank(root: &Path, out_dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>, String> {
    let questions_path = root.join("bank/questions.toml");
    let text = std::fs::read_to_string(&questions_path).map_err(|e| e.to_string())?;
    let questions: Questions =
        toml::from_str(&text).map_err(|e| format!("bank/questions.toml: {e}"))?;
    let mut rubrics = Vec::new();
    for q in &questions.question {
        let id = q.id.trim();
        let file = q.rubric.clone().unwrap_or_else(|| match id.parse::<u32>() {
            Ok(n) => format!("q{n:02}.toml"),
            Err(_) => format!("q{id}.toml"),
        });
        let path = root.join("rubrics").join(&file);
        rubrics.push(match std::fs::read_to_string(&path) {
            Ok(text) => {
                let rubric: RubricTerms =
                    toml::from_str(&text).map_err(|e| format!("rubrics/{file}: {e}"))?;
                rubric.concept
            }
            Err(_) => Vec::new(),
        });
    }
    let texts = questions
        .question
        .iter()
        .zip(&rubrics)
        .map(|(q, concepts)| documents::QuestionText {
            prompt: q.prompt.trim(),
            reference: q
                .reference
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty()),
            concepts: concepts
                .iter()
                .flat_map(|c| {
                    std::iter::once(c.label.as_str()).chain(c.aliases.iter().map(String::as_str))
                })
                .collect(),
        });
    let directory = tantivy::directory::RamDirectory::create();
    documents::write(directory.clone(), texts).map_err(|e| e.to_string())?;
    let dir = out_dir.join("bank-index");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for (name, bytes) in documents::files(&directory).map_err(|e| e.to_string())? {
        let path = dir.join(&name);
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        files.push((name, path));
    }
    Ok(files)
}
