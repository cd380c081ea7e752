#include "racecourse/report/markdown_writer.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "sources.hpp"
#include "text.hpp"

namespace racecourse::report {
namespace {

// Backslash-escapes the characters Markdown would read as markup. Newlines
// become `newline`: "<br>" inside a table cell, a space elsewhere.
std::string escape(std::string_view raw, std::string_view newline = " ") {
  constexpr std::string_view kSpecial = "\\`*_[]<>|#&~";
  std::string out;
  for (char c : detail::sanitize_utf8(raw)) {
    if (c == '\n') {
      out += newline;
    } else if (c == '\r') {
      continue;
    } else {
      if (kSpecial.find(c) != std::string_view::npos) {
        out += '\\';
      }
      out += c;
    }
  }
  return out;
}

std::string cell(std::string_view raw) {
  return escape(raw, "<br>");
}

// Returns `raw` (one line) as a code span: fenced with one backtick more
// than the longest run inside it, and padded when it starts or ends with a
// backtick.
std::string code_span(std::string_view raw) {
  std::string code = detail::sanitize_utf8(raw);
  std::replace(code.begin(), code.end(), '\n', ' ');
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : code) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !code.empty() && (code.front() == '`' || code.back() == '`');
  const std::string space = pad ? " " : "";
  return fence + space + code + space + fence;
}

std::string got_cell(const VariantResult& result) {
  std::string out;
  for (const auto& [verdict, count] : detail::verdict_counts(result)) {
    if (!out.empty()) {
      out += ", ";
    }
    out += std::string(to_string(verdict)) + " ×" + std::to_string(count);
  }
  return out.empty() ? "no runs" : out;
}

std::string met_cell(const VariantResult& result) {
  const char* mark = result.all_met() ? "✅" : "❌";
  return std::string(mark) + " " + std::to_string(result.runs_met()) + "/" +
         std::to_string(result.runs.size());
}

void write_table(std::ostream& out, const RunSet& runs) {
  out << "| case | variant | expected | got | met |\n";
  out << "| --- | --- | --- | --- | --- |\n";
  for (const VariantResult& result : runs.results) {
    out << "| " << cell(result.case_name) << " | " << cell(result.variant)
        << " | " << cell(detail::join_verdicts(result.expected, " or "))
        << " | " << cell(got_cell(result)) << " | " << met_cell(result)
        << " |\n";
  }
}

std::string access_words(const Access& access) {
  std::string words = access.is_previous ? "previous " : "";
  words += access.is_atomic ? "atomic " : "";
  words += access.is_write ? "write" : "read";
  if (access.size > 0) {
    words += " of " + detail::count_of(access.size, "byte");
  }
  if (!access.thread.empty()) {
    words += " by " + access.thread;
  }
  return words;
}

// One access of a race: who did what, where, and the line's text.
std::string access_line(const Access& access, detail::CaseFiles& files) {
  std::string line = "- " + escape(access_words(access));
  const Frame* frame = files.pick_frame(access.stack);
  if (frame == nullptr || frame->file.empty()) {
    return line + " (no source location)\n";
  }
  const std::string where =
      files.display(frame->file) + ":" + std::to_string(frame->line);
  line += " at " + code_span(where);
  if (auto text = files.line_text(frame->file, frame->line)) {
    const auto start = text->find_first_not_of(" \t");
    if (start != std::string::npos) {
      line += ": " + code_span(text->substr(start));
    }
  }
  return line + "\n";
}

void write_races(std::ostream& out,
                 const VariantResult& result,
                 detail::CaseFiles& files) {
  std::vector<std::pair<std::string, const Finding*>> races;
  std::map<std::string, std::set<int>> runs_by_race;
  for (const Run& run : result.runs) {
    for (const Finding& finding : run.findings) {
      if (finding.verdict != Verdict::data_race) {
        continue;
      }
      const std::string key = files.access_sites(finding);
      if (runs_by_race[key].empty()) {
        races.emplace_back(key, &finding);
      }
      runs_by_race[key].insert(run.index);
    }
  }
  for (const auto& [key, finding] : races) {
    out << "**Data race";
    if (finding->location && !finding->location->name.empty()) {
      out << " on " << code_span(finding->location->name);
    }
    out << "**, seen in " << runs_by_race[key].size() << " of "
        << result.runs.size() << " runs:\n\n";
    for (const Access& access : finding->accesses) {
      out << access_line(access, files);
    }
    out << "\n";
  }
}

// The maximum number of goroutines listed under one finding; the rest are
// counted.
constexpr std::size_t kMaxGoroutinesListed = 10;

// "goroutine 3 `[chan send]` at `racy.cpp:36`: `result.send(...)`", for a
// goroutine of a runtime finding. Running goroutines have no location.
std::string goroutine_line(const GoroutineInfo& g, detail::CaseFiles& files) {
  std::string line = "goroutine " + std::to_string(g.id);
  if (!g.name.empty()) {
    line += " (" + escape(g.name) + ")";
  }
  line += " " + code_span("[" + g.state + "]");
  const std::size_t colon = g.blocked_at.rfind(':');
  if (colon == std::string::npos) {
    return line;
  }
  const std::string file = g.blocked_at.substr(0, colon);
  int number = 0;
  try {
    number = std::stoi(g.blocked_at.substr(colon + 1));
  } catch (const std::exception&) {
    return line + " at " + code_span(g.blocked_at);
  }
  line +=
      " at " + code_span(files.display(file) + ":" + std::to_string(number));
  if (auto text = files.line_text(file, number)) {
    const auto start = text->find_first_not_of(" \t");
    if (start != std::string::npos) {
      line += ": " + code_span(text->substr(start));
    }
  }
  return line;
}

// Lists the distinct findings other than data races, one line each, with
// the goroutines of a runtime deadlock or leak below it.
void write_other_findings(std::ostream& out,
                          const VariantResult& result,
                          detail::CaseFiles& files) {
  std::vector<std::string> heads;   // one line per distinct finding
  std::vector<std::string> blocks;  // that line and its goroutines
  bool has_race = false;
  for (const Run& run : result.runs) {
    for (const Finding& finding : run.findings) {
      if (finding.verdict == Verdict::data_race) {
        has_race = true;
        continue;
      }
      std::string head = "- **" + std::string(to_string(finding.verdict)) +
                         "**: " + escape(finding.message) + "\n";
      if (std::find(heads.begin(), heads.end(), head) != heads.end()) {
        continue;
      }
      heads.push_back(head);
      std::string block = head;
      // For a deadlock or a leak the goroutines are the point; a panic
      // names its goroutine in the message.
      const bool list_goroutines = finding.source == "runtime" &&
                                   (finding.verdict == Verdict::deadlock ||
                                    finding.verdict == Verdict::leak);
      const std::size_t shown =
          list_goroutines
              ? std::min(finding.goroutines.size(), kMaxGoroutinesListed)
              : 0;
      for (std::size_t i = 0; i < shown; ++i) {
        block += "  - " + goroutine_line(finding.goroutines[i], files) + "\n";
      }
      if (shown > 0 && finding.goroutines.size() > shown) {
        block += "  - and " +
                 std::to_string(finding.goroutines.size() - shown) +
                 " more goroutines\n";
      }
      blocks.push_back(block);
    }
  }
  if (blocks.empty()) {
    return;
  }
  // Each list gets a label, or CommonMark would merge it with the list
  // before it.
  out << (has_race ? "Other findings:\n\n" : "Findings:\n\n");
  for (const std::string& block : blocks) {
    out << block;
  }
  out << "\n";
}

void write_unmet_runs(std::ostream& out, const VariantResult& result) {
  if (result.all_met() || result.runs.empty()) {
    return;
  }
  out << "Runs that did not meet the expectation:\n\n";
  for (const Run& run : result.runs) {
    if (run.met) {
      continue;
    }
    out << "- run " << run.index << " got " << code_span(to_string(run.verdict))
        << ", exit code " << run.exit_code;
    if (!run.error.empty()) {
      out << ": " << escape(run.error);
    }
    out << "\n";
  }
  out << "\n";
}

void write_histogram(std::ostream& out, const VariantResult& result) {
  const auto histogram = detail::sorted_outcomes(result);
  if (result.runs.size() < 2 || histogram.empty()) {
    return;
  }
  out << "Outcomes over " << result.runs.size() << " runs:\n\n";
  out << "| outcome | runs |\n| --- | --- |\n";
  for (const auto& [value, count] : histogram) {
    out << "| " << cell(value) << " | " << count << " |\n";
  }
  out << "\n";
}

bool has_details(const VariantResult& result) {
  const bool findings =
      std::any_of(result.runs.begin(), result.runs.end(),
                  [](const Run& run) { return !run.findings.empty(); });
  return findings || !result.all_met() ||
         (result.runs.size() > 1 && !result.outcome_histogram().empty());
}

void write_details(std::ostream& out,
                   const RunSet& runs,
                   const VariantResult& result) {
  out << "## " << escape(result.case_name) << " · " << escape(result.variant)
      << "\n\n";
  detail::CaseFiles files(runs, result);
  write_races(out, result, files);
  write_other_findings(out, result, files);
  write_unmet_runs(out, result);
  write_histogram(out, result);
}

}  // namespace

std::string to_markdown(const RunSet& runs) {
  std::ostringstream out;
  int variants_met = 0;
  for (const VariantResult& result : runs.results) {
    variants_met += result.all_met() ? 1 : 0;
  }
  out << "# racecourse results\n\n";
  out << "**" << variants_met << " of " << runs.results.size()
      << " variants met their expectation.** racecourse "
      << escape(runs.tool_version) << ", command " << code_span(runs.command)
      << ", started " << escape(runs.started_at) << ", took "
      << detail::format_seconds(runs.duration_seconds) << " s.\n\n";
  write_table(out, runs);
  out << "\n";
  for (const VariantResult& result : runs.results) {
    if (has_details(result)) {
      write_details(out, runs, result);
    }
  }
  return out.str();
}

}  // namespace racecourse::report
