// Conformance runner: runs every non-optional case of a cases file (format of
// shared/conformance/engine-cases.json), prints one line per failing case with the reason, counts per kind
// and per plugin, and ends with "N passed, M failed". Exit status 1 when any case failed.
#include "case_kinds.hpp"
#include "case_support.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#ifndef KIANAX_CONFORMANCE_CASES
#define KIANAX_CONFORMANCE_CASES "engine-cases.json"
#endif

namespace {

struct Tally {
  int passed = 0;
  int failed = 0;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace kianax::conformance;
  std::string path = KIANAX_CONFORMANCE_CASES;
  std::string expected_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--expected-failures" && i + 1 < argc)
      expected_path = argv[++i];
    else
      path = arg;
  }
  std::set<std::string> expected_failures;
  if (!expected_path.empty()) {
    std::ifstream list(expected_path);
    if (!list) {
      std::cerr << "cannot read " << expected_path << "\n";
      return 2;
    }
    for (std::string line; std::getline(list, line);)
      if (!line.empty() && line[0] != '#') expected_failures.insert(line);
  }
  std::set<std::string> failed_names;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read cases file " << path << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto doc = boost::json::parse(text.str(), ec);
  if (ec || !doc.is_array()) {
    std::cerr << path << ": not a JSON array of cases (" << ec.message() << ")\n";
    return 2;
  }

  boost::json::object shared_contexts;
  std::map<std::string, Tally> by_kind, by_plugin;
  Tally total;
  int skipped = 0;
  for (const auto& v : doc.as_array()) {
    if (!v.is_object()) continue;
    const auto& c = v.get_object();
    std::string kind = c.contains("kind") ? std::string(c.at("kind").as_string()) : "";
    if (kind == "header") {
      if (const auto* sc = c.if_contains("shared_contexts")) shared_contexts = sc->as_object();
      continue;
    }
    if (const auto* opt = c.if_contains("optional"); opt && opt->is_bool() && opt->get_bool()) {
      ++skipped;
      continue;
    }
    std::string name = c.contains("name") ? std::string(c.at("name").as_string()) : "(unnamed)";
    std::string failure;
    try {
      if (kind == "engine_run")
        run_engine_run(c);
      else if (kind == "worker_run")
        run_worker_run(c);
      else if (kind == "worker_resolution")
        run_worker_resolution(c);
      else if (kind == "strategy_run")
        run_strategy_run(c);
      else if (kind == "input_gather")
        run_input_gather(c);
      else if (kind == "state_ops")
        run_state_ops(c);
      else if (kind == "expression")
        run_expression(c, shared_contexts);
      else if (kind == "has_expressions")
        run_has_expressions(c);
      else if (kind == "extract_references")
        run_extract_references(c);
      else if (kind == "graph_validation")
        run_graph_validation(c);
      else if (kind == "expression_validation")
        run_expression_validation(c);
      else if (kind == "plugin_unit")
        run_plugin_unit(c);
      else
        failure = "unknown case kind \"" + kind + "\"";
    } catch (const CaseFailure& e) {
      failure = e.what();
    } catch (const std::exception& e) {
      failure = std::string("exception: ") + e.what();
    }
    bool ok = failure.empty();
    auto count = [ok](Tally& t) { ok ? ++t.passed : ++t.failed; };
    count(total);
    count(by_kind[kind]);
    if (kind == "plugin_unit" && c.contains("plugin"))
      count(by_plugin[std::string(c.at("plugin").as_string())]);
    if (!ok) {
      failed_names.insert(name);
      std::cout << "FAIL [" << kind << "] " << name << ": " << failure << "\n";
    }
  }

  std::cout << "\nby kind:\n";
  for (const auto& [k, t] : by_kind)
    std::cout << "  " << k << ": " << t.passed << " passed, " << t.failed << " failed\n";
  std::cout << "plugin_unit by plugin:\n";
  for (const auto& [p, t] : by_plugin)
    std::cout << "  " << p << ": " << t.passed << " passed, " << t.failed << " failed\n";
  if (skipped) std::cout << "skipped " << skipped << " optional cases\n";
  bool as_expected = false;
  if (!expected_path.empty()) {
    as_expected = failed_names == expected_failures;
    for (const auto& n : failed_names)
      if (!expected_failures.count(n)) std::cout << "unexpected failure: " << n << "\n";
    for (const auto& n : expected_failures)
      if (!failed_names.count(n)) std::cout << "listed as expected failure but did not fail: " << n << "\n";
    std::cout << "failures " << (as_expected ? "match" : "do not match") << " " << expected_path << "\n";
  }
  std::cout << total.passed << " passed, " << total.failed << " failed\n";
  return total.failed == 0 || as_expected ? 0 : 1;
}
