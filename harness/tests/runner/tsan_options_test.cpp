#include "racecourse/runner/tsan_options.hpp"

#include <gtest/gtest.h>

namespace racecourse::runner {
namespace {

TEST(TsanOptions, EmptyUserOptions) {
  EXPECT_EQ(merge_tsan_options("", "/tmp/run/tsan"),
            "atexit_sleep_ms=0:log_path=/tmp/run/tsan:detect_deadlocks=1:"
            "second_deadlock_stack=1:report_thread_leaks=1:halt_on_error=0:"
            "exitcode=66");
}

TEST(TsanOptions, KeepsUserOptionsAndOverridesOurs) {
  EXPECT_EQ(merge_tsan_options("verbosity=1 log_path=/elsewhere,exitcode=1:"
                               "history_size=7",
                               "/r/tsan"),
            "atexit_sleep_ms=0:verbosity=1:history_size=7:log_path=/r/tsan:"
            "detect_deadlocks=1:"
            "second_deadlock_stack=1:report_thread_leaks=1:halt_on_error=0:"
            "exitcode=66");
}

TEST(TsanOptions, KeepsQuotedValuesWhole) {
  EXPECT_EQ(merge_tsan_options("suppressions='/a b/supp:x' halt_on_error=1",
                               "/r/tsan"),
            "atexit_sleep_ms=0:suppressions='/a b/supp:x':log_path=/r/tsan:"
            "detect_deadlocks=1:"
            "second_deadlock_stack=1:report_thread_leaks=1:halt_on_error=0:"
            "exitcode=66");
}

TEST(TsanOptions, UserMayOverrideTheExitSleep) {
  const std::string merged =
      merge_tsan_options("atexit_sleep_ms=1000", "/r/tsan");
  // TSan's parser lets the later setting win.
  EXPECT_LT(merged.find("atexit_sleep_ms=0"),
            merged.find("atexit_sleep_ms=1000"));
}

TEST(TsanOptions, QuotesLogPathWithSeparators) {
  std::string merged = merge_tsan_options("", "/tmp/my runs/tsan");
  EXPECT_NE(merged.find(":log_path=\"/tmp/my runs/tsan\":"), std::string::npos)
      << merged;
}

TEST(TsanOptions, ProblemsAreNamed) {
  EXPECT_EQ(tsan_options_problem(""), "");
  EXPECT_EQ(tsan_options_problem("verbosity=1:log_path='/a b/x'"), "");
  EXPECT_NE(tsan_options_problem("log_path=\"/tmp/x").find("unterminated"),
            std::string::npos);
  EXPECT_NE(tsan_options_problem("verbosity=1:foo").find("'foo'"),
            std::string::npos);
}

TEST(TsanOptions, PathWithQuoteIsQuotedWithTheOther) {
  EXPECT_NE(merge_tsan_options("", "/tmp/a\"b/tsan")
                .find("log_path='/tmp/a\"b/tsan'"),
            std::string::npos);
  EXPECT_FALSE(can_quote_option_value("/tmp/a\"b'c"));
}

}  // namespace
}  // namespace racecourse::runner
