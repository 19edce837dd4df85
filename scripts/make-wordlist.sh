#!/usr/bin/env bash
# Rebuilds data/english-words.txt from Debian's wamerican package (SCOWL).
set -euo pipefail
src=${1:-/usr/share/dict/american-english}
[ -f "$src" ] || { echo "no word list at $src: apt-get install wamerican" >&2; exit 2; }
cd "$(dirname "$0")/.."
grep -E '^[a-z]{5,}$' "$src" | LC_ALL=C sort -u > data/english-words.txt
cp /usr/share/doc/wamerican/copyright data/english-words.COPYRIGHT
wc -l data/english-words.txt
