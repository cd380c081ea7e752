// `racecourse list`: the manifest's cases and what each variant expects.
#include <iomanip>

#include "racecourse/runner/commands.hpp"
#include "racecourse/runner/manifest.hpp"

#include <nlohmann/json.hpp>

namespace racecourse::runner {
namespace {

std::vector<std::string> verdict_names(
    const std::vector<report::Verdict>& verdicts) {
  std::vector<std::string> names;
  for (report::Verdict verdict : verdicts) {
    names.emplace_back(report::to_string(verdict));
  }
  return names;
}

nlohmann::json case_json(const CaseSpec& spec) {
  nlohmann::json variants = nlohmann::json::array();
  for (const VariantSpec& variant : spec.variants) {
    variants.push_back({{"variant", variant.variant},
                        {"expect", verdict_names(variant.expect)},
                        {"binary", variant.binary},
                        {"source", variant.source}});
  }
  return {{"name", spec.name},
          {"title", spec.title},
          {"lesson", spec.lesson},
          {"timeout_seconds", spec.timeout_seconds},
          {"variants", variants}};
}

void print_case(const CaseSpec& spec, std::ostream& out) {
  out << spec.name << "  " << spec.title << "\n";
  for (const VariantSpec& variant : spec.variants) {
    std::string expect;
    for (const std::string& name : verdict_names(variant.expect)) {
      expect += (expect.empty() ? "" : "|") + name;
    }
    out << "    " << std::left << std::setw(7) << variant.variant << " expects "
        << expect << "\n";
  }
}

}  // namespace

int list_command(const ListOptions& options, std::ostream& out) {
  Manifest manifest = load_manifest_option(options.manifest);
  if (options.json) {
    nlohmann::json cases = nlohmann::json::array();
    for (const CaseSpec& spec : manifest.cases) {
      cases.push_back(case_json(spec));
    }
    out << cases.dump(2) << "\n";
    return 0;
  }
  for (const CaseSpec& spec : manifest.cases) {
    print_case(spec, out);
  }
  return 0;
}

}  // namespace racecourse::runner
