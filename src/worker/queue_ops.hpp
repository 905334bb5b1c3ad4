#pragma once
// The run queue's SQL, one function per statement, on a blocking connection (src/worker/README.md).
// Every write after the claim is FENCED on the claim's lease token: it matches no row once the lease was
// lost (expired and taken over by another worker), so a stale worker can never write over a new owner.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "db/sync_connection.hpp"

namespace kianax::worker {

struct Claim {
  std::string execution_id;  // routine_executions.id (uuid)
  std::string user_id;
  std::string lease_token;  // unique per claim
  int attempts = 0;         // claims of this execution so far, this one included
  bool cancel_requested = false;
  boost::json::value routine;                    // the engine input snapshot taken at enqueue
  std::optional<boost::json::value> checkpoint;  // ExecutionState::to_json() of the previous owner
};

// What the lease holder learns when it renews the lease.
enum class LeaseState { kHeld, kCancelRequested, kLost };

namespace queue {

// Claims the oldest available execution (free or expired lease) for `lease` with token `lease_token`;
// nullopt when there is none. Runs without a user context: kianax_claim_execution is SECURITY DEFINER.
std::optional<Claim> claim(db::SyncConnection& conn, const std::string& lease_token,
                           std::chrono::milliseconds lease);

// pending → running (started_at kept from an earlier owner). False when the lease is lost.
bool mark_running(db::SyncConnection& conn, const Claim& claim);

// After a node starts or finishes: saves the engine checkpoint and the record's node_states and
// execution_path in ONE statement (so they never disagree), renewing the lease.
LeaseState save_progress(db::SyncConnection& conn, const Claim& claim, const boost::json::object& checkpoint,
                         const boost::json::value& node_states, const boost::json::value& execution_path,
                         std::chrono::milliseconds lease);

// Renews the lease; reports a cancel request or the loss of the lease.
LeaseState heartbeat(db::SyncConnection& conn, const Claim& claim, std::chrono::milliseconds lease);

struct Final {
  std::string status;                       // completed | failed | cancelled | timeout
  std::optional<boost::json::value> error;  // {message, stack?}
  std::optional<boost::json::value> node_states;
  std::optional<boost::json::value> execution_path;
};
// Writes the final status (completed_at, duration) and deletes the queue row, in one statement.
// False when the lease is lost (nothing written).
bool finish(db::SyncConnection& conn, const Claim& claim, const Final& final_state);

// Executions of the claim's user leased right now, this one excluded (the per-user cap). Every claim
// commits before its owner counts, so of two racing claims at least the later counter sees the other.
std::int64_t running_for_user(db::SyncConnection& conn, const Claim& claim);

// Gives a claim back without running it (the user is at the cap): available again after `delay`, and the
// claim does not count as an attempt.
bool defer(db::SyncConnection& conn, const Claim& claim, std::chrono::milliseconds delay);

// Gives the execution back (graceful stop): lease cleared, available now, checkpoint kept. Sends the
// wake-up hint so another worker picks it up at once.
bool release(db::SyncConnection& conn, const Claim& claim);

}  // namespace queue
}  // namespace kianax::worker
