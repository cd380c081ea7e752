#include "racecourse/report/markdown_writer.hpp"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "sample_run_set.hpp"

namespace racecourse::report {
namespace {

using testing::fixture_dir;
using testing::sample_run_set;

TEST(MarkdownReport, MatchesGolden) {
  testing::expect_golden("summary.md", to_markdown(sample_run_set()));
}

TEST(MarkdownReport, TableHasOneRowPerVariant) {
  const std::string md = to_markdown(sample_run_set());
  EXPECT_NE(md.find("| case | variant | expected | got | met |"),
            std::string::npos);
  EXPECT_NE(md.find("| msg-update | racy | data-race | data-race ×2, "
                    "clean ×1 | ❌ 2/3 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| ping-pong | fixed | clean | clean ×1 | ✅ 1/1 |"),
            std::string::npos)
      << md;
}

// Finds the ping-pong racy variant's only finding in `runs`.
Finding& ping_pong_finding(RunSet& runs) {
  for (VariantResult& result : runs.results) {
    if (result.case_name == "ping-pong" && result.variant == "racy") {
      return result.runs.front().findings.front();
    }
  }
  throw std::runtime_error("the sample has no ping-pong racy variant");
}

TEST(MarkdownReport, ListsDeadlockGoroutinesWithSourceLine) {
  const std::string md = to_markdown(sample_run_set());
  EXPECT_NE(md.find("- **deadlock**: all goroutines are asleep - deadlock!\n"
                    "  - goroutine 1 `[chan send]` at "
                    "`cases/ping-pong/racy.cpp:8`: `ping.send(2);`\n"),
            std::string::npos)
      << md;
}

TEST(MarkdownReport, CountsGoroutinesPastTen) {
  RunSet runs = sample_run_set();
  Finding& finding = ping_pong_finding(runs);
  const GoroutineInfo first = finding.goroutines.front();
  for (int id = 2; id <= 13; ++id) {
    GoroutineInfo more = first;
    more.id = id;
    more.name = "worker";
    finding.goroutines.push_back(more);
  }
  const std::string md = to_markdown(runs);
  EXPECT_NE(md.find("  - goroutine 10 (worker) `[chan send]`"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("  - goroutine 11 "), std::string::npos) << md;
  EXPECT_NE(md.find("  - and 3 more goroutines\n"), std::string::npos) << md;
}

TEST(MarkdownReport, PanicListsNoGoroutines) {
  RunSet runs = sample_run_set();
  Finding& finding = ping_pong_finding(runs);
  finding.verdict = Verdict::panic;
  finding.message = "panic: send on closed channel [goroutine 1]";
  const std::string md = to_markdown(runs);
  EXPECT_NE(md.find("- **panic**: panic: send on closed channel"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("  - goroutine 1 "), std::string::npos) << md;
}

TEST(MarkdownReport, QuotesBothRaceLinesFromSource) {
  const std::string md = to_markdown(sample_run_set());
  EXPECT_NE(md.find("`cases/msg-update/racy.cpp:9`: "
                    "`racecourse::go([&] { counter++; wg.done(); });`"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("`cases/msg-update/racy.cpp:10`: `counter++;`"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("seen in 2 of 3 runs"), std::string::npos);
}

TEST(MarkdownReport, MergesRaceSeenFromEitherSide) {
  RunSet runs = sample_run_set();
  VariantResult& racy = runs.results[0];
  std::swap(racy.runs[1].findings[0].accesses[0],
            racy.runs[1].findings[0].accesses[1]);
  const std::string md = to_markdown(runs);
  EXPECT_NE(md.find("seen in 2 of 3 runs"), std::string::npos) << md;
  EXPECT_EQ(md.find("seen in 1 of 3 runs"), std::string::npos) << md;
}

TEST(MarkdownReport, EscapesPipesAndNewlinesInCells) {
  RunSet runs;
  VariantResult result;
  result.case_name = "a|b\nc";
  result.variant = "racy";
  runs.results.push_back(result);
  const std::string md = to_markdown(runs);
  EXPECT_NE(md.find("| a\\|b<br>c | racy |"), std::string::npos) << md;
}

TEST(MarkdownReport, HistogramEscapesOutcomes) {
  const std::string md = to_markdown(sample_run_set());
  EXPECT_NE(md.find("| 1\\|\\<b\\> | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 2 | 2 |"), std::string::npos) << md;
}

TEST(MarkdownReport, OneByteAccessIsSingular) {
  RunSet runs = sample_run_set();
  runs.results[0].runs[0].findings[0].accesses[1].size = 1;
  const std::string md = to_markdown(runs);
  EXPECT_NE(md.find("previous write of 1 byte by main thread"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("1 bytes"), std::string::npos) << md;
}

TEST(MarkdownReport, NumericOutcomesInValueOrder) {
  RunSet runs = sample_run_set();
  std::vector<report::Run>& racy_runs = runs.results[0].runs;
  racy_runs[0].outcome = "$26000.00";
  racy_runs[1].outcome = "$2600.00";
  racy_runs[2].outcome = "$2700.00";
  const std::string md = to_markdown(runs);
  EXPECT_NE(md.find("| $2600.00 | 1 |\n| $2700.00 | 1 |\n"
                    "| $26000.00 | 1 |\n"),
            std::string::npos)
      << md;
}

TEST(MarkdownReport, DoesNotReadFilesOutsideTheCase) {
  RunSet runs = sample_run_set();
  Frame& frame = runs.results[0].runs[0].findings[0].accesses[0].stack[0];
  frame.file = (fixture_dir() / "outside.txt").string();
  frame.line = 1;
  const std::string md = to_markdown(runs);
  EXPECT_EQ(md.find("TOP SECRET"), std::string::npos) << md;
  EXPECT_NE(md.find("outside.txt:1"), std::string::npos) << md;
}

TEST(MarkdownReport, DoesNotFollowDotDotOutOfCase) {
  RunSet runs = sample_run_set();
  Frame& frame = runs.results[0].runs[0].findings[0].accesses[0].stack[0];
  frame.file = "cases/msg-update/../../outside.txt";
  frame.line = 1;
  const std::string md = to_markdown(runs);
  EXPECT_EQ(md.find("TOP SECRET"), std::string::npos) << md;
}

}  // namespace
}  // namespace racecourse::report
