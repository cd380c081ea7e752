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

}  // namespace
}  // namespace racecourse::report::detail
