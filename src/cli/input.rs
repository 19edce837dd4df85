//! Reading answers from files and stdin, with limits and decoding.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};
use itdq::Decoded;

/// Answers larger than this are refused: no interview answer is a megabyte long, and a file that
/// size is far more likely a mistake (a log, an archive) than a take-home.
pub const MAX_ANSWER_BYTES: u64 = 1 << 20;

/// Reads and decodes an answer from a path, or from stdin when the path is `-`.
pub fn read_answer(path: &Path) -> anyhow::Result<Decoded> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    if name == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_ANSWER_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("cannot read the answer from stdin")?;
    } else {
        if path.is_dir() {
            bail!(
                "{name}: is a folder; `itdq grade` takes one answer file (use `itdq batch` for folders)"
            );
        }
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open the answer {name}"))?;
        file.take(MAX_ANSWER_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read the answer {name}"))?;
    }
    let shown = if name == "-" { "stdin" } else { name.as_str() };
    if bytes.len() as u64 > MAX_ANSWER_BYTES {
        bail!(
            "{shown}: larger than {} KiB; an answer file must be smaller (is this the right file?)",
            MAX_ANSWER_BYTES / 1024
        );
    }
    itdq::decode(&bytes).with_context(|| format!("{shown}: cannot grade it"))
}

/// Reads and decodes an answer file of a batch. The error is the reason alone, without the path:
/// the row it becomes already names the file.
pub fn read_batch_answer(path: &Path) -> Result<Decoded, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read it: {}", io_reason(&e)))?;
    // Sized from the file's length, so the whole file comes in one read (and one more that
    // finds its end) instead of a buffer grown read by read.
    let size = file.metadata().map_or(0, |m| m.len()).min(MAX_ANSWER_BYTES) as usize;
    let mut bytes = Vec::with_capacity(size + 1);
    file.take(MAX_ANSWER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it: {}", io_reason(&e)))?;
    if bytes.len() as u64 > MAX_ANSWER_BYTES {
        return Err(format!(
            "larger than {} KiB; an answer file must be smaller (is this the right file?)",
            MAX_ANSWER_BYTES / 1024
        ));
    }
    itdq::decode(&bytes).map_err(|e| e.to_string())
}

/// An I/O error without the "(os error 2)" suffix that means nothing to a reader.
fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a folder".into(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_string(),
                None => text,
            }
        }
    }
}
