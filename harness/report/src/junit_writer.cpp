#include "racecourse/report/junit_writer.hpp"

#include <algorithm>
#include <sstream>

#include "text.hpp"

namespace racecourse::report {
namespace {

using detail::format_seconds;
using detail::xml_escape;

std::string attr(std::string_view text) {
  return xml_escape(text, true);
}
std::string text(std::string_view text) {
  return xml_escape(text, false);
}

enum class Status { passed, failed, errored, skipped };

Status status_of(const VariantResult& result) {
  if (result.runs.empty()) {
    return Status::skipped;
  }
  if (result.all_met()) {
    return Status::passed;
  }
  // An unmet run with the `error` verdict could not be run at all. That is
  // a problem of the setup, not of the program, so CI reports it as an
  // error rather than a failure.
  const bool could_not_run = std::any_of(
      result.runs.begin(), result.runs.end(),
      [](const Run& r) { return !r.met && r.verdict == Verdict::error; });
  return could_not_run ? Status::errored : Status::failed;
}

double total_seconds(const VariantResult& result) {
  double total = 0;
  for (const Run& run : result.runs) {
    total += run.duration_seconds;
  }
  return total;
}

std::string got_text(const VariantResult& result) {
  std::string out;
  for (const auto& [verdict, count] : detail::verdict_counts(result)) {
    if (!out.empty()) {
      out += ", ";
    }
    out += std::string(to_string(verdict)) + " x" + std::to_string(count);
  }
  return out;
}

std::string failure_message(const VariantResult& result) {
  return std::to_string(result.runs_met()) + " of " +
         std::to_string(result.runs.size()) +
         " runs met the expectation (expected " +
         detail::join_verdicts(result.expected, " or ") + ", got " +
         got_text(result) + ")";
}

// The evidence for an unmet run: what it got, then each finding's message
// and original text, then what the program printed.
void write_unmet_run(std::ostream& out, const Run& run) {
  out << "run " << run.index << ": got " << to_string(run.verdict)
      << ", exit code " << run.exit_code;
  if (run.signal != 0) {
    out << ", signal " << run.signal;
  }
  out << "\n";
  if (!run.error.empty()) {
    out << "  error: " << run.error << "\n";
  }
  for (const Finding& finding : run.findings) {
    out << "  " << to_string(finding.verdict) << ": " << finding.message
        << "\n";
    const std::string& evidence =
        finding.raw.empty() ? finding.summary : finding.raw;
    if (!evidence.empty()) {
      out << evidence << (evidence.back() == '\n' ? "" : "\n");
    }
  }
  if (!run.stdout_text.empty()) {
    out << "  stdout:\n" << run.stdout_text;
    out << (run.stdout_text.back() == '\n' ? "" : "\n");
  }
}

std::string failure_body(const VariantResult& result) {
  std::ostringstream body;
  for (const Run& run : result.runs) {
    if (!run.met) {
      write_unmet_run(body, run);
    }
  }
  return body.str();
}

std::string system_out(const VariantResult& result) {
  std::ostringstream out;
  out << "detection rate: " << result.runs_met() << "/" << result.runs.size()
      << " runs met the expectation ("
      << detail::join_verdicts(result.expected, " or ") << ")\n";
  out << "verdicts: " << got_text(result) << "\n";
  const auto histogram = detail::sorted_outcomes(result);
  if (!histogram.empty()) {
    out << "outcomes:";
    for (const auto& [value, count] : histogram) {
      out << " " << value << " x" << count << ";";
    }
    out << "\n";
  }
  return out.str();
}

void write_testcase(std::ostream& out, const VariantResult& result) {
  out << "    <testcase name=\"" << attr(result.variant) << "\" classname=\""
      << attr(result.case_name) << "\" time=\""
      << format_seconds(total_seconds(result)) << "\">\n";
  switch (status_of(result)) {
    case Status::skipped:
      out << "      <skipped message=\"no runs\"/>\n";
      break;
    case Status::failed:
    case Status::errored: {
      const char* element =
          status_of(result) == Status::failed ? "failure" : "error";
      out << "      <" << element << " message=\""
          << attr(failure_message(result)) << "\" type=\""
          << attr(got_text(result)) << "\">" << text(failure_body(result))
          << "</" << element << ">\n";
      break;
    }
    case Status::passed:
      break;
  }
  out << "      <system-out>" << text(system_out(result)) << "</system-out>\n";
  out << "    </testcase>\n";
}

struct Counts {
  int tests = 0;
  int failures = 0;
  int errors = 0;
  int skipped = 0;
  double seconds = 0;
};

Counts count(const std::vector<const VariantResult*>& variants) {
  Counts counts;
  for (const VariantResult* result : variants) {
    ++counts.tests;
    counts.seconds += total_seconds(*result);
    const Status status = status_of(*result);
    counts.failures += status == Status::failed ? 1 : 0;
    counts.errors += status == Status::errored ? 1 : 0;
    counts.skipped += status == Status::skipped ? 1 : 0;
  }
  return counts;
}

std::string count_attributes(const Counts& counts, double seconds) {
  return "tests=\"" + std::to_string(counts.tests) + "\" failures=\"" +
         std::to_string(counts.failures) + "\" errors=\"" +
         std::to_string(counts.errors) + "\" skipped=\"" +
         std::to_string(counts.skipped) + "\" time=\"" +
         format_seconds(seconds) + "\"";
}

}  // namespace

std::string to_junit(const RunSet& runs) {
  std::vector<const VariantResult*> all;
  for (const VariantResult& result : runs.results) {
    all.push_back(&result);
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"racecourse\" "
      << count_attributes(count(all), runs.duration_seconds) << ">\n";
  for (const detail::CaseGroup& group : detail::group_by_case(runs)) {
    const Counts counts = count(group.variants);
    out << "  <testsuite name=\"" << attr(group.name) << "\" "
        << count_attributes(counts, counts.seconds) << " timestamp=\""
        << attr(runs.started_at) << "\">\n";
    for (const VariantResult* result : group.variants) {
      write_testcase(out, *result);
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

}  // namespace racecourse::report
