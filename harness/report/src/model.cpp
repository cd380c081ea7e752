#include "racecourse/report/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace racecourse::report {
namespace {

constexpr std::array<std::pair<Verdict, std::string_view>, 11> kNames{{
    {Verdict::clean, "clean"},
    {Verdict::wrong_output, "wrong-output"},
    {Verdict::leak, "leak"},
    {Verdict::misuse, "misuse"},
    {Verdict::lock_order_inversion, "lock-order-inversion"},
    {Verdict::data_race, "data-race"},
    {Verdict::panic, "panic"},
    {Verdict::deadlock, "deadlock"},
    {Verdict::timeout, "timeout"},
    {Verdict::crash, "crash"},
    {Verdict::error, "error"},
}};

}  // namespace

std::string_view to_string(Verdict verdict) {
  for (const auto& [value, name] : kNames) {
    if (value == verdict) {
      return name;
    }
  }
  return "error";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

const std::vector<Verdict>& all_verdicts() {
  static const std::vector<Verdict> verdicts = [] {
    std::vector<Verdict> all;
    for (const auto& entry : kNames) {
      all.push_back(entry.first);
    }
    return all;
  }();
  return verdicts;
}

int VariantResult::runs_met() const {
  return static_cast<int>(std::count_if(runs.begin(), runs.end(),
                                        [](const Run& r) { return r.met; }));
}

bool VariantResult::all_met() const {
  return !runs.empty() && runs_met() == static_cast<int>(runs.size());
}

std::map<std::string, int> VariantResult::outcome_histogram() const {
  std::map<std::string, int> histogram;
  for (const Run& run : runs) {
    if (run.outcome) {
      ++histogram[*run.outcome];
    }
  }
  return histogram;
}

bool RunSet::all_met() const {
  return std::all_of(results.begin(), results.end(),
                     [](const VariantResult& r) { return r.all_met(); });
}

}  // namespace racecourse::report
