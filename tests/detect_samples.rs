//! Question detection over the built-in bank: every strong or adequate sample answer of every
//! rubric is detected as its own question, and a text about something else is refused.

use itdq::Bank;
use itdq::detect::Detector;

#[test]
fn every_strong_or_adequate_sample_is_detected_as_its_own_question() {
    let bank = Bank::builtin();
    let detector = Detector::new(&bank).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for question in bank.questions() {
        let rubric = bank.rubric(question).unwrap();
        for sample in rubric.samples.iter().filter(|s| s.min >= 35.0) {
            checked += 1;
            match detector.detect_question(&sample.text) {
                Ok(found) if found.id == question.id => {}
                Ok(found) => failures.push(format!(
                    "{}: {:?} detected as {}",
                    sample.location, sample.name, found.id
                )),
                Err(e) => failures.push(format!(
                    "{}: {:?} refused: {e}",
                    sample.location, sample.name
                )),
            }
        }
    }
    assert!(checked >= 100, "only {checked} samples checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} samples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn text_about_something_else_is_refused() {
    let bank = Bank::builtin();
    let detector = Detector::new(&bank).unwrap();
    let text = "Knead the dough for ten minutes, let it rise for an hour in a warm kitchen, then bake the loaf at 220 degrees until the crust sounds hollow.";
    assert!(detector.detect_question(text).is_err());
}
