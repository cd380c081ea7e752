#include "text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <map>

namespace racecourse::report::detail {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one UTF-8 sequence at `text[pos]` and returns the code point and
// its length in bytes. An invalid or overlong sequence, a surrogate or a
// value above U+10FFFF decodes as U+FFFD of length 1.
std::pair<char32_t, std::size_t> decode(std::string_view text,
                                        std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    return {lead, 1};
  }
  std::size_t length = 0;
  char32_t value = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
  } else {
    return {kReplacement, 1};
  }
  if (pos + length > text.size()) {
    return {kReplacement, 1};
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) {
      return {kReplacement, 1};
    }
    value = (value << 6) | (next & 0x3F);
  }
  constexpr std::array<char32_t, 5> kMinimum = {0, 0, 0x80, 0x800, 0x10000};
  const bool overlong = value < kMinimum[length];
  const bool surrogate = value >= 0xD800 && value <= 0xDFFF;
  if (overlong || surrogate || value > 0x10FFFF) {
    return {kReplacement, 1};
  }
  return {value, length};
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// XML 1.0, production [2] Char: what may appear in a document at all.
bool is_xml_char(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

std::string visible_escape(char32_t c) {
  std::array<char, 16> buffer{};
  const char* format = c < 0x100 ? "\\x%02X" : "\\u%04X";
  std::snprintf(buffer.data(), buffer.size(), format, static_cast<unsigned>(c));
  return buffer.data();
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const auto [c, length] = decode(text, pos);
    if (c == kReplacement) {
      append_utf8(out, c);
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : sanitize_utf8(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const auto [c, length] = decode(text, pos);
    pos += length;
    if (!is_xml_char(c)) {
      out += visible_escape(c);
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"' && attribute) {
      out += "&quot;";
    } else if (attribute && (c == '\t' || c == '\n' || c == '\r')) {
      out += "&#" + std::to_string(static_cast<int>(c)) + ";";
    } else {
      append_utf8(out, c);
    }
  }
  return out;
}

std::string format_seconds(double seconds) {
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.3f", seconds);
  return buffer.data();
}

std::string count_of(long long count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) +
         (count == 1 ? "" : "s");
}

std::optional<double> outcome_number(std::string_view value) {
  if (!value.empty() && value.back() == '%') {
    value.remove_suffix(1);
  }
  const bool negative = !value.empty() && value.front() == '-';
  if (negative) {
    value.remove_prefix(1);
  }
  if (!value.empty() && value.front() == '$') {
    value.remove_prefix(1);
  }
  // from_chars accepts "inf" and "nan"; outcomes that read so are text.
  if (value.empty() ||
      !std::isdigit(static_cast<unsigned char>(value.front()))) {
    return std::nullopt;
  }
  double number = 0;
  const char* end = value.data() + value.size();
  const auto [stop, error] = std::from_chars(value.data(), end, number);
  if (error != std::errc() || stop != end) {
    return std::nullopt;
  }
  return negative ? -number : number;
}

std::vector<std::pair<std::string, int>> sorted_outcomes(
    const VariantResult& result) {
  const std::map<std::string, int> histogram = result.outcome_histogram();
  std::vector<std::pair<std::string, int>> rows(histogram.begin(),
                                                histogram.end());
  const bool numeric =
      std::all_of(rows.begin(), rows.end(),
                  [](const auto& row) { return outcome_number(row.first); });
  if (numeric) {
    // The map already orders equal numbers ("5", "5.0") by text, and a
    // stable sort keeps that order.
    std::stable_sort(
        rows.begin(), rows.end(), [](const auto& a, const auto& b) {
          return *outcome_number(a.first) < *outcome_number(b.first);
        });
  } else {
    std::stable_sort(
        rows.begin(), rows.end(),
        [](const auto& a, const auto& b) { return a.second > b.second; });
  }
  return rows;
}

std::string join_verdicts(const std::vector<Verdict>& verdicts,
                          std::string_view separator) {
  std::string out;
  for (const Verdict verdict : verdicts) {
    if (!out.empty()) {
      out += separator;
    }
    out += to_string(verdict);
  }
  return out;
}

std::vector<std::pair<Verdict, int>> verdict_counts(
    const VariantResult& result) {
  std::map<Verdict, int> counts;
  for (const Run& run : result.runs) {
    ++counts[run.verdict];
  }
  return {counts.rbegin(), counts.rend()};
}

std::vector<CaseGroup> group_by_case(const RunSet& runs) {
  std::vector<CaseGroup> groups;
  for (const VariantResult& result : runs.results) {
    auto group = std::find_if(
        groups.begin(), groups.end(),
        [&](const CaseGroup& g) { return g.name == result.case_name; });
    if (group == groups.end()) {
      groups.push_back({result.case_name, {}});
      group = std::prev(groups.end());
    }
    group->variants.push_back(&result);
  }
  return groups;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string line(text.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

}  // namespace racecourse::report::detail
