#include "schema_validator.hpp"

#include <algorithm>
#include <set>

namespace racecourse::report::testing {
namespace {

using nlohmann::json;

bool has_type(const json& value, const std::string& type) {
  if (type == "object") {
    return value.is_object();
  }
  if (type == "array") {
    return value.is_array();
  }
  if (type == "string") {
    return value.is_string();
  }
  if (type == "integer") {
    return value.is_number_integer();
  }
  if (type == "number") {
    return value.is_number();
  }
  if (type == "boolean") {
    return value.is_boolean();
  }
  if (type == "null") {
    return value.is_null();
  }
  return false;
}

class Validator {
 public:
  explicit Validator(const json& root) : root_(root) {}

  void check(const json& schema, const json& value, const std::string& path);
  std::vector<std::string> errors() const { return errors_; }

 private:
  const json& resolve(const std::string& ref, const std::string& path);
  void check_type(const json& schema,
                  const json& value,
                  const std::string& path);
  void check_object(const json& schema,
                    const json& value,
                    const std::string& path);
  void check_array(const json& schema,
                   const json& value,
                   const std::string& path);

  const json& root_;
  std::vector<std::string> errors_;
};

const json& Validator::resolve(const std::string& ref,
                               const std::string& path) {
  static const json anything = json::object();
  const std::string prefix = "#/$defs/";
  if (ref.rfind(prefix, 0) != 0 || !root_.contains("$defs") ||
      !root_["$defs"].contains(ref.substr(prefix.size()))) {
    errors_.push_back(path + ": unresolvable $ref " + ref);
    return anything;
  }
  return root_["$defs"][ref.substr(prefix.size())];
}

void Validator::check_type(const json& schema,
                           const json& value,
                           const std::string& path) {
  const json& type = schema["type"];
  bool ok = false;
  if (type.is_string()) {
    ok = has_type(value, type.get<std::string>());
  } else {
    for (const json& t : type) {
      ok = ok || has_type(value, t.get<std::string>());
    }
  }
  if (!ok) {
    errors_.push_back(path + ": expected type " + type.dump() + ", got " +
                      value.type_name());
  }
}

void Validator::check_object(const json& schema,
                             const json& value,
                             const std::string& path) {
  if (schema.contains("required")) {
    for (const json& key : schema["required"]) {
      if (!value.contains(key.get<std::string>())) {
        errors_.push_back(path + ": missing required " + key.dump());
      }
    }
  }
  const json empty = json::object();
  const json& properties =
      schema.contains("properties") ? schema["properties"] : empty;
  for (const auto& [key, item] : value.items()) {
    std::string item_path = path;
    item_path += "." + key;
    if (properties.contains(key)) {
      check(properties[key], item, item_path);
      continue;
    }
    const json& extra = schema.value("additionalProperties", json(true));
    if (extra.is_boolean() && !extra.get<bool>()) {
      errors_.push_back(item_path + ": property not allowed");
    } else if (extra.is_object()) {
      check(extra, item, item_path);
    }
  }
}

void Validator::check_array(const json& schema,
                            const json& value,
                            const std::string& path) {
  if (!schema.contains("items")) {
    return;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    check(schema["items"], value[i], path + "[" + std::to_string(i) + "]");
  }
}

void Validator::check(const json& schema,
                      const json& value,
                      const std::string& path) {
  static const std::set<std::string> supported = {"$schema",
                                                  "$id",
                                                  "$defs",
                                                  "$ref",
                                                  "title",
                                                  "description",
                                                  "type",
                                                  "required",
                                                  "properties",
                                                  "items",
                                                  "enum",
                                                  "const",
                                                  "additionalProperties"};
  for (const auto& [keyword, unused] : schema.items()) {
    if (supported.count(keyword) == 0) {
      std::string message = path;
      message += ": schema keyword " + keyword;
      message += " is not supported by this validator";
      errors_.push_back(message);
    }
  }
  if (schema.contains("$ref")) {
    check(resolve(schema["$ref"].get<std::string>(), path), value, path);
  }
  if (schema.contains("type")) {
    check_type(schema, value, path);
  }
  if (schema.contains("enum")) {
    const json& allowed = schema["enum"];
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      errors_.push_back(path + ": " + value.dump() + " is not one of " +
                        allowed.dump());
    }
  }
  if (schema.contains("const") && schema["const"] != value) {
    errors_.push_back(path + ": expected " + schema["const"].dump() + ", got " +
                      value.dump());
  }
  if (value.is_object()) {
    check_object(schema, value, path);
  }
  if (value.is_array()) {
    check_array(schema, value, path);
  }
}

}  // namespace

std::vector<std::string> validate_schema(const nlohmann::json& schema,
                                         const nlohmann::json& document) {
  Validator validator(schema);
  validator.check(schema, document, "$");
  return validator.errors();
}

}  // namespace racecourse::report::testing
