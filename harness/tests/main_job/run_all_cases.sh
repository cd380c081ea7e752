#!/usr/bin/env bash
# The main job in one test: `racecourse run` over every case must meet
# every expectation and leave all four reports.
#
# Usage: run_all_cases.sh RACECOURSE_BINARY WORK_DIR
set -euo pipefail

runner=$1
work=$2
rm -rf "$work"
mkdir -p "$work"

status=0
"$runner" run --report-dir "$work/reports" >"$work/run.log" 2>&1 || status=$?
cat "$work/run.log"
if ((status != 0)); then
  echo "racecourse run exited with $status; expected 0 (every run met)"
  exit 1
fi
for report in results.json junit.xml summary.md index.html; do
  if [[ ! -s $work/reports/$report ]]; then
    echo "missing or empty report: $work/reports/$report"
    exit 1
  fi
done
if ! grep -q '"schema_version"' "$work/reports/results.json"; then
  echo "results.json has no schema_version"
  exit 1
fi
echo "all cases met their expectations; four reports written"
