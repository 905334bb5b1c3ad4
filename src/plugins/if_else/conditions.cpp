#include "plugins/if_else/conditions.hpp"

#include <boost/regex.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace kianax::plugins::if_else {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_js_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

double radix_number(std::string_view digits, int radix) {
  if (digits.empty()) return kNaN;
  double v = 0;
  for (char c : digits) {
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'z') ? c - 'a' + 10
            : (c >= 'A' && c <= 'Z') ? c - 'A' + 10
                                     : 99;
    if (d >= radix) return kNaN;
    v = v * radix + d;
  }
  return v;
}

// StringToNumber: the StrDecimalLiteral grammar, plus 0x/0o/0b integers and Infinity.
double string_to_number(std::string_view s) {
  while (!s.empty() && is_js_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_js_space(s.back())) s.remove_suffix(1);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') return radix_number(s.substr(2), 16);
    if (p == 'o' || p == 'O') return radix_number(s.substr(2), 8);
    if (p == 'b' || p == 'B') return radix_number(s.substr(2), 2);
  }
  std::string_view body = s;
  bool negative = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "Infinity") return negative ? -INFINITY : INFINITY;
  // digits [. digits] [e[+-]digits] | . digits [e…]; at least one digit in the mantissa.
  size_t i = 0, mantissa_digits = 0;
  while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++mantissa_digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return kNaN;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return kNaN;
  }
  if (i != body.size()) return kNaN;
  return std::strtod(std::string(s).c_str(), nullptr);
}

// Array.prototype.join(",") as ToPrimitive produces it for arrays.
void append_js_string(std::string& out, const boost::json::value& v);

std::string array_to_string(const boost::json::array& a) {
  std::string out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i) out.push_back(',');
    if (!a[i].is_null()) append_js_string(out, a[i]);
  }
  return out;
}

void append_js_string(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::array:
      out += array_to_string(v.get_array());
      break;
    case boost::json::kind::object:
      out += "[object Object]";
      break;
    case boost::json::kind::null:
      out += "null";
      break;
    default:
      engine::append_interpolated(out, &v);
  }
}

bool is_nullish(const engine::MaybeValue& v) { return !v || v->is_null(); }

}  // namespace

double js_to_number(const engine::MaybeValue& mv) {
  if (!mv) return kNaN;
  const auto& v = *mv;
  switch (v.kind()) {
    case boost::json::kind::null:
      return 0;
    case boost::json::kind::bool_:
      return v.get_bool() ? 1 : 0;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return engine::number_as_double(v);
    case boost::json::kind::string:
      return string_to_number(v.get_string());
    case boost::json::kind::array:
      return string_to_number(array_to_string(v.get_array()));
    case boost::json::kind::object:
      return kNaN;
  }
  return kNaN;
}

bool js_strict_equal(const engine::MaybeValue& a, const engine::MaybeValue& b) {
  if (!a || !b) return !a && !b;
  if (a->is_number() && b->is_number()) return engine::number_as_double(*a) == engine::number_as_double(*b);
  if (a->kind() != b->kind()) return false;
  switch (a->kind()) {
    case boost::json::kind::null:
      return true;
    case boost::json::kind::bool_:
      return a->get_bool() == b->get_bool();
    case boost::json::kind::string:
      return a->get_string() == b->get_string();
    default:
      return false;  // objects and arrays: never the same instance after JSON
  }
}

bool evaluate_condition(std::string_view op, const engine::MaybeValue& value,
                        const engine::MaybeValue& compare) {
  if (op == "==") return js_strict_equal(value, compare);
  if (op == "!=") return !js_strict_equal(value, compare);
  if (op == ">" || op == "<" || op == ">=" || op == "<=") {
    double v = js_to_number(value), c = js_to_number(compare);
    if (std::isnan(v) || std::isnan(c)) return false;
    if (op == ">") return v > c;
    if (op == "<") return v < c;
    if (op == ">=") return v >= c;
    return v <= c;
  }
  bool both_strings = value && compare && value->is_string() && compare->is_string();
  if (op == "contains") {
    if (both_strings)
      return std::string_view(value->get_string()).find(compare->get_string()) != std::string_view::npos;
    if (value && value->is_array()) {
      // Array.prototype.includes: SameValueZero, so NaN would equal NaN (JSON has no NaN).
      for (const auto& e : value->get_array())
        if (js_strict_equal(engine::MaybeValue(e), compare)) return true;
    }
    return false;
  }
  if (op == "startsWith")
    return both_strings && std::string_view(value->get_string()).starts_with(compare->get_string());
  if (op == "endsWith")
    return both_strings && std::string_view(value->get_string()).ends_with(compare->get_string());
  if (op == "matches") {
    if (!both_strings) return false;
    // Boost.Regex rather than std::regex: libstdc++'s matcher recurses per character and overflows the stack
    // on a ~20 kB subject (a crash of the whole worker), while Boost's is iterative and bounds backtracking
    // (ReDoS), throwing instead. Invalid patterns and such errors make the condition false, as the spec says
    // for any error raised while evaluating a condition.
    try {
      boost::regex re(compare->get_string().begin(), compare->get_string().end(), boost::regex::ECMAScript);
      return boost::regex_search(value->get_string().begin(), value->get_string().end(), re);
    } catch (const std::exception&) {
      return false;
    }
  }
  if (op == "exists") return !is_nullish(value);
  if (op == "empty") {
    if (is_nullish(value)) return true;
    if (value->is_string()) return value->get_string().empty();
    if (value->is_array()) return value->get_array().empty();
    if (value->is_object()) return value->get_object().empty();
    return false;
  }
  return false;  // unknown operator
}

}  // namespace kianax::plugins::if_else
