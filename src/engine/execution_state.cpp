#include "engine/execution_state.hpp"

#include <stdexcept>

namespace kianax::engine {

std::optional<std::int64_t> NodeRecord::duration_ms() const {
  if (!completed_at_ms) return std::nullopt;
  return *completed_at_ms - started_at_ms;
}

ExecutionState::NodeEntry& ExecutionState::entry(const std::string& node_id) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) it = nodes_.emplace(node_id, NodeEntry{}).first;
  return it->second;
}

void ExecutionState::add_node_result(const std::string& node_id, NodeResult result) {
  auto& e = entry(node_id);
  if (e.results.empty()) first_seen_.push_back(node_id);
  path_.push_back({node_id, static_cast<int>(e.results.size())});
  e.results.push_back(std::move(result));
}

const NodeResult* ExecutionState::latest_result(std::string_view node_id) const {
  auto it = nodes_.find(std::string(node_id));
  if (it == nodes_.end() || it->second.results.empty()) return nullptr;
  return &it->second.results.back();
}

const std::vector<PortData>* ExecutionState::latest_outputs(std::string_view node_id) const {
  const auto* r = latest_result(node_id);
  return r ? &r->outputs : nullptr;
}

const std::vector<NodeResult>* ExecutionState::all_results(std::string_view node_id) const {
  auto it = nodes_.find(std::string(node_id));
  return it == nodes_.end() ? nullptr : &it->second.results;
}

int ExecutionState::run_index(std::string_view node_id) const {
  const auto* r = all_results(node_id);
  return r ? static_cast<int>(r->size()) : 0;
}

boost::json::object& ExecutionState::node_state(const std::string& node_id) {
  auto& slot = node_state_[node_id];
  if (!slot) {
    slot = std::make_unique<boost::json::object>();
    node_state_order_.push_back(node_id);
  }
  return *slot;
}

void ExecutionState::set_node_state(const std::string& node_id, boost::json::object state) {
  node_state(node_id) = std::move(state);
}

bool ExecutionState::has_errors() const {
  for (const auto& [id, e] : nodes_)
    for (const auto& r : e.results)
      if (r.status == ResultStatus::error) return true;
  return false;
}

std::vector<std::pair<std::string, NodeError>> ExecutionState::errors() const {
  std::vector<std::pair<std::string, NodeError>> out;
  for (const auto& id : first_seen_)
    for (const auto& r : nodes_.at(id).results)
      if (r.status == ResultStatus::error) out.emplace_back(id, r.error.value_or(NodeError{}));
  return out;
}

ExecutionStats ExecutionState::stats() const {
  ExecutionStats s;
  for (const auto& id : first_seen_) {
    const auto& results = nodes_.at(id).results;
    ++s.unique_nodes;
    s.total_executions += static_cast<int>(results.size());
    bool failed = false;
    for (const auto& r : results) failed = failed || r.status == ResultStatus::error;
    failed ? ++s.failed_nodes : ++s.successful_nodes;
  }
  return s;
}

NodeRecord& ExecutionState::record(const std::string& node_id) {
  auto& e = entry(node_id);
  if (!e.record) {
    e.record = records_.size();
    records_.push_back(NodeRecord{});
    records_.back().node_id = node_id;
  }
  return records_[*e.record];
}

void ExecutionState::clear() { *this = ExecutionState{}; }

// ---- JSON ----------------------------------------------------------------------------------------------

boost::json::object to_json(const ExecutionItem& item) {
  boost::json::object o;
  o["data"] = item.data;
  o["metadata"] = item.metadata;
  if (item.error) o["error"] = *item.error;
  return o;
}

boost::json::object to_json(const PortData& port) {
  boost::json::array items;
  items.reserve(port.items.size());
  for (const auto& i : port.items) items.push_back(to_json(i));
  return {{"portName", port.port_name}, {"items", std::move(items)}};
}

namespace {

boost::json::object error_json(const NodeError& e) {
  boost::json::object o{{"message", e.message}};
  if (!e.stack.empty()) o["stack"] = e.stack;
  return o;
}

NodeError error_from_json(const boost::json::value& v) {
  NodeError e;
  if (!v.is_object()) return e;
  e.message = string_member(v.get_object(), "message").value_or("");
  e.stack = string_member(v.get_object(), "stack").value_or("");
  return e;
}

const boost::json::object& as_object(const boost::json::value& v, const char* what) {
  if (!v.is_object()) throw std::invalid_argument(std::string(what) + ": must be an object");
  return v.get_object();
}

const boost::json::array& array_field(const boost::json::object& o, const char* key) {
  static const boost::json::array kEmpty;
  const auto* v = find_member(o, key);
  if (v == nullptr || v->is_null()) return kEmpty;
  if (!v->is_array()) throw std::invalid_argument(std::string(key) + ": must be an array");
  return v->get_array();
}

std::vector<std::string> strings_field(const boost::json::object& o, const char* key) {
  std::vector<std::string> out;
  for (const auto& v : array_field(o, key)) {
    if (!v.is_string()) throw std::invalid_argument(std::string(key) + ": must hold strings");
    out.emplace_back(v.get_string());
  }
  return out;
}

// A saved number must be an integer in [0, max]; anything else is a corrupt state (and would overflow the
// time arithmetic downstream).
constexpr std::int64_t kMaxEpochMs = 253402300799999;  // 9999-12-31
constexpr std::int64_t kMaxCount = 1'000'000'000;

std::int64_t int_field(const boost::json::object& o, const char* key, std::int64_t fallback,
                       std::int64_t max) {
  const auto* v = find_member(o, key);
  if (v == nullptr || v->is_null()) return fallback;
  std::int64_t out;
  if (v->is_int64()) {
    out = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(max)) {
    out = static_cast<std::int64_t>(v->get_uint64());
  } else if (v->is_double() && v->get_double() >= 0 && v->get_double() <= static_cast<double>(max) &&
             v->get_double() == static_cast<double>(static_cast<std::int64_t>(v->get_double()))) {
    out = static_cast<std::int64_t>(v->get_double());
  } else {
    throw std::invalid_argument(std::string(key) + ": must be an integer between 0 and " +
                                std::to_string(max));
  }
  if (out < 0 || out > max)
    throw std::invalid_argument(std::string(key) + ": must be an integer between 0 and " +
                                std::to_string(max));
  return out;
}

boost::json::array strings_json(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

boost::json::object to_json(const NodeResult& result) {
  boost::json::array outputs;
  for (const auto& p : result.outputs) outputs.push_back(to_json(p));
  boost::json::object o{{"outputs", std::move(outputs)},
                        {"executionTime", result.execution_time_ms},
                        {"status", result.status == ResultStatus::success ? "success" : "error"}};
  if (result.error) o["error"] = error_json(*result.error);
  return o;
}

boost::json::object to_json(const NodeRecord& r) {
  boost::json::object o{{"nodeId", r.node_id}, {"status", r.status}, {"input", r.input}};
  if (r.output) o["output"] = *r.output;
  if (r.error) o["error"] = error_json(*r.error);
  o["startedAt"] = r.started_at_ms;
  o["attempts"] = r.attempts;
  if (r.completed_at_ms) {
    o["completedAt"] = *r.completed_at_ms;
    o["duration"] = *r.duration_ms();
  }
  return o;
}

ExecutionItem item_from_json(const boost::json::value& v) {
  const auto& o = as_object(v, "item");
  ExecutionItem item;
  if (const auto* d = find_member(o, "data")) item.data = *d;
  if (const auto* m = find_member(o, "metadata"); m && m->is_object()) item.metadata = m->get_object();
  if (const auto* e = find_member(o, "error"); e && e->is_object()) item.error = e->get_object();
  return item;
}

PortData port_from_json(const boost::json::value& v) {
  const auto& o = as_object(v, "port");
  PortData p;
  p.port_name = string_member(o, "portName").value_or("");
  for (const auto& i : array_field(o, "items")) p.items.push_back(item_from_json(i));
  return p;
}

NodeResult result_from_json(const boost::json::value& v) {
  const auto& o = as_object(v, "result");
  NodeResult r;
  for (const auto& p : array_field(o, "outputs")) r.outputs.push_back(port_from_json(p));
  r.execution_time_ms = int_field(o, "executionTime", 0, kMaxEpochMs);
  r.status =
      string_member(o, "status").value_or("success") == "error" ? ResultStatus::error : ResultStatus::success;
  if (const auto* e = find_member(o, "error"); e && e->is_object()) r.error = error_from_json(*e);
  return r;
}

boost::json::object first_items_by_port(const std::vector<PortData>& outputs) {
  boost::json::object o;
  for (const auto& p : outputs)
    if (!p.items.empty()) o[p.port_name] = p.items.front().data;
  return o;
}

boost::json::object ExecutionState::to_json() const {
  // Results are saved per node; the path is saved separately because it interleaves nodes.
  boost::json::object results;
  for (const auto& id : first_seen_) {
    boost::json::array runs;
    for (const auto& r : nodes_.at(id).results) runs.push_back(engine::to_json(r));
    results[id] = std::move(runs);
  }
  boost::json::array path;
  for (const auto& p : path_) path.push_back({{"nodeId", p.node_id}, {"runIndex", p.run_index}});
  boost::json::object states;
  for (const auto& id : node_state_order_) states[id] = *node_state_.at(id);
  boost::json::array records;
  for (const auto& r : records_) records.push_back(engine::to_json(r));
  boost::json::object frontier{{"queue", strings_json(frontier_.queue)},
                               {"wave", strings_json(frontier_.wave)},
                               {"waveDone", strings_json(frontier_.wave_done)},
                               {"executions", frontier_.executions},
                               {"started", frontier_.started},
                               {"startedAt", frontier_.started_at_ms}};
  return {{"version", 1},
          {"results", std::move(results)},
          {"executionPath", std::move(path)},
          {"nodeState", std::move(states)},
          {"nodeRecords", std::move(records)},
          {"frontier", std::move(frontier)}};
}

ExecutionState ExecutionState::from_json(const boost::json::value& json) {
  const auto& o = as_object(json, "execution state");
  ExecutionState s;
  // Rebuild results in path order so first-seen order and run indexes come out as they were.
  std::unordered_map<std::string, size_t> next_run;
  const auto* results = find_member(o, "results");
  if (results != nullptr && !results->is_object()) throw std::invalid_argument("results: must be an object");
  for (const auto& p : array_field(o, "executionPath")) {
    const auto& po = as_object(p, "executionPath[]");
    auto id = string_member(po, "nodeId");
    if (!id) throw std::invalid_argument("executionPath[].nodeId: must be a string");
    const boost::json::value* runs = results ? find_member(results->get_object(), *id) : nullptr;
    size_t k = next_run[*id]++;
    if (runs == nullptr || !runs->is_array() || k >= runs->get_array().size())
      throw std::invalid_argument("results." + *id + ": missing run " + std::to_string(k));
    s.add_node_result(*id, result_from_json(runs->get_array()[k]));
  }
  if (const auto* st = find_member(o, "nodeState"); st && st->is_object())
    for (const auto& m : st->get_object())
      s.set_node_state(std::string(m.key()),
                       m.value().is_object() ? m.value().get_object() : boost::json::object{});
  for (const auto& rv : array_field(o, "nodeRecords")) {
    const auto& ro = as_object(rv, "nodeRecords[]");
    auto id = string_member(ro, "nodeId");
    if (!id) throw std::invalid_argument("nodeRecords[].nodeId: must be a string");
    NodeRecord& r = s.record(*id);
    r.status = string_member(ro, "status").value_or("running");
    if (const auto* in = find_member(ro, "input"); in && in->is_object()) r.input = in->get_object();
    if (const auto* out = find_member(ro, "output"); out && out->is_object()) r.output = out->get_object();
    if (const auto* e = find_member(ro, "error")) r.error = error_from_json(*e);
    r.started_at_ms = int_field(ro, "startedAt", 0, kMaxEpochMs);
    r.attempts = static_cast<int>(int_field(ro, "attempts", 0, kMaxCount));
    if (find_member(ro, "completedAt")) r.completed_at_ms = int_field(ro, "completedAt", 0, kMaxEpochMs);
  }
  if (const auto* f = find_member(o, "frontier"); f && f->is_object()) {
    const auto& fo = f->get_object();
    s.frontier_.queue = strings_field(fo, "queue");
    s.frontier_.wave = strings_field(fo, "wave");
    s.frontier_.wave_done = strings_field(fo, "waveDone");
    s.frontier_.executions = int_field(fo, "executions", 0, kMaxCount);
    const auto* started = find_member(fo, "started");
    s.frontier_.started = started && started->is_bool() && started->get_bool();
    s.frontier_.started_at_ms = int_field(fo, "startedAt", 0, kMaxEpochMs);
  }
  return s;
}

}  // namespace kianax::engine
