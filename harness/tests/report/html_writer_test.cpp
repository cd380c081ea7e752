#include "racecourse/report/html_writer.hpp"

#include <regex>

#include <gtest/gtest.h>

#include "sample_run_set.hpp"

namespace racecourse::report {
namespace {

using testing::sample_run_set;

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(HtmlReport, MatchesGolden) {
  testing::expect_golden("index.html", to_html(sample_run_set()));
}

TEST(HtmlReport, IsSelfContained) {
  const std::string html = to_html(sample_run_set());
  EXPECT_FALSE(contains(html, "<script")) << "no scripts expected";
  EXPECT_FALSE(contains(html, "<link"));
  EXPECT_FALSE(contains(html, "src="));
  EXPECT_FALSE(contains(html, "http://"));
  EXPECT_FALSE(contains(html, "https://"));
  EXPECT_FALSE(contains(html, "url("));
}

TEST(HtmlReport, EscapesProgramOutput) {
  const std::string html = to_html(sample_run_set());
  EXPECT_TRUE(
      contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  EXPECT_TRUE(contains(html, "]]&gt; a|b"));
  EXPECT_FALSE(contains(html, "\xff"));
}

TEST(HtmlReport, EscapesLesson) {
  const std::string html = to_html(sample_run_set());
  EXPECT_TRUE(contains(html, "Keep &lt;b&gt;tags&lt;/b&gt; &amp; ampersands"));
  EXPECT_FALSE(contains(html, "<b>tags</b>"));
}

TEST(HtmlReport, RendersLessonMarkdown) {
  const std::string html = to_html(sample_run_set());
  EXPECT_TRUE(contains(html, "<h4>Updating a shared counter</h4>"));
  EXPECT_TRUE(contains(html, "<h5>What ThreadSanitizer says</h5>"));
  EXPECT_TRUE(contains(html, "<code>counter++</code>"));
  EXPECT_TRUE(contains(html, "<strong>read, add and write</strong>"));
  EXPECT_TRUE(contains(html, "<ol>\n<li>Take the <code>Mutex</code>"));
  EXPECT_TRUE(contains(html, "<ul>\n<li>Or use"));
  EXPECT_TRUE(contains(html, "<pre><code>WARNING: ThreadSanitizer"));
  EXPECT_TRUE(contains(html, "<blockquote>\n<p>A race is a bug"));
}

TEST(HtmlReport, RendersLessonPipeTable) {
  const std::string html = to_html(sample_run_set());
  EXPECT_TRUE(contains(html, "<tr><th>Go</th><th>racecourse</th></tr>"));
  EXPECT_TRUE(contains(html,
                       "<tr><td><code>go f()</code></td>"
                       "<td><code>racecourse::go(f)</code></td></tr>"));
  EXPECT_TRUE(contains(html,
                       "<code>racecourse::WaitGroup</code> "
                       "&lt;b&gt;&amp;&lt;/b&gt;</td>"));
  EXPECT_FALSE(contains(html, "| --- |"));
}

// A run whose leak finding lists goroutines in the given states; a state
// other than "running" and "sleep" means blocked in a runtime primitive.
RunSet leak_run_set(const std::vector<std::string>& states) {
  Finding finding;
  finding.verdict = Verdict::leak;
  finding.source = "runtime";
  finding.kind = "goroutine leak";
  finding.message = "goroutines left when main returned";
  int id = 2;
  for (const std::string& state : states) {
    GoroutineInfo goroutine;
    goroutine.id = id++;
    goroutine.state = state;
    goroutine.blocked_at = state == "running" ? "" : "leaky.cpp:7";
    finding.goroutines.push_back(goroutine);
  }
  Run run;
  run.verdict = Verdict::leak;
  run.findings = {finding};
  VariantResult result;
  result.case_name = "leaky";
  result.variant = "racy";
  result.runs = {run};
  RunSet runs;
  runs.results = {result};
  return runs;
}

TEST(HtmlReport, LeakHintForAbandonedGoroutines) {
  const std::string html =
      to_html(leak_run_set({"running", "sleep", "running", "sleep"}));
  EXPECT_TRUE(contains(html,
                       "Some goroutines were still running when main "
                       "returned (abandoned)"))
      << html;
  EXPECT_FALSE(contains(html, "blocked when main returned")) << html;
}

TEST(HtmlReport, LeakHintForOneBlockedGoroutine) {
  const std::string html = to_html(leak_run_set({"chan send"}));
  EXPECT_TRUE(contains(html,
                       "A goroutine was blocked when main returned, and "
                       "nothing could ever wake it (leaked)."))
      << html;
  EXPECT_FALSE(contains(html, "still running")) << html;
}

TEST(HtmlReport, LeakHintForBlockedAndAbandoned) {
  const std::string html =
      to_html(leak_run_set({"semacquire", "chan receive", "running"}));
  EXPECT_TRUE(contains(html,
                       "Some goroutines were blocked when main "
                       "returned"))
      << html;
  EXPECT_TRUE(contains(html,
                       "A goroutine was still running when main "
                       "returned (abandoned)"))
      << html;
}

TEST(HtmlReport, OneByteAccessIsSingular) {
  RunSet runs = sample_run_set();
  runs.results[0].runs[0].findings[0].accesses[0].size = 1;
  const std::string html = to_html(runs);
  EXPECT_TRUE(contains(html, "Write of 1 byte by")) << html;
  EXPECT_FALSE(contains(html, "1 bytes"));
}

TEST(HtmlReport, NumericOutcomesInValueOrder) {
  RunSet runs = sample_run_set();
  std::vector<report::Run>& racy_runs = runs.results[0].runs;
  racy_runs[0].outcome = "2600.00";
  racy_runs[1].outcome = "26000.00";
  racy_runs[2].outcome = "2700.00";
  const std::string html = to_html(runs);
  const auto small = html.find("<code>2600.00</code>");
  const auto middle = html.find("<code>2700.00</code>");
  const auto large = html.find("<code>26000.00</code>");
  ASSERT_NE(small, std::string::npos);
  ASSERT_NE(middle, std::string::npos);
  ASSERT_NE(large, std::string::npos);
  EXPECT_LT(small, middle);
  EXPECT_LT(middle, large);
}

TEST(HtmlReport, UserFramesLinkToSourceListing) {
  const std::string html = to_html(sample_run_set());
  EXPECT_TRUE(contains(
      html,
      "<a href=\"#src-msg-update-racy-L9\">cases/msg-update/racy.cpp:9</a>"));
  EXPECT_TRUE(contains(html,
                       "<tr id=\"src-msg-update-racy-L9\" "
                       "class=\"mark\">"));
  EXPECT_TRUE(contains(html, "<tr id=\"src-msg-update-fixed-L10\">"));
  // Deadlocked goroutines link to where they block.
  EXPECT_TRUE(contains(
      html,
      "<a href=\"#src-ping-pong-racy-L8\">cases/ping-pong/racy.cpp:8</a>"));
}

TEST(HtmlReport, FoldsLibraryFrames) {
  const std::string html = to_html(sample_run_set());
  const std::regex folded(
      "<details><summary>1 library frame</summary>\n<ul class=\"stack\">\n"
      "<li>#1 <code>std::__invoke_impl&lt;void, main::\\$_0&gt;</code>");
  EXPECT_TRUE(std::regex_search(html, folded));
}

TEST(HtmlReport, EveryLinkHasAnAnchor) {
  const std::string html = to_html(sample_run_set());
  const std::regex link("href=\"#([^\"]+)\"");
  int links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link);
       it != std::sregex_iterator(); ++it) {
    ++links;
    const std::string id = (*it)[1];
    EXPECT_TRUE(contains(html, "id=\"" + id + "\"")) << "dangling #" << id;
  }
  EXPECT_GT(links, 10);
}

TEST(HtmlReport, ShowsMissingSourceAndLesson) {
  RunSet runs;
  VariantResult result;
  result.case_name = "gone";
  result.variant = "racy";
  result.source = "/nonexistent/racy.cpp";
  result.lesson = "/nonexistent/lesson.md";
  runs.results.push_back(result);
  const std::string html = to_html(runs);
  EXPECT_TRUE(contains(html, "The source file could not be read."));
  EXPECT_TRUE(contains(html,
                       "The lesson /nonexistent/lesson.md could not "
                       "be read."));
}

TEST(HtmlReport, OmitsSourceWhenUnknown) {
  RunSet runs;
  VariantResult result;
  result.case_name = "prog";
  result.variant = "program";
  runs.results.push_back(result);
  const std::string html = to_html(runs);
  EXPECT_FALSE(contains(html, "<h3>Source</h3>"));
  EXPECT_FALSE(contains(html, "could not be read"));
}

}  // namespace
}  // namespace racecourse::report
