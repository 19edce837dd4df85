#!/usr/bin/env bash
# Times `itdq grade FILE --q ID` as a whole process (issue 2 target: median <= 5 ms on a
# 300-word answer). Needs hyperfine (apt-get install hyperfine). Prints the median last.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
file=${1:-fixtures/answers/q22-strong.md}
q=${2:-22}
echo "answer: $file ($(wc -w < "$file") words), question $q"
hyperfine -N --warmup 20 --runs ${RUNS:-200} --export-json /tmp/itdq-grade-bench.json \
  "target/release/itdq grade $file --q $q" >/dev/null
python3 - <<'PY'
import json
r = json.load(open('/tmp/itdq-grade-bench.json'))['results'][0]
print(f"grade wall median={r['median']*1000:.2f}ms mean={r['mean']*1000:.2f}ms min={r['min']*1000:.2f}ms")
PY
