#!/usr/bin/env bash
# Times `itdq grade FILE --q ID` as a whole process (issue 2 target: median <= 5 ms on a
# 300-word answer). Needs hyperfine (apt-get install hyperfine). Prints the median last.
#
# It also times `itdq --version`, the floor that any run of the binary pays on this host
# (exec, the dynamic loader, page faults; no bank, no grading), so that a figure from a slow or
# virtualised host can be read against it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
file=${1:-fixtures/answers/q22-strong.md}
q=${2:-22}
json=$(mktemp)
trap 'rm -f "$json"' EXIT
echo "answer: $file ($(wc -w < "$file") words), question $q"
hyperfine -N --warmup 20 --runs "${RUNS:-200}" --export-json "$json" \
  "target/release/itdq --version" \
  "target/release/itdq grade '$file' --q '$q'" >/dev/null
python3 - "$json" <<'PY'
import json, sys
floor, grade = json.load(open(sys.argv[1]))['results']
print(f"start-up floor (itdq --version) median={floor['median']*1000:.2f}ms")
print(f"grade wall median={grade['median']*1000:.2f}ms mean={grade['mean']*1000:.2f}ms "
      f"min={grade['min']*1000:.2f}ms (median above the floor: "
      f"{(grade['median'] - floor['median'])*1000:.2f}ms)")
PY
