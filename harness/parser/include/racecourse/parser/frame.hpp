// Stack frames as ThreadSanitizer prints them, and which of them belong to
// the user's program.
#pragma once

#include <optional>
#include <string_view>

#include "racecourse/report/model.hpp"

namespace racecourse::parser {

// Parses one frame line such as
//   "    #0 increment() /src/race.cpp:8:28 (race+0xd438f) (BuildId: 8acb)"
// (clang 14) or "    #2 main /src/race.cpp:12 (race+0x1299)" (g++ 12).
// A "<null>" file becomes an empty `file`; the function keeps "<null>".
// Sets `user_code` with is_library_frame. Returns nullopt for a line that
// is not a frame.
std::optional<report::Frame> parse_frame(std::string_view line);

// True for frames of the standard library, libc, libstdc++, the TSan
// runtime, and racecourse's own runtime (paths containing
// "/include/racecourse/" or "harness/runtime/"). A frame with neither file
// nor a system module is judged by its function name: interceptors such as
// malloc or pthread_create, and "<null>", count as library frames.
bool is_library_frame(const report::Frame& frame);

}  // namespace racecourse::parser
