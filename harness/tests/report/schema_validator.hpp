// A validator for the part of JSON Schema that results.schema.json uses.
// Debian 12 packages no C++ JSON Schema validator, so the test brings its
// own: keywords type, required, properties, items, enum, const,
// additionalProperties and local "$ref"s ("#/$defs/name"). Any other
// keyword in a schema is reported as unsupported, so the schema cannot
// quietly use something that goes unchecked.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace racecourse::report::testing {

// Returns one message per violation of `schema` by `document`, each naming
// the JSON path ("$.results[0].runs"); empty when the document is valid.
std::vector<std::string> validate_schema(const nlohmann::json& schema,
                                         const nlohmann::json& document);

}  // namespace racecourse::report::testing
