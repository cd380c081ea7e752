#include "racecourse/runner/tsan_options.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace racecourse::runner {
namespace {

// Splits a sanitizer option string into its "name=value" tokens. The
// sanitizer flag parser separates options by spaces, tabs, newlines, commas
// and colons, and a value may be quoted with ' or ", which protects any
// separator inside it.
std::vector<std::string> split_options(std::string_view text) {
  constexpr std::string_view kSeparators = " \t\n\r,:";
  std::vector<std::string> tokens;
  std::string token;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) {
      quote = c == quote ? 0 : quote;
      token += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      token += c;
    } else if (kSeparators.find(c) != std::string_view::npos) {
      if (!token.empty()) {
        tokens.push_back(std::move(token));
      }
      token.clear();
    } else {
      token += c;
    }
  }
  if (!token.empty()) {
    tokens.push_back(std::move(token));
  }
  return tokens;
}

// Quotes `value`, when it contains a separator or a quote, with a quote
// character it does not contain. The caller
// has checked with can_quote_option_value that there is one.
std::string quoted(const std::string& value) {
  if (value.find_first_of(" \t\n\r,:'\"") == std::string::npos) {
    return value;
  }
  char quote = value.find('"') == std::string::npos ? '"' : '\'';
  return quote + value + quote;
}

}  // namespace

bool can_quote_option_value(std::string_view value) {
  return value.find('"') == std::string_view::npos ||
         value.find('\'') == std::string_view::npos;
}

std::string tsan_options_problem(std::string_view user_options) {
  for (const std::string& token : split_options(user_options)) {
    char first_quote = 0;
    int quotes = 0;
    for (char c : token) {
      if (c == '"' || c == '\'') {
        first_quote = first_quote == 0 ? c : first_quote;
        quotes += c == first_quote ? 1 : 0;
      }
    }
    if (quotes % 2 != 0) {
      return "'" + token + "' has an unterminated quote";
    }
    if (token.find('=') == std::string::npos) {
      return "'" + token + "' is not NAME=VALUE";
    }
  }
  return "";
}

std::string merge_tsan_options(std::string_view user_options,
                               const std::filesystem::path& log_path) {
  const std::array<std::pair<std::string, std::string>, 6> ours{{
      {"log_path", quoted(log_path.string())},
      {"detect_deadlocks", "1"},
      {"second_deadlock_stack", "1"},
      {"report_thread_leaks", "1"},
      {"halt_on_error", "0"},
      {"exitcode", std::to_string(kTsanExitCode)},
  }};
  // Defaults the user's own options may override (later options win in
  // TSan's parser). TSan sleeps a second at exit while other threads live,
  // to catch races in exit code; a goroutine program that returns with
  // goroutines alive would pay that on every run.
  std::string merged = "atexit_sleep_ms=0:";
  for (const std::string& token : split_options(user_options)) {
    std::string name = token.substr(0, token.find('='));
    bool overridden = std::any_of(ours.begin(), ours.end(),
                                  [&](auto& o) { return o.first == name; });
    if (!overridden) {
      merged += token + ":";
    }
  }
  for (const auto& [name, value] : ours) {
    merged += name + "=" + value + ":";
  }
  merged.pop_back();
  return merged;
}

}  // namespace racecourse::runner
