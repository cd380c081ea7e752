// Where a runtime call was made, captured with compiler builtins so every
// public entry point can default its last parameter to the caller's spot.
#pragma once

namespace racecourse {

// A source position: file, line and enclosing function of a call.
//
// `current()` must be used as a default argument; it then records the
// caller's position. clang 14 lacks `std::source_location`, and g++ 12 and
// clang 14 both provide these builtins.
struct SourceLocation {
  const char* file = "";
  int line = 0;
  const char* function = "";

  static constexpr SourceLocation current(
      const char* file = __builtin_FILE(),
      int line = __builtin_LINE(),
      const char* function = __builtin_FUNCTION()) noexcept {
    return SourceLocation{file, line, function};
  }

  constexpr bool known() const noexcept { return line != 0; }
};

}  // namespace racecourse
