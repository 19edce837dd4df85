//! What an answer file says about itself: the question it answers (front matter
//! `question: 13`, a marker `<!-- itdq: question 13 -->`, or its file name such as `q13.md`), and
//! whether it opts out of checking (`<!-- itdq: ignore -->`).
//!
//! Front matter and markers are directives for itdq, not part of the answer: [`Declarations::mask`]
//! blanks them out (keeping every byte offset and line) before grading.

use std::borrow::Cow;
use std::ops::Range;

/// Where the question of an answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `--q` on the command line.
    Flag,
    /// A glob of `itdq.toml` that maps files to a question.
    Config,
    /// `question: 13` in front matter.
    FrontMatter,
    /// `<!-- itdq: question 13 -->`.
    Marker,
    /// A `## Q13` section of a take-home.
    Section,
    /// The file or folder name (`q13.md`, `13-jane.txt`, `question-13/...`).
    FileName,
    /// Guessed from the text.
    Detected,
}

impl Source {
    /// The name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Flag => "flag",
            Source::Config => "config",
            Source::FrontMatter => "front-matter",
            Source::Marker => "marker",
            Source::Section => "section",
            Source::FileName => "file-name",
            Source::Detected => "detected",
        }
    }

    /// How a person would say where the question came from, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Source::Flag => "--q",
            Source::Config => "itdq.toml",
            Source::FrontMatter => "the front matter",
            Source::Marker => "the itdq marker",
            Source::Section => "the section heading",
            Source::FileName => "the file name",
            Source::Detected => "detection",
        }
    }
}

/// A question id named somewhere, with the 1-based line where it was named (0 when it came from
/// outside the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub question: String,
    pub source: Source,
    pub line: usize,
}

/// Two directives in one file that name different questions.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} names question {} (line {}) but {} names question {} (line {}); keep one",
    first.source.describe(), first.question, first.line, second.source.describe(), second.question, second.line)]
pub struct Conflict {
    pub first: Claim,
    pub second: Claim,
}

/// The directives found in one answer text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declarations {
    /// The question named by front matter, else by a marker.
    pub question: Option<Claim>,
    /// The file carries `<!-- itdq: ignore -->`.
    pub ignore: bool,
    /// Byte ranges to blank out before grading: the front matter block and every marker.
    directives: Vec<Range<usize>>,
}

impl Declarations {
    /// Reads the front matter and the itdq markers of `text`.
    pub fn read(text: &str) -> Result<Declarations, Conflict> {
        let mut found = Declarations::default();
        let mut claims = Vec::new();
        if let Some((range, question)) = front_matter(text) {
            found.directives.push(range);
            if let Some((question, line)) = question {
                claims.push(Claim {
                    question,
                    source: Source::FrontMatter,
                    line,
                });
            }
        }
        for (range, directive) in markers(text) {
            let line = text[..range.start].matches('\n').count() + 1;
            found.directives.push(range);
            match directive {
                Marker::Ignore => found.ignore = true,
                Marker::Question(question) => claims.push(Claim {
                    question,
                    source: Source::Marker,
                    line,
                }),
                Marker::Unknown => {}
            }
        }
        let mut claims = claims.into_iter();
        if let Some(first) = claims.next() {
            if let Some(second) =
                claims.find(|c| canonical(&c.question) != canonical(&first.question))
            {
                return Err(Conflict { first, second });
            }
            found.question = Some(first);
        }
        Ok(found)
    }

    /// `text` with the front matter and markers replaced by spaces (line breaks kept), so that
    /// evidence found in the result points at the same lines, columns and bytes of `text`.
    pub fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.directives.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut bytes = text.as_bytes().to_vec();
        for range in &self.directives {
            for b in &mut bytes[range.clone()] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
        // Only whole characters were replaced (ranges start and end at ASCII delimiters), each
        // byte of them by an ASCII space.
        Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
    }
}

/// A YAML (`---`) or TOML (`+++`) front matter block at the very start of `text`: its byte range
/// and the question it names with its line.
#[allow(clippy::type_complexity)]
fn front_matter(text: &str) -> Option<(Range<usize>, Option<(String, usize)>)> {
    let fence = if text.starts_with("---") {
        "---"
    } else if text.starts_with("+++") {
        "+++"
    } else {
        return None;
    };
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != fence {
        return None;
    }
    let mut offset = first.len();
    let mut question = None;
    for (index, line) in lines.enumerate() {
        offset += line.len();
        let content = line.trim();
        if content == fence || (fence == "---" && content == "...") {
            return Some((0..offset, question));
        }
        let separator = if fence == "---" { ':' } else { '=' };
        if let Some((key, value)) = content.split_once(separator)
            && key.trim().eq_ignore_ascii_case("question")
            && question.is_none()
        {
            let value = value
                .split(" #")
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches(['"', '\''])
                .trim();
            if !value.is_empty() {
                question = Some((value.to_string(), index + 2));
            }
        }
    }
    // No closing fence: a thematic break, not front matter.
    None
}

enum Marker {
    Question(String),
    Ignore,
    Unknown,
}

/// Every `<!-- itdq: ... -->` comment, with what it says.
fn markers(text: &str) -> Vec<(Range<usize>, Marker)> {
    let mut found = Vec::new();
    let mut from = 0;
    // memchr's searcher: every answer of a batch is scanned, nearly always in vain.
    let find =
        |haystack: &str, needle: &str| memchr::memmem::find(haystack.as_bytes(), needle.as_bytes());
    while let Some(at) = find(&text[from..], "<!--") {
        let start = from + at;
        let Some(len) = find(&text[start..], "-->") else {
            break;
        };
        let end = start + len + 3;
        from = end;
        let inner = text[start + 4..end - 3].trim();
        let Some(rest) = strip_prefix_ignore_case(inner, "itdq") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        let marker = match words.as_slice() {
            [w] if w.eq_ignore_ascii_case("ignore") => Marker::Ignore,
            [w, id] if w.eq_ignore_ascii_case("question") || w.eq_ignore_ascii_case("q") => {
                Marker::Question(id.to_string())
            }
            [w] if w.len() > 1
                && (w.starts_with('q') || w.starts_with('Q'))
                && w[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                Marker::Question(w[1..].to_string())
            }
            _ => Marker::Unknown,
        };
        found.push((start..end, marker));
    }
    found
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

/// The question a path names: the file name first (`q13.md`, `Q13-jane.md`, `question13.txt`,
/// `13-jane.txt`, `13_jane.md`), then the folders from the nearest up (`question-13/jane.md`,
/// `q13/jane.md`). Folders need the `q` or `question` prefix: a folder named `2024` is a year, not a
/// question.
pub fn question_in_path(path: &str) -> Option<Claim> {
    let mut parts = path.rsplit(['/', '\\']).filter(|p| !p.is_empty());
    let file = parts.next()?;
    let stem = file
        .rsplit_once('.')
        .map_or(file, |(stem, _)| if stem.is_empty() { file } else { stem });
    if let Some(question) = question_in_name(stem, true) {
        return Some(Claim {
            question,
            source: Source::FileName,
            line: 0,
        });
    }
    parts
        .find_map(|folder| question_in_name(folder, false))
        .map(|question| Claim {
            question,
            source: Source::FileName,
            line: 0,
        })
}

fn question_in_name(name: &str, allow_bare_number: bool) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("question") {
        rest.trim_start_matches(['-', '_', ' ', '.'])
    } else if let Some(rest) = lower.strip_prefix('q') {
        rest.trim_start_matches(['-', '_'])
    } else if allow_bare_number {
        lower.as_str()
    } else {
        return None;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    let after = &rest[digits..];
    // `13-jane`, `q13_v2`, `q13 draft`, `13`: the number must stand alone, not start `13abc`
    // or a date such as `2024.05`.
    if !(after.is_empty() || after.starts_with(['-', '_', ' '])) {
        return None;
    }
    Some(canonical(&rest[..digits]).into_owned())
}

/// `07`, `q7` and `7` are one id; other ids are kept as written.
pub(crate) fn canonical(id: &str) -> Cow<'_, str> {
    let trimmed = id.trim().trim_start_matches(['q', 'Q']);
    match trimmed.parse::<u64>() {
        Ok(n) => Cow::Owned(n.to_string()),
        Err(_) => Cow::Borrowed(id.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(text: &str) -> Option<(String, Source, usize)> {
        Declarations::read(text)
            .unwrap()
            .question
            .map(|c| (c.question, c.source, c.line))
    }

    #[test]
    fn front_matter_names_the_question() {
        assert_eq!(
            question("---\nname: Jane\nquestion: 13\n---\nbody\n"),
            Some(("13".into(), Source::FrontMatter, 3))
        );
        assert_eq!(
            question("---\nquestion: \"q07\"  # retries\n---\n"),
            Some(("q07".into(), Source::FrontMatter, 2))
        );
        assert_eq!(
            question("+++\nquestion = \"22\"\n+++\nbody"),
            Some(("22".into(), Source::FrontMatter, 2))
        );
        // A thematic break is not front matter, and front matter must open the file.
        assert_eq!(question("---\nquestion: 13\nno closing fence\n"), None);
        assert_eq!(question("intro\n---\nquestion: 13\n---\n"), None);
    }

    #[test]
    fn markers_name_the_question_or_opt_out() {
        assert_eq!(
            question("Answer.\n<!-- itdq: question 13 -->\n"),
            Some(("13".into(), Source::Marker, 2))
        );
        assert_eq!(
            question("<!--itdq:q7-->"),
            Some(("7".into(), Source::Marker, 1))
        );
        assert_eq!(question("<!-- just a comment: question 13 -->"), None);
        let d = Declarations::read("text <!-- ITDQ: ignore --> more").unwrap();
        assert!(d.ignore && d.question.is_none());
    }

    #[test]
    fn conflicting_directives_are_an_error_and_agreeing_ones_are_not() {
        let err =
            Declarations::read("---\nquestion: 13\n---\n<!-- itdq: question 22 -->\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the front matter names question 13 (line 2) but the itdq marker names question 22 (line 4); keep one"
        );
        assert!(
            Declarations::read("---\nquestion: 13\n---\n<!-- itdq: question Q13 -->\n").is_ok()
        );
    }

    #[test]
    fn masking_keeps_offsets_and_lines() {
        let text = "---\nquestion: 13\n---\nJitter \u{e9}t\u{e9} <!-- itdq: question 13 --> here\n";
        let d = Declarations::read(text).unwrap();
        let masked = d.mask(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.matches('\n').count(), text.matches('\n').count());
        assert!(!masked.contains("question") && !masked.contains("---"));
        let at = text.find("here").unwrap();
        assert_eq!(&masked[at..at + 4], "here");
        assert!(matches!(
            Declarations::default().mask("plain"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn paths_name_questions() {
        let cases = [
            ("q13.md", Some("13")),
            ("answers/Q07-jane.md", Some("7")),
            ("13-jane.txt", Some("13")),
            ("13_jane.md", Some("13")),
            ("question13.txt", Some("13")),
            ("takehomes/question-13/jane.md", Some("13")),
            ("takehomes/q22/jane.md", Some("22")),
            ("2024/jane.md", None),
            ("2024.05.01-notes.md", None),
            ("jane.md", None),
            ("quality.md", None),
            ("q13abc.md", None),
        ];
        for (path, expected) in cases {
            assert_eq!(
                question_in_path(path).map(|c| c.question),
                expected.map(String::from),
                "{path}"
            );
        }
    }
}
