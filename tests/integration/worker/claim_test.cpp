// The claim/lease SQL, isolation-style: two sessions of the app role interleaved by hand.
#include "worker/queue_ops.hpp"
#include "worker/record_json.hpp"
#include "worker_fixture.hpp"

namespace kianax::worker::testing {
namespace {
using namespace std::chrono_literals;

class ClaimTest : public WorkerTest {
 protected:
  db::SyncConnection app() { return db::SyncConnection::open(database.app_conninfo()); }
};

TEST_F(ClaimTest, a_row_locked_by_one_claimer_is_skipped_by_the_other_without_waiting) {
  const std::string routine = make_chain("user-a");
  const std::string first = start("user-a", routine).execution_id;
  const std::string second = start("user-b", make_chain("user-b")).execution_id;

  db::SyncConnection s1 = app();
  db::SyncConnection s2 = app();
  s1.exec("BEGIN");
  std::optional<Claim> c1 = queue::claim(s1, "w1/1", 30s);  // holds the row lock until COMMIT
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->execution_id, first);  // oldest first
  EXPECT_EQ(c1->user_id, "user-a");
  EXPECT_EQ(c1->attempts, 1);
  EXPECT_FALSE(c1->checkpoint);

  std::optional<Claim> c2 = queue::claim(s2, "w2/1", 30s);  // does not block on s1's lock
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->execution_id, second);
  EXPECT_EQ(c2->user_id, "user-b");
  EXPECT_FALSE(queue::claim(s2, "w2/2", 30s));  // first is locked, second is leased
  s1.exec("COMMIT");
  EXPECT_FALSE(queue::claim(s2, "w2/3", 30s));  // first is now leased
}

TEST_F(ClaimTest, a_claim_in_a_rolled_back_transaction_leaves_the_row_claimable) {
  const std::string id = start("user-a", make_chain("user-a")).execution_id;
  db::SyncConnection s1 = app();
  s1.exec("BEGIN");
  ASSERT_TRUE(queue::claim(s1, "w1/1", 30s));
  s1.exec("ROLLBACK");
  db::SyncConnection s2 = app();
  std::optional<Claim> c = queue::claim(s2, "w2/1", 30s);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->execution_id, id);
  EXPECT_EQ(c->attempts, 1);
}

TEST_F(ClaimTest, an_expired_lease_is_claimed_again_and_the_old_owner_is_fenced_out) {
  const std::string id = start("user-a", make_chain("user-a")).execution_id;
  db::SyncConnection s1 = app();
  db::SyncConnection s2 = app();
  std::optional<Claim> old_claim = queue::claim(s1, "w1/1", 100ms);
  ASSERT_TRUE(old_claim);
  ASSERT_TRUE(queue::mark_running(s1, *old_claim));
  std::optional<Claim> new_claim;
  ASSERT_TRUE(eventually([&] { return (new_claim = queue::claim(s2, "w2/1", 30s)).has_value(); }));
  EXPECT_EQ(new_claim->execution_id, id);
  EXPECT_EQ(new_claim->attempts, 2);

  engine::ExecutionState empty;
  EXPECT_EQ(queue::heartbeat(s1, *old_claim, 30s), LeaseState::kLost);
  EXPECT_EQ(queue::save_progress(s1, *old_claim, empty.to_json(), json::array{json::object{{"nodeId", "x"}}},
                                 json::array{}, 30s),
            LeaseState::kLost);
  EXPECT_FALSE(queue::finish(s1, *old_claim, {.status = "failed"}));
  EXPECT_FALSE(queue::release(s1, *old_claim));
  EXPECT_EQ(status(id), "running");
  EXPECT_EQ(execution(id)["nodeStates"], json::array());

  EXPECT_EQ(queue::heartbeat(s2, *new_claim, 30s), LeaseState::kHeld);
  EXPECT_TRUE(queue::finish(s2, *new_claim, {.status = "completed"}));
  EXPECT_EQ(status(id), "completed");
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
}

TEST_F(ClaimTest, heartbeat_reports_a_cancel_request) {
  const std::string id = start("user-a", make_chain("user-a")).execution_id;
  db::SyncConnection s1 = app();
  std::optional<Claim> c = queue::claim(s1, "w1/1", 30s);
  ASSERT_TRUE(c);
  EXPECT_EQ(queue::heartbeat(s1, *c, 30s), LeaseState::kHeld);
  ASSERT_TRUE(run(request_cancel(as("user-a"), id)));
  EXPECT_EQ(queue::heartbeat(s1, *c, 30s), LeaseState::kCancelRequested);
}

TEST_F(ClaimTest, the_app_role_sees_no_queue_row_without_a_user_context) {
  start("user-a", make_chain("user-a"));
  db::SyncConnection s1 = app();
  EXPECT_EQ(s1.exec("SELECT count(*) FROM execution_queue").front().get<std::int64_t>(0), 0);
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 1);
}

}  // namespace
}  // namespace kianax::worker::testing
