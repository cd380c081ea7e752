#!/usr/bin/env bash
# Runs one case through the runner, then loads the HTML report it wrote in
# headless Chromium and checks what the rendered page shows.
#
# Usage: render_test.sh RACECOURSE_BINARY WORK_DIR
# Exits 77 (skipped) when Debian's chromium is not installed.
set -euo pipefail

runner=$1
work=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  echo "chromium not found: install Debian's chromium package (ci/setup does)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work/profile"
status=0
"$runner" run msg-update --report-dir "$work/reports" >"$work/run.log" 2>&1 ||
  status=$?
if ((status != 0)); then
  echo "racecourse run msg-update exited with $status:"
  cat "$work/run.log"
  exit 1
fi

# --dump-dom prints the document after the page has loaded and rendered.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
  --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$work/profile" \
  --dump-dom "file://$work/reports/index.html" >"$work/dom.html" \
  2>"$work/chromium.log"

expect() {
  if ! grep -qF -- "$1" "$work/dom.html"; then
    echo "the rendered page does not show: $1"
    echo "--- chromium's log:"
    cat "$work/chromium.log"
    exit 1
  fi
}

expect "msg-update"
expect "data-race"
expect "clean"
expect "racy.cpp"
expect "fixed.cpp"
expect "Hello, universe"
# The racy variant's race names its own source lines, linked to the listing.
racy_line=$(grep -n '^  msg = text;' \
  "$(dirname "$0")/../../../cases/msg-update/racy.cpp" | head -n1 | cut -d: -f1)
expect "racy.cpp:$racy_line"
if grep -q "<script" "$work/dom.html"; then
  echo "the page carries a script element; it must be static"
  exit 1
fi
echo "index.html rendered in $browser and shows the race at racy.cpp:$racy_line"
