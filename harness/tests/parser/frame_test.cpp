// Frame lines from clang 14 and g++ 12, and the library/user split.
#include "racecourse/parser/frame.hpp"

#include <optional>

#include <gtest/gtest.h>

namespace racecourse::parser {
namespace {

TEST(ParserFrame, ClangFrameWithColumnAndBuildId) {
  const std::optional<report::Frame> frame = parse_frame(
      "    #0 increment() /src/race.cpp:8:28 (race-clang+0xd438f) "
      "(BuildId: 8acebd2c7dbf711066d02b5499e52c8ef4d0ba88)");
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->index, 0);
  EXPECT_EQ(frame->function, "increment()");
  EXPECT_EQ(frame->file, "/src/race.cpp");
  EXPECT_EQ(frame->line, 8);
  EXPECT_EQ(frame->column, 28);
  EXPECT_EQ(frame->module, "race-clang+0xd438f");
  EXPECT_TRUE(frame->user_code);
}

TEST(ParserFrame, GccFrameWithoutColumn) {
  const std::optional<report::Frame> frame =
      parse_frame("    #12 operator() /src/race.cpp:6 (race-gcc+0x12d6)");
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->index, 12);
  EXPECT_EQ(frame->function, "operator()");
  EXPECT_EQ(frame->file, "/src/race.cpp");
  EXPECT_EQ(frame->line, 6);
  EXPECT_EQ(frame->column, 0);
  EXPECT_TRUE(frame->user_code);
}

TEST(ParserFrame, NullFunctionAndFile) {
  const std::optional<report::Frame> frame =
      parse_frame("    #6 <null> <null> (libstdc++.so.6+0xd44a2)");
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->function, "<null>");
  EXPECT_EQ(frame->file, "");
  EXPECT_EQ(frame->line, 0);
  EXPECT_EQ(frame->module, "libstdc++.so.6+0xd44a2");
  EXPECT_FALSE(frame->user_code);
}

TEST(ParserFrame, FunctionWithSpacesAndParentheses) {
  const std::optional<report::Frame> frame = parse_frame(
      "    #2 std::__invoke_result<void (*)()>::type std::__invoke<void "
      "(*)()>(void (*&&)()) /usr/include/c++/12/bits/invoke.h:96 "
      "(race+0x1373)");
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->function,
            "std::__invoke_result<void (*)()>::type std::__invoke<void "
            "(*)()>(void (*&&)())");
  EXPECT_EQ(frame->file, "/usr/include/c++/12/bits/invoke.h");
  EXPECT_EQ(frame->line, 96);
  EXPECT_EQ(frame->module, "race+0x1373");
  EXPECT_FALSE(frame->user_code);
}

TEST(ParserFrame, FileWithoutLine) {
  const std::optional<report::Frame> frame = parse_frame(
      "    #2 __tsan::CallUserSignalHandler(__tsan::ThreadState*, bool) "
      "tsan_interceptors_posix.cpp.o (sig+0x59cb1)");
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->file, "tsan_interceptors_posix.cpp.o");
  EXPECT_EQ(frame->line, 0);
  EXPECT_FALSE(frame->user_code);
}

TEST(ParserFrame, FrameWithoutModule) {
  const std::optional<report::Frame> frame =
      parse_frame("#1 worker(int) /src/a.cpp:3:1");
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->function, "worker(int)");
  EXPECT_EQ(frame->file, "/src/a.cpp");
  EXPECT_EQ(frame->module, "");
}

TEST(ParserFrame, RejectsNonFrames) {
  EXPECT_FALSE(parse_frame("").has_value());
  EXPECT_FALSE(parse_frame("#").has_value());
  EXPECT_FALSE(parse_frame("#x main a.cpp:1").has_value());
  EXPECT_FALSE(parse_frame("#3").has_value());
  EXPECT_FALSE(parse_frame("#99999999999999 main a.cpp:1").has_value());
  EXPECT_FALSE(parse_frame("  Write of size 4 at 0x1 by main thread:"));
}

report::Frame frame_in(std::string function,
                       std::string file,
                       std::string module) {
  report::Frame frame;
  frame.function = std::move(function);
  frame.file = std::move(file);
  frame.module = std::move(module);
  return frame;
}

TEST(ParserLibraryFrame, StandardLibraryHeaders) {
  EXPECT_TRUE(is_library_frame(frame_in(
      "std::mutex::lock()", "/usr/include/c++/12/bits/std_mutex.h", "a+0x1")));
  EXPECT_TRUE(is_library_frame(
      frame_in("__gthread_mutex_lock(pthread_mutex_t*)",
               "/usr/bin/../lib/gcc/x86_64-linux-gnu/12/../../../../include/"
               "x86_64-linux-gnu/c++/12/bits/gthr-default.h",
               "a+0x1")));
}

TEST(ParserLibraryFrame, SystemModulesAndRuntimeSources) {
  EXPECT_TRUE(is_library_frame(
      frame_in("<null>", "", "/lib/x86_64-linux-gnu/libstdc++.so.6+0xd44a2")));
  EXPECT_TRUE(is_library_frame(
      frame_in("__libc_start_call_main",
               "csu/../sysdeps/nptl/libc_start_call_main.h", "libc.so.6+0x1")));
  EXPECT_TRUE(is_library_frame(frame_in(
      "malloc", "../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp",
      "libtsan.so.2+0x3ebb8")));
}

TEST(ParserLibraryFrame, InterceptorsLinkedIntoTheProgram) {
  // clang links the TSan runtime statically: no file, the program's module.
  EXPECT_TRUE(is_library_frame(frame_in("pthread_create", "", "race+0x53")));
  EXPECT_TRUE(is_library_frame(frame_in("malloc", "", "race+0x51c21")));
  EXPECT_TRUE(is_library_frame(
      frame_in("operator new(unsigned long)", "", "race+0xd33b6")));
}

TEST(ParserLibraryFrame, RacecourseRuntime) {
  EXPECT_TRUE(is_library_frame(
      frame_in("racecourse::Chan<int>::send(int)",
               "/work/main/harness/runtime/include/racecourse/chan.hpp", "")));
  EXPECT_TRUE(is_library_frame(frame_in(
      "racecourse::go", "/opt/x/harness/runtime/src/goroutine.cpp", "")));
  EXPECT_TRUE(is_library_frame(
      frame_in("racecourse::WaitGroup::wait()",
               "/usr/local/include/racecourse/wait_group.hpp", "")));
}

TEST(ParserLibraryFrame, UserCode) {
  EXPECT_FALSE(is_library_frame(
      frame_in("increment()", "/work/main/cases/counter/racy.cpp", "a+0x1")));
  // A checkout in a folder named racecourse is still user code.
  EXPECT_FALSE(is_library_frame(
      frame_in("main", "/home/me/racecourse/cases/x/racy.cpp", "a+0x1")));
  // A user function built without -g has no file but is still the user's.
  EXPECT_FALSE(is_library_frame(frame_in("worker_loop", "", "race+0x12")));
  EXPECT_FALSE(is_library_frame(
      frame_in("main::$_0::operator()() const", "/src/a.cpp", "race+0x1")));
}

}  // namespace
}  // namespace racecourse::parser
