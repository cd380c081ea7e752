#!/bin/sh
# Prints the results tables of README.md from Google Benchmark JSON output.
#
#   ratios.sh FILE.json...                  primitive/baseline ratios
#   ratios.sh --overhead RELEASE.json TSAN.json
#                                           TSan time over release time
#
# Each FILE.json is what a benchmark program writes with
# --benchmark_format=json (or --benchmark_out=FILE.json). With
# --benchmark_repetitions the median aggregate is used, otherwise the one
# run. Ratios and the target verdict use CPU time: the process's for
# benchmarks registered with MeasureProcessCPUTime (run name contains
# /process_time), the benchmark thread's for the others. The wall-clock
# ratio is printed beside it for reference.
# Needs only POSIX sh and awk, so CI does not need Python.
set -eu

usage() {
  echo "usage: $0 FILE.json... | $0 --overhead RELEASE.json TSAN.json" >&2
  exit 2
}

# Pairs: primitive, baseline, target ratio (primitive time over baseline
# time at most this), or "-" for a pair shown for reference only.
pairs() {
  cat <<'EOF'
BM_ChanSendRecvUnbuffered BM_StdCondVarPingPong 1.5
BM_ChanSendRecvUnbuffered BM_StdCondVarRendezvousPingPong -
BM_ChanBufferedThroughput BM_StdDequeQueueThroughput 1.5
BM_SelectTwoReady BM_ChanRecvReady 2
BM_MutexUncontended BM_StdMutexUncontended 1.5
BM_MutexContended BM_StdMutexContended 1.5
BM_WaitGroupAddDoneWait BM_StdCondVarCounterAddDoneWait 1.5
BM_WaitGroupFanIn BM_StdCondVarCounterFanIn 1.5
BM_GoStartWait BM_StdThreadStartJoin 1.5
EOF
}

# Prints "name clock cpu_ns cpu_cv wall_ns" per benchmark found in the JSON
# files: medians where there are aggregates, and the coefficient of
# variation of the CPU time over the repetitions ("-" without them). clock
# is "process" or "thread". Google Benchmark writes one field per line and
# time_unit after real_time and cpu_time, so a record is complete at its
# time_unit line.
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
      if (type == "aggregate" && aggregate == "cv") cv[name] = cpu * 100
      if (type == "aggregate" && aggregate != "median") next
      if (type != "aggregate" && (name in median)) next
      if (type == "aggregate") median[name] = 1
      cpu_ns[name] = cpu * scale
      wall_ns[name] = real * scale
      clock[name] = index(run, "/process_time") ? "process" : "thread"
    }
    END {
      for (name in cpu_ns) {
        printf "%s %s %.6g %s %.6g\n", name, clock[name], cpu_ns[name], \
          (name in cv) ? sprintf("%.0f%%", cv[name]) : "-", wall_ns[name]
      }
    }
  ' "$@"
}

ratio_table() {
  bench_times "$@" > "$tmp/times"
  pairs > "$tmp/pairs"
  awk '
    FNR == NR { clock[$1] = $2; cpu[$1] = $3; cv[$1] = $4; wall[$1] = $5; next }
    FNR == 1 {
      print "| Primitive | Baseline | CPU clock | Primitive CPU (ns) | Baseline CPU (ns) | CV | Ratio | Target | Met | Wall ratio |"
      print "|---|---|---|---:|---:|---:|---:|---:|---|---:|"
    }
    ($1 in cpu) && ($2 in cpu) {
      ratio = cpu[$1] / cpu[$2]
      printf "| %s | %s | %s | %.1f | %.1f | %s / %s | %.2f | %s | %s | %.2f |\n", \
        $1, $2, clock[$1], cpu[$1], cpu[$2], cv[$1], cv[$2], ratio, $3, \
        ($3 == "-" ? "reference" : ratio <= $3 + 0 ? "yes" : "no"), \
        wall[$1] / wall[$2]
    }
  ' "$tmp/times" "$tmp/pairs"
}

overhead_table() {
  bench_times "$1" > "$tmp/release"
  bench_times "$2" > "$tmp/tsan"
  echo "| Benchmark | CPU clock | Release CPU (ns) | TSan CPU (ns) | TSan / release |"
  echo "|---|---|---:|---:|---:|"
  sort "$tmp/release" | awk '
    FNR == NR { tsan[$1] = $3; next }
    ($1 in tsan) {
      printf "| %s | %s | %.1f | %.1f | %.1f |\n", \
        $1, $2, $3, tsan[$1], tsan[$1] / $3
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
