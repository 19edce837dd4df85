#!/usr/bin/env bash
# Benchmarks `itdq batch` against its targets (issue 4):
#   speed:  10,000 answers of ~300 words read from disk, `itdq batch DIR --format jsonl > /dev/null`,
#           median wall time of 5 runs <= 0.5 s;
#   memory: 100,000 answers, peak RSS <= 100 MB.
# The corpora are generated deterministically by examples/gen_corpus.rs (same N and seed, same
# bytes) under target/bench-corpus/ and reused by later runs.
#
# Usage: scripts/bench-batch.sh            (environment: SPEED_N, MEMORY_N, RUNS, SEED, JOBS)
# Needs hyperfine (apt-get install hyperfine; otherwise a date loop is used) and GNU time
# (apt-get install time) for the memory figure.
set -euo pipefail
cd "$(dirname "$0")/.."

SPEED_N=${SPEED_N:-10000}
MEMORY_N=${MEMORY_N:-100000}
RUNS=${RUNS:-5}
SEED=${SEED:-42}
JOBS=${JOBS:-}
SPEED_TARGET_MS=500
MEMORY_TARGET_KB=$((100 * 1024))

cargo build --release --quiet --bin itdq --example gen_corpus
BIN=target/release/itdq
GEN=target/release/examples/gen_corpus
ROOT=target/bench-corpus

corpus() { # N -> folder, generated once
  local n=$1 dir="$ROOT/n$1-seed$SEED"
  if [[ ! -f "$dir/.complete" ]]; then
    rm -rf "$dir"
    "$GEN" "$dir" "$n" "$SEED"
    touch "$dir/.complete"
  fi
  echo "$dir"
}

jobs_flag=()
[[ -n "$JOBS" ]] && jobs_flag=(--jobs "$JOBS")

# itdq exits 1 when some answers fall short, which generated answers do; 2 would mean inputs it
# could not grade, which a correct corpus never has.
check_run() {
  local code=0
  "$BIN" batch "$1" --format jsonl --quiet "${jobs_flag[@]}" > /dev/null || code=$?
  if [[ $code -ne 0 && $code -ne 1 ]]; then
    echo "itdq batch $1 exited $code" >&2
    exit 1
  fi
}

speed_dir=$(corpus "$SPEED_N")
check_run "$speed_dir" # warm the page cache, and check the corpus grades
echo "== speed: $SPEED_N answers, median of $RUNS runs"
if command -v hyperfine > /dev/null; then
  json=$(mktemp)
  hyperfine --style basic --warmup 1 --runs "$RUNS" -i --export-json "$json" \
    "$BIN batch $speed_dir --format jsonl --quiet ${jobs_flag[*]} > /dev/null"
  median_ms=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(round(r["median"]*1000))' "$json")
  rm -f "$json"
else
  times=()
  for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    check_run "$speed_dir"
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  median_ms=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
  echo "runs (ms): ${times[*]}"
fi
echo "median wall: ${median_ms} ms (target <= ${SPEED_TARGET_MS} ms)"

echo "== memory: $MEMORY_N answers"
memory_dir=$(corpus "$MEMORY_N")
if [[ -x /usr/bin/time ]]; then
  log=$(mktemp)
  code=0
  /usr/bin/time -v "$BIN" batch "$memory_dir" --format jsonl --quiet "${jobs_flag[@]}" > /dev/null 2> "$log" || code=$?
  peak_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  rm -f "$log"
  echo "peak RSS: $((peak_kb / 1024)) MB (target <= $((MEMORY_TARGET_KB / 1024)) MB), wall $wall, exit $code"
else
  echo "GNU time is missing (apt-get install time): no memory figure"
  peak_kb=0
fi

status=0
if ((median_ms > SPEED_TARGET_MS)); then
  echo "SPEED: over target"
  status=1
fi
if ((peak_kb > MEMORY_TARGET_KB)); then
  echo "MEMORY: over target"
  status=1
fi
((status == 0)) && echo "both targets met"
exit $status
