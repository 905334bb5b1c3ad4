#include "cli/routine_command.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace kianax::cli;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST(RoutineCli, validate_reports_bad_json_with_exit_1) {
  std::ostringstream out, err;
  EXPECT_EQ(validate_routine_file(write_temp("bad.json", "{ nope"), out, err), 1);
  EXPECT_NE(err.str().find("not valid JSON"), std::string::npos);
}

TEST(RoutineCli, validate_reports_unknown_plugins_and_expression_errors) {
  std::ostringstream out, err;
  auto path = write_temp("unknown.json", R"({"nodes":[{"id":"a","pluginId":"static-data","config":{"data":1}},
    {"id":"b","pluginId":"teleport","config":{"x":"{{ vars.missing }}"}}],
    "connections":[{"sourceNodeId":"a","targetNodeId":"b"}]})");
  EXPECT_EQ(validate_routine_file(path, out, err), 1);
  EXPECT_NE(out.str().find("unknown plugin \"teleport\""), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("Variable \"missing\" is not defined"), std::string::npos) << out.str();
}

TEST(RoutineCli, run_with_pin_prints_completed_record) {
  auto path =
      write_temp("run.json", R"({"id":"r","nodes":[{"id":"a","pluginId":"static-data","config":{"data":1}},
    {"id":"ai","pluginId":"openai-message","config":{"message":"hi"}},
    {"id":"out","pluginId":"static-data","config":{"data":"{{ nodes.ai.output.text }}"}}],
    "connections":[{"sourceNodeId":"a","targetNodeId":"ai"},{"sourceNodeId":"ai","targetNodeId":"out"}]})");
  RoutineRunArgs args;
  args.path = path;
  args.pins = {R"(ai={"output":{"text":"pinned reply"}})"};
  std::ostringstream out, err;
  ASSERT_EQ(run_routine_file(args, out, err), 0) << out.str() << err.str();
  auto record = boost::json::parse(out.str()).as_object();
  EXPECT_EQ(record.at("status"), "completed");
  EXPECT_EQ(record.at("nodeStates").as_array()[2].at("output").at("output"), "pinned reply");
}

TEST(RoutineCli, run_rejects_pin_for_unknown_node) {
  auto path = write_temp(
      "pin.json", R"({"nodes":[{"id":"a","pluginId":"static-data"},{"id":"b","pluginId":"static-data"}],
    "connections":[{"sourceNodeId":"a","targetNodeId":"b"}]})");
  RoutineRunArgs args;
  args.path = path;
  args.pins = {"zz={}"};
  std::ostringstream out, err;
  EXPECT_EQ(run_routine_file(args, out, err), 1);
  EXPECT_NE(err.str().find("no node \"zz\""), std::string::npos);
}

TEST(RoutineCli, examples_validate_and_run_offline_with_pins) {
  const std::string dir = KIANAX_EXAMPLES_DIR;
  struct Example {
    const char* file;
    std::vector<std::string> pins;
    const char* trigger;
    const char* last_node;
  };
  const Example examples[] = {
      {"temperature-branching.json", {}, "", "log"},
      {"webhook-order-alert.json",
       {"notify=@" + dir + "/webhook-order-alert.notify.pin.json"},
       "webhook-order-alert.trigger.json",
       "sent"},
      {"daily-summary-openai.json", {"ai=@" + dir + "/daily-summary-openai.ai.pin.json"}, "", "post"},
  };
  for (const auto& ex : examples) {
    SCOPED_TRACE(ex.file);
    std::ostringstream out, err;
    EXPECT_EQ(validate_routine_file(dir + "/" + ex.file, out, err), 0) << out.str() << err.str();
    RoutineRunArgs args;
    args.path = dir + "/" + ex.file;
    args.pins = ex.pins;
    if (*ex.trigger) args.trigger = "@" + dir + "/" + ex.trigger;
    std::ostringstream run_out, run_err;
    ASSERT_EQ(run_routine_file(args, run_out, run_err), 0) << run_out.str() << run_err.str();
    auto record = boost::json::parse(run_out.str()).as_object();
    EXPECT_EQ(record.at("executionPath").as_array().back(), ex.last_node);
  }
}

TEST(RoutineCli, validate_names_the_config_field_of_expression_problems) {
  std::ostringstream out, err;
  auto path = write_temp("fields.json", R"({"nodes":[{"id":"a","pluginId":"static-data","config":{"data":1}},
    {"id":"b","pluginId":"static-data","label":"Use","config":{"data":{"list":["ok","{{ vars.nope }}"],
      "x":"{{ foo.bar }}","y":"{{ vars.open"}}}],
    "connections":[{"sourceNodeId":"a","targetNodeId":"b"}]})");
  EXPECT_EQ(validate_routine_file(path, out, err), 1);
  EXPECT_NE(out.str().find("error: Node \"Use\" (b) config.data.list[1]: {{ vars.nope }}"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("warning: Node \"Use\" (b) config.data.x: {{ foo.bar }}: Unknown source \"foo\""),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("config.data.y: {{ vars.open: Unclosed"), std::string::npos) << out.str();
}
