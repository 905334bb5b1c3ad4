#include "api/input_schema.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cmath>
#include <utility>

#include "core/json_type_name.hpp"

namespace kianax::api {
namespace json = boost::json;

namespace {

std::string kind_of(const json::value& v) { return std::string(core::json_type_name(&v)); }

void add(std::vector<Issue>& issues, const json::array& path, std::string message) {
  issues.push_back(Issue{path, std::move(message)});
}

void expected(std::vector<Issue>& issues, const json::array& path, std::string_view want,
              const json::value& got) {
  add(issues, path, "Expected " + std::string(want) + ", received " + kind_of(got));
}

// Length in code points, as JavaScript's .length would count most text (zod counts UTF-16 units; the
// difference only matters at the limit for astral characters).
std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

class AnySchema final : public Schema {
 public:
  void check(const json::value&, json::array&, std::vector<Issue>&) const override {}
};

class StringSchema final : public Schema {
 public:
  StringSchema(std::size_t min, std::size_t max) : min_(min), max_(max) {}
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_string()) return expected(issues, path, "string", v);
    const std::size_t n = utf8_length(v.get_string());
    if (n < min_) add(issues, path, "String must contain at least " + std::to_string(min_) + " character(s)");
    if (n > max_) add(issues, path, "String must contain at most " + std::to_string(max_) + " character(s)");
  }

 private:
  std::size_t min_, max_;
};

class UuidSchema final : public Schema {
 public:
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_string()) return expected(issues, path, "string", v);
    const auto s = v.get_string();
    bool ok = s.size() == 36;
    for (std::size_t i = 0; ok && i < s.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      ok = dash ? s[i] == '-' : std::isxdigit(static_cast<unsigned char>(s[i])) != 0;
    }
    if (!ok) add(issues, path, "Invalid uuid");
  }
};

class EnumSchema final : public Schema {
 public:
  explicit EnumSchema(std::vector<std::string> values) : values_(std::move(values)) {}
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (v.is_string()) {
      for (const auto& allowed : values_)
        if (v.get_string() == allowed) return;
    }
    std::string message = "Invalid enum value. Expected ";
    for (std::size_t i = 0; i < values_.size(); ++i) message += (i ? " | '" : "'") + values_[i] + "'";
    message +=
        v.is_string() ? ", received '" + std::string(v.get_string()) + "'" : ", received " + kind_of(v);
    add(issues, path, std::move(message));
  }

 private:
  std::vector<std::string> values_;
};

class NumberSchema final : public Schema {
 public:
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_number()) expected(issues, path, "number", v);
  }
};

class IntegerSchema final : public Schema {
 public:
  IntegerSchema(std::int64_t min, std::int64_t max) : min_(min), max_(max) {}
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_number()) return expected(issues, path, "number", v);
    std::error_code ec;
    const auto n = v.to_number<std::int64_t>(ec);
    if (ec) return add(issues, path, "Expected integer, received float");
    if (n < min_) add(issues, path, "Number must be greater than or equal to " + std::to_string(min_));
    if (n > max_) add(issues, path, "Number must be less than or equal to " + std::to_string(max_));
  }

 private:
  std::int64_t min_, max_;
};

class BooleanSchema final : public Schema {
 public:
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_bool()) expected(issues, path, "boolean", v);
  }
};

class ArraySchema final : public Schema {
 public:
  ArraySchema(SchemaPtr item, std::size_t max) : item_(std::move(item)), max_(max) {}
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_array()) return expected(issues, path, "array", v);
    const auto& a = v.get_array();
    if (a.size() > max_) {
      // Checked before the items: a 10 000-node routine gets one issue, not 10 000 item checks.
      return add(issues, path, "Array must contain at most " + std::to_string(max_) + " element(s)");
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      path.emplace_back(static_cast<std::int64_t>(i));
      item_->check(a[i], path, issues);
      path.pop_back();
    }
  }

 private:
  SchemaPtr item_;
  std::size_t max_;
};

class RecordSchema final : public Schema {
 public:
  explicit RecordSchema(SchemaPtr value) : value_(std::move(value)) {}
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_object()) return expected(issues, path, "object", v);
    for (const auto& kv : v.get_object()) {
      path.emplace_back(kv.key());
      value_->check(kv.value(), path, issues);
      path.pop_back();
    }
  }

 private:
  SchemaPtr value_;
};

class NullableSchema final : public Schema {
 public:
  explicit NullableSchema(SchemaPtr inner) : inner_(std::move(inner)) {}
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_null()) inner_->check(v, path, issues);
  }

 private:
  SchemaPtr inner_;
};

class ObjectSchema final : public Schema {
 public:
  explicit ObjectSchema(std::vector<schema::Field> fields) : fields_(std::move(fields)) {}
  void check(const json::value& v, json::array& path, std::vector<Issue>& issues) const override {
    if (!v.is_object()) return expected(issues, path, "object", v);
    const auto& o = v.get_object();
    for (const auto& f : fields_) {
      path.emplace_back(f.name);
      if (const auto* field = o.if_contains(f.name)) {
        f.schema->check(*field, path, issues);
      } else if (!f.optional) {
        add(issues, path, "Required");
      }
      path.pop_back();
    }
    std::string unknown;
    for (const auto& kv : o) {
      bool known = false;
      for (const auto& f : fields_) known = known || kv.key() == f.name;
      if (!known) unknown += (unknown.empty() ? "'" : ", '") + std::string(kv.key()) + "'";
    }
    if (!unknown.empty()) add(issues, path, "Unrecognized key(s) in object: " + unknown);
  }

 private:
  std::vector<schema::Field> fields_;
};

}  // namespace

namespace schema {
SchemaPtr any() { return std::make_shared<AnySchema>(); }
SchemaPtr string(std::size_t min_length, std::size_t max_length) {
  return std::make_shared<StringSchema>(min_length, max_length);
}
SchemaPtr uuid() { return std::make_shared<UuidSchema>(); }
SchemaPtr enumeration(std::vector<std::string> values) {
  return std::make_shared<EnumSchema>(std::move(values));
}
SchemaPtr number() { return std::make_shared<NumberSchema>(); }
SchemaPtr integer(std::int64_t min, std::int64_t max) { return std::make_shared<IntegerSchema>(min, max); }
SchemaPtr boolean() { return std::make_shared<BooleanSchema>(); }
SchemaPtr array(SchemaPtr item, std::size_t max_items) {
  return std::make_shared<ArraySchema>(std::move(item), max_items);
}
SchemaPtr record(SchemaPtr value) { return std::make_shared<RecordSchema>(std::move(value)); }
SchemaPtr nullable(SchemaPtr inner) { return std::make_shared<NullableSchema>(std::move(inner)); }
SchemaPtr object(std::vector<Field> fields) { return std::make_shared<ObjectSchema>(std::move(fields)); }
}  // namespace schema

std::vector<Issue> validate(const Schema& schema, const json::value& value) {
  std::vector<Issue> issues;
  json::array path;
  schema.check(value, path, issues);
  return issues;
}

json::value issues_json(const std::vector<Issue>& issues) {
  json::array out;
  for (const auto& issue : issues)
    out.push_back(json::object{{"path", issue.path}, {"message", issue.message}});
  return out;
}

std::string issues_message(const std::vector<Issue>& issues) {
  if (issues.empty()) return "Invalid input";
  std::string where;
  for (const auto& p : issues.front().path) {
    if (!where.empty()) where += '.';
    where += p.is_string() ? std::string(p.get_string()) : json::serialize(p);
  }
  std::string message = where.empty() ? issues.front().message : where + ": " + issues.front().message;
  if (issues.size() > 1) message += " (and " + std::to_string(issues.size() - 1) + " more issues)";
  return message;
}

}  // namespace kianax::api
