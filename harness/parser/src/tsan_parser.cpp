// Entry points: split the log into report blocks, read each block's
// sections, then fill in what depends on the whole report.
#include "racecourse/parser/tsan_parser.hpp"

#include <array>
#include <string>

#include "report_blocks.hpp"
#include "report_sections.hpp"
#include "text.hpp"

namespace racecourse::parser {
namespace {

// TSan's report kinds, as compiler-rt's tsan_report.cpp (LLVM 14) spells
// them in headlines and SUMMARY lines.
constexpr std::array<std::string_view, 15> kKnownKinds{
    "data race on vptr (ctor/dtor vs virtual call)",
    "data race",
    "heap-use-after-free (virtual call vs free)",
    "heap-use-after-free",
    "race on external object",
    "thread leak",
    "destroy of a locked mutex",
    "double lock of a mutex",
    "use of an invalid mutex (e.g. uninitialized or destroyed)",
    "unlock of an unlocked mutex (or by a wrong thread)",
    "read lock of a write locked mutex",
    "read unlock of a write locked mutex",
    "signal-unsafe call inside of a signal",
    "signal handler spoils errno",
    "lock-order-inversion (potential deadlock)",
};

// Recovers the kind of a report whose headline was lost from its SUMMARY
// line, "SUMMARY: ThreadSanitizer: data race file.cpp:8 in f()". The list
// puts longer kinds before their prefixes, so the first match is right.
std::string kind_from_summary(std::string_view summary) {
  detail::consume(summary, "SUMMARY: ThreadSanitizer: ");
  for (const std::string_view kind : kKnownKinds) {
    if (summary.starts_with(kind)) {
      return std::string(kind);
    }
  }
  return {};
}

// Removes ANSI color sequences ("\x1b[1m\x1b[31m"), which TSan prints when
// stderr is a terminal or TSAN_OPTIONS has color=always.
std::string strip_colors(std::string_view text) {
  std::string plain;
  plain.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      const std::size_t end = text.find('m', i);
      if (end != std::string_view::npos && end - i <= 16) {
        i = end;
        continue;
      }
    }
    plain.push_back(text[i]);
  }
  return plain;
}

// Returns the first user-code frame of the report's main stack: the first
// access, else the stack under the headline, a mutex's or a thread's.
const report::Frame* first_user_frame(const TsanReport& report) {
  const report::Finding& finding = report.finding;
  std::vector<const std::vector<report::Frame>*> stacks;
  for (const report::Access& access : finding.accesses) {
    stacks.push_back(&access.stack);
  }
  for (const std::vector<report::Frame>& stack : report.stacks) {
    stacks.push_back(&stack);
  }
  for (const report::MutexInfo& mutex : finding.mutexes) {
    stacks.push_back(&mutex.stack);
  }
  for (const report::ThreadInfo& thread : finding.threads) {
    stacks.push_back(&thread.creation_stack);
  }
  for (const auto* stack : stacks) {
    for (const report::Frame& frame : *stack) {
      if (frame.user_code) {
        return &frame;
      }
    }
  }
  return nullptr;
}

// Builds the one-line message, e.g. "data race on global 'counter' at
// race.cpp:8 in increment()".
std::string describe(const TsanReport& report) {
  const report::Finding& finding = report.finding;
  std::string message =
      finding.kind.empty() ? "ThreadSanitizer report" : finding.kind;
  if (finding.location && finding.location->kind == "global" &&
      !finding.location->name.empty()) {
    message += " on global '" + finding.location->name + "'";
  }
  if (const report::Frame* frame = first_user_frame(report)) {
    const std::string_view file(frame->file);
    message += " at " + std::string(file.substr(file.rfind('/') + 1));
    message += frame->line > 0 ? ":" + std::to_string(frame->line) : "";
    message += " in " + frame->function;
  }
  if (!finding.complete) {
    message += " (incomplete report)";
  }
  return message;
}

void finish_report(TsanReport& report) {
  report::Finding& finding = report.finding;
  if (finding.kind.empty()) {
    finding.kind = kind_from_summary(finding.summary);
    finding.verdict = verdict_for_kind(finding.kind);
  }
  finding.message = describe(report);
}

}  // namespace

report::Verdict verdict_for_kind(std::string_view kind) {
  if (kind.starts_with("data race") || kind.starts_with("race on ") ||
      kind.starts_with("heap-use-after-free")) {
    return report::Verdict::data_race;
  }
  if (kind.starts_with("lock-order-inversion")) {
    return report::Verdict::lock_order_inversion;
  }
  if (kind == "thread leak") {
    return report::Verdict::leak;
  }
  return report::Verdict::misuse;
}

std::vector<TsanReport> parse_tsan_reports(std::string_view text) {
  // The parsed reports refer to nothing in `plain`: their text is copied.
  const std::string plain = text.find('\x1b') == std::string_view::npos
                                ? std::string()
                                : strip_colors(text);
  const std::string_view input = plain.empty() ? text : plain;
  std::vector<TsanReport> reports;
  for (const detail::ReportBlock& block : detail::split_report_blocks(input)) {
    reports.push_back(detail::parse_report_block(block));
    finish_report(reports.back());
  }
  return reports;
}

std::vector<report::Finding> parse_tsan_log(std::string_view text) {
  std::vector<report::Finding> findings;
  for (TsanReport& report : parse_tsan_reports(text)) {
    findings.push_back(std::move(report.finding));
  }
  return findings;
}

}  // namespace racecourse::parser
