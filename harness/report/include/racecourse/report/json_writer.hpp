// results.json: the machine-readable report. Its schema is versioned
// (kJsonSchemaVersion) and documented in reports/schema/results.schema.json.
#pragma once

#include <string>
#include <string_view>

#include "racecourse/report/model.hpp"
#include "racecourse/report/report_error.hpp"

namespace racecourse::report {

// The `schema_version` that to_json writes and from_json accepts. Raise it
// whenever a field is renamed, removed or changes meaning.
inline constexpr int kJsonSchemaVersion = 1;

// Renders `runs` as pretty-printed JSON (2-space indent, keys in a fixed
// order). Invalid UTF-8 in program output is replaced by U+FFFD.
std::string to_json(const RunSet& runs);

// Parses the text of a results.json back into a RunSet. Throws ReportError
// naming the field when the text is not JSON, has another schema_version,
// or lacks a required field. Derived fields (runs_met, all_met,
// outcome_histogram) are ignored: the model computes them.
RunSet from_json(std::string_view text);

}  // namespace racecourse::report
