// Helpers shared by the runner tests: fixture paths, temporary folders and
// running the built racecourse binary.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "racecourse/report/model.hpp"
#include "racecourse/runner/process.hpp"

namespace racecourse::report {

// Prints verdicts by name in GoogleTest failure messages.
inline void PrintTo(Verdict verdict, std::ostream* out) {
  *out << to_string(verdict);
}

}  // namespace racecourse::report

namespace racecourse::runner::test {

inline constexpr bool kWithTsan = RACECOURSE_TEST_WITH_TSAN != 0;

// Skips a test that needs ThreadSanitizer reports.
#define RACECOURSE_SKIP_WITHOUT_TSAN()                                       \
  if (!::racecourse::runner::test::kWithTsan) {                              \
    GTEST_SKIP() << "this build has no ThreadSanitizer (asan-ubsan or "      \
                    "release preset), so there are no TSan reports to read"; \
  }

// The path of a fixture program, such as fixture("data_race").
inline std::string fixture(const std::string& name) {
  return std::string(RACECOURSE_TEST_FIXTURE_DIR) + "/runner_fixture_" + name;
}

// A fresh temporary folder, removed with its contents at the end.
class TempFolder {
 public:
  TempFolder() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "racecourse-test-XXXXXX")
            .string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

  // Writes `text` to `name` in the folder and returns its path.
  std::filesystem::path write(const std::string& name,
                              const std::string& text) const {
    std::filesystem::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  std::filesystem::path path_;
};

// Runs the built racecourse binary with `args`, bounded by two minutes.
inline ProcessResult run_racecourse(const std::vector<std::string>& args) {
  ProcessSpec spec;
  spec.argv = {RACECOURSE_TEST_BINARY};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::minutes(2);
  spec.sample_cpu_on_timeout = false;
  return run_process(spec);
}

}  // namespace racecourse::runner::test
