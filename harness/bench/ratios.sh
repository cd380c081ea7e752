#!/bin/sh
# Prints the results table of README.md from Google Benchmark JSON output.
#
#   ratios.sh FILE.json...                  primitive/baseline ratios
#   ratios.sh --overhead RELEASE.json TSAN.json
#                                           TSan time over release time
#
# Each FILE.json is what a benchmark program writes with
# --benchmark_format=json (or --benchmark_out=FILE.json). With
# --benchmark_repetitions the median aggregate is used, otherwise the one
# run. A benchmark registered with UseRealTime (its run name contains
# /real_time) is compared on wall-clock time, any other on CPU time.
# Needs only POSIX sh and awk, so CI does not need Python.
set -eu

usage() {
  echo "usage: $0 FILE.json... | $0 --overhead RELEASE.json TSAN.json" >&2
  exit 2
}

# Pairs: primitive, baseline, target ratio (primitive time over baseline
# time at most this).
pairs() {
  cat <<'EOF'
BM_ChanSendRecvUnbuffered BM_StdCondVarPingPong 1.5
BM_ChanBufferedThroughput BM_StdDequeQueueThroughput 1.5
BM_SelectTwoReady BM_ChanRecvReady 2
BM_MutexUncontended BM_StdMutexUncontended 1.5
BM_MutexContended BM_StdMutexContended 1.5
BM_WaitGroupAddDoneWait BM_StdCondVarCounterAddDoneWait 1.5
BM_WaitGroupFanIn BM_StdCondVarCounterFanIn 1.5
BM_GoStartWait BM_StdThreadStartJoin 1.5
EOF
}

# Prints "name clock nanoseconds cv" per benchmark found in the JSON
# files: the median aggregate where there is one, and the coefficient of
# variation over the repetitions ("-" without repetitions). Google Benchmark writes one
# field per line and time_unit after real_time and cpu_time, so a record
# is complete at its time_unit line.
bench_times() {
  awk '
    function text(line) {
      sub(/^[^:]*: *"/, "", line)
      sub(/",? *$/, "", line)
      return line
    }
    function number(line) {
      sub(/^[^:]*: */, "", line)
      sub(/,? *$/, "", line)
      return line + 0
    }
    /"run_name":/ { run = text($0); type = ""; aggregate = "" }
    /"run_type":/ { type = text($0) }
    /"aggregate_name":/ { aggregate = text($0) }
    /"real_time":/ { real = number($0) }
    /"cpu_time":/ { cpu = number($0) }
    /"time_unit":/ {
      unit = text($0)
      scale = unit == "us" ? 1e3 : unit == "ms" ? 1e6 : unit == "s" ? 1e9 : 1
      name = run
      sub(/\/.*/, "", name)
      clock = index(run, "/real_time") ? "real" : "cpu"
      value = clock == "real" ? real : cpu
      if (type == "aggregate" && aggregate == "cv") cv[name] = value * 100
      if (type == "aggregate" && aggregate != "median") next
      if (type != "aggregate" && (name in median)) next
      if (type == "aggregate") median[name] = 1
      ns[name] = value * scale
      clocks[name] = clock
    }
    END {
      for (name in ns) {
        printf "%s %s %.6g %s\n", name, clocks[name], ns[name], \
          (name in cv) ? sprintf("%.0f%%", cv[name]) : "-"
      }
    }
  ' "$@"
}

ratio_table() {
  bench_times "$@" > "$tmp/times"
  pairs > "$tmp/pairs"
  awk '
    FNR == NR { clock[$1] = $2; ns[$1] = $3; cv[$1] = $4; next }
    FNR == 1 {
      print "| Primitive | Baseline | Clock | Primitive (ns) | Baseline (ns) | CV | Ratio | Target | Met |"
      print "|---|---|---|---:|---:|---:|---:|---:|---|"
    }
    ($1 in ns) && ($2 in ns) {
      ratio = ns[$1] / ns[$2]
      printf "| %s | %s | %s | %.1f | %.1f | %s / %s | %.2f | %s | %s |\n", \
        $1, $2, clock[$1], ns[$1], ns[$2], cv[$1], cv[$2], ratio, $3, \
        (ratio <= $3 ? "yes" : "no")
    }
  ' "$tmp/times" "$tmp/pairs"
}

overhead_table() {
  bench_times "$1" > "$tmp/release"
  bench_times "$2" > "$tmp/tsan"
  echo "| Benchmark | Clock | Release (ns) | TSan (ns) | TSan / release |"
  echo "|---|---|---:|---:|---:|"
  sort "$tmp/release" | awk '
    FNR == NR { ns[$1] = $3; next }
    ($1 in ns) {
      printf "| %s | %s | %.1f | %.1f | %.1f |\n", \
        $1, $2, $3, ns[$1], ns[$1] / $3
    }
  ' "$tmp/tsan" -
}

[ $# -ge 1 ] || usage
for file in "$@"; do
  if [ "$file" != --overhead ] && [ ! -r "$file" ]; then
    echo "$0: cannot read '$file': pass JSON written with" \
         "--benchmark_format=json" >&2
    exit 2
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$1" = --overhead ]; then
  [ $# -eq 3 ] || usage
  overhead_table "$2" "$3"
else
  ratio_table "$@"
fi
