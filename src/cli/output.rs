//! Where a report goes: stdout, or a file written atomically. A report for `--output FILE` is
//! written to a temporary file beside FILE and renamed over it only when complete, so an
//! interrupted or failed run leaves the old FILE (or none), never half a report.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

pub enum Target {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        temp: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
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
        if path.is_dir() {
            anyhow::bail!("--output {}: is a folder; give a file name", path.display());
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
        }
    }

    /// Flushes, and for a file moves the finished report into place.
    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            Target::Stdout(mut out) => {
                out.flush()?;
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
