#include "cli/routine_command.hpp"

#include "engine/executor.hpp"
#include "engine/expression_validator.hpp"
#include "engine/graph_validator.hpp"
#include "engine/js_value.hpp"
#include "plugins/builtin_plugins.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace kianax::cli {

namespace {

// A usage problem (unreadable file, bad --pin…): reported as one line, exit status 1.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "JSON" or "@file" → parsed value; `what` names the option in errors.
boost::json::value json_argument(const std::string& arg, const std::string& what) {
  std::string text = (!arg.empty() && arg[0] == '@') ? read_file(arg.substr(1)) : arg;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) throw UsageError(what + ": not valid JSON (" + ec.message() + ")");
  return v;
}

engine::Routine load(const std::string& path) {
  try {
    return engine::load_routine_text(read_file(path));
  } catch (const engine::RoutineLoadError& e) {
    throw UsageError(path + ": " + e.what());
  }
}

// Credentials given on the command line: credential id → data.
class MapCredentialLoader : public engine::CredentialLoader {
 public:
  explicit MapCredentialLoader(boost::json::object creds) : creds_(std::move(creds)) {}
  boost::json::value load(const std::string&, const std::string& credential_id,
                          const engine::CredentialRequirement&) override {
    const auto* v = engine::find_member(creds_, credential_id);
    if (v == nullptr) throw std::runtime_error("Credential not found: " + credential_id);
    return *v;
  }

 private:
  boost::json::object creds_;
};

}  // namespace

int validate_routine_file(const std::string& path, std::ostream& out, std::ostream& err) {
  engine::Routine routine;
  try {
    routine = load(path);
  } catch (const UsageError& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  auto graph = engine::validate_graph(routine);
  auto expressions = engine::validate_expressions(routine);
  auto registry = plugins::make_builtin_registry();
  int errors = 0;
  for (const auto& e : graph.errors) {
    out << "error: " << e.message << "\n";
    ++errors;
  }
  for (const auto& n : routine.nodes) {
    if (registry.find(n.plugin_id) == nullptr) {
      out << "error: Node \"" << n.label << "\" (" << n.id << "): unknown plugin \"" << n.plugin_id << "\"\n";
      ++errors;
    }
  }
  for (const auto& e : expressions) {
    out << "error: Node \"" << e.node_label << "\" (" << e.node_id << ") config." << e.field << ": "
        << e.expression << ": " << e.message << "\n";
    ++errors;
  }
  for (const auto& w : graph.warnings) out << "warning: " << w.message << "\n";
  for (const auto& w : engine::lint_expressions(routine))
    out << "warning: Node \"" << w.node_label << "\" (" << w.node_id << ") config." << w.field << ": "
        << w.expression << ": " << w.message << "\n";
  if (errors == 0)
    out << "valid: " << routine.nodes.size() << " nodes, " << routine.edges.size() << " connections\n";
  return errors == 0 ? 0 : 1;
}

int run_routine_file(const RoutineRunArgs& args, std::ostream& out, std::ostream& err) {
  try {
    engine::Routine routine = load(args.path);
    if (!args.trigger.empty()) routine.trigger_data = json_argument(args.trigger, "--trigger");
    if (!args.vars.empty()) {
      auto vars = json_argument(args.vars, "--vars");
      if (!vars.is_object()) throw UsageError("--vars: must be a JSON object of name → value");
      for (const auto& m : vars.get_object()) routine.variables.push_back({std::string(m.key()), m.value()});
    }
    engine::RunOptions options;
    for (const auto& pin : args.pins) {
      auto eq = pin.find('=');
      if (eq == std::string::npos || eq == 0)
        throw UsageError("--pin: expected NODE=JSON or NODE=@file, got " + pin);
      std::string node = pin.substr(0, eq);
      bool known = false;
      for (const auto& n : routine.nodes) known = known || n.id == node;
      if (!known) throw UsageError("--pin: no node \"" + node + "\" in the routine");
      auto value = json_argument(pin.substr(eq + 1), "--pin " + node);
      if (!value.is_object()) throw UsageError("--pin " + node + ": must be a JSON object of port → value");
      options.pinned_outputs[node] = value.get_object();
    }
    std::unique_ptr<MapCredentialLoader> loader;
    if (!args.credentials.empty()) {
      auto creds = json_argument(args.credentials, "--credentials");
      if (!creds.is_object())
        throw UsageError("--credentials: must be a JSON object of credential id → data");
      loader = std::make_unique<MapCredentialLoader>(creds.get_object());
    }
    auto registry = plugins::make_builtin_registry();
    engine::RoutineExecutor executor(registry, loader.get());
    auto result = executor.run(routine, options);
    out << engine::js_stringify_pretty(result.to_record_json()) << "\n";
    return result.status == engine::RunStatus::completed ? 0 : 1;
  } catch (const UsageError& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

void add_routine_command(CLI::App& app) {
  auto* routine = app.add_subcommand("routine", "Validate or run a routine file locally (no database)");
  routine->require_subcommand(1);

  auto validate_path = std::make_shared<std::string>();
  auto* validate = routine->add_subcommand("validate", "Check a routine's graph, expressions and plugins");
  validate->add_option("FILE", *validate_path, "Routine JSON file")->required();
  validate->callback([validate_path] {
    if (int rc = validate_routine_file(*validate_path, std::cout, std::cerr); rc != 0)
      throw CLI::RuntimeError(rc);
  });

  auto run_args = std::make_shared<RoutineRunArgs>();
  auto* run = routine->add_subcommand("run", "Run a routine and print its execution record as JSON");
  run->add_option("FILE", run_args->path, "Routine JSON file")->required();
  run->add_option("--trigger", run_args->trigger, "Trigger data: JSON or @file");
  run->add_option("--vars", run_args->vars, "Variables (name → value): JSON object or @file");
  run->add_option("--pin", run_args->pins,
                  "Fix a node's output instead of calling its plugin: NODE=JSON|@file");
  run->add_option("--credentials", run_args->credentials,
                  "Credential data by credential id: JSON object or @file");
  run->callback([run_args] {
    if (int rc = run_routine_file(*run_args, std::cout, std::cerr); rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace kianax::cli
