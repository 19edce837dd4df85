//! Where a report goes: stdout, or a file written atomically. A report for `--output FILE` is
//! written to a temporary file beside FILE and renamed over it only when complete, so an
//! interrupted or failed run leaves the old FILE (or none), never half a report. A FILE that
//! exists but is no regular file (`/dev/null`, a named pipe) is written in place: renaming over it
//! would replace the device or pipe with a file.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

pub enum Target {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        temp: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
    /// An existing file that is not a regular one, written in place.
    Special(BufWriter<std::fs::File>),
}

impl Target {
    /// Stdout, or a temporary file in the folder of `path`.
    pub fn open(path: Option<&Path>) -> anyhow::Result<Target> {
        let Some(path) = path else {
            return Ok(Target::Stdout(BufWriter::with_capacity(
                64 * 1024,
                std::io::stdout(),
            )));
        };
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                anyhow::bail!("--output {}: is a folder; give a file name", path.display())
            }
            Ok(m) if !m.is_file() => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("cannot write the report to {}", path.display()))?;
                return Ok(Target::Special(BufWriter::with_capacity(64 * 1024, file)));
            }
            _ => {}
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // Hidden and named for itdq, so that a file left by a killed run is easy to recognise.
        let temp = tempfile::Builder::new()
            .prefix(".itdq-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write the report in {}", dir.display()))?;
        Ok(Target::File {
            temp: BufWriter::with_capacity(64 * 1024, temp),
            path: path.to_path_buf(),
        })
    }

    pub fn writer(&mut self) -> &mut (dyn Write + Send) {
        match self {
            Target::Stdout(out) => out,
            Target::File { temp, .. } => temp,
            Target::Special(out) => out,
        }
    }

    /// Flushes, and for a file moves the finished report into place.
    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            Target::Stdout(mut out) => {
                out.flush()?;
                Ok(())
            }
            Target::Special(mut out) => {
                out.flush().context("cannot write the report")?;
                Ok(())
            }
            Target::File { temp, path } => {
                let temp = temp
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .context("cannot write the report")?;
                temp.as_file().sync_all().ok();
                set_permissions(temp.path(), &path);
                temp.persist(&path)
                    .with_context(|| format!("cannot write the report to {}", path.display()))?;
                Ok(())
            }
        }
    }
}

/// A temporary file is private (0600); the report gets the permissions of the file it replaces, or
/// those of an ordinary new file.
#[cfg(unix)]
fn set_permissions(temp: &Path, target: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let permissions = std::fs::metadata(target)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
    let _ = std::fs::set_permissions(temp, permissions);
}

#[cfg(not(unix))]
fn set_permissions(_temp: &Path, _target: &Path) {}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::FileTypeExt;

    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        let null = Path::new("/dev/null");
        if !std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
            return; // no null device to write to here
        }
        let mut target = Target::open(Some(null)).unwrap();
        assert!(matches!(target, Target::Special(_)));
        target.writer().write_all(b"{}\n").unwrap();
        target.commit().unwrap();
        let after = std::fs::metadata(null).unwrap();
        assert!(after.file_type().is_char_device(), "{after:?}");
    }

    #[test]
    fn a_regular_file_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.jsonl");
        std::fs::write(&path, "old report, longer than the new one\n").unwrap();
        let mut target = Target::open(Some(&path)).unwrap();
        assert!(matches!(target, Target::File { .. }));
        target.writer().write_all(b"new\n").unwrap();
        target.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }
}
