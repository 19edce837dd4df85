//! `itdq check`: a CI check for answer documents kept in a repository, set up by `itdq.toml`.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use clap::ValueEnum;
use globset::{Glob, GlobSet, GlobSetBuilder};
use itdq::config::{self, CheckConfig, Placed};
use itdq::declaration::{Claim, Source};
use itdq::{Bank, Location};

use super::batch::{Run, execute};
use super::discover::{self, Inputs};
use super::grading::{Engine, Policy};
use super::render::{self, BatchFormat};
use super::{BankArgs, ColorWhen};

/// The minimum score when neither `--min-score` nor `itdq.toml` sets one: the adequate band.
pub const DEFAULT_MIN_SCORE: f64 = itdq::report::ADEQUATE;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check [default: `paths` of itdq.toml].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Fail answers below SCORE (overrides every minimum of itdq.toml) [default: itdq.toml, else 50].
    #[arg(long, value_name = "SCORE", value_parser = render::parse_score)]
    pub min_score: Option<f64>,
    /// Read settings from FILE instead of the itdq.toml found in the current folder or above.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check only files changed in git since REV (committed, staged, modified or new).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Output format [default: itdq.toml, else from the --output extension, else table].
    #[arg(long, value_enum)]
    pub format: Option<BatchFormat>,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Grade on N threads [default: one per core].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// No summary on stderr and no progress bar.
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub bank: BankArgs,
}

pub fn run(args: CheckArgs, color: ColorWhen) -> anyhow::Result<u8> {
    let cwd = std::env::current_dir().context("cannot tell the current folder")?;
    let config = load_config(args.config.as_deref(), &cwd)?;
    let base = match &config {
        Some((path, _)) => normalize(&cwd.join(path.parent().unwrap_or(Path::new("")))),
        None => cwd.clone(),
    };
    let config = config.map(|(_, c)| c).unwrap_or_default();

    let bank = match (&args.bank.bank, &config.bank) {
        (Some(_), _) | (None, None) => args.bank.load()?,
        (None, Some(dir)) => Bank::from_dir(&base.join(&dir.value))
            .with_context(|| format!("{}: cannot load the bank {}", dir.location, dir.value))?,
    };
    let map = Router::new(&config, &bank, &base)?;
    let policy = policy(&config, &bank, args.min_score)?;
    let format = match (args.format, &config.format) {
        (Some(format), _) => format,
        (None, Some(f)) => BatchFormat::from_str(&f.value, true).map_err(|_| {
            let names: Vec<String> = BatchFormat::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .map(|v| v.get_name().to_string())
                .collect();
            anyhow::anyhow!(
                "{}: unknown format {:?}; one of: {}",
                f.location,
                f.value,
                names.join(", ")
            )
        })?,
        (None, None) => args
            .output
            .as_deref()
            .and_then(BatchFormat::from_extension)
            .unwrap_or(BatchFormat::Table),
    };

    // From here on itdq works in the folder of itdq.toml: globs are written against it, and
    // reports name files relative to it, as code-scanning and annotations expect of a repository.
    let paths: Vec<PathBuf> = if !args.paths.is_empty() {
        args.paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    p.clone()
                } else {
                    relative_to(&cwd.join(p), &base)
                }
            })
            .collect()
    } else if !config.paths.is_empty() {
        config
            .paths
            .iter()
            .map(|p| relative_to(&base.join(&p.value), &base))
            .collect()
    } else {
        bail!(
            "nothing to check: pass PATH, or list `paths` in {}",
            config::FILE_NAME
        );
    };
    let output = args.output.as_ref().map(|o| cwd.join(o));
    std::env::set_current_dir(&base)
        .with_context(|| format!("cannot work in {}", base.display()))?;
    let cwd = base.clone();
    let inputs = match discover::expand(&paths)? {
        Inputs::Stdin => Inputs::Stdin,
        Inputs::Files(files) => {
            let mut files: Vec<PathBuf> = files
                .into_iter()
                .filter(|f| !map.excluded(&cwd.join(f)))
                .collect();
            if let Some(rev) = &args.changed_since {
                let changed = changed_since(rev, &cwd)?;
                files.retain(|f| std::fs::canonicalize(f).is_ok_and(|c| changed.contains(&c)));
            } else if files.is_empty() {
                bail!(
                    "no answer files found in {}",
                    paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            Inputs::Files(files)
        }
    };
    let min_score = args
        .min_score
        .or(config.min_score)
        .or(Some(DEFAULT_MIN_SCORE));
    let engine = Engine::new(&bank, policy, move |path: &Path| {
        map.question_for(&cwd.join(path))
    });
    let code = execute(Run {
        engine: &engine,
        inputs,
        format,
        output,
        jobs: args.jobs,
        quiet: args.quiet,
        color,
        min_score,
        most_missed: 5,
    });
    // The process ends here: freeing every compiled grader one by one would only cost time
    // (about 15 M instructions for the 50 built-in rubrics).
    std::mem::forget(engine);
    code
}

/// `--config FILE`, or the first itdq.toml in the current folder or a parent.
fn load_config(
    explicit: Option<&Path>,
    cwd: &Path,
) -> anyhow::Result<Option<(PathBuf, CheckConfig)>> {
    let path = match explicit {
        Some(path) => {
            if !path.is_file() {
                bail!("--config {}: no such file", path.display());
            }
            path.to_path_buf()
        }
        None => match cwd
            .ancestors()
            .map(|dir| dir.join(config::FILE_NAME))
            .find(|p| p.is_file())
        {
            Some(found) => relative_to(&found, cwd),
            None => return Ok(None),
        },
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let parsed = CheckConfig::from_toml(&path.display().to_string(), &text)?;
    Ok(Some((path, parsed)))
}

/// The question rules of itdq.toml, checked against the bank.
fn policy(config: &CheckConfig, bank: &Bank, min_score: Option<f64>) -> anyhow::Result<Policy> {
    let mut questions = Vec::new();
    for (id, rules) in &config.questions {
        let location = rules.location.clone().unwrap_or_else(|| Location {
            file: config.file.clone(),
            line: 1,
            column: 1,
        });
        let question = bank
            .question(id)
            .map_err(|_| unknown_question(&location, id))?;
        if !rules.required.is_empty() {
            let rubric = bank.rubric(question)?;
            for concept in &rules.required {
                if !rubric.concepts.iter().any(|c| c.id == concept.value) {
                    let ids: Vec<&str> = rubric.concepts.iter().map(|c| c.id.as_str()).collect();
                    bail!(
                        "{}: question {} has no concept {:?}; its concepts are: {}",
                        concept.location,
                        question.id,
                        concept.value,
                        ids.join(", ")
                    );
                }
            }
        }
        // `--min-score` is the bar for every answer, whatever itdq.toml says per question.
        let own_min = if min_score.is_some() {
            None
        } else {
            rules.min_score
        };
        questions.push((
            question.id.clone(),
            own_min,
            rules.required.iter().map(|c| c.value.clone()).collect(),
        ));
    }
    Ok(Policy {
        min_score: min_score.or(config.min_score).or(Some(DEFAULT_MIN_SCORE)),
        questions,
    })
}

fn unknown_question(location: &Location, id: &str) -> anyhow::Error {
    anyhow::anyhow!("{location}: question {id:?} is not in the bank (see `itdq questions`)")
}

/// The globs of itdq.toml: which files answer which question, and which are left out.
struct Router {
    base: PathBuf,
    map: GlobSet,
    questions: Vec<String>,
    exclude: GlobSet,
}

impl Router {
    fn new(config: &CheckConfig, bank: &Bank, base: &Path) -> anyhow::Result<Router> {
        let mut map = GlobSetBuilder::new();
        let mut questions = Vec::new();
        for m in &config.map {
            map.add(glob(&m.glob)?);
            let question = bank
                .question(&m.question.value)
                .map_err(|_| unknown_question(&m.question.location, &m.question.value))?;
            questions.push(question.id.clone());
        }
        let mut exclude = GlobSetBuilder::new();
        for e in &config.exclude {
            exclude.add(glob(e)?);
        }
        Ok(Router {
            base: base.to_path_buf(),
            map: map
                .build()
                .context("cannot compile the globs of itdq.toml")?,
            questions,
            exclude: exclude
                .build()
                .context("cannot compile the globs of itdq.toml")?,
        })
    }

    /// The path relative to the folder of itdq.toml, which globs are written against.
    fn relative(&self, absolute: &Path) -> Option<PathBuf> {
        normalize(absolute)
            .strip_prefix(&self.base)
            .ok()
            .map(Path::to_path_buf)
    }

    fn question_for(&self, absolute: &Path) -> Option<Claim> {
        let relative = self.relative(absolute)?;
        let first = self.map.matches(&relative).into_iter().min()?;
        Some(Claim {
            question: self.questions[first].clone(),
            source: Source::Config,
            line: 0,
        })
    }

    fn excluded(&self, absolute: &Path) -> bool {
        self.relative(absolute)
            .is_some_and(|r| self.exclude.is_match(&r))
    }
}

fn glob(placed: &Placed<String>) -> anyhow::Result<Glob> {
    globset::GlobBuilder::new(&placed.value)
        .literal_separator(true)
        .build()
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: bad glob {:?}: {}",
                placed.location,
                placed.value,
                e.kind()
            )
        })
}

/// `a/./b/../c` as `a/c`, without touching the disk (the file may be a symlink or not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path under `base` relative to it; others as they are.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path = normalize(path);
    match path.strip_prefix(base) {
        Ok(rest) if rest.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rest) => rest.to_path_buf(),
        Err(_) => path,
    }
}

/// Files changed since `rev` (committed, staged or not) and new untracked files, canonical.
fn changed_since(rev: &str, cwd: &Path) -> anyhow::Result<HashSet<PathBuf>> {
    let top = git(cwd, &["rev-parse", "--show-toplevel"])
        .context("--changed-since needs a git repository")?;
    let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
    if rev.starts_with('-') {
        bail!("--changed-since {rev:?}: not a revision");
    }
    let changed = git(
        &top,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=d",
            rev,
            "--",
        ],
    )
    .with_context(|| format!("--changed-since {rev}: cannot compare with that revision"))?;
    let untracked = git(&top, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    Ok(changed
        .split('\0')
        .chain(untracked.split('\0'))
        .filter(|p| !p.is_empty())
        .filter_map(|p| std::fs::canonicalize(top.join(p)).ok())
        .collect())
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .context("cannot run git (is it installed?)")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("git {}: {}", args.join(" "), stderr.trim());
    }
    String::from_utf8(output.stdout).context("git printed a path that is not UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_without_the_disk() {
        assert_eq!(
            normalize(Path::new("/repo/sub/../answers/./q1.md")),
            PathBuf::from("/repo/answers/q1.md")
        );
        assert_eq!(
            relative_to(Path::new("/repo/answers"), Path::new("/repo")),
            PathBuf::from("answers")
        );
        assert_eq!(
            relative_to(Path::new("/repo"), Path::new("/repo")),
            PathBuf::from(".")
        );
        assert_eq!(
            relative_to(Path::new("/elsewhere/a"), Path::new("/repo")),
            PathBuf::from("/elsewhere/a")
        );
    }
}
