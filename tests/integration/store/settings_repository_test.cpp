#include "store/settings_repository.hpp"

#include "store_fixture.hpp"

namespace kianax::store {
namespace {
using SettingsRepositoryTest = testing::StoreTest;

TEST_F(SettingsRepositoryTest, get_without_a_row_is_empty) {
  EXPECT_FALSE(run(settings::get(as("user-a"))).has_value());
}

TEST_F(SettingsRepositoryTest, upsert_creates_then_updates_the_single_row) {
  const auto created = run(settings::upsert(as("user-a"), Theme::kDark));
  EXPECT_EQ(created.theme, Theme::kDark);
  EXPECT_EQ(created.user_id, "user-a");
  const auto updated = run(settings::upsert(as("user-a"), Theme::kLight));
  EXPECT_EQ(updated.id, created.id);
  EXPECT_EQ(updated.theme, Theme::kLight);
  const auto got = run(settings::get(as("user-a")));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->theme, Theme::kLight);
  EXPECT_FALSE(run(settings::get(as("user-b"))).has_value());
}

}  // namespace
}  // namespace kianax::store
