// The network plugins are reachable through the registry every binary uses, with exported metadata.
#include "plugins/builtin_plugins.hpp"

#include <gtest/gtest.h>

namespace kianax::plugins {
namespace {

const boost::json::object* find_metadata(const boost::json::array& all, std::string_view id) {
  for (const auto& entry : all)
    if (entry.as_object().at("id").as_string() == id) return &entry.as_object();
  return nullptr;
}

TEST(BuiltinRegistration, registers_the_three_network_plugins) {
  const Registry registry = make_builtin_registry();
  for (const char* id : {"http-request", "openai-message", "google-sheets"}) {
    const engine::Plugin* plugin = registry.find(id);
    ASSERT_NE(plugin, nullptr) << id;
    EXPECT_EQ(plugin->metadata().id, id);
  }
}

TEST(BuiltinRegistration, exported_metadata_carries_credential_requirements) {
  const auto all = make_builtin_registry().metadata_json();
  const auto* sheets = find_metadata(all, "google-sheets");
  const auto* openai = find_metadata(all, "openai-message");
  const auto* http = find_metadata(all, "http-request");
  ASSERT_TRUE(sheets && openai && http);
  const auto& sheets_requirements = sheets->at("credentialRequirements").as_array();
  ASSERT_EQ(sheets_requirements.size(), 1u);
  EXPECT_EQ(sheets_requirements[0].at("id"), "google-sheets-oauth");
  EXPECT_EQ(sheets_requirements[0].at("alias"), "googleSheets");
  const auto& openai_requirements = openai->at("credentialRequirements").as_array();
  ASSERT_EQ(openai_requirements.size(), 1u);
  EXPECT_EQ(openai_requirements[0].at("id"), "openai-api");
  EXPECT_TRUE(http->at("credentialRequirements").as_array().empty());
}

}  // namespace
}  // namespace kianax::plugins
