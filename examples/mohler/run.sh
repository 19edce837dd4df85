#!/usr/bin/env bash
# How well does itdq agree with human graders on the Mohler/UNT data-structures answers?
#
#   examples/mohler/run.sh path/to/mohler_dataset_edited.csv
#
# Builds a bank of the 81 questions with their reference answers and no rubrics (so itdq derives
# each rubric from its reference answer), and a marks file of the 2,273 student answers with the
# mean of the two human marks (0-5); then runs `itdq calibrate`, once from the references alone and
# once with `--cohort` (terms many answers to a question share also earn credit), and prints the
# report of the second. The settings were chosen on the odd-numbered assignments; the figures of
# each half are printed too. The last line is `pearson=0.xxx spearman=0.xxx` of the full run with
# --cohort. Not part of `cargo test`: the data lives outside the repository.
set -euo pipefail

csv=${1:?usage: examples/mohler/run.sh path/to/mohler_dataset_edited.csv}
[ -f "$csv" ] || { echo "no such file: $csv" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin itdq --example mohler
itdq="$root/target/release/itdq"
"$root/target/release/examples/mohler" "$csv" "$work"

# The figures of calibrate's last line: "n=... pearson=... spearman=... qwk=... mae=...".
figures() {
  "$itdq" calibrate "$1" --bank "$work/bank" --color never "${@:2}" | tail -n 1 | sed 's/ qwk=[^ ]*//'
}
for half in "" -odd -even; do
  echo "reference only, marks$half:    $(figures "$work/marks$half.csv")"
  echo "with --cohort, marks$half:     $(figures "$work/marks$half.csv" --cohort)"
done
echo
# calibrate exits 0 here: no --min-* threshold is given.
"$itdq" calibrate "$work/marks.csv" --bank "$work/bank" --cohort --color never > "$work/report.txt"
cat "$work/report.txt"
sed -n 's/^n=[0-9]* pearson=\([^ ]*\) spearman=\([^ ]*\) .*/pearson=\1 spearman=\2/p' "$work/report.txt" | tail -n 1
