//! Embeds the built-in bank (bank/questions.toml and rubrics/*.toml) into the binary, so that
//! `itdq grade answer.txt --q 13` works from any folder after `cargo install`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    println!("cargo:rerun-if-changed=bank");
    println!("cargo:rerun-if-changed=rubrics");
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
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_bank.rs");
    std::fs::write(out, code).expect("write builtin_bank.rs");
}
