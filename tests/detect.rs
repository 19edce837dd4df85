//! Question detection over every answer written for the tests: the rubric samples an expert would
//! mark adequate or better, and the fixture answers. Each must be detected as its own question,
//! confidently; a text about something else must be refused.

use itdq::Bank;
use itdq::detect::Detector;

/// Samples expected to score at least this are answers of substance; weaker ones (generic talk,
/// off-topic answers) may be refused, and often should be.
const SUBSTANTIAL: f64 = 35.0;

#[test]
fn every_substantial_rubric_sample_is_detected_as_its_own_question() {
    let bank = Bank::builtin();
    let detector = Detector::new(&bank).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for question in bank.questions() {
        let rubric = bank.rubric(question).unwrap();
        for sample in rubric.samples.iter().filter(|s| s.min >= SUBSTANTIAL) {
            checked += 1;
            let detection = detector.rank(&sample.text);
            match detection.best() {
                Some(best) if best.question == question.id && detection.is_confident() => {}
                best => failures.push(format!(
                    "{}: sample {:?} detected as {:?}",
                    sample.location,
                    sample.name,
                    best.map(|b| (&b.question, b.confidence))
                )),
            }
        }
    }
    // Every question has a strong sample at least, most have two or more.
    assert!(checked >= bank.questions().len(), "{checked} samples");
    assert!(checked >= 100, "only {checked} samples checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} samples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fixture_answers_are_detected_strong_and_weak_alike() {
    let bank = Bank::builtin();
    let detector = Detector::new(&bank).unwrap();
    for (file, expected) in [
        ("fixtures/answers/q22-strong.md", "22"),
        ("fixtures/answers/q22-misspelled.md", "22"),
        ("fixtures/answers/q22-keywords.md", "22"),
        ("fixtures/answers/q22-negated.md", "22"),
        // Off-topic for question 22, because it answers question 13.
        ("fixtures/answers/q22-off-topic.md", "13"),
        // In plain words, without the usual jargon.
        ("fixtures/detect/recovery-plain.md", "21"),
        // Two sentences: thin, but about nothing else.
        ("fixtures/detect/cycle-thin.md", "13"),
        ("fixtures/detect/retries-misspelt.md", "22"),
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        let question = detector
            .detect_question(&text)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(question.id, expected, "{file}");
    }
}

#[test]
fn texts_about_nothing_in_the_bank_are_refused() {
    let bank = Bank::builtin();
    let detector = Detector::new(&bank).unwrap();
    for text in [
        std::fs::read_to_string("fixtures/detect/holiday.md").unwrap(),
        "Knead the dough for ten minutes, let it rise for an hour in a warm kitchen, then bake \
         the loaf at 220 degrees until the crust sounds hollow."
            .to_string(),
        // Too vague to be about anything.
        "It depends on the situation. Every case is different, so I would look at the details, \
         talk to people and make a sensible decision."
            .to_string(),
    ] {
        assert!(detector.detect(&text).is_err(), "{text}");
    }
}
