#include "racecourse/runner/line_diff.hpp"

#include <gtest/gtest.h>

namespace racecourse::runner {
namespace {

TEST(LineDiff, EqualFilesHaveNoDiff) {
  EXPECT_EQ(unified_diff("a\nb\n", "a\nb\n", "x", "y"), "");
}

TEST(LineDiff, UnifiedHunkWithContext) {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  EXPECT_EQ(unified_diff(before, after, "racy.cpp", "fixed.cpp"),
            "--- racy.cpp\n+++ fixed.cpp\n"
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(LineDiff, SeparateHunksForDistantChanges) {
  std::string before = "a\n1\n2\n3\n4\n5\n6\n7\n8\nb\n";
  std::string after = "A\n1\n2\n3\n4\n5\n6\n7\n8\nB\n";
  EXPECT_EQ(unified_diff(before, after, "x", "y", 1),
            "--- x\n+++ y\n@@ -1,2 +1,2 @@\n-a\n+A\n 1\n"
            "@@ -9,2 +9,2 @@\n 8\n-b\n+B\n");
}

TEST(LineDiff, PureAdditionAndRemoval) {
  EXPECT_EQ(unified_diff("", "new\n", "x", "y"),
            "--- x\n+++ y\n@@ -0,0 +1,1 @@\n+new\n");
  EXPECT_EQ(unified_diff("old\n", "", "x", "y"),
            "--- x\n+++ y\n@@ -1,1 +0,0 @@\n-old\n");
}

TEST(LineDiff, KeepsLongestCommonSubsequence) {
  auto script = diff_lines({"a", "b", "c", "d"}, {"a", "c", "d", "e"});
  std::string marks;
  for (const DiffLine& line : script) {
    marks += line.kind == DiffLine::Kind::same      ? '='
             : line.kind == DiffLine::Kind::removed ? '-'
                                                    : '+';
  }
  EXPECT_EQ(marks, "=-==+");
}

TEST(LineDiff, SideBySidePairsChangedLines) {
  EXPECT_EQ(side_by_side_diff("a\nb\nc\n", "a\nB\nc\nd\n", 4),
            "a      a\nb    | B\nc      c\n     > d\n");
}

}  // namespace
}  // namespace racecourse::runner
