#!/usr/bin/env bash
# Grades ASAP-SAS sets 1, 5 and 6 with the rubrics of bank/ and prints the quadratic weighted kappa
# against the human marks. Usage: examples/asap-sas/run.sh path/to/public_leaderboard_dev.tsv
# Uses $ITDQ, else target/release/itdq, else target/debug/itdq, else itdq on the PATH.
# Extra arguments go to asap.py (--sets 5, --dump FILE, --work DIR, --per-answer).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tsv=${1:?usage: run.sh public_leaderboard_dev.tsv [asap.py options]}
shift
if [ -z "${ITDQ:-}" ]; then
  for candidate in "$root/target/release/itdq" "$root/target/debug/itdq"; do
    if [ -x "$candidate" ]; then ITDQ=$candidate; break; fi
  done
fi
ITDQ=${ITDQ:-itdq}
command -v "$ITDQ" >/dev/null || { echo "no itdq binary: build it with cargo build --release" >&2; exit 2; }
exec python3 "$here/asap.py" "$tsv" --itdq "$ITDQ" --bank "$here/bank" "$@"
