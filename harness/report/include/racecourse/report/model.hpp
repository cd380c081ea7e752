// The result model shared by the runner, the TSan report parser and the
// report writers. Every writer renders the same `RunSet`; nothing here does
// I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace racecourse::report {

// What a run amounts to. The enumerators are ordered by seriousness, least
// first: a run with several findings takes the most serious one's verdict.
enum class Verdict {
  clean,
  wrong_output,
  leak,
  misuse,
  lock_order_inversion,
  data_race,
  panic,
  deadlock,
  timeout,
  crash,
  error,
};

// Returns the report spelling of `verdict`, such as "data-race".
std::string_view to_string(Verdict verdict);

// Parses a report spelling ("data-race"); returns nullopt for anything else.
std::optional<Verdict> parse_verdict(std::string_view text);

// All verdicts, least serious first.
const std::vector<Verdict>& all_verdicts();

// One stack frame as a report shows it.
struct Frame {
  int index = 0;         // "#3" in TSan's output
  std::string function;  // demangled, may be empty or "<null>"
  std::string file;      // as printed; empty when unknown
  int line = 0;          // 0 when unknown
  int column = 0;        // 0 when unknown (gcc prints none)
  std::string module;    // "libstdc++.so.6+0xd44a2", when printed
  bool user_code = false;  // false for the standard library, libc, TSan
};

// One memory access of a data race.
struct Access {
  bool is_write = false;
  bool is_atomic = false;
  bool is_previous = false;  // TSan's "Previous write ..." line
  int size = 0;              // bytes
  std::string thread;        // "main thread", "T1", "thread T3"
  std::vector<std::string> mutexes_held;  // "M12" ...
  std::vector<Frame> stack;
};

// Where the raced-on memory lives.
struct Location {
  std::string kind;         // "global", "heap", "stack", "tls", "fd", "other"
  std::string name;         // a global's name, when TSan names one
  std::int64_t size = 0;    // bytes, 0 when unknown
  std::string thread;       // the allocating or owning thread
  std::string description;  // the line as TSan printed it
  std::vector<Frame> stack;  // where a heap block was allocated
};

// A thread named in a report and where it was created.
struct ThreadInfo {
  std::string id;           // "T1"; "main thread" for T0
  int os_tid = 0;           // tid=... when printed
  bool finished = false;
  bool running = false;
  std::string created_by;   // "main thread", "T2"
  std::optional<int> goroutine;  // the runtime's goroutine id, when known
  std::vector<Frame> creation_stack;
};

// A mutex named in a report (lock-order inversions, misuse).
struct MutexInfo {
  std::string id;           // "M10"
  std::string description;  // the line as TSan printed it
  std::vector<Frame> stack;  // where it was created or acquired
};

// A goroutine as the runtime's event file describes it.
struct GoroutineInfo {
  int id = 0;
  std::string name;
  std::string state;  // Go's words: "running", "chan send", "semacquire"
  std::string blocked_at;  // "file:line" where it blocked; may be empty
  std::string blocked_function;
  std::string created_at;  // "file:line" of the go() call; empty for main
  std::string created_function;
};

// One thing found in a run: a TSan report, a runtime event, or what the
// runner itself observed (a signal, a hang, an output check that failed).
struct Finding {
  Verdict verdict = Verdict::clean;
  std::string source;   // "tsan", "runtime" or "runner"
  std::string kind;     // TSan's headline kind ("data race") or the event
  std::string message;  // one line for people
  std::string summary;  // TSan's SUMMARY line, or the runtime's message
  std::vector<Access> accesses;
  std::optional<Location> location;
  std::vector<ThreadInfo> threads;
  std::vector<MutexInfo> mutexes;
  std::vector<GoroutineInfo> goroutines;
  std::string raw;       // the finding's original text
  bool complete = true;  // false for a truncated or garbled report
};

// An observable outcome a case declares: a regular expression on stdout
// whose first capture group is the run's outcome value, and optionally a
// pattern that the whole stdout must match (a search, not a full match).
struct OutcomeSpec {
  std::string pattern;   // capture group 1 is the outcome; may be empty
  std::string required;  // stdout must match; may be empty
};

// One execution of one program.
struct Run {
  int index = 0;  // 0-based repetition number
  Verdict verdict = Verdict::clean;
  bool met = false;
  std::vector<std::string> command;
  int exit_code = -1;  // -1 when killed by a signal or never started
  int signal = 0;      // terminating signal, 0 when none
  double duration_seconds = 0;
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
  std::optional<std::string> outcome;  // the captured outcome value
  std::vector<Finding> findings;
  std::string error;  // why the run could not start, for Verdict::error
  std::string hang_analysis;  // thread stacks taken before a kill
};

// All runs of one variant of one case (or of one `check`ed program).
struct VariantResult {
  std::string case_name;  // "msg-update"; the program's name for `check`
  std::string variant;    // "racy", "fixed" or "program"
  std::string title;
  std::string binary;
  std::string source;     // the variant's source file, when known
  std::string lesson;     // path to lesson.md, when known
  std::vector<Verdict> expected;  // met when the verdict is one of these
  OutcomeSpec outcome_spec;
  std::vector<Run> runs;

  int runs_met() const;
  bool all_met() const;
  // Outcome value -> number of runs that produced it.
  std::map<std::string, int> outcome_histogram() const;
};

// One invocation of the runner.
struct RunSet {
  std::string tool_version;
  std::string command;  // "run" or "check"
  std::string started_at;  // ISO 8601, UTC
  double duration_seconds = 0;
  std::string source_dir;  // the repository, for relative source paths
  std::vector<VariantResult> results;

  bool all_met() const;
};

}  // namespace racecourse::report
