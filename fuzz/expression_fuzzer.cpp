// Fuzzes the {{ … }} expression language: occurrence scanning, resolution against a populated context (vars,
// trigger, execution, node outputs), reference extraction and the validator's parser. Nothing may crash, and
// the resolver's invariants must hold.
#include "engine/expression.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace kianax::engine;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const boost::json::object vars =
      boost::json::parse(
          R"({"s":"str","n":1.5,"arr":[1,{"x":[2,3]}],"obj":{"a.b":1,"k":{"deep":[null,true]}}})")
          .as_object();
  static const MaybeValue trigger = boost::json::parse(R"({"body":{"id":"t1","items":[{"v":1}]}})");
  static const boost::json::object execution{{"id", "e1"}, {"routineId", "r1"}, {"startedAt", 1}};
  static const ExecutionState state = [] {
    ExecutionState s;
    NodeResult r;
    r.outputs.push_back(
        {"out", {{boost::json::parse(R"({"list":[1,2,3],"m":{"k":"v"}})"), {}, std::nullopt}}});
    r.outputs.push_back({"empty", {}});
    s.add_node_result("src", r);
    return s;
  }();
  ExpressionContext ctx{&vars, &trigger, &execution, &state};

  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto occurrences = find_expressions(text);
  if (has_expressions(text) != !occurrences.empty()) std::abort();
  for (const auto& o : occurrences)
    if (o.begin >= o.end || o.end > text.size() || text.substr(o.begin, 2) != "{{") std::abort();
  MaybeValue resolved = resolve_string(text, ctx);
  // Without occurrences the text is returned unchanged.
  if (occurrences.empty() && (!resolved || !resolved->is_string() || resolved->get_string() != text))
    std::abort();
  (void)extract_references(text);
  // The same text inside containers goes through the recursive resolver.
  boost::json::value nested = boost::json::object{{"a", boost::json::array{boost::json::string(text)}}};
  (void)resolve_value(nested, ctx);
  return 0;
}
