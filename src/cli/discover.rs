//! Finding the answer files of a batch: files named on the command line, folders walked
//! recursively (honouring `.gitignore`, `.ignore` and `.itdqignore`), or a list of paths on stdin.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Extensions of the files picked up when walking a folder. Files named on the command line are
/// graded whatever their name.
pub const ANSWER_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "text"];

/// The ignore file of itdq, read like `.gitignore` in every folder walked.
pub const IGNORE_FILE: &str = ".itdqignore";

/// Where the paths of a batch come from.
#[derive(Debug)]
pub enum Inputs {
    /// Files found on disk, sorted and without duplicates.
    Files(Vec<PathBuf>),
    /// `-`: a list of paths read from stdin, one per line, graded in the order given.
    Stdin,
}

/// Expands the PATH arguments: folders are walked, files kept, `-` means a list on stdin.
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Inputs> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        if paths.len() > 1 {
            bail!("`-` (read the list of paths from stdin) cannot be combined with other paths");
        }
        return Ok(Inputs::Stdin);
    }
    let mut files = Vec::new();
    for path in paths {
        // A path that does not exist is kept: it becomes an error row, and the batch goes on.
        if path.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    let mut files: Vec<PathBuf> = files.into_iter().map(tidy).collect();
    files.sort_by_cached_key(|path| order_key(path));
    files.dedup();
    Ok(Inputs::Files(files))
}

fn walk(root: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let walker = ignore::WalkBuilder::new(root)
        // Take-homes are often kept in a plain folder, not a repository: its .gitignore still
        // says what is not an answer.
        .require_git(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .build();
    for entry in walker {
        let entry = entry.with_context(|| format!("cannot walk {}", root.display()))?;
        if entry.file_type().is_some_and(|t| t.is_file()) && is_answer_file(entry.path()) {
            files.push(entry.into_path());
        }
    }
    Ok(())
}

/// Whether a file found in a folder looks like an answer document.
pub fn is_answer_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ANSWER_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

/// A key that orders paths as `Path`'s own `Ord` does (component by component, each kind of
/// component before the next, names by their bytes), computed once per path: comparing paths
/// directly parses them again at every comparison, which made sorting 10,000 files take longer
/// than walking the folders. One string per path: each component as its kind (a byte), its name
/// and a zero byte, which no name holds, so that a name sorts before any longer name it begins.
fn order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for c in path.components() {
        let kind = match c {
            Component::Prefix(_) => 1,
            Component::RootDir => 2,
            Component::CurDir => 3,
            Component::ParentDir => 4,
            Component::Normal(_) => 5,
        };
        key.push(kind);
        key.extend_from_slice(c.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

/// `./answers/q1.md` is shown as `answers/q1.md`.
fn tidy(path: PathBuf) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => path,
    }
}

/// Reads up to `max` paths from a list on stdin (blank lines skipped). An empty result means the
/// list has ended.
pub fn read_stdin_chunk(stdin: &mut impl BufRead, max: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut chunk = Vec::new();
    let mut line = String::new();
    while chunk.len() < max {
        line.clear();
        if stdin
            .read_line(&mut line)
            .context("cannot read the list of paths from stdin")?
            == 0
        {
            break;
        }
        let path = line.trim_end_matches(['\n', '\r']);
        if !path.trim().is_empty() {
            chunk.push(tidy(PathBuf::from(path)));
        }
    }
    Ok(chunk)
}

/// The path as shown in every output, with `/` separators.
pub fn display(path: &Path) -> String {
    let shown = path.display().to_string();
    if std::path::MAIN_SEPARATOR == '\\' {
        shown.replace('\\', "/")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_key_sorts_as_paths_do() {
        let paths: Vec<PathBuf> = [
            "a/b.md",
            "a/b/c.md",
            "a-b.md",
            "a.md",
            "a/b",
            "/abs/x.md",
            ".hidden/q1.md",
            "../up.md",
            "./here.md",
            "a//b.md",
            "A/b.md",
            "a/.b.md",
            "z",
            "a/b/../c.md",
            "caf\u{e9}.md",
            "-x.md",
            "../-x.md",
            "!a/b.md",
            "a/b.md.md",
            "a/b-md",
            "/",
            "",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut by_path = paths.clone();
        by_path.sort();
        let mut by_key = paths;
        by_key.sort_by_cached_key(|p| order_key(p));
        let shown = |v: &[PathBuf]| {
            v.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(&by_key), shown(&by_path));
        // Equal paths written differently keep their input order, as a stable sort keeps them.
        let mut twins = [PathBuf::from("a//b.md"), PathBuf::from("a/b.md")];
        twins.sort_by_cached_key(|p| order_key(p));
        assert_eq!(twins[0].as_os_str(), "a//b.md");
    }
}
