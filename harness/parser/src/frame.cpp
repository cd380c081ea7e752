// Frame lines and the library/user split.
#include "racecourse/parser/frame.hpp"

#include <array>
#include <string>

#include "text.hpp"

namespace racecourse::parser {
namespace {

using detail::consume;
using detail::trim;

// Removes a trailing " (BuildId: <hex>)", which clang 14's runtime appends.
void strip_build_id(std::string_view& rest) {
  const std::size_t at = rest.rfind(" (BuildId: ");
  if (at != std::string_view::npos && rest.ends_with(')')) {
    rest = trim(rest.substr(0, at));
  }
}

// Removes the trailing "(module+0xoffset)" group and returns its contents.
// Scans back to the matching '(' because function names contain
// parentheses too.
std::string take_module(std::string_view& rest) {
  if (!rest.ends_with(')')) {
    return {};
  }
  int depth = 0;
  for (std::size_t i = rest.size(); i-- > 0;) {
    depth += rest[i] == ')' ? 1 : 0;
    depth -= rest[i] == '(' ? 1 : 0;
    if (depth == 0) {
      if (i == 0 || rest[i - 1] != ' ') {
        return {};
      }
      std::string module(rest.substr(i + 1, rest.size() - i - 2));
      rest = trim(rest.substr(0, i));
      return module;
    }
  }
  return {};
}

// Splits "path:line:column", "path:line" or "path" into the frame. A
// "<null>" location leaves the file empty.
void set_location(std::string_view location, report::Frame& frame) {
  if (location == "<null>") {
    return;
  }
  std::array<int, 2> numbers{};
  int count = 0;
  while (count < 2) {
    const std::size_t colon = location.rfind(':');
    if (colon == std::string_view::npos ||
        !detail::is_digits(location.substr(colon + 1))) {
      break;
    }
    std::string_view digits = location.substr(colon + 1);
    numbers[count++] = detail::consume_int(digits).value_or(0);
    location = location.substr(0, colon);
  }
  frame.file = std::string(location);
  frame.line = count == 2 ? numbers[1] : numbers[0];
  frame.column = count == 2 ? numbers[0] : 0;
}

// Returns the part of a module string before "+0x", without directories:
// "/lib/x86_64-linux-gnu/libc.so.6+0x27249" -> "libc.so.6".
std::string_view module_name(std::string_view module) {
  module = module.substr(0, module.rfind("+0x"));
  const std::size_t slash = module.rfind('/');
  return slash == std::string_view::npos ? module : module.substr(slash + 1);
}

bool is_system_module(std::string_view module) {
  constexpr std::array<std::string_view, 12> kPrefixes{
      "libstdc++",  "libc.so",     "libc-",    "libtsan",
      "libpthread", "ld-linux",    "libm.so",  "libgcc_s",
      "libc++",     "libclang_rt", "libdl.so", "librt.so",
  };
  const std::string_view name = module_name(module);
  for (const std::string_view prefix : kPrefixes) {
    if (name.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

bool is_racecourse_runtime_path(std::string_view file) {
  return file.find("/include/racecourse/") != std::string_view::npos ||
         file.find("harness/runtime/") != std::string_view::npos;
}

bool is_library_path(std::string_view file) {
  constexpr std::array<std::string_view, 7> kFragments{
      "/c++/",    "/lib/gcc/",     "/libsanitizer/", "compiler-rt/lib/",
      "sysdeps/", "/usr/include/", "/usr/lib/",
  };
  for (const std::string_view fragment : kFragments) {
    if (file.find(fragment) != std::string_view::npos) {
      return true;
    }
  }
  const std::string_view base = file.substr(file.rfind('/') + 1);
  return file.starts_with("csu/") || file.starts_with("nptl/") ||
         base.starts_with("tsan_") || base.starts_with("sanitizer_");
}

bool is_runtime_function(std::string_view function) {
  constexpr std::array<std::string_view, 17> kPrefixes{
      "<null>",       "__tsan",          "__interceptor_", "___interceptor_",
      "__sanitizer",  "std::",           "__gnu_cxx::",    "__cxxabiv1",
      "__cxa_",       "__libc_",         "__gthread_",     "pthread_",
      "operator new", "operator delete", "start_thread",   "clone",
      "__clone",
  };
  for (const std::string_view prefix : kPrefixes) {
    if (function.starts_with(prefix)) {
      return true;
    }
  }
  constexpr std::array<std::string_view, 16> kNames{
      "malloc",        "calloc",  "realloc", "free",
      "memcpy",        "memmove", "memset",  "memcmp",
      "strlen",        "strcmp",  "strcpy",  "posix_memalign",
      "aligned_alloc", "raise",   "kill",    "sigaction",
  };
  const std::string_view name = function.substr(0, function.find('('));
  for (const std::string_view known : kNames) {
    if (name == known) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<report::Frame> parse_frame(std::string_view line) {
  std::string_view rest = trim(line);
  report::Frame frame;
  const std::optional<int> index =
      consume(rest, "#") ? detail::consume_int(rest) : std::nullopt;
  if (!index || !rest.starts_with(' ')) {
    return std::nullopt;
  }
  frame.index = *index;
  rest = trim(rest);
  strip_build_id(rest);
  frame.module = take_module(rest);

  // The location is the last space-separated word, the function the rest.
  // NOTE: a file path that contains a space is split wrongly.
  const std::size_t space = rest.rfind(' ');
  if (space == std::string_view::npos) {
    frame.function = std::string(rest);
  } else {
    frame.function = std::string(trim(rest.substr(0, space)));
    set_location(rest.substr(space + 1), frame);
  }
  frame.user_code = !is_library_frame(frame);
  return frame;
}

bool is_library_frame(const report::Frame& frame) {
  if (is_system_module(frame.module) ||
      is_racecourse_runtime_path(frame.file)) {
    return true;
  }
  if (!frame.file.empty()) {
    return is_library_path(frame.file);
  }
  return is_runtime_function(frame.function);
}

}  // namespace racecourse::parser
