//! Fixture answers with snapshots of their human and JSON reports. Review every snapshot change.

use itdq::report::{Band, Status, WarningCode};
use itdq::{Analyzer, Bank, Grader, Report};

/// The report, owning its text: the grader is dropped here.
fn grade(file: &str, question: &str) -> Report<'static> {
    let bank = Bank::builtin();
    let q = bank.question(question).unwrap();
    let text = std::fs::read_to_string(format!("fixtures/answers/{file}")).unwrap();
    Grader::new(q, bank.rubric(q).unwrap(), &Analyzer::new())
        .grade(&text)
        .into_owned()
}

fn json(report: &Report<'_>) -> serde_json::Value {
    serde_json::to_value(itdq::wire::JsonReport::from(report)).unwrap()
}

#[test]
fn fixture_reports_match_their_snapshots() {
    for name in [
        "strong",
        "weak",
        "misspelled",
        "negated",
        "off-topic",
        "keywords",
    ] {
        let report = grade(&format!("q22-{name}.md"), "22");
        insta::assert_json_snapshot!(format!("q22-{name}.json"), json(&report));
    }
}

#[test]
fn fixtures_are_ordered_as_an_expert_would_order_them() {
    let score = |name: &str| grade(&format!("q22-{name}.md"), "22").score;
    let strong = score("strong");
    assert!(strong > score("misspelled"));
    assert!(score("misspelled") > score("negated"));
    assert!(score("negated") > score("weak") || score("weak") == 0.0);
    assert!(score("keywords") < 75.0);
    assert!(score("off-topic") < 10.0);
}

#[test]
fn what_each_fixture_shows() {
    let strong = grade("q22-strong.md", "22");
    assert_eq!(strong.band, Band::Strong);

    let negated = grade("q22-negated.md", "22");
    let status = |r: &Report, id: &str| r.concepts.iter().find(|c| c.id == id).map(|c| c.status);
    assert_eq!(status(&negated, "jitter"), Some(Status::Negated));
    assert_eq!(status(&negated, "timeout"), Some(Status::Negated));

    let misspelled = grade("q22-misspelled.md", "22");
    assert_eq!(status(&misspelled, "jitter"), Some(Status::Found));
    let jitter = misspelled
        .concepts
        .iter()
        .find(|c| c.id == "jitter")
        .unwrap();
    assert!(
        jitter
            .evidence
            .iter()
            .any(|e| matches!(e.how, itdq::MatchKind::Fuzzy { .. })),
        "{:?}",
        jitter.evidence
    );

    let keywords = grade("q22-keywords.md", "22");
    assert!(
        keywords
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::KeywordList)
    );
    assert_ne!(keywords.band, Band::Strong);

    let off_topic = grade("q22-off-topic.md", "22");
    assert_eq!(off_topic.band, Band::OffTopic);
}

#[test]
fn keywords_strung_together_with_spaces_do_not_reach_strong() {
    // The terms of a strong answer to q22, one after another with nothing but spaces between
    // them: no sentence explains any of them.
    let text = "exponential backoff full jitter capped delay max attempts retry only network \
                errors 5xx 429 idempotency key Retry-After header AbortController per attempt \
                timeout awaited setTimeout promise throw last error typed generic helper retry \
                metrics logging circuit breaker retry budget fake timers deterministic tests";
    let bank = Bank::builtin();
    let q = bank.question("22").unwrap();
    let grader = Grader::new(q, bank.rubric(q).unwrap(), &Analyzer::new());
    let report = grader.grade(text);
    // It names enough concepts that, read as prose, it would be strong.
    let found = report
        .concepts
        .iter()
        .filter(|c| c.status == Status::Found)
        .count();
    assert!(found >= 8, "{found} concepts found");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::KeywordList),
        "{:?}",
        report.warnings
    );
    assert_ne!(report.band, Band::Strong);
}
