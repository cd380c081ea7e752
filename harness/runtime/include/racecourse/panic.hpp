// Go's panics: a message, a goroutine dump, exit status 2.
#pragma once

#include <string_view>

#include "racecourse/source_location.hpp"

namespace racecourse {

// Ends the program as an unrecovered Go panic does: prints
// "panic: <message>", then the calling goroutine and every other live
// goroutine in Go's dump shape, with C++ source locations as frames, and
// exits with status 2. Stdio buffers are flushed first. Never throws, so it
// is safe in destructors and noexcept code. C++ has no recover(): a panic
// always ends the program.
[[noreturn]] void panic(
    std::string_view message,
    SourceLocation where = SourceLocation::current()) noexcept;

namespace detail {

// Go's "fatal error: <message>" for misuse Go does not let a program
// recover from, such as unlocking an unlocked mutex; exits with status 2.
[[noreturn]] void fatal_error(
    std::string_view message,
    SourceLocation where = SourceLocation::current()) noexcept;

}  // namespace detail
}  // namespace racecourse
