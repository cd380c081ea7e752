// A small Markdown renderer for lessons (lesson.md) in the HTML report.
#pragma once

#include <string>
#include <string_view>

namespace racecourse::report::detail {

// Renders the Markdown that lessons use as HTML: ATX headings (shifted down
// by `heading_shift` levels, at most <h6>), paragraphs, fenced code blocks,
// "-", "*", "+" and "1." lists, block quotes, pipe tables (a header row,
// a delimiter row such as "| --- | :-: |", then body rows), inline code and
// **bold**. All text is HTML-escaped; anything else (links, raw HTML) shows
// as the literal text it is.
std::string lesson_to_html(std::string_view markdown, int heading_shift);

}  // namespace racecourse::report::detail
