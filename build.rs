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
#[path = "src/pattern_syntax.rs"]
mod pattern_syntax;
#[allow(dead_code)]
#[path = "src/spelling.rs"]
mod spelling;

#[allow(dead_code)] // the analyzer uses some of the helpers; the keyword-list check the rest
#[path = "src/swar.rs"]
mod swar;
/// Empty here: the analyzer looks words up in it before analysing them, and this script is what
/// fills it for the library.
mod builtin_words {
    pub(crate) static TEXT: &str = "";
    pub(crate) static RECORDS: &[u64] = &[];
    pub(crate) static STEM_OF: &[u32] = &[];
    pub(crate) static STEMS: &str = "";
    pub(crate) static STEM_SPANS: &[(u32, u32)] = &[];
    pub(crate) static WORD_SLOTS: &[u16] = &[];
    pub(crate) static STEM_SLOTS: &[u16] = &[];
}
/// Likewise for the patterns of the built-in rubrics.
#[allow(dead_code)]
mod builtin_patterns {
    pub(crate) static CHECKED: &[(&str, Option<&[&str]>)] = &[];
}

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    link_without_pie();
    println!("cargo:rerun-if-changed=bank");
    println!("cargo:rerun-if-changed=rubrics");
    for source in [
        "src/analyzer.rs",
        "src/negation.rs",
        "src/spelling.rs",
        "src/dictionary.rs",
        "src/pattern_syntax.rs",
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
    // Parsed once, for the question table and for the index.
    let parsed: Result<Questions, String> = std::fs::read_to_string(&questions)
        .map_err(|e| e.to_string())
        .and_then(|text| toml::from_str(&text).map_err(|e| format!("bank/questions.toml: {e}")));
    writeln!(
        code,
        "/// id, section, prompt, reference, rubric file.\n\
         pub(crate) type QuestionRow = (&'static str, &'static str, &'static str, Option<&'static str>, Option<&'static str>);\n\
         pub(crate) const QUESTION_TABLE: Option<&[QuestionRow]> = {};",
        question_table(parsed.as_ref().ok())
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
    std::fs::write(
        out_dir.join("builtin_words.rs"),
        analyse_words(root, &rubrics),
    )
    .expect("write builtin_words.rs");
    std::fs::write(
        out_dir.join("builtin_patterns.rs"),
        check_patterns(root, &rubrics),
    )
    .expect("write builtin_patterns.rs");

    // A bank that does not parse gets no embedded index: the library then indexes it at run
    // time and reports the problem with its file, line and column, which this script cannot.
    let index = match parsed.and_then(|questions| index_bank(root, &questions, out_dir)) {
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

/// On Linux, the `itdq` command is linked as a position-dependent executable. A position-
/// independent one makes the loader apply some 25,000 relocations to the tables of the
/// dependencies (Unicode, Snowball) at every start and copy the 0.5 MB of pages they sit in: a
/// third of the page faults of a one-shot `itdq grade`, and about half a millisecond. The cost is
/// that the executable itself loads at a fixed address (no ASLR for it; libraries keep theirs).
/// Set `ITDQ_PIE=1` to build a position-independent executable anyway.
fn link_without_pie() {
    println!("cargo:rerun-if-env-changed=ITDQ_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let gnu_like = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if linux && gnu_like && std::env::var_os("ITDQ_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// The words of the built-in bank (its questions file and rubrics), each analysed as the analyzer
/// analyses a word of an answer, as a sorted Rust table of (word as written, norm, stem, flags).
fn analyse_words(root: &Path, rubrics: &[String]) -> String {
    let mut words = std::collections::BTreeSet::new();
    let files = std::iter::once(root.join("bank/questions.toml"))
        .chain(rubrics.iter().map(|name| root.join("rubrics").join(name)));
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (start, end) in analyzer::word_spans(&text) {
            words.insert(text[start..end].to_string());
        }
    }
    // Two words of an alias written as one ("back off", "back-off": "backoff") are matched
    // joined too; their norms run together are stemmed as a word.
    let aliases = rubrics
        .iter()
        .flat_map(|name| strings_under(&root.join("rubrics").join(name), "aliases"));
    for alias in aliases {
        let spans: Vec<(usize, usize)> = analyzer::word_spans(&alias).collect();
        for pair in spans.windows(2) {
            let ((a_start, a_end), (b_start, b_end)) = (pair[0], pair[1]);
            if alias[a_end..b_start].chars().count() <= 1 {
                let a = analyzer::analyze_word(&alias[a_start..a_end]);
                let b = analyzer::analyze_word(&alias[b_start..b_end]);
                words.insert(format!("{}{}", &*a.norm, &*b.norm));
            }
        }
    }
    // One text of the words, norms and stems, back to back, and a record for each word packed
    // in a u64: plain bytes and integers, which the loader need not relocate, unlike `&str`s.
    let mut text = String::new();
    let mut records = Vec::new();
    let infos: Vec<_> = words.iter().map(|w| analyzer::analyze_word(w)).collect();
    // The distinct stems, sorted: a stem's number is its place here.
    let stems: std::collections::BTreeSet<&str> = infos.iter().map(|i| &*i.stem).collect();
    let stems: Vec<&str> = stems.into_iter().collect();
    let mut stem_of = Vec::new();
    for (word, info) in words.iter().zip(&infos) {
        let (norm, stem): (&str, &str) = (&info.norm, &info.stem);
        let (Ok(word_len), Ok(norm_len), Ok(stem_len)) = (
            u8::try_from(word.len()),
            u8::try_from(norm.len()),
            u8::try_from(stem.len()),
        ) else {
            continue;
        };
        let start = text.len() as u64;
        stem_of.push(stems.binary_search(&stem).unwrap_or_default() as u32);
        records.push(
            start << 32
                | u64::from(word_len) << 24
                | u64::from(norm_len) << 16
                | u64::from(stem_len) << 8
                | u64::from(info.flags()),
        );
        text.push_str(word);
        text.push_str(norm);
        text.push_str(stem);
    }
    let mut code = format!("pub(crate) static TEXT: &str = {text:?};\n");
    write_array(
        &mut code,
        "RECORDS: &[u64]",
        8,
        records.iter().map(|r| format!("{r:#x}")),
    );
    write_array(
        &mut code,
        "STEM_OF: &[u32]",
        16,
        stem_of.iter().map(u32::to_string),
    );
    writeln!(
        code,
        "pub(crate) static STEMS: &str = {:?};",
        stems.concat()
    )
    .unwrap();
    let mut start = 0;
    let spans = stems.iter().map(|stem| {
        start += stem.len();
        format!("({}, {start})", start - stem.len())
    });
    write_array(&mut code, "STEM_SPANS: &[(u32, u32)]", 8, spans);
    // Hash tables of the words (by record) and the stems (by number), so that looking one up
    // reads one or two places instead of fourteen across the table.
    let record_words = records.iter().map(|&record| {
        let start = (record >> 32) as usize;
        let len = usize::from((record >> 24) as u8);
        &text.as_bytes()[start..start + len]
    });
    let word_slots = hash_table(record_words.collect());
    let stem_slots = hash_table(stems.iter().map(|s| s.as_bytes()).collect());
    for (name, slots) in [("WORD_SLOTS", word_slots), ("STEM_SLOTS", stem_slots)] {
        let items = slots.iter().map(u16::to_string);
        write_array(&mut code, &format!("{name}: &[u16]"), 16, items);
    }
    code
}

/// An open-addressing table of `keys` (entry numbers at their hash's place or after it), at
/// most half full, as `analyzer::table_find` reads it.
fn hash_table(keys: Vec<&[u8]>) -> Vec<u16> {
    assert!(
        keys.len() < usize::from(analyzer::EMPTY_SLOT),
        "too many keys for u16 slots"
    );
    let len = (2 * keys.len()).next_power_of_two().max(2);
    let mut slots = vec![analyzer::EMPTY_SLOT; len];
    for (entry, key) in keys.iter().enumerate() {
        let mut at = analyzer::table_start(key, len);
        while slots[at] != analyzer::EMPTY_SLOT {
            at = (at + 1) & (len - 1);
        }
        slots[at] = entry as u16;
    }
    slots
}

/// Appends `pub(crate) static {declaration} = &[...];` with `items`, `per_line` to a line.
fn write_array(
    code: &mut String,
    declaration: &str,
    per_line: usize,
    items: impl Iterator<Item = String>,
) {
    write!(code, "pub(crate) static {declaration} = &[").unwrap();
    for (i, item) in items.enumerate() {
        if i % per_line == 0 {
            code.push_str("\n   ");
        }
        write!(code, " {item},").unwrap();
    }
    code.push_str("\n];\n");
}

/// Every pattern of the built-in rubrics that parses, with its literal prefixes, as a sorted Rust
/// table. A pattern that does not parse is left for the library to report with its location.
fn check_patterns(root: &Path, rubrics: &[String]) -> String {
    let patterns: std::collections::BTreeSet<String> = rubrics
        .iter()
        .flat_map(|name| strings_under(&root.join("rubrics").join(name), "patterns"))
        .collect();
    let mut code = String::from("pub(crate) static CHECKED: &[(&str, Option<&[&str]>)] = &[\n");
    for pattern in &patterns {
        if let pattern_syntax::PatternCheck::Valid(prefixes) =
            pattern_syntax::check_pattern(pattern)
        {
            let prefixes = match prefixes {
                Some(p) => format!("Some(&{p:?})"),
                None => "None".to_string(),
            };
            writeln!(code, "    ({pattern:?}, {prefixes}),").unwrap();
        }
    }
    code.push_str("];\n");
    code
}

/// Every string in an array under `key` anywhere in the TOML file at `path`; none if the file
/// does not parse (the library reports that).
fn strings_under(path: &Path, key: &str) -> Vec<String> {
    fn collect(value: &toml::Value, here: Option<&str>, key: &str, out: &mut Vec<String>) {
        match value {
            toml::Value::String(s) if here == Some(key) => out.push(s.clone()),
            toml::Value::Array(items) => items.iter().for_each(|v| collect(v, here, key, out)),
            toml::Value::Table(table) => table
                .iter()
                .for_each(|(k, v)| collect(v, Some(k.as_str()), key, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    if let Ok(table) = toml::from_str::<toml::Table>(&text) {
        collect(&toml::Value::Table(table), None, key, &mut out);
    }
    out
}

/// The questions file's entries as a Rust table (id, section, prompt, reference, rubric file), so
/// that loading the built-in bank parses no TOML; `None` when the file does not parse as the
/// library's loader would parse it (the library then parses it and reports the problem).
fn question_table(questions: Option<&Questions>) -> String {
    let Some(questions) = questions else {
        return "None".to_string();
    };
    let mut table = String::from("Some(&[\n");
    for q in &questions.question {
        writeln!(
            table,
            "    ({:?}, {:?}, {:?}, {:?}, {:?}),",
            q.id, q.section, q.prompt, q.reference, q.rubric
        )
        .unwrap();
    }
    table.push_str("])");
    table
}

/// questions.toml, refused as the library's loader refuses it (unknown fields are errors).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Questions {
    #[serde(default)]
    question: Vec<QuestionEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionEntry {
    id: String,
    #[serde(default)]
    section: String,
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
fn index_bank(
    root: &Path,
    questions: &Questions,
    out_dir: &Path,
) -> Result<Vec<(String, std::path::PathBuf)>, String> {
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
