#include "case_support.hpp"

#include <regex>

namespace kianax::conformance {

bool is_undefined_marker(const boost::json::value& v) {
  if (!v.is_object() || v.get_object().size() != 1) return false;
  const auto* m = v.get_object().if_contains("$undefined");
  return m && m->is_bool() && m->get_bool();
}

engine::MaybeValue from_case(const boost::json::value& v) {
  if (is_undefined_marker(v)) return std::nullopt;
  if (v.is_array()) {
    boost::json::array out;
    for (const auto& e : v.get_array()) {
      auto c = from_case(e);
      out.push_back(c ? std::move(*c) : boost::json::value(nullptr));
    }
    return boost::json::value(std::move(out));
  }
  if (v.is_object()) {
    boost::json::object out;
    for (const auto& m : v.get_object())
      if (auto c = from_case(m.value())) out[m.key()] = std::move(*c);
    return boost::json::value(std::move(out));
  }
  return v;
}

std::string show(const engine::MaybeValue& v) { return v ? engine::js_stringify(*v) : "undefined"; }

const boost::json::value* member(const boost::json::value& o, std::string_view key) {
  return o.is_object() ? o.get_object().if_contains(key) : nullptr;
}

namespace {

std::string compare(const boost::json::value& expected, const engine::MaybeValue& actual,
                    const std::string& where, bool subset) {
  if (is_undefined_marker(expected)) return actual ? where + ": expected undefined, got " + show(actual) : "";
  if (!actual) return where + ": expected " + engine::js_stringify(expected) + ", got undefined";
  const auto& a = *actual;
  if (expected.is_object() && a.is_object()) {
    const auto& e = expected.get_object();
    const auto& o = a.get_object();
    for (const auto& m : e) {
      const auto* got = o.if_contains(m.key());
      std::string d = compare(m.value(), got ? engine::MaybeValue(*got) : std::nullopt,
                              where + "." + std::string(m.key()), subset);
      if (!d.empty()) return d;
    }
    if (!subset)
      for (const auto& m : o)
        if (!e.contains(m.key()))
          return where + ": unexpected key \"" + std::string(m.key()) +
                 "\" = " + engine::js_stringify(m.value());
    return "";
  }
  if (expected.is_array() && a.is_array()) {
    const auto& e = expected.get_array();
    const auto& o = a.get_array();
    if (e.size() != o.size())
      return where + ": expected " + std::to_string(e.size()) + " elements " +
             engine::js_stringify(expected) + ", got " + std::to_string(o.size()) + " " +
             engine::js_stringify(a);
    for (size_t i = 0; i < e.size(); ++i) {
      // Inside arrays undefined is represented as null.
      if (is_undefined_marker(e[i]) && o[i].is_null()) continue;
      std::string d = compare(e[i], engine::MaybeValue(o[i]), where + "[" + std::to_string(i) + "]", subset);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (!engine::json_equal(expected, a))
    return where + ": expected " + engine::js_stringify(expected) + ", got " + engine::js_stringify(a);
  return "";
}

}  // namespace

std::string difference(const boost::json::value& expected, const engine::MaybeValue& actual,
                       const std::string& where) {
  return compare(expected, actual, where, false);
}

std::string subset_difference(const boost::json::value& expected, const engine::MaybeValue& actual,
                              const std::string& where) {
  return compare(expected, actual, where, true);
}

void expect_equal(const boost::json::value& expected, const engine::MaybeValue& actual,
                  const std::string& what) {
  if (auto d = difference(expected, actual, what); !d.empty()) throw CaseFailure(d);
}

void expect_subset(const boost::json::value& expected, const engine::MaybeValue& actual,
                   const std::string& what) {
  if (auto d = subset_difference(expected, actual, what); !d.empty()) throw CaseFailure(d);
}

void expect_throws(const boost::json::value& spec, const std::optional<std::string>& message) {
  if (!message)
    throw CaseFailure("expected an error (" + engine::js_stringify(spec) + "), but nothing failed");
  auto text = [](const boost::json::value* v) {
    return v && v->is_string() ? std::string(v->get_string()) : "";
  };
  if (spec.is_string()) {
    if (*message != spec.get_string())
      throw CaseFailure("expected error \"" + std::string(spec.get_string()) + "\", got \"" + *message +
                        "\"");
  } else if (const auto* eq = member(spec, "equals")) {
    if (*message != text(eq))
      throw CaseFailure("expected error \"" + text(eq) + "\", got \"" + *message + "\"");
  } else if (const auto* has = member(spec, "contains")) {
    if (message->find(text(has)) == std::string::npos)
      throw CaseFailure("expected error containing \"" + text(has) + "\", got \"" + *message + "\"");
  } else if (const auto* re = member(spec, "matches")) {
    if (!std::regex_search(*message, std::regex(text(re), std::regex::ECMAScript)))
      throw CaseFailure("expected error matching /" + text(re) + "/, got \"" + *message + "\"");
  } else {
    throw CaseFailure("unknown throws spec " + engine::js_stringify(spec));
  }
}

}  // namespace kianax::conformance
