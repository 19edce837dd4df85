#!/usr/bin/env python3
"""Grades ASAP-SAS sets 1, 5 and 6 with itdq and measures agreement with the human marks.

Usage: asap.py TSV [--itdq BIN] [--bank DIR] [--work DIR] [--sets 1,5,6] [--jobs N] [--dump FILE]

TSV is public_leaderboard_dev.tsv (Id, EssaySet, Score1, EssayText; tab-separated, no quoting).
Every answer of the chosen sets is written to WORK/set<N>/<Id>.txt, and WORK/marks.csv lists
question, score and file for `itdq calibrate`. The answers are graded with `itdq batch ... --format
jsonl` when the binary has that command, and otherwise one `itdq grade --format json` per answer.
Prints, per set, the quadratic weighted kappa on the 0-3 scale and the confusion matrix (rows:
human mark, columns: itdq points); the last line is `qwk1=... qwk5=... qwk6=...`.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

SCALE_MAX = 3


def quadratic_weighted_kappa(human, machine, top=SCALE_MAX):
    """Cohen's kappa with quadratic weights over the integer scale 0..top."""
    n = len(human)
    if n == 0:
        return float("nan")
    k = top + 1
    observed = [[0] * k for _ in range(k)]
    for h, m in zip(human, machine):
        observed[h][m] += 1
    row = [sum(observed[i]) for i in range(k)]
    col = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            num += weight * observed[i][j]
            den += weight * row[i] * col[j] / n
    return 1.0 - num / den if den else 1.0


def read_answers(path, sets):
    csv.field_size_limit(sys.maxsize)
    answers = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header[:3] != ["Id", "EssaySet", "Score1"]:
            sys.exit(f"{path}: expected the columns Id, EssaySet, Score1, EssayText, found {header}")
        for row in reader:
            if len(row) < 4 or row[1] not in sets:
                continue
            answers.append({"id": row[0], "set": row[1], "human": int(row[2]), "text": "\t".join(row[3:])})
    return answers


def has_command(itdq, name):
    probe = subprocess.run([itdq, name, "--help"], capture_output=True, text=True)
    return probe.returncode == 0


def points_of(obj):
    points = obj.get("points")
    if isinstance(points, dict):
        points = points.get("value")
    return points


def concept_summary(report):
    found = [c["id"] for c in report.get("concepts", []) if c.get("status") == "found"]
    negated = [c["id"] for c in report.get("concepts", []) if c.get("status") == "negated"]
    return found, negated


def grade_batch(itdq, bank, folder, question):
    out = subprocess.run(
        [itdq, "batch", folder, "--bank", bank, "--q", question, "--format", "jsonl"],
        capture_output=True, text=True,
    )
    if out.returncode not in (0, 1):
        raise RuntimeError(f"itdq batch failed ({out.returncode}): {out.stderr.strip()}")
    results = {}
    for line in out.stdout.splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        name = os.path.splitext(os.path.basename(obj.get("file", "")))[0]
        results[name] = obj
    return results


def grade_one(itdq, bank, path, question):
    out = subprocess.run(
        [itdq, "grade", path, "--q", question, "--bank", bank, "--format", "json"],
        capture_output=True, text=True,
    )
    if out.returncode not in (0, 1):
        raise RuntimeError(f"itdq grade {path} failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tsv")
    parser.add_argument("--itdq", default=os.environ.get("ITDQ", "itdq"))
    parser.add_argument("--bank", default=os.path.join(here, "bank"))
    parser.add_argument("--work", help="folder for answer files and marks.csv (default: a temporary one)")
    parser.add_argument("--sets", default="1,5,6")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--per-answer", action="store_true", help="use `itdq grade` even if `itdq batch` exists")
    parser.add_argument("--dump", help="write one TSV row per answer: id, set, human, itdq, found, negated, text")
    args = parser.parse_args()

    sets = args.sets.split(",")
    answers = read_answers(args.tsv, sets)
    work = args.work or tempfile.mkdtemp(prefix="asap-sas-")
    try:
        line = evaluate(args, sets, answers, work)
    except RuntimeError as e:
        sys.exit(str(e))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(" ".join(line))


def evaluate(args, sets, answers, work):
    """Grades the answers; prints the agreement per set and returns the `qwkN=...` items."""
    for s in sets:
        os.makedirs(os.path.join(work, f"set{s}"), exist_ok=True)
    with open(os.path.join(work, "marks.csv"), "w", encoding="utf-8", newline="") as marks:
        writer = csv.writer(marks)
        writer.writerow(["question", "score", "file"])
        for a in answers:
            a["file"] = os.path.join(f"set{a['set']}", f"{a['id']}.txt")
            with open(os.path.join(work, a["file"]), "w", encoding="utf-8") as f:
                f.write(a["text"])
            writer.writerow([a["set"], a["human"], a["file"]])

    batch = not args.per_answer and has_command(args.itdq, "batch")
    for s in sets:
        mine = [a for a in answers if a["set"] == s]
        if batch:
            results = grade_batch(args.itdq, args.bank, os.path.join(work, f"set{s}"), s)
            for a in mine:
                if a["id"] not in results:
                    raise RuntimeError(f"answer {a['id']} (set {s}) is missing from the `itdq batch` output")
                a["report"] = results[a["id"]]
        else:
            with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                reports = pool.map(lambda a: grade_one(args.itdq, args.bank, os.path.join(work, a["file"]), s), mine)
                for a, report in zip(mine, reports):
                    a["report"] = report
        for a in mine:
            points = points_of(a["report"])
            if points is None:
                raise RuntimeError(f"answer {a['id']} (set {s}) has no points: does the rubric have a [scale]?")
            a["itdq"] = int(points)
            if not (0 <= a["itdq"] <= SCALE_MAX and 0 <= a["human"] <= SCALE_MAX):
                raise RuntimeError(f"answer {a['id']} (set {s}): marks must be 0-{SCALE_MAX}")

    line = []
    for s in sets:
        mine = [a for a in answers if a["set"] == s]
        if not mine:
            raise RuntimeError(f"no answers of set {s} in {args.tsv}")
        human = [a["human"] for a in mine]
        machine = [a["itdq"] for a in mine]
        qwk = quadratic_weighted_kappa(human, machine)
        exact = sum(h == m for h, m in zip(human, machine)) / len(mine)
        print(f"set {s}: n={len(mine)} qwk={qwk:.3f} exact={exact:.3f}")
        print("  human\\itdq " + " ".join(f"{j:>4}" for j in range(SCALE_MAX + 1)))
        for i in range(SCALE_MAX + 1):
            counts = [sum(1 for h, m in zip(human, machine) if h == i and m == j) for j in range(SCALE_MAX + 1)]
            print(f"  {i:>10} " + " ".join(f"{c:>4}" for c in counts))
        line.append(f"qwk{s}={qwk:.3f}")

    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for a in answers:
                found, negated = concept_summary(a["report"])
                f.write("\t".join([a["id"], a["set"], str(a["human"]), str(a["itdq"]),
                                   ",".join(found), ",".join(negated), a["text"]]) + "\n")
    if has_command(args.itdq, "calibrate"):
        # The engine's own agreement report (per concept hit rates, worst disagreements).
        out = subprocess.run([args.itdq, "calibrate", os.path.join(work, "marks.csv"), "--bank", args.bank],
                             capture_output=True, text=True)
        print(out.stdout, end="")
        if out.returncode not in (0, 1):
            print(f"itdq calibrate failed ({out.returncode}): {out.stderr.strip()}", file=sys.stderr)
    return line


if __name__ == "__main__":
    main()
