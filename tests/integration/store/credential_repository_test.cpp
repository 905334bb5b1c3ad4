#include "store/credential_repository.hpp"

#include <boost/json/parse.hpp>

#include "store_fixture.hpp"

namespace kianax::store {
namespace {
namespace json = boost::json;
using CredentialRepositoryTest = testing::StoreTest;

NewCredential openai(const std::string& name, const std::string& data) {
  return NewCredential{"openai-api", name, data, json::parse(R"({"status":"active"})")};
}

TEST_F(CredentialRepositoryTest, create_then_get_returns_data) {
  const auto created = run(credentials::create(as("user-a"), openai("Work key", "envelope-1")));
  EXPECT_EQ(created.type_id, "openai-api");
  EXPECT_EQ(created.name, "Work key");
  const auto got = run(credentials::get(as("user-a"), created.id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->data, "envelope-1");
  EXPECT_EQ(got->metadata, json::parse(R"({"status":"active"})"));
  EXPECT_FALSE(run(credentials::get(as("user-a"), "not-a-uuid")).has_value());
}

TEST_F(CredentialRepositoryTest, list_returns_the_users_rows_oldest_first) {
  const auto first = run(credentials::create(as("user-a"), openai("first", "d1")));
  const auto second = run(credentials::create(as("user-a"), openai("second", "d2")));
  (void)run(credentials::create(as("user-b"), openai("b's", "d3")));
  const auto listed = run(credentials::list(as("user-a")));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, first.id);
  EXPECT_EQ(listed[1].id, second.id);
}

TEST_F(CredentialRepositoryTest, update_renames_and_optionally_replaces_data) {
  const auto c = run(credentials::create(as("user-a"), openai("old", "d1")));
  const auto renamed = run(credentials::update(as("user-a"), c.id, "new", std::nullopt));
  ASSERT_TRUE(renamed.has_value());
  EXPECT_EQ(renamed->name, "new");
  EXPECT_EQ(run(credentials::get(as("user-a"), c.id))->data, "d1");
  (void)run(credentials::update(as("user-a"), c.id, "newer", std::string_view("d2")));
  EXPECT_EQ(run(credentials::get(as("user-a"), c.id))->data, "d2");
  EXPECT_FALSE(
      run(credentials::update(as("user-a"), "00000000-0000-0000-0000-000000000000", "x", std::nullopt))
          .has_value());
}

TEST_F(CredentialRepositoryTest, update_data_keeps_metadata_unless_given) {
  const auto c = run(credentials::create(as("user-a"), openai("k", "d1")));
  EXPECT_TRUE(run(credentials::update_data(as("user-a"), c.id, "refreshed")));
  auto got = run(credentials::get(as("user-a"), c.id));
  EXPECT_EQ(got->data, "refreshed");
  EXPECT_EQ(got->metadata, json::parse(R"({"status":"active"})"));
  EXPECT_TRUE(
      run(credentials::update_data(as("user-a"), c.id, "again", json::parse(R"({"status":"expired"})"))));
  got = run(credentials::get(as("user-a"), c.id));
  EXPECT_EQ(got->metadata, json::parse(R"({"status":"expired"})"));
}

TEST_F(CredentialRepositoryTest, remove_deletes_once) {
  const auto c = run(credentials::create(as("user-a"), openai("k", "d")));
  EXPECT_TRUE(run(credentials::remove(as("user-a"), c.id)));
  EXPECT_FALSE(run(credentials::get(as("user-a"), c.id)).has_value());
  EXPECT_FALSE(run(credentials::remove(as("user-a"), c.id)));
}

}  // namespace
}  // namespace kianax::store
