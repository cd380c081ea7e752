#include "racecourse/report/report_writer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "sample_run_set.hpp"

namespace racecourse::report {
namespace {

namespace fs = std::filesystem;
using testing::read_text;
using testing::sample_run_set;

// A fresh folder under the test's temporary directory, removed afterwards.
class WriteReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "report_test_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << pattern;
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(root_, fs::perms::owner_all, ignored);
    fs::remove_all(root_, ignored);
  }

  std::vector<std::string> entries(const fs::path& dir) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  // Calls write_reports and returns the ReportError's message, or fails.
  std::string error_of(const fs::path& dir) const {
    try {
      write_reports(sample_run_set(), dir);
    } catch (const ReportError& error) {
      return error.what();
    }
    ADD_FAILURE() << "write_reports into " << dir << " did not throw";
    return {};
  }

  fs::path root_;
};

TEST_F(WriteReportsTest, WritesFourReports) {
  const fs::path dir = root_ / "nested" / "reports";
  write_reports(sample_run_set(), dir);
  EXPECT_EQ(entries(dir),
            (std::vector<std::string>{"index.html", "junit.xml", "results.json",
                                      "summary.md"}));
  EXPECT_EQ(read_text(dir / "results.json"), to_json(sample_run_set()));
  EXPECT_EQ(read_text(dir / "junit.xml"), to_junit(sample_run_set()));
  EXPECT_EQ(read_text(dir / "summary.md"), to_markdown(sample_run_set()));
  EXPECT_EQ(read_text(dir / "index.html"), to_html(sample_run_set()));
}

TEST_F(WriteReportsTest, ReportsAreReadableByOthers) {
  write_reports(sample_run_set(), root_);
  const fs::perms perms = fs::status(root_ / "index.html").permissions();
  EXPECT_NE(perms & fs::perms::others_read, fs::perms::none);
}

TEST_F(WriteReportsTest, ReplacesExistingReports) {
  std::ofstream(root_ / "results.json") << "old";
  write_reports(sample_run_set(), root_);
  EXPECT_EQ(read_text(root_ / "results.json"), to_json(sample_run_set()));
  EXPECT_EQ(entries(root_).size(), 4U);
}

TEST_F(WriteReportsTest, RegularFileInTheWayThrows) {
  const fs::path blocker = root_ / "blocker";
  std::ofstream(blocker) << "not a folder";
  const std::string message = error_of(blocker);
  EXPECT_NE(message.find("'" + blocker.string() + "'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("not a directory"), std::string::npos) << message;
  EXPECT_NE(message.find("--report-dir"), std::string::npos) << message;
  EXPECT_EQ(read_text(blocker), "not a folder");
  EXPECT_EQ(entries(root_), std::vector<std::string>{"blocker"});
}

TEST_F(WriteReportsTest, FileInTheWayOfParentThrows) {
  const fs::path blocker = root_ / "blocker";
  std::ofstream(blocker) << "not a folder";
  const std::string message = error_of(blocker / "reports");
  EXPECT_NE(message.find((blocker / "reports").string()), std::string::npos)
      << message;
  EXPECT_EQ(entries(root_), std::vector<std::string>{"blocker"});
}

TEST_F(WriteReportsTest, ReadOnlyDirectoryThrowsAndLeavesNothing) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root writes into a 0500 folder regardless; the "
                    "file-in-the-way tests cover the failure path";
  }
  const fs::path dir = root_ / "read-only";
  fs::create_directory(dir);
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
  const std::string message = error_of(dir);
  fs::permissions(dir, fs::perms::owner_all);
  EXPECT_NE(message.find("'" + dir.string() + "'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("Permission denied"), std::string::npos) << message;
  EXPECT_TRUE(entries(dir).empty());
}

}  // namespace
}  // namespace racecourse::report
