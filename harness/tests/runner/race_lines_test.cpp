#include <gtest/gtest.h>

#include "racecourse/runner/session.hpp"

namespace racecourse::runner {
namespace {

report::Access access_at(const std::string& file, int line) {
  report::Access access;
  report::Frame frame;
  frame.file = file;
  frame.line = line;
  frame.user_code = true;
  access.stack.push_back(frame);
  return access;
}

report::Finding race_between(int first_line, int second_line) {
  report::Finding finding;
  finding.verdict = report::Verdict::data_race;
  finding.accesses.push_back(access_at("/repo/cases/x/racy.cpp", first_line));
  finding.accesses.push_back(access_at("/repo/cases/x/racy.cpp", second_line));
  return finding;
}

TEST(RaceLines, PairInEitherOrderListedOnce) {
  report::VariantResult result;
  report::Run first;
  first.findings.push_back(race_between(48, 45));
  report::Run second;
  second.findings.push_back(race_between(45, 48));
  result.runs = {first, second};

  const std::vector<std::string> lines = race_lines(result, "/repo");

  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0], "race: cases/x/racy.cpp:45 vs cases/x/racy.cpp:48");
}

}  // namespace
}  // namespace racecourse::runner
