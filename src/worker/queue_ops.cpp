#include "worker/queue_ops.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "worker/user_tx.hpp"

namespace kianax::worker::queue {
namespace {

std::string json_text(const boost::json::value& v) { return boost::json::serialize(v); }

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()); }

// $1 execution id, $2 lease token: the fence every write after the claim carries.
constexpr const char* kLeaseHeld =
    "EXISTS (SELECT 1 FROM execution_queue WHERE execution_id = $1::uuid AND lease_owner = $2)";

LeaseState lease_state_of(const db::Result& result) {
  if (result.empty()) return LeaseState::kLost;
  return result.front().get<bool>(0) ? LeaseState::kCancelRequested : LeaseState::kHeld;
}

}  // namespace

std::optional<Claim> claim(db::SyncConnection& conn, const std::string& lease_token,
                           std::chrono::milliseconds lease) {
  db::Result r = conn.exec(
      "SELECT execution_id::text, user_id, attempts, cancel_requested, routine::text, checkpoint::text"
      " FROM kianax_claim_execution($1, $2::int4)",
      db::Params(lease_token, ms_text(lease)));
  if (r.empty()) return std::nullopt;
  db::Row row = r.front();
  Claim c;
  c.execution_id = row.get<std::string>(0);
  c.user_id = row.get<std::string>(1);
  c.lease_token = lease_token;
  c.attempts = row.get<std::int32_t>(2);
  c.cancel_requested = row.get<bool>(3);
  c.routine = boost::json::parse(row.text(4));
  if (!row.is_null(5)) c.checkpoint = boost::json::parse(row.text(5));
  return c;
}

bool mark_running(db::SyncConnection& conn, const Claim& claim) {
  bool held = false;
  with_user_tx(conn, claim.user_id, [&](db::SyncConnection& c) {
    db::Result r = c.exec(std::string("UPDATE routine_executions SET status = 'running',"
                                      " started_at = COALESCE(started_at, now())"
                                      " WHERE id = $1::uuid AND ") +
                              kLeaseHeld,
                          db::Params(claim.execution_id, claim.lease_token));
    held = r.affected_rows() == 1;
  });
  return held;
}

LeaseState save_progress(db::SyncConnection& conn, const Claim& claim, const boost::json::object& checkpoint,
                         const boost::json::value& node_states, const boost::json::value& execution_path,
                         std::chrono::milliseconds lease) {
  LeaseState state = LeaseState::kLost;
  with_user_tx(conn, claim.user_id, [&](db::SyncConnection& c) {
    db::Result r = c.exec(
        "WITH q AS (UPDATE execution_queue SET checkpoint = $3::jsonb,"
        "   lease_expires_at = now() + make_interval(secs => $4::int8 / 1000.0)"
        "   WHERE execution_id = $1::uuid AND lease_owner = $2 RETURNING cancel_requested)"
        " UPDATE routine_executions SET node_states = $5::jsonb, execution_path = $6::jsonb"
        " WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM q)"
        " RETURNING (SELECT cancel_requested FROM q)",
        db::Params(claim.execution_id, claim.lease_token, json_text(checkpoint), ms_text(lease),
                   json_text(node_states), json_text(execution_path)));
    state = lease_state_of(r);
  });
  return state;
}

LeaseState heartbeat(db::SyncConnection& conn, const Claim& claim, std::chrono::milliseconds lease) {
  LeaseState state = LeaseState::kLost;
  with_user_tx(conn, claim.user_id, [&](db::SyncConnection& c) {
    db::Result r = c.exec(
        "UPDATE execution_queue SET lease_expires_at = now() + make_interval(secs => $3::int8 / 1000.0)"
        " WHERE execution_id = $1::uuid AND lease_owner = $2 RETURNING cancel_requested",
        db::Params(claim.execution_id, claim.lease_token, ms_text(lease)));
    state = lease_state_of(r);
  });
  return state;
}

bool finish(db::SyncConnection& conn, const Claim& claim, const Final& final_state) {
  bool held = false;
  with_user_tx(conn, claim.user_id, [&](db::SyncConnection& c) {
    db::Params params(claim.execution_id, claim.lease_token, final_state.status);
    params.add(final_state.error ? std::optional<std::string>(json_text(*final_state.error)) : std::nullopt);
    params.add(final_state.node_states ? std::optional<std::string>(json_text(*final_state.node_states))
                                       : std::nullopt);
    params.add(final_state.execution_path ? std::optional<std::string>(json_text(*final_state.execution_path))
                                          : std::nullopt);
    db::Result r = c.exec(
        "WITH q AS (DELETE FROM execution_queue WHERE execution_id = $1::uuid AND lease_owner = $2"
        "   RETURNING 1)"
        " UPDATE routine_executions SET status = $3::execution_status,"
        "   started_at = COALESCE(started_at, now()), completed_at = now(),"
        "   duration = (extract(epoch FROM now() - COALESCE(started_at, now())) * 1000)::int4,"
        "   error = COALESCE($4::jsonb, error), node_states = COALESCE($5::jsonb, node_states),"
        "   execution_path = COALESCE($6::jsonb, execution_path)"
        " WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM q)",
        params);
    held = r.affected_rows() == 1;
  });
  return held;
}

std::int64_t running_for_user(db::SyncConnection& conn, const Claim& claim) {
  std::int64_t n = 0;
  with_user_tx(conn, claim.user_id, [&](db::SyncConnection& c) {
    n = c.exec(
             "SELECT count(*) FROM execution_queue WHERE user_id = $1 AND execution_id <> $2::uuid"
             " AND lease_owner IS NOT NULL AND lease_expires_at > now()",
             db::Params(claim.user_id, claim.execution_id))
            .front()
            .get<std::int64_t>(0);
  });
  return n;
}

bool defer(db::SyncConnection& conn, const Claim& claim, std::chrono::milliseconds delay) {
  bool held = false;
  with_user_tx(conn, claim.user_id, [&](db::SyncConnection& c) {
    db::Result r = c.exec(
        "UPDATE execution_queue SET lease_owner = NULL, lease_expires_at = NULL,"
        " available_at = now() + make_interval(secs => $3::int8 / 1000.0), attempts = attempts - 1"
        " WHERE execution_id = $1::uuid AND lease_owner = $2",
        db::Params(claim.execution_id, claim.lease_token, ms_text(delay)));
    held = r.affected_rows() == 1;
  });
  return held;
}

bool release(db::SyncConnection& conn, const Claim& claim) {
  bool held = false;
  with_user_tx(conn, claim.user_id, [&](db::SyncConnection& c) {
    db::Result r = c.exec(
        "UPDATE execution_queue SET lease_owner = NULL, lease_expires_at = NULL, available_at = now()"
        " WHERE execution_id = $1::uuid AND lease_owner = $2",
        db::Params(claim.execution_id, claim.lease_token));
    held = r.affected_rows() == 1;
    if (held) c.exec("SELECT pg_notify('kianax_run_queue', '')");
  });
  return held;
}

}  // namespace kianax::worker::queue
