#include "plugins/builtin_plugins.hpp"
#include "plugins/static_data/static_data_plugin.hpp"

#include <gtest/gtest.h>

using namespace kianax::plugins;

TEST(Registry, builtins_are_registered_with_metadata) {
  auto r = make_builtin_registry();
  ASSERT_NE(r.find("static-data"), nullptr);
  ASSERT_NE(r.find("if-else"), nullptr);
  EXPECT_EQ(r.find("nope"), nullptr);
  auto meta = r.metadata_json();
  bool saw_if_else = false;
  for (const auto& m : meta) {
    const auto& o = m.as_object();
    EXPECT_FALSE(o.at("tags").as_array().empty());
    EXPECT_FALSE(o.at("outputs").as_array().empty());
    EXPECT_TRUE(o.at("configSchema").is_object());
    if (o.at("id") == "if-else") {
      saw_if_else = true;
      EXPECT_EQ(o.at("outputs").as_array()[0].at("name"), "true");
      EXPECT_EQ(o.at("outputs").as_array()[1].at("name"), "false");
    }
  }
  EXPECT_TRUE(saw_if_else);
}

TEST(Registry, refuses_duplicate_ids) {
  auto r = make_builtin_registry();
  EXPECT_THROW(r.add(make_static_data_plugin()), std::invalid_argument);
}
