#pragma once
// Input schemas, zod-like: a procedure declares the shape of its input, the codec checks it before the
// handler runs, and every problem becomes one issue {path: ["nodes", 0, "id"], message} in a BAD_REQUEST.
// Handlers then read the input knowing its shape (no second round of checks, no 5xx for bad input).
// Objects are strict (unknown keys are an issue), as Convex's validators were.
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace kianax::api {

struct Issue {
  boost::json::array path;
  std::string message;
};

class Schema {
 public:
  virtual ~Schema() = default;
  // Appends an issue per problem; `path` is where `value` sits in the input.
  virtual void check(const boost::json::value& value, boost::json::array& path,
                     std::vector<Issue>& issues) const = 0;
};
using SchemaPtr = std::shared_ptr<const Schema>;

namespace schema {

constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

SchemaPtr any();
SchemaPtr string(std::size_t min_length = 0, std::size_t max_length = kUnbounded);
SchemaPtr uuid();  // "Invalid uuid" for anything but the 8-4-4-4-12 hex form
SchemaPtr enumeration(std::vector<std::string> values);
SchemaPtr number();
SchemaPtr integer(std::int64_t min, std::int64_t max);
SchemaPtr boolean();
SchemaPtr array(SchemaPtr item, std::size_t max_items = kUnbounded);
SchemaPtr record(SchemaPtr value);  // an object with any keys, every value matching `value`
SchemaPtr nullable(SchemaPtr inner);

struct Field {
  std::string name;
  SchemaPtr schema;
  bool optional = false;  // may be absent (never null unless the schema is nullable)
};
SchemaPtr object(std::vector<Field> fields);

}  // namespace schema

// Runs the schema; empty when valid.
[[nodiscard]] std::vector<Issue> validate(const Schema& schema, const boost::json::value& value);
// [{path, message}…] for data.issues.
[[nodiscard]] boost::json::value issues_json(const std::vector<Issue>& issues);
// "name: String must contain at least 1 character(s)" (+ " (and 2 more issues)"): the error message.
[[nodiscard]] std::string issues_message(const std::vector<Issue>& issues);

}  // namespace kianax::api
