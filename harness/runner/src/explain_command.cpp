// `racecourse explain CASE`: the lesson, the expectations and the fix as a
// diff of racy.cpp against fixed.cpp.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "racecourse/runner/commands.hpp"
#include "racecourse/runner/line_diff.hpp"
#include "racecourse/runner/manifest.hpp"
#include "racecourse/runner/verdict.hpp"

namespace racecourse::runner {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The source of `variant`: the manifest's path, else <case dir>/<name>.cpp.
fs::path source_of(const CaseSpec& spec, const std::string& variant) {
  for (const VariantSpec& candidate : spec.variants) {
    if (candidate.variant == variant && !candidate.source.empty()) {
      return candidate.source;
    }
  }
  return fs::path(spec.dir) / (variant + ".cpp");
}

void print_expectations(const CaseSpec& spec, std::ostream& out) {
  out << "What the runner expects:\n";
  for (const VariantSpec& variant : spec.variants) {
    std::string expect;
    for (report::Verdict verdict : variant.expect) {
      expect += (expect.empty() ? "" : " or ") +
                std::string(report::to_string(verdict));
    }
    out << "  " << variant.variant << ": " << expect;
    if (!variant.outcome.required.empty()) {
      out << ", with stdout matching '"
          << shown_pattern(variant.outcome.required) << "'";
    }
    out << "\n";
  }
}

void print_diff(const CaseSpec& spec, bool side_by_side, std::ostream& out) {
  fs::path racy = source_of(spec, "racy");
  fs::path fixed = source_of(spec, "fixed");
  auto before = read_text(racy);
  auto after = read_text(fixed);
  if (!before || !after) {
    out << "(no diff: cannot read " << (before ? fixed : racy).string()
        << ")\n";
    return;
  }
  out << "The fix, " << racy.filename().string() << " -> "
      << fixed.filename().string() << ":\n";
  if (side_by_side) {
    out << side_by_side_diff(*before, *after);
  } else {
    out << unified_diff(*before, *after, racy.string(), fixed.string());
  }
}

}  // namespace

int explain_command(const ExplainOptions& options, std::ostream& out) {
  Manifest manifest = load_manifest_option(options.manifest);
  const CaseSpec& spec = manifest.find_case(options.case_name);

  out << spec.name << ": " << spec.title << "\n\n";
  if (auto lesson = read_text(spec.lesson)) {
    out << *lesson << (lesson->empty() || lesson->back() == '\n' ? "" : "\n");
  } else {
    out << "(lesson " << spec.lesson << " not found)\n";
  }
  out << "\n";
  print_expectations(spec, out);
  out << "\n";
  print_diff(spec, options.side_by_side, out);
  return 0;
}

}  // namespace racecourse::runner
