// results.json: the machine-readable report. Its schema is versioned
// (kJsonSchemaVersion) and documented in reports/schema/results.schema.json.
#pragma once

#include <string>
#include <string_view>

#include "racecourse/report/model.hpp"
#include "racecourse/report/report_error.hpp"

namespace racecourse::report {

// The `schema_version` that to_json writes. Raise it whenever a field is
// renamed, removed or changes meaning. Version 2 lets a stack be a JSON
// Pointer to an identical stack written earlier.
inline constexpr int kJsonSchemaVersion = 2;

// The oldest `schema_version` that from_json still reads. Version 1 files
// have no shared raw texts or stacks and read the same way.
inline constexpr int kOldestJsonSchemaVersion = 1;

// Renders `runs` as pretty-printed JSON (2-space indent, keys in a fixed
// order). Invalid UTF-8 in program output is replaced by U+FFFD. A raw text
// or stack that repeats one written earlier is written once and pointed to
// (see reports/README.md).
std::string to_json(const RunSet& runs);

// Parses the text of a results.json back into a RunSet. Throws ReportError
// naming the field when the text is not JSON, has a schema_version outside
// kOldestJsonSchemaVersion..kJsonSchemaVersion, lacks a required field or
// has a pointer to nothing. Shared raw texts and stacks are copied back.
// Derived fields (runs_met, all_met, outcome_histogram) are ignored: the model
// computes them.
RunSet from_json(std::string_view text);

}  // namespace racecourse::report
