// Text helpers shared by the writers: escaping for each output format,
// number formatting and grouping results by case. Internal to the library.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "racecourse/report/model.hpp"

namespace racecourse::report::detail {

// Returns `text` with every invalid UTF-8 sequence replaced by U+FFFD, so
// that program output in any encoding can go into JSON, XML and HTML.
std::string sanitize_utf8(std::string_view text);

// Escapes &, <, >, " and ' for HTML text and attribute values, after
// sanitize_utf8.
std::string html_escape(std::string_view text);

// Escapes `text` for XML 1.0 text or attribute values. Characters that XML
// 1.0 forbids even as references (most C0 controls, U+FFFE, U+FFFF) become
// the visible text "\xNN" or "\uNNNN". In attributes, tab, CR and LF become
// character references so that parsers keep them.
std::string xml_escape(std::string_view text, bool attribute);

// Formats seconds with three decimals ("1.250").
std::string format_seconds(double seconds);

// Returns `count` and `noun`, with an "s" unless `count` is 1: "1 byte",
// "4 bytes".
std::string count_of(long long count, std::string_view noun);

// Parses an outcome value as a number: a decimal, optionally signed, with
// an optional leading "$" and trailing "%" ("$2600.00", "-3", "50%").
std::optional<double> outcome_number(std::string_view value);

// Returns the outcome histogram of `result` in display order: by numeric
// value when every value parses with outcome_number, else most runs first
// and then by text.
std::vector<std::pair<std::string, int>> sorted_outcomes(
    const VariantResult& result);

// Joins the report spellings of `verdicts` with `separator`.
std::string join_verdicts(const std::vector<Verdict>& verdicts,
                          std::string_view separator);

// The verdicts of a variant's runs and how many runs had each, most
// serious first.
std::vector<std::pair<Verdict, int>> verdict_counts(
    const VariantResult& result);

// The variants of one case, in the order the RunSet lists them.
struct CaseGroup {
  std::string name;
  std::vector<const VariantResult*> variants;
};

// Groups the results by case name, cases in order of first appearance.
std::vector<CaseGroup> group_by_case(const RunSet& runs);

// Splits `text` into lines without their "\n" (a final empty line after a
// trailing "\n" is dropped).
std::vector<std::string> split_lines(std::string_view text);

}  // namespace racecourse::report::detail
