#include "racecourse/report/html_writer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include "html_style.hpp"
#include "lesson_html.hpp"
#include "sources.hpp"
#include "text.hpp"

namespace racecourse::report {
namespace {

using detail::html_escape;

// At most this many bytes of a run's stdout or stderr go into the page; the
// rest is in results.json.
constexpr std::size_t kMaxOutputBytes = std::size_t{64} * 1024;

// Returns `text` as an id fragment: ASCII letters, digits and '-' only.
std::string slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0;
    out += keep ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                : '-';
  }
  return out;
}

// True for a goroutine of a leak finding that waits in a runtime primitive
// and so can never wake: the runtime's "leaked". A goroutine still running
// or sleeping when main returned is "abandoned" instead.
bool is_blocked(const GoroutineInfo& goroutine) {
  return !goroutine.blocked_at.empty() && goroutine.state != "running" &&
         goroutine.state != "sleep";
}

// The hint for a leak finding, which lists leaked goroutines, abandoned
// ones or both.
std::string leak_hint(const Finding& finding) {
  const auto blocked = std::count_if(finding.goroutines.begin(),
                                     finding.goroutines.end(), is_blocked);
  const auto abandoned =
      static_cast<std::ptrdiff_t>(finding.goroutines.size()) - blocked;
  std::string hint;
  if (blocked == 1) {
    hint +=
        "A goroutine was blocked when main returned, and nothing could "
        "ever wake it (leaked). Make sure something wakes it (close its "
        "channel, cancel it) and wait for it with a WaitGroup.";
  } else if (blocked > 1) {
    hint +=
        "Some goroutines were blocked when main returned, and nothing "
        "could ever wake them (leaked). Make sure something wakes each one "
        "(close its channel, cancel it) and wait for them with a WaitGroup.";
  }
  if (abandoned > 0) {
    hint += blocked > 0 ? " " : "";
    hint += abandoned == 1
                ? "A goroutine was still running when main returned "
                  "(abandoned): main did not wait for its work to finish, "
                  "so that work was cut off and anything it printed after "
                  "main returned is lost. Wait for it with a WaitGroup "
                  "before main returns."
                : "Some goroutines were still running when main returned "
                  "(abandoned): main did not wait for their work to finish, "
                  "so that work was cut off and anything they printed after "
                  "main returned is lost. Wait for them with a WaitGroup "
                  "before main returns.";
  }
  if (hint.empty()) {
    hint =
        "Goroutines were still alive when main returned. Wait for them "
        "with a WaitGroup before main returns.";
  }
  return hint;
}

std::string hint_for(const Finding& finding) {
  switch (finding.verdict) {
    case Verdict::data_race:
      return "Two threads accessed the same memory, at least one of them "
             "writing, and nothing ordered the accesses. Guard the data with "
             "a Mutex, hand it over through a channel, or make it atomic.";
    case Verdict::deadlock:
      return "Every goroutine in the group waits for another one. Check that "
             "each send has a receiver, that channels ranged over get "
             "closed, and that locks are always taken in the same order.";
    case Verdict::lock_order_inversion:
      return "Two locks are taken in opposite orders on different paths, so "
             "two threads can each hold one and wait for the other. Choose "
             "one order and use it everywhere.";
    case Verdict::leak:
      return leak_hint(finding);
    case Verdict::panic:
      return "The runtime stopped the program because an operation is not "
             "allowed; the panic message names it.";
    case Verdict::misuse:
      return "A synchronization primitive was used against its contract, "
             "for example unlocking a mutex that is not locked.";
    case Verdict::crash:
      return "The program was killed by a signal; its stderr shows where.";
    case Verdict::timeout:
      return "The program did not finish in time; the thread stacks taken "
             "before the kill show where it was stuck.";
    case Verdict::wrong_output:
      return "The program finished, but its output is not what the case "
             "requires.";
    case Verdict::error:
      return "The runner could not run the program; the error says why.";
    case Verdict::clean:
      break;
  }
  return {};
}

std::string met_badge(const VariantResult& result) {
  const char* css = result.all_met() ? "met" : "unmet";
  const char* word = result.all_met() ? "met" : "not met";
  return std::string("<span class=\"badge ") + css + "\">" + word + " " +
         std::to_string(result.runs_met()) + "/" +
         std::to_string(result.runs.size()) + "</span>";
}

std::string got_text(const VariantResult& result) {
  std::string out;
  for (const auto& [verdict, count] : detail::verdict_counts(result)) {
    out += out.empty() ? "" : ", ";
    out += "<span class=\"verdict\">" + std::string(to_string(verdict)) +
           "</span> ×" + std::to_string(count);
  }
  return out.empty() ? "no runs" : out;
}

std::string expected_text(const VariantResult& result) {
  return "<span class=\"verdict\">" +
         html_escape(detail::join_verdicts(result.expected, " or ")) +
         "</span>";
}

// One variant while its part of the page is rendered: its files and the
// anchors of its source listing.
class VariantView {
 public:
  VariantView(const RunSet& runs, const VariantResult& result)
      : result_(result),
        files_(runs, result),
        anchor_prefix_("src-" + slug(result.case_name) + "-" +
                       slug(result.variant)) {}

  const VariantResult& result() const { return result_; }
  detail::CaseFiles& files() { return files_; }

  std::string anchor(int line) const {
    return anchor_prefix_ + "-L" + std::to_string(line);
  }
  std::string listing_id() const { return anchor_prefix_; }

  // True when `file:line` is a line of this variant's listing.
  bool in_listing(const std::string& file, int line) {
    const auto* lines = files_.lines(result_.source);
    return files_.is_variant_source(file) && lines != nullptr && line >= 1 &&
           static_cast<std::size_t>(line) <= lines->size();
  }

  // Returns "file:line" for people, linked to the listing when it is there.
  std::string location_html(const std::string& file, int line) {
    std::string where = html_escape(files_.display(file));
    if (line > 0) {
      where += ":" + std::to_string(line);
    }
    if (!in_listing(file, line)) {
      return where;
    }
    return "<a href=\"#" + anchor(line) + "\">" + where + "</a>";
  }

 private:
  const VariantResult& result_;
  detail::CaseFiles files_;
  std::string anchor_prefix_;
};

// Splits "path/file.cpp:12" into its file and line; line 0 when absent.
std::pair<std::string, int> split_location(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    return {text, 0};
  }
  const std::string digits = text.substr(colon + 1);
  if (!std::all_of(digits.begin(), digits.end(),
                   [](char c) { return std::isdigit(c) != 0; })) {
    return {text, 0};
  }
  return {text.substr(0, colon), std::stoi(digits)};
}

std::string frame_html(const Frame& frame, VariantView& view) {
  std::string out =
      "<li>#" + std::to_string(frame.index) + " <code>" +
      html_escape(frame.function.empty() ? "<unknown>" : frame.function) +
      "</code>";
  if (!frame.file.empty()) {
    out += " " + view.location_html(frame.file, frame.line);
  } else if (!frame.module.empty()) {
    out += " <span class=\"muted\">(" + html_escape(frame.module) + ")</span>";
  }
  return out + "</li>\n";
}

// A stack with the user's frames first and library frames folded away.
std::string stack_html(const std::vector<Frame>& stack, VariantView& view) {
  std::string user;
  std::string library;
  int library_count = 0;
  for (const Frame& frame : stack) {
    if (frame.user_code) {
      user += frame_html(frame, view);
    } else {
      library += frame_html(frame, view);
      ++library_count;
    }
  }
  std::string out;
  if (!user.empty()) {
    out += "<ul class=\"stack\">\n" + user + "</ul>\n";
  }
  if (library_count > 0) {
    out += "<details><summary>" + std::to_string(library_count) +
           " library frame" + (library_count == 1 ? "" : "s") +
           "</summary>\n<ul class=\"stack\">\n" + library +
           "</ul>\n</details>\n";
  }
  return out;
}

std::string access_html(const Access& access, VariantView& view) {
  std::string words = access.is_previous ? "Previous " : "";
  words += access.is_atomic ? "atomic " : "";
  words += access.is_write ? "write" : "read";
  if (!access.is_previous) {
    words[0] = static_cast<char>(std::toupper(words[0]));
  }
  if (access.size > 0) {
    words += " of " + detail::count_of(access.size, "byte");
  }
  if (!access.thread.empty()) {
    words += " by " + access.thread;
  }
  if (!access.mutexes_held.empty()) {
    words += " (holding";
    for (const std::string& mutex : access.mutexes_held) {
      words += " " + mutex;
    }
    words += ")";
  }
  return "<p>" + html_escape(words) + ":</p>\n" +
         stack_html(access.stack, view);
}

// Returns "function file:line" for a goroutine table cell; empty parts are
// left out.
std::string goroutine_place(const std::string& function,
                            const std::string& location,
                            VariantView& view) {
  std::string out;
  if (!function.empty()) {
    out += "<code>" + html_escape(function) + "</code>";
  }
  if (!location.empty()) {
    const auto [file, line] = split_location(location);
    out += (out.empty() ? "" : " ") + view.location_html(file, line);
  }
  return out;
}

std::string goroutines_html(const std::vector<GoroutineInfo>& goroutines,
                            VariantView& view) {
  if (goroutines.empty()) {
    return {};
  }
  std::string out =
      "<table>\n<tr><th>goroutine</th><th>state</th><th>blocked at</th>"
      "<th>created at</th></tr>\n";
  for (const GoroutineInfo& g : goroutines) {
    std::string name = std::to_string(g.id);
    if (!g.name.empty()) {
      name += " " + g.name;
    }
    out +=
        "<tr><td>" + html_escape(name) + "</td><td>[" + html_escape(g.state) +
        "]</td><td>" + goroutine_place(g.blocked_function, g.blocked_at, view) +
        "</td><td>" + goroutine_place(g.created_function, g.created_at, view) +
        "</td></tr>\n";
  }
  return out + "</table>\n";
}

std::string threads_html(const std::vector<ThreadInfo>& threads,
                         VariantView& view) {
  std::string out;
  for (const ThreadInfo& thread : threads) {
    if (thread.creation_stack.empty()) {
      continue;
    }
    std::string words = "Thread " + thread.id;
    if (thread.goroutine) {
      words += " (goroutine " + std::to_string(*thread.goroutine) + ")";
    }
    words += " was created by " + thread.created_by;
    out += "<p>" + html_escape(words) + ":</p>\n" +
           stack_html(thread.creation_stack, view);
  }
  return out;
}

std::string mutexes_html(const std::vector<MutexInfo>& mutexes,
                         VariantView& view) {
  std::string out;
  for (const MutexInfo& mutex : mutexes) {
    out += "<p>" +
           html_escape(mutex.description.empty() ? "Mutex " + mutex.id
                                                 : mutex.description) +
           "</p>\n" + stack_html(mutex.stack, view);
  }
  return out;
}

std::string location_html(const std::optional<Location>& location,
                          VariantView& view) {
  if (!location) {
    return {};
  }
  std::string words = location->description;
  if (words.empty()) {
    words = "Location: " + location->kind + " " + location->name;
  }
  return "<p>" + html_escape(words) + "</p>\n" +
         stack_html(location->stack, view);
}

std::string finding_html(const Finding& finding,
                         std::size_t runs_seen,
                         VariantView& view) {
  const bool serious = finding.verdict != Verdict::clean;
  std::string out =
      std::string("<div class=\"finding") + (serious ? "" : " minor") +
      "\">\n<p><span class=\"verdict\">" +
      std::string(to_string(finding.verdict)) + "</span> " +
      html_escape(finding.message) + " <span class=\"muted\">(" +
      html_escape(finding.source) + ", seen in " + std::to_string(runs_seen) +
      " of " + std::to_string(view.result().runs.size()) +
      " runs)</span></p>\n";
  for (const Access& access : finding.accesses) {
    out += access_html(access, view);
  }
  out += location_html(finding.location, view);
  out += mutexes_html(finding.mutexes, view);
  out += goroutines_html(finding.goroutines, view);
  out += threads_html(finding.threads, view);
  if (!finding.complete) {
    out +=
        "<p class=\"muted\">This report was cut short or garbled; the raw "
        "text below is all there is.</p>\n";
  }
  if (!finding.raw.empty()) {
    out += "<details><summary>Raw report</summary><pre>" +
           html_escape(finding.raw) + "</pre></details>\n";
  }
  return out + "</div>\n";
}

std::string findings_html(VariantView& view) {
  std::vector<std::pair<std::string, const Finding*>> distinct;
  std::map<std::string, std::set<int>> runs_by_key;
  for (const Run& run : view.result().runs) {
    for (const Finding& finding : run.findings) {
      const std::string key = view.files().finding_key(finding);
      if (runs_by_key[key].empty()) {
        distinct.emplace_back(key, &finding);
      }
      runs_by_key[key].insert(run.index);
    }
  }
  std::string out;
  std::set<std::string> hinted;
  for (const auto& [key, finding] : distinct) {
    out += finding_html(*finding, runs_by_key[key].size(), view);
    const std::string hint = hint_for(*finding);
    if (!hint.empty() && hinted.insert(hint).second) {
      out += "<p class=\"hint\"><strong>Hint:</strong> " + html_escape(hint) +
             "</p>\n";
    }
  }
  return out;
}

std::string output_html(std::string_view label, const std::string& text) {
  if (text.empty()) {
    return {};
  }
  std::string shown = text.substr(0, kMaxOutputBytes);
  if (text.size() > kMaxOutputBytes) {
    shown += "\n… (" + std::to_string(text.size() - kMaxOutputBytes) +
             " more bytes in results.json)";
  }
  return "<details><summary>" + std::string(label) + "</summary><pre>" +
         html_escape(shown) + "</pre></details>\n";
}

std::string run_row(const Run& run) {
  std::string exit = std::to_string(run.exit_code);
  if (run.signal != 0) {
    exit += " (signal " + std::to_string(run.signal) + ")";
  }
  if (run.timed_out) {
    exit += " (timed out)";
  }
  std::string details = output_html("stdout", run.stdout_text) +
                        output_html("stderr", run.stderr_text) +
                        output_html("hang analysis", run.hang_analysis);
  if (!run.error.empty()) {
    details += "<p>" + html_escape(run.error) + "</p>\n";
  }
  return "<tr><td>" + std::to_string(run.index) +
         "</td><td><span class=\"verdict\">" +
         std::string(to_string(run.verdict)) + "</span></td><td>" +
         (run.met ? "<span class=\"badge met\">met</span>"
                  : "<span class=\"badge unmet\">not met</span>") +
         "</td><td>" + html_escape(exit) + "</td><td>" +
         detail::format_seconds(run.duration_seconds) + " s</td><td>" +
         html_escape(run.outcome.value_or("")) + "</td><td>" + details +
         "</td></tr>\n";
}

std::string runs_html(const VariantResult& result) {
  std::string rows;
  for (const Run& run : result.runs) {
    rows += run_row(run);
  }
  const bool open = !result.all_met();
  const std::size_t count = result.runs.size();
  return std::string("<details") + (open ? " open" : "") + "><summary>" +
         std::to_string(count) + (count == 1 ? " run" : " runs") +
         "</summary>\n<table>\n<tr><th>run</th><th>verdict</th>"
         "<th>met</th><th>exit code</th><th>time</th><th>outcome</th>"
         "<th>output</th></tr>\n" +
         rows + "</table>\n</details>\n";
}

std::string histogram_html(const VariantResult& result) {
  const auto histogram = detail::sorted_outcomes(result);
  if (result.runs.size() < 2 || histogram.empty()) {
    return {};
  }
  std::string out =
      "<p>Outcomes over " + std::to_string(result.runs.size()) +
      " runs:</p>\n<table>\n<tr><th>outcome</th><th>runs</th><th></th></tr>\n";
  for (const auto& [value, count] : histogram) {
    // The bar for all runs is 12rem wide.
    std::array<char, 32> width{};
    std::snprintf(width.data(), width.size(), "%.1frem",
                  12.0 * count / static_cast<double>(result.runs.size()));
    out += "<tr><td><code>" + html_escape(value) + "</code></td><td>" +
           std::to_string(count) +
           R"(</td><td><span class="bar" style="width:)" + width.data() +
           "\"></span></td></tr>\n";
  }
  return out + "</table>\n";
}

// The lines of the variant's source that a finding points at.
std::set<int> marked_lines(VariantView& view) {
  std::set<int> lines;
  auto mark_stack = [&](const std::vector<Frame>& stack) {
    for (const Frame& frame : stack) {
      if (frame.user_code && view.in_listing(frame.file, frame.line)) {
        lines.insert(frame.line);
      }
    }
  };
  for (const Run& run : view.result().runs) {
    for (const Finding& finding : run.findings) {
      for (const Access& access : finding.accesses) {
        mark_stack(access.stack);
      }
      for (const MutexInfo& mutex : finding.mutexes) {
        mark_stack(mutex.stack);
      }
      for (const GoroutineInfo& g : finding.goroutines) {
        const auto [file, line] = split_location(g.blocked_at);
        if (view.in_listing(file, line)) {
          lines.insert(line);
        }
      }
    }
  }
  return lines;
}

std::string listing_html(VariantView& view) {
  const VariantResult& result = view.result();
  std::string out = "<figure id=\"" + view.listing_id() + "\">\n<figcaption>" +
                    html_escape(result.variant) + " <span class=\"muted\">" +
                    html_escape(view.files().display(result.source)) +
                    "</span></figcaption>\n";
  const std::vector<std::string>* lines = view.files().lines(result.source);
  if (lines == nullptr) {
    return out +
           "<p class=\"muted\">The source file could not be read.</p>\n"
           "</figure>\n";
  }
  const std::set<int> marked = marked_lines(view);
  out += "<table class=\"listing\">\n";
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    const std::string id = view.anchor(number);
    out += R"(<tr id=")";
    out += id;
    out += marked.count(number) != 0 ? R"(" class="mark">)" : "\">";
    out += R"(<td class="ln"><a href="#)" + id + "\">" +
           std::to_string(number) + "</a></td><td>" + html_escape((*lines)[i]) +
           "</td></tr>\n";
  }
  return out + "</table>\n</figure>\n";
}

std::string lesson_html(const RunSet& runs, const detail::CaseGroup& group) {
  for (const VariantResult* result : group.variants) {
    if (result->lesson.empty()) {
      continue;
    }
    detail::CaseFiles files(runs, *result);
    const std::optional<std::string> text =
        detail::read_file(files.resolve(result->lesson));
    if (!text) {
      return "<p class=\"muted\">The lesson " + html_escape(result->lesson) +
             " could not be read.</p>\n";
    }
    return "<div class=\"lesson\">\n" + detail::lesson_to_html(*text, 3) +
           "</div>\n";
  }
  return {};
}

std::string what_happened_html(const detail::CaseGroup& group) {
  std::string out =
      "<table>\n<tr><th>variant</th><th>expected</th>"
      "<th>got</th><th>met</th></tr>\n";
  for (const VariantResult* result : group.variants) {
    out += "<tr><td>" + html_escape(result->variant) + "</td><td>" +
           expected_text(*result) + "</td><td>" + got_text(*result) +
           "</td><td>" + met_badge(*result) + "</td></tr>\n";
  }
  return out + "</table>\n";
}

std::string case_html(const RunSet& runs, const detail::CaseGroup& group) {
  std::vector<VariantView> views;
  views.reserve(group.variants.size());
  for (const VariantResult* result : group.variants) {
    views.emplace_back(runs, *result);
  }
  const std::string& title = group.variants.front()->title;
  std::string out = R"(<section class="case" id="case-)" + slug(group.name) +
                    "\">\n<h2>" + html_escape(group.name) +
                    (title.empty() ? "" : ": " + html_escape(title)) +
                    "</h2>\n<h3>What happened</h3>\n" +
                    what_happened_html(group) + "<h3>Evidence</h3>\n";
  for (VariantView& view : views) {
    out += "<h4>" + html_escape(view.result().variant) + "</h4>\n" +
           findings_html(view) + histogram_html(view.result()) +
           runs_html(view.result());
  }
  // Programs run with `check` have no known source, so no listing.
  std::string listings;
  for (VariantView& view : views) {
    if (!view.result().source.empty()) {
      listings += listing_html(view);
    }
  }
  if (!listings.empty()) {
    out += "<h3>Source</h3>\n<div class=\"sources\">\n" + listings + "</div>\n";
  }
  const std::string lesson = lesson_html(runs, group);
  if (!lesson.empty()) {
    out += "<h3>Lesson</h3>\n" + lesson;
  }
  return out + "</section>\n";
}

std::string overview_html(const RunSet& runs) {
  std::string out =
      "<table>\n<tr><th>case</th><th>variant</th>"
      "<th>expected</th><th>got</th><th>met</th></tr>\n";
  for (const VariantResult& result : runs.results) {
    out += "<tr><td><a href=\"#case-" + slug(result.case_name) + "\">" +
           html_escape(result.case_name) + "</a></td><td>" +
           html_escape(result.variant) + "</td><td>" + expected_text(result) +
           "</td><td>" + got_text(result) + "</td><td>" + met_badge(result) +
           "</td></tr>\n";
  }
  return out + "</table>\n";
}

std::string header_html(const RunSet& runs) {
  int met = 0;
  for (const VariantResult& result : runs.results) {
    met += result.all_met() ? 1 : 0;
  }
  return "<header>\n<h1>racecourse results</h1>\n<p class=\"lead\">" +
         std::to_string(met) + " of " + std::to_string(runs.results.size()) +
         " variants met their expectation.</p>\n<p class=\"meta\">racecourse " +
         html_escape(runs.tool_version) + " · command <code>" +
         html_escape(runs.command) + "</code> · started " +
         html_escape(runs.started_at) + " · " +
         detail::format_seconds(runs.duration_seconds) + " s</p>\n" +
         overview_html(runs) + "</header>\n";
}

}  // namespace

std::string to_html(const RunSet& runs) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>racecourse results</title>\n<style>" +
      std::string(detail::kHtmlStyle) + "</style>\n</head>\n<body>\n" +
      header_html(runs) + "<main>\n";
  for (const detail::CaseGroup& group : detail::group_by_case(runs)) {
    out += case_html(runs, group);
  }
  return out + "</main>\n</body>\n</html>\n";
}

}  // namespace racecourse::report
