// The racecourse binary as users run it: commands, exit codes and the
// one-line messages of usage and setup errors.
#include <gtest/gtest.h>

#include "test_support.hpp"
#include <nlohmann/json.hpp>

namespace racecourse::runner {
namespace {

using test::fixture;
using test::run_racecourse;

// A manifest with case "counter" (racy: the data race fixture, fixed: the
// clean one with an outcome check) and case "wrong" (expects a race of a
// clean program), with their sources and lesson in `folder`.
std::string write_manifest(const test::TempFolder& folder) {
  auto racy =
      folder.write("racy.cpp", "int counter;\nvoid add() {\n  ++counter;\n}\n");
  auto fixed = folder.write(
      "fixed.cpp",
      "std::atomic<int> counter;\nvoid add() {\n  ++counter;\n}\n");
  auto lesson = folder.write("lesson.md", "# Counter\nTwo threads race.\n");
  nlohmann::json counter = {
      {"name", "counter"},
      {"title", "A racy counter"},
      {"dir", folder.path().string()},
      {"lesson", lesson.string()},
      {"timeout_seconds", 30},
      {"variants",
       {{{"variant", "racy"},
         {"binary", fixture("data_race")},
         {"source", racy.string()},
         {"expect", {"data-race"}},
         {"args", nlohmann::json::array()}},
        {{"variant", "fixed"},
         {"binary", fixture("clean")},
         {"source", fixed.string()},
         {"expect", {"clean"}},
         {"outcome",
          {{"pattern", "counter: (\\d+)"}, {"required", "counter: 2000"}}}}}}};
  nlohmann::json wrong = {{"name", "wrong"},
                          {"title", "Expects what never happens"},
                          {"variants",
                           {{{"variant", "fixed"},
                             {"binary", fixture("clean")},
                             {"expect", {"data-race"}}}}}};
  nlohmann::json manifest = {{"schema_version", 1},
                             {"source_dir", folder.path().string()},
                             {"cases", {counter, wrong}}};
  return folder.write("cases.json", manifest.dump(2)).string();
}

// Expects exit status 2 and a one-line stderr message containing `text`.
void expect_usage_error(const ProcessResult& result, const std::string& text) {
  EXPECT_EQ(result.exit_code, 2) << result.stdout_text << result.stderr_text;
  EXPECT_NE(result.stderr_text.find(text), std::string::npos)
      << result.stderr_text;
  EXPECT_EQ(result.stderr_text.find('\n'), result.stderr_text.size() - 1)
      << result.stderr_text;
}

class Cli : public ::testing::Test {
 protected:
  std::string reports() const { return (folder_.path() / "reports").string(); }

  test::TempFolder folder_;
  std::string manifest_ = write_manifest(folder_);
};

TEST_F(Cli, VersionAndHelpExitZero) {
  ProcessResult version = run_racecourse({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.stdout_text.rfind("racecourse ", 0), 0U);
  for (const char* command : {"run", "check", "list", "explain"}) {
    ProcessResult help = run_racecourse({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.stdout_text.find("Usage"), std::string::npos) << command;
  }
}

TEST_F(Cli, RunFixedVariantsMeetsExpectations) {
  ProcessResult result =
      run_racecourse({"run", "counter", "--variant", "fixed", "--repeat", "2",
                      "--manifest", manifest_, "--report-dir", reports()});
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("counter"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("got clean"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("met 2/2"), std::string::npos);
  EXPECT_NE(result.stdout_text.find(reports()), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(folder_.path() / "reports"));
}

TEST_F(Cli, RunBothVariantsOfCase) {
  RACECOURSE_SKIP_WITHOUT_TSAN();
  ProcessResult result = run_racecourse(
      {"run", "counter", "--manifest", manifest_, "--report-dir", reports()});
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("got data-race"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("got clean"), std::string::npos);
}

TEST_F(Cli, RunUnmetExpectationExitsOne) {
  ProcessResult result = run_racecourse(
      {"run", "wrong", "--manifest", manifest_, "--report-dir", reports()});
  EXPECT_EQ(result.exit_code, 1) << result.stdout_text << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("met 0/1"), std::string::npos);
}

TEST_F(Cli, RunPrintsCaseOrderAndRaceLines) {
  ProcessResult result = run_racecourse({"run", "--jobs", "2", "--manifest",
                                         manifest_, "--report-dir", reports()});
  std::string& out = result.stdout_text;
  std::size_t racy = out.find("counter racy ");
  std::size_t fixed = out.find("counter fixed");
  std::size_t wrong = out.find("wrong   fixed");
  ASSERT_NE(racy, std::string::npos) << out;
  ASSERT_NE(fixed, std::string::npos) << out;
  ASSERT_NE(wrong, std::string::npos) << out;
  EXPECT_LT(racy, fixed);
  EXPECT_LT(fixed, wrong);
  if (test::kWithTsan) {
    EXPECT_NE(out.find("\nrace: "), std::string::npos) << out;
    EXPECT_NE(out.find(" vs "), std::string::npos) << out;
  }
}

TEST_F(Cli, UnknownCommandIsNamed) {
  expect_usage_error(run_racecourse({"bogus"}), "unknown command 'bogus'");
}

TEST_F(Cli, FullStdoutExitsNonZero) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c",
               std::string("exec \"") + RACECOURSE_TEST_BINARY +
                   "\" list --manifest \"" + manifest_ + "\" > /dev/full"};
  spec.timeout = std::chrono::minutes(1);
  ProcessResult result = run_process(spec);
  EXPECT_NE(result.exit_code, 0) << result.stderr_text;
}

TEST_F(Cli, ListPrintsCasesAndExpectations) {
  ProcessResult text = run_racecourse({"list", "--manifest", manifest_});
  EXPECT_EQ(text.exit_code, 0) << text.stderr_text;
  EXPECT_NE(text.stdout_text.find("counter  A racy counter"),
            std::string::npos);
  EXPECT_NE(text.stdout_text.find("expects data-race"), std::string::npos);

  ProcessResult json =
      run_racecourse({"list", "--json", "--manifest", manifest_});
  ASSERT_EQ(json.exit_code, 0) << json.stderr_text;
  auto cases = nlohmann::json::parse(json.stdout_text);
  ASSERT_EQ(cases.size(), 2U);
  EXPECT_EQ(cases[0]["name"], "counter");
  EXPECT_EQ(cases[0]["variants"][0]["expect"][0], "data-race");
}

TEST_F(Cli, ExplainShowsLessonExpectationsAndDiff) {
  ProcessResult result =
      run_racecourse({"explain", "counter", "--manifest", manifest_});
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  const std::string& text = result.stdout_text;
  EXPECT_NE(text.find("Two threads race."), std::string::npos);
  EXPECT_NE(text.find("racy: data-race"), std::string::npos);
  EXPECT_NE(text.find("fixed: clean, with stdout matching 'counter: 2000'"),
            std::string::npos);
  EXPECT_NE(text.find("@@ -1,4 +1,4 @@\n-int counter;\n+std::atomic<int> "
                      "counter;\n void add() {\n"),
            std::string::npos)
      << text;
}

TEST_F(Cli, ExplainSideBySide) {
  ProcessResult result = run_racecourse(
      {"explain", "counter", "--side-by-side", "--manifest", manifest_});
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find(" | std::atomic<int> counter;"),
            std::string::npos)
      << result.stdout_text;
}

TEST_F(Cli, UnknownCaseListsKnownCases) {
  expect_usage_error(run_racecourse({"run", "nope", "--manifest", manifest_}),
                     "unknown case 'nope'; known cases: counter, wrong");
  expect_usage_error(
      run_racecourse({"explain", "nope", "--manifest", manifest_}),
      "unknown case 'nope'");
}

TEST_F(Cli, RejectsZeroRepeat) {
  expect_usage_error(
      run_racecourse({"run", "--repeat", "0", "--manifest", manifest_}),
      "--repeat 0 is invalid");
  expect_usage_error(
      run_racecourse({"check", "--repeat", "0", "--", fixture("clean")}),
      "--repeat 0 is invalid");
}

TEST_F(Cli, RejectsZeroJobs) {
  expect_usage_error(
      run_racecourse({"run", "--jobs", "0", "--manifest", manifest_}),
      "--jobs 0 is invalid");
}

TEST_F(Cli, RejectsBadVariant) {
  expect_usage_error(
      run_racecourse({"run", "--variant", "slow", "--manifest", manifest_}),
      "--variant 'slow' is invalid: use racy, fixed or all");
}

TEST_F(Cli, RejectsBadTimeout) {
  expect_usage_error(
      run_racecourse({"check", "--timeout", "0", "--", fixture("clean")}),
      "--timeout 0 is invalid");
}

TEST_F(Cli, RejectsUnknownExpectedVerdict) {
  expect_usage_error(
      run_racecourse({"check", "--expect", "racy", "--", fixture("clean")}),
      "--expect 'racy' is not a verdict; use one of: clean");
}

TEST_F(Cli, MissingManifestNamesFile) {
  std::string missing = (folder_.path() / "absent.json").string();
  expect_usage_error(run_racecourse({"list", "--manifest", missing}),
                     "case manifest " + missing + " not found");
}

TEST_F(Cli, MalformedManifestNamesFileAndError) {
  auto broken = folder_.write("broken.json", "{\"schema_version\": 1,");
  expect_usage_error(run_racecourse({"list", "--manifest", broken.string()}),
                     "invalid case manifest " + broken.string() + ": ");
  ProcessResult result =
      run_racecourse({"list", "--manifest", broken.string()});
  EXPECT_NE(result.stderr_text.find("parse error"), std::string::npos)
      << result.stderr_text;
}

TEST_F(Cli, UnwritableReportDirIsRejected) {
  auto blocker = folder_.write("blocker", "a file, not a folder\n");
  std::string report_dir = (blocker / "reports").string();
  expect_usage_error(run_racecourse({"check", "--report-dir", report_dir, "--",
                                     fixture("clean")}),
                     "cannot create report folder " + report_dir);
}

TEST_F(Cli, RejectsMissingCommandAndUnknownOption) {
  expect_usage_error(run_racecourse({}), "racecourse --help");
  expect_usage_error(run_racecourse({"run", "--frobnicate"}), "--frobnicate");
}

TEST_F(Cli, CheckWithoutProgramIsUsageError) {
  expect_usage_error(run_racecourse({"check"}), "no program given");
}

TEST_F(Cli, MissingProgramIsErrorVerdict) {
  std::string missing = (folder_.path() / "never-built").string();
  ProcessResult result =
      run_racecourse({"check", "--report-dir", reports(), "--", missing});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("got error"), std::string::npos);
  EXPECT_NE(result.stdout_text.find(missing + " does not exist"),
            std::string::npos)
      << result.stdout_text;
}

}  // namespace
}  // namespace racecourse::runner
