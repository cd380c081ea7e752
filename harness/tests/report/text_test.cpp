// Tests of the writers' internal text helpers.
#include "text.hpp"

#include <gtest/gtest.h>

#include "lesson_html.hpp"

namespace racecourse::report::detail {
namespace {

TEST(ReportText, SanitizeKeepsValidUtf8) {
  EXPECT_EQ(sanitize_utf8("caf\xC3\xA9 \xE2\x9C\x85"),
            "caf\xC3\xA9 \xE2\x9C\x85");
}

TEST(ReportText, SanitizeReplacesInvalidBytes) {
  EXPECT_EQ(sanitize_utf8("a\xFF"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(sanitize_utf8("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("\xE2\x9C"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(ReportText, XmlEscapeForbiddenCharacters) {
  EXPECT_EQ(xml_escape(std::string("a\0b", 3), false), "a\\x00b");
  EXPECT_EQ(xml_escape("\x1b[0m", false), "\\x1B[0m");
  EXPECT_EQ(xml_escape("\xEF\xBF\xBE", false), "\\uFFFE");
  EXPECT_EQ(xml_escape("tab\there\nnext", false), "tab\there\nnext");
  EXPECT_EQ(xml_escape("tab\there\nnext", true), "tab&#9;here&#10;next");
}

TEST(ReportText, XmlEscapeMarkup) {
  EXPECT_EQ(xml_escape("<a href=\"x\">]]></a> & 'q'", false),
            "&lt;a href=\"x\"&gt;]]&gt;&lt;/a&gt; &amp; 'q'");
  EXPECT_EQ(xml_escape("\"", true), "&quot;");
}

TEST(ReportText, HtmlEscapeMarkup) {
  EXPECT_EQ(html_escape("<img src=x onerror='a'>&\""),
            "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;");
}

TEST(ReportText, SplitLinesDropsCarriageReturns) {
  EXPECT_EQ(split_lines("a\r\nb\n\nc"),
            (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split_lines("a\n"), (std::vector<std::string>{"a"}));
}

TEST(ReportText, LessonUnclosedFenceStillCloses) {
  EXPECT_EQ(lesson_to_html("```\n<x>\n", 0),
            "<pre><code>&lt;x&gt;\n</code></pre>\n");
}

TEST(ReportText, LessonHeadingShiftStopsAtSix) {
  EXPECT_EQ(lesson_to_html("##### Deep", 2), "<h6>Deep</h6>\n");
  EXPECT_EQ(lesson_to_html("#NoSpace", 0), "<p>#NoSpace</p>\n");
}

TEST(ReportText, LessonInlineCodeWithBackticks) {
  EXPECT_EQ(lesson_to_html("use `` a`b `` here", 0),
            "<p>use <code>a`b</code> here</p>\n");
  EXPECT_EQ(lesson_to_html("lone ` tick", 0), "<p>lone ` tick</p>\n");
}

TEST(ReportText, LessonUnpairedBoldStaysLiteral) {
  EXPECT_EQ(lesson_to_html("a ** b", 0), "<p>a ** b</p>\n");
}

TEST(ReportText, LessonPipeTableBecomesTable) {
  const std::string markdown =
      "Observed:\n\n"
      "| Go | racecourse |\n"
      "| --- | ---: |\n"
      "| `go f()` | <b>&amp; |\n"
      "| a \\| b |\n"
      "\nAfter.\n";
  EXPECT_EQ(lesson_to_html(markdown, 0),
            "<p>Observed:</p>\n"
            "<table>\n"
            "<tr><th>Go</th><th style=\"text-align:right\">racecourse</th>"
            "</tr>\n"
            "<tr><td><code>go f()</code></td>"
            "<td style=\"text-align:right\">&lt;b&gt;&amp;amp;</td></tr>\n"
            "<tr><td>a | b</td><td style=\"text-align:right\"></td></tr>\n"
            "</table>\n"
            "<p>After.</p>\n");
}

TEST(ReportText, LessonTableWithoutOuterPipes) {
  EXPECT_EQ(lesson_to_html("a | b\n:-: | :--\n1 | 2 | 3", 0),
            "<table>\n"
            "<tr><th style=\"text-align:center\">a</th>"
            "<th style=\"text-align:left\">b</th></tr>\n"
            "<tr><td style=\"text-align:center\">1</td>"
            "<td style=\"text-align:left\">2</td></tr>\n"
            "</table>\n");
}

TEST(ReportText, LessonPipeWithoutDelimiterStaysText) {
  EXPECT_EQ(lesson_to_html("a | b\nmore", 0), "<p>a | b more</p>\n");
  EXPECT_EQ(lesson_to_html("| a | b |\n| --- |", 0),
            "<p>| a | b | | --- |</p>\n");
  EXPECT_EQ(lesson_to_html("x | y", 0), "<p>x | y</p>\n");
  EXPECT_EQ(lesson_to_html("```\n| a |\n| --- |\n```", 0),
            "<pre><code>| a |\n| --- |\n</code></pre>\n");
}

TEST(ReportText, CountOfUsesSingularForOne) {
  EXPECT_EQ(count_of(1, "byte"), "1 byte");
  EXPECT_EQ(count_of(0, "byte"), "0 bytes");
  EXPECT_EQ(count_of(8, "byte"), "8 bytes");
}

TEST(ReportText, OutcomeNumberAcceptsDollarAndPercent) {
  EXPECT_EQ(outcome_number("2600.00"), 2600.0);
  EXPECT_EQ(outcome_number("$26000.00"), 26000.0);
  EXPECT_EQ(outcome_number("40%"), 40.0);
  EXPECT_EQ(outcome_number("-$5"), -5.0);
  EXPECT_EQ(outcome_number("12 of 12"), std::nullopt);
  EXPECT_EQ(outcome_number("inf"), std::nullopt);
  EXPECT_EQ(outcome_number("$"), std::nullopt);
  EXPECT_EQ(outcome_number(""), std::nullopt);
}

VariantResult with_outcomes(const std::vector<std::string>& outcomes) {
  VariantResult result;
  for (const std::string& outcome : outcomes) {
    Run run;
    run.outcome = outcome;
    result.runs.push_back(run);
  }
  return result;
}

TEST(ReportText, NumericOutcomesSortByValue) {
  const auto rows = sorted_outcomes(
      with_outcomes({"26000.00", "2700.00", "2600.00", "2600.00", "$520"}));
  using Rows = std::vector<std::pair<std::string, int>>;
  EXPECT_EQ(
      rows,
      (Rows{{"$520", 1}, {"2600.00", 2}, {"2700.00", 1}, {"26000.00", 1}}));
}

TEST(ReportText, TextOutcomesSortByCountThenText) {
  const auto rows =
      sorted_outcomes(with_outcomes({"b", "10", "a", "b", "c", "c", "c"}));
  using Rows = std::vector<std::pair<std::string, int>>;
  EXPECT_EQ(rows, (Rows{{"c", 3}, {"b", 2}, {"10", 1}, {"a", 1}}));
}

}  // namespace
}  // namespace racecourse::report::detail
