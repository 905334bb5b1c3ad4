#include "engine/expression.hpp"

namespace kianax::engine {

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Byte length of the JS whitespace or line terminator (String.prototype.trim) that `s` starts / ends with, or
// 0: ASCII spaces, NBSP, U+1680, U+2000–U+200A, U+2028/9, U+202F, U+205F, U+3000 and the BOM, in UTF-8.
size_t leading_space(std::string_view s) {
  if (s.empty()) return 0;
  if (is_ascii_space(s[0])) return 1;
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.size() >= 2 && b(0) == 0xC2 && b(1) == 0xA0) return 2;
  if (s.size() < 3) return 0;
  unsigned c = (b(0) << 16) | (b(1) << 8) | b(2);
  if (c == 0xE19A80 || c == 0xE280AF || c == 0xE2819F || c == 0xE38080 || c == 0xEFBBBF || c == 0xE280A8 ||
      c == 0xE280A9 || (c >= 0xE28080 && c <= 0xE2808A))
    return 3;
  return 0;
}
size_t trailing_space(std::string_view s) {
  if (s.empty()) return 0;
  if (is_ascii_space(s.back())) return 1;
  for (size_t n : {size_t{2}, size_t{3}})
    if (s.size() >= n && leading_space(s.substr(s.size() - n)) == n) return n;
  return 0;
}

std::string_view trim(std::string_view s) {
  while (size_t n = leading_space(s)) s.remove_prefix(n);
  while (size_t n = trailing_space(s)) s.remove_suffix(n);
  return s;
}

// Match of the occurrence rule at `pos` (which holds "{{"), or npos.
size_t match_end_at(std::string_view text, size_t pos) {
  size_t close = text.find('}', pos + 2);
  if (close == std::string_view::npos || close == pos + 2) return std::string_view::npos;
  if (close + 1 >= text.size() || text[close + 1] != '}') return std::string_view::npos;
  return close + 2;
}

// Splits on every '.', keeping empty parts (as String.prototype.split does).
template <typename Fn>
void for_each_part(std::string_view s, Fn&& fn) {
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    if (dot == std::string_view::npos) {
      fn(s.substr(start));
      return;
    }
    fn(s.substr(start, dot - start));
    start = dot + 1;
  }
}

// "name[digits]" with a non-empty name free of brackets; only one index is allowed.
bool split_indexed(std::string_view seg, std::string_view& name, size_t& index) {
  if (seg.size() < 4 || seg.back() != ']') return false;
  size_t open = seg.find('[');
  if (open == std::string_view::npos || open == 0 || open + 2 > seg.size() - 1) return false;
  name = seg.substr(0, open);
  if (name.find(']') != std::string_view::npos) return false;
  std::string_view digits = seg.substr(open + 1, seg.size() - open - 2);
  if (digits.empty() || digits.size() > 9) return false;
  index = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    index = index * 10 + static_cast<size_t>(c - '0');
  }
  return true;
}

// A canonical array index ("0", "12"; not "01" or "-1"), as JS property lookup on arrays sees it.
bool canonical_index(std::string_view key, size_t& index) {
  if (key.empty() || key.size() > 9 || (key.size() > 1 && key[0] == '0')) return false;
  index = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    index = index * 10 + static_cast<size_t>(c - '0');
  }
  return true;
}

// Own-property lookup of `key` on `v`; arrays also answer numeric keys and `length`.
const boost::json::value* lookup_key(const boost::json::value* v, std::string_view key,
                                     boost::json::value& scratch) {
  if (v == nullptr) return nullptr;
  if (v->is_object()) return find_member(v->get_object(), key);
  if (v->is_array()) {
    const auto& a = v->get_array();
    size_t i;
    if (canonical_index(key, i)) return i < a.size() ? &a[i] : nullptr;
    if (key == "length") {
      scratch = static_cast<std::int64_t>(a.size());
      return &scratch;
    }
  }
  return nullptr;  // strings, numbers, booleans and null have no own properties here
}

const boost::json::value* lookup_segment(const boost::json::value* v, std::string_view seg,
                                         boost::json::value& scratch) {
  if (v == nullptr || v->is_null()) return nullptr;
  std::string_view name;
  size_t index;
  if (split_indexed(seg, name, index)) {
    const boost::json::value* base = lookup_key(v, name, scratch);
    if (base == nullptr || !base->is_array() || index >= base->get_array().size()) return nullptr;
    return &base->get_array()[index];
  }
  return lookup_key(v, seg, scratch);
}

MaybeValue copy_of(const boost::json::value* v) {
  if (v == nullptr) return std::nullopt;
  return *v;
}

// Walks `rest` (the parts after some prefix) from `root`.
MaybeValue walk(const boost::json::value* root, std::string_view rest) {
  if (rest.empty()) return copy_of(root);
  boost::json::value scratch;
  const boost::json::value* cur = root;
  bool gone = false;
  for_each_part(rest, [&](std::string_view seg) {
    if (gone) return;
    cur = lookup_segment(cur, seg, scratch);
    if (cur == nullptr) gone = true;
  });
  if (gone) return std::nullopt;
  return copy_of(cur);
}

// Splits "head.tail" → head, tail ("" when there is no dot); `has_tail` distinguishes "a" from "a.".
std::string_view head_of(std::string_view s, std::string_view& tail, bool& has_tail) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) {
    tail = {};
    has_tail = false;
    return s;
  }
  tail = s.substr(dot + 1);
  has_tail = true;
  return s.substr(0, dot);
}

MaybeValue walk_after(const boost::json::value* root, std::string_view tail, bool has_tail) {
  if (!has_tail) return copy_of(root);
  boost::json::value scratch;
  const boost::json::value* cur = root;
  bool gone = false;
  for_each_part(tail, [&](std::string_view seg) {
    if (gone) return;
    cur = lookup_segment(cur, seg, scratch);
    if (cur == nullptr) gone = true;
  });
  if (gone) return std::nullopt;
  return copy_of(cur);
}

MaybeValue evaluate_nodes(std::string_view rest, bool has_rest, const ExpressionContext& ctx) {
  if (!has_rest) return std::nullopt;  // bare `nodes` resolves to nothing (upstream behaviour)
  std::string_view after_node;
  bool has_port;
  std::string_view node_id = head_of(rest, after_node, has_port);
  const std::vector<PortData>* outputs = ctx.state ? ctx.state->latest_outputs(node_id) : nullptr;
  if (outputs == nullptr) return std::nullopt;
  if (!has_port) return boost::json::value(first_items_by_port(*outputs));

  std::string_view after_port;
  bool has_path;
  std::string_view port_seg = head_of(after_node, after_port, has_path);
  std::string_view port_name = port_seg;
  size_t index = 0;
  bool indexed = split_indexed(port_seg, port_name, index);
  const boost::json::value* data = nullptr;
  for (const auto& p : *outputs) {
    if (p.port_name == port_name) {
      if (!p.items.empty()) data = &p.items.front().data;
      break;
    }
  }
  if (data == nullptr) return std::nullopt;
  if (indexed) {
    if (!data->is_array() || index >= data->get_array().size()) return std::nullopt;
    data = &data->get_array()[index];
  }
  return walk_after(data, after_port, has_path);
}

}  // namespace

std::vector<ExpressionOccurrence> find_expressions(std::string_view text) {
  std::vector<ExpressionOccurrence> out;
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    size_t end = match_end_at(text, pos);
    if (end == std::string_view::npos) {
      ++pos;
      continue;
    }
    out.push_back({pos, end, trim(text.substr(pos + 2, end - pos - 4))});
    pos = end;
  }
  return out;
}

bool has_expressions(std::string_view text) {
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    if (match_end_at(text, pos) != std::string_view::npos) return true;
    ++pos;
  }
  return false;
}

MaybeValue evaluate_expression(std::string_view content, const ExpressionContext& ctx) {
  std::string_view rest;
  bool has_rest;
  std::string_view root = head_of(content, rest, has_rest);
  if (root == "vars") {
    static const boost::json::value kEmpty = boost::json::object{};
    if (ctx.vars == nullptr) return walk_after(&kEmpty, rest, has_rest);
    if (!has_rest) return boost::json::value(*ctx.vars);
    // Look the first segment up in the map directly: no copy of the whole map.
    std::string_view tail;
    bool has_tail;
    std::string_view first = head_of(rest, tail, has_tail);
    std::string_view name;
    size_t index;
    const boost::json::value* v;
    if (split_indexed(first, name, index)) {
      v = find_member(*ctx.vars, name);
      v = (v && v->is_array() && index < v->get_array().size()) ? &v->get_array()[index] : nullptr;
    } else {
      v = find_member(*ctx.vars, first);
    }
    if (v == nullptr) return std::nullopt;
    return walk_after(v, tail, has_tail);
  }
  if (root == "trigger") {
    const boost::json::value* t = (ctx.trigger && *ctx.trigger) ? &**ctx.trigger : nullptr;
    if (t == nullptr) return std::nullopt;
    return walk_after(t, rest, has_rest);
  }
  if (root == "execution") {
    if (ctx.execution == nullptr) return std::nullopt;
    if (!has_rest) return boost::json::value(*ctx.execution);
    boost::json::value holder(*ctx.execution);
    return walk(&holder, rest);
  }
  if (root == "nodes") return evaluate_nodes(rest, has_rest, ctx);
  return std::nullopt;  // unknown root (including "" from "{{ }}")
}

MaybeValue resolve_string(std::string_view s, const ExpressionContext& ctx) {
  auto occurrences = find_expressions(s);
  if (occurrences.empty()) return boost::json::value(s);
  std::string_view trimmed = trim(s);
  size_t lead = static_cast<size_t>(trimmed.data() - s.data());
  if (occurrences.size() == 1 && occurrences[0].begin == lead && occurrences[0].end == lead + trimmed.size())
    return evaluate_expression(occurrences[0].content, ctx);
  std::string out;
  out.reserve(s.size() + 16);
  size_t at = 0;
  for (const auto& occ : occurrences) {
    out.append(s.substr(at, occ.begin - at));
    MaybeValue v = evaluate_expression(occ.content, ctx);
    append_interpolated(out, v ? &*v : nullptr);
    at = occ.end;
  }
  out.append(s.substr(at));
  return boost::json::value(std::move(out));
}

boost::json::object resolve_object(const boost::json::object& o, const ExpressionContext& ctx) {
  boost::json::object out;
  out.reserve(o.size());
  for (const auto& m : o) {
    MaybeValue v = resolve_value(m.value(), ctx);
    if (v) out.emplace(m.key(), std::move(*v));
  }
  return out;
}

MaybeValue resolve_value(const boost::json::value& v, const ExpressionContext& ctx) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return resolve_string(v.get_string(), ctx);
    case boost::json::kind::array: {
      boost::json::array out;
      out.reserve(v.get_array().size());
      for (const auto& e : v.get_array()) {
        MaybeValue r = resolve_value(e, ctx);
        out.push_back(r ? std::move(*r) : boost::json::value(nullptr));
      }
      return boost::json::value(std::move(out));
    }
    case boost::json::kind::object:
      return boost::json::value(resolve_object(v.get_object(), ctx));
    default:
      return v;
  }
}

std::vector<ExpressionReference> extract_references(std::string_view text) {
  std::vector<ExpressionReference> out;
  for (const auto& occ : find_expressions(text)) {
    ExpressionReference ref;
    bool first = true;
    for_each_part(occ.content, [&](std::string_view part) {
      if (first) {
        ref.source = std::string(part);
        first = false;
      } else {
        ref.path.emplace_back(part);
      }
    });
    if (ref.source != "nodes" && ref.source != "vars" && ref.source != "trigger" && ref.source != "execution")
      continue;
    ref.expression = std::string(text.substr(occ.begin, occ.end - occ.begin));
    if (ref.source == "nodes") {
      if (!ref.path.empty()) ref.node_id = ref.path[0];
      if (ref.path.size() > 1) ref.port_name = ref.path[1];
    }
    out.push_back(std::move(ref));
  }
  return out;
}

}  // namespace kianax::engine
