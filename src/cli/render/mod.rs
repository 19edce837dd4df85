//! Renderers over the one `Report` model.

pub mod human;
pub mod json;

use std::io::IsTerminal;

use super::ColorWhen;

/// Whether to colour: `--color`, then NO_COLOR, then whether stdout is a terminal.
pub fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Parses a 0-100 score given on the command line.
pub fn parse_score(s: &str) -> Result<f64, String> {
    let value: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{s} is outside 0-100"))
    }
}

/// ANSI styling that is a no-op when colour is off.
#[derive(Clone, Copy, Debug)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, style: anstyle::Style, text: &str) -> String {
        if self.0 {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap(anstyle::Style::new().bold(), text)
    }

    pub fn green(self, text: &str) -> String {
        self.wrap(anstyle::AnsiColor::Green.on_default(), text)
    }

    pub fn red(self, text: &str) -> String {
        self.wrap(anstyle::AnsiColor::Red.on_default(), text)
    }

    pub fn yellow(self, text: &str) -> String {
        self.wrap(anstyle::AnsiColor::Yellow.on_default(), text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap(anstyle::Style::new().dimmed(), text)
    }
}
