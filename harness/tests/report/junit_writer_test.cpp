#include "racecourse/report/junit_writer.hpp"

#include <gtest/gtest.h>

#include "sample_run_set.hpp"

namespace racecourse::report {
namespace {

using testing::sample_run_set;

int count_of(const std::string& text, const std::string& needle) {
  int count = 0;
  for (auto pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

TEST(JunitReport, MatchesGolden) {
  testing::expect_golden("junit.xml", to_junit(sample_run_set()));
}

TEST(JunitReport, OneSuitePerCaseOneTestcasePerVariant) {
  const std::string xml = to_junit(sample_run_set());
  EXPECT_EQ(count_of(xml, "<testsuite "), 2);
  EXPECT_EQ(count_of(xml, "<testcase "), 4);
  EXPECT_NE(xml.find("<testcase name=\"racy\" classname=\"msg-update\""),
            std::string::npos);
  EXPECT_NE(xml.find("<testsuites name=\"racecourse\" tests=\"4\" "
                     "failures=\"1\" errors=\"0\" skipped=\"0\""),
            std::string::npos)
      << xml;
}

TEST(JunitReport, FailureCarriesFindingsAndOutput) {
  const std::string xml = to_junit(sample_run_set());
  EXPECT_EQ(count_of(xml, "<failure "), 1);
  EXPECT_NE(xml.find("2 of 3 runs met the expectation"), std::string::npos);
  EXPECT_NE(xml.find("run 2: got clean"), std::string::npos);
  EXPECT_NE(xml.find("detection rate: 2/3"), std::string::npos);
}

TEST(JunitReport, FailureCarriesRawFindingText) {
  RunSet runs = sample_run_set();
  VariantResult& fixed = runs.results[1];
  report::Run raced = runs.results[0].runs[0];
  raced.index = 1;
  raced.met = false;
  fixed.runs.push_back(raced);
  const std::string xml = to_junit(runs);
  EXPECT_EQ(count_of(xml, "<failure "), 2);
  EXPECT_NE(xml.find("run 1: got data-race, exit code 66\n"
                     "  data-race: data race on counter\n"
                     "WARNING: ThreadSanitizer: data race (pid=4242)\n"),
            std::string::npos)
      << xml;
}

TEST(JunitReport, EscapesProgramOutput) {
  const std::string xml = to_junit(sample_run_set());
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_NE(xml.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(xml.find("]]>"), std::string::npos);
  EXPECT_NE(xml.find("]]&gt;"), std::string::npos);
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
  EXPECT_NE(xml.find("\\x1B[31m"), std::string::npos);
  EXPECT_EQ(xml.find('\xff'), std::string::npos);
}

TEST(JunitReport, EscapesAttributes) {
  RunSet runs;
  VariantResult result;
  result.case_name = "a\"b<c>&\n\x01";
  result.variant = "racy";
  result.runs.push_back(report::Run{});
  runs.results.push_back(result);
  const std::string xml = to_junit(runs);
  EXPECT_NE(xml.find("classname=\"a&quot;b&lt;c&gt;&amp;&#10;\\x01\""),
            std::string::npos)
      << xml;
}

TEST(JunitReport, RunThatCouldNotStartIsError) {
  RunSet runs;
  VariantResult result;
  result.case_name = "missing";
  result.variant = "racy";
  result.expected = {Verdict::data_race};
  report::Run run;
  run.verdict = Verdict::error;
  run.error = "cannot execute 'bin/missing-racy': No such file or directory";
  result.runs.push_back(run);
  runs.results.push_back(result);
  const std::string xml = to_junit(runs);
  EXPECT_EQ(count_of(xml, "<error "), 1);
  EXPECT_EQ(count_of(xml, "<failure "), 0);
  EXPECT_NE(xml.find("No such file or directory"), std::string::npos);
  EXPECT_NE(xml.find("errors=\"1\""), std::string::npos);
}

TEST(JunitReport, VariantWithoutRunsIsSkipped) {
  RunSet runs;
  VariantResult result;
  result.case_name = "unbuilt";
  result.variant = "fixed";
  runs.results.push_back(result);
  const std::string xml = to_junit(runs);
  EXPECT_EQ(count_of(xml, "<skipped "), 1);
  EXPECT_NE(xml.find("skipped=\"1\""), std::string::npos);
}

}  // namespace
}  // namespace racecourse::report
