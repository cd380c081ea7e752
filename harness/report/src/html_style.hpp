// The style sheet inlined into index.html.
#pragma once

#include <string_view>

namespace racecourse::report::detail {

inline constexpr std::string_view kHtmlStyle = R"css(
:root {
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9;
  --muted: #57606a; --line: #d0d7de; --mark: #fff8c5; --code-bg: #f6f8fa;
}
* { box-sizing: border-box; }
body {
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #1f2328; margin: 0 auto; max-width: 1500px;
  padding: 1rem 1.5rem 4rem;
}
h1 { margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: 0.3rem;
     margin-top: 3rem; }
h3 { margin: 1.6rem 0 0.4rem; color: #24292f; }
h4 { margin: 1rem 0 0.3rem; }
.meta, .muted { color: var(--muted); }
.lead { font-size: 1.15rem; margin: 0.3rem 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.6rem;
         text-align: left; vertical-align: top; }
th { background: var(--code-bg); }
.badge { display: inline-block; border-radius: 1rem; padding: 0 0.6rem;
         font-size: 0.85rem; font-weight: 600; white-space: nowrap; }
.met { color: var(--ok); background: var(--ok-bg); }
.unmet { color: var(--bad); background: var(--bad-bg); }
.verdict { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
           font-weight: 600; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
            font-size: 0.85rem; }
pre { background: var(--code-bg); border: 1px solid var(--line);
      padding: 0.5rem 0.7rem; overflow-x: auto; white-space: pre-wrap;
      word-break: break-all; max-height: 30rem; overflow-y: auto; }
:not(pre) > code { background: var(--code-bg); padding: 0 0.25rem;
                   border-radius: 3px; }
.finding { border-left: 4px solid var(--bad); padding: 0.2rem 0 0.2rem 1rem;
           margin: 0.8rem 0; }
.finding.minor { border-left-color: var(--line); }
.stack { margin: 0.2rem 0; padding-left: 1.5rem; list-style: none; }
.stack li { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
            font-size: 0.85rem; overflow-wrap: anywhere; }
.hint { background: var(--mark); border: 1px solid #d4a72c66;
        padding: 0.4rem 0.8rem; border-radius: 4px; }
details > summary { cursor: pointer; color: var(--muted); }
.sources { display: grid; grid-template-columns: repeat(auto-fit,
           minmax(36rem, 1fr)); gap: 1rem; }
figure { margin: 0; min-width: 0; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 0.3rem; }
/* 0.7rem fits two 80-column listings side by side in a 1280px window. */
.listing { width: 100%; font-family: ui-monospace, "DejaVu Sans Mono",
           monospace; font-size: 0.7rem; background: var(--code-bg); }
.listing td { border: none; padding: 0 0.5rem; white-space: pre; }
.listing td.ln { text-align: right; color: var(--muted); user-select: none;
                 width: 1%; border-right: 1px solid var(--line); }
.listing td.ln a { color: inherit; text-decoration: none; }
.listing tr.mark td { background: var(--mark); }
.listing tr:target td { background: #ffd33d; }
.lesson { max-width: 55rem; }
blockquote { margin: 0.5rem 0; padding: 0 1rem; color: var(--muted);
             border-left: 4px solid var(--line); }
.bar { display: inline-block; height: 0.7rem; background: #8c959f; }
)css";

}  // namespace racecourse::report::detail
