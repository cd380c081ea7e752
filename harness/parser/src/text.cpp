#include "text.hpp"

#include <limits>
#include <string>

namespace racecourse::parser::detail {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) {
    return {};
  }
  const std::size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

bool consume(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) {
    return false;
  }
  text.remove_prefix(prefix.size());
  return true;
}

std::optional<std::int64_t> consume_int64(std::string_view& text) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::size_t length = 0;
  std::int64_t value = 0;
  while (length < text.size() && text[length] >= '0' && text[length] <= '9') {
    const int digit = text[length] - '0';
    if (value > (kMax - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
    ++length;
  }
  if (length == 0) {
    return std::nullopt;
  }
  text.remove_prefix(length);
  return value;
}

std::optional<int> consume_int(std::string_view& text) {
  std::string_view rest = text;
  const std::optional<std::int64_t> value = consume_int64(rest);
  if (!value || *value > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  text = rest;
  return static_cast<int>(*value);
}

std::optional<std::string> consume_thread(std::string_view& text) {
  if (consume(text, "main thread")) {
    return "main thread";
  }
  std::string_view rest = text;
  consume(rest, "thread ");
  if (!consume(rest, "T")) {
    return std::nullopt;
  }
  const std::optional<int> id = consume_int(rest);
  if (!id) {
    return std::nullopt;
  }
  text = rest;
  return "T" + std::to_string(*id);
}

std::optional<std::string_view> consume_until(std::string_view& text,
                                              std::string_view delimiter) {
  const std::size_t at = text.find(delimiter);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view head = text.substr(0, at);
  text.remove_prefix(at + delimiter.size());
  return head;
}

bool is_digits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace racecourse::parser::detail
