// `racecourse run`: runs the manifest's cases.
#include <algorithm>
#include <cstdint>

#include "racecourse/runner/commands.hpp"
#include "racecourse/runner/errors.hpp"
#include "racecourse/runner/manifest.hpp"
#include "racecourse/runner/session.hpp"

namespace racecourse::runner {
namespace {

void check_variant_option(const std::string& variant) {
  if (variant != "racy" && variant != "fixed" && variant != "all") {
    throw UsageError("--variant '" + variant +
                     "' is invalid: use racy, fixed or all");
  }
}

std::vector<const CaseSpec*> selected_cases(const Manifest& manifest,
                                            const RunOptions& options) {
  std::vector<const CaseSpec*> cases;
  if (options.cases.empty()) {
    for (const CaseSpec& spec : manifest.cases) {
      cases.push_back(&spec);
    }
    return cases;
  }
  for (const std::string& name : options.cases) {
    cases.push_back(&manifest.find_case(name));  // throws for unknown names
  }
  return cases;
}

VariantJob make_job(const CaseSpec& spec,
                    const VariantSpec& variant,
                    const RunOptions& options) {
  VariantJob job;
  job.result.case_name = spec.name;
  job.result.variant = variant.variant;
  job.result.title = spec.title;
  job.result.binary = variant.binary;
  job.result.source = variant.source;
  job.result.lesson = spec.lesson;
  job.result.expected = variant.expect;
  job.result.outcome_spec = variant.outcome;
  job.command = {variant.binary};
  job.command.insert(job.command.end(), variant.args.begin(),
                     variant.args.end());
  job.timeout =
      options.timeout_seconds
          ? timeout_from_seconds(*options.timeout_seconds)
          : std::max(std::chrono::milliseconds(1),
                     std::chrono::milliseconds(static_cast<std::int64_t>(
                         spec.timeout_seconds * 1000)));
  return job;
}

}  // namespace

int run_command(const RunOptions& options, std::ostream& out) {
  check_variant_option(options.variant);
  check_repeat(options.repeat);
  resolve_jobs(options.jobs);
  if (options.timeout_seconds) {
    timeout_from_seconds(*options.timeout_seconds);
  }
  Manifest manifest = load_manifest_option(options.manifest);

  std::vector<VariantJob> jobs;
  for (const CaseSpec* spec : selected_cases(manifest, options)) {
    for (const VariantSpec& variant : spec->variants) {
      if (options.variant == "all" || options.variant == variant.variant) {
        jobs.push_back(make_job(*spec, variant, options));
      }
    }
  }
  if (jobs.empty()) {
    throw UsageError("nothing to run: no case in " + manifest.path.string() +
                     " has a '" + options.variant +
                     "' variant; see 'racecourse list'");
  }

  SessionOptions session;
  session.command = "run";
  session.repeat = options.repeat;
  session.jobs = options.jobs;
  session.report_dir = options.report_dir;
  session.source_dir = manifest.source_dir;
  session.verbose = options.verbose;
  return run_session(std::move(jobs), session, out);
}

}  // namespace racecourse::runner
