// Repository throughput through our pool vs `pgbench -S` (select-only) on the same throwaway cluster, at the
// same client concurrency. Prints ops/s and the ratio to pgbench's TPS.
//
// What is compared: pgbench -S runs one `SELECT abalance FROM pgbench_accounts WHERE aid = :aid` per
// transaction (simple protocol, autocommit, one round trip). Our getById is a whole user-context transaction
// — BEGIN; set_config('app.current_user_id', $1, true); SELECT … FROM routines (RLS filtered); COMMIT —
// pipelined into one round trip, plus mapping the row (jsonb parsed into boost::json). listByUser returns
// the user's 10 routines per call.
//
// Usage: kianax_db_bench [--clients N] [--seconds S] [--threads T] [--rounds R]
#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "db/pool.hpp"
#include "db/sync_connection.hpp"
#include "db/transaction.hpp"
#include "pg_harness/test_cluster.hpp"
#include "store/routine_repository.hpp"

namespace {
namespace asio = boost::asio;
using kianax::testing::TestCluster;
using Clock = std::chrono::steady_clock;

struct Options {
  int clients = 8;
  int seconds = 10;
  int threads = 1;  // pgbench -j default; on a 2-core box more client threads only steal the server's CPU
  int rounds = 3;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

constexpr int kUsers = 100;
constexpr int kRoutinesPerUser = 10;

struct Target {
  std::string user;
  std::string routine_id;
};

std::vector<Target> seed(kianax::db::SyncConnection& owner) {
  const std::string nodes =
      R"([{"id":"n1","pluginId":"static-data","label":"Data","position":{"x":0,"y":0},"config":{"data":{"a":1}}},)"
      R"({"id":"n2","pluginId":"http-request","label":"Call","position":{"x":200,"y":0},"config":{"url":"https://example.com"}}])";
  const std::string connections = R"([{"id":"c1","sourceNodeId":"n1","targetNodeId":"n2"}])";
  std::vector<Target> targets;
  for (int u = 0; u < kUsers; ++u) {
    const std::string user = "user-" + std::to_string(u);
    for (int r = 0; r < kRoutinesPerUser; ++r) {
      const auto row = owner.exec(
          "INSERT INTO routines (user_id, name, description, nodes, connections, tags) "
          "VALUES ($1, $2, 'benchmark routine', $3::jsonb, $4::jsonb, '[\"bench\"]') RETURNING id",
          kianax::db::Params(user, "routine " + std::to_string(r), nodes, connections));
      targets.push_back({user, row.front().get<std::string>(0)});
    }
  }
  owner.exec("ANALYZE");
  return targets;
}

// Runs `clients` coroutines doing `op` in a loop for `seconds` on `threads` io threads; returns ops/s.
template <class Op>
double measure(const Options& o, const std::string& conninfo, Op op) {
  asio::io_context io;
  kianax::db::Pool pool(io, {.conninfo = conninfo, .max_connections = o.clients});
  std::atomic<long> ops{0};
  std::atomic<bool> counting{false};
  std::atomic<bool> stop{false};
  std::atomic<long> errors{0};
  for (int c = 0; c < o.clients; ++c) {
    asio::co_spawn(
        io,
        [&, c]() -> asio::awaitable<void> {
          std::mt19937 rng(static_cast<unsigned>(c) * 7919u + 1u);
          while (!stop.load(std::memory_order_relaxed)) {
            try {
              co_await op(pool, rng);
              if (counting.load(std::memory_order_relaxed)) ops.fetch_add(1, std::memory_order_relaxed);
            } catch (const std::exception& e) {
              if (errors.fetch_add(1) == 0) std::fprintf(stderr, "error: %s\n", e.what());
            }
          }
        },
        asio::detached);
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < o.threads; ++t) threads.emplace_back([&] { io.run(); });
  std::this_thread::sleep_for(std::chrono::seconds(1));  // warm-up: connections opened, plans cached
  counting = true;
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
  counting = false;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const long done = ops.load();
  stop = true;
  for (auto& t : threads) t.join();
  if (errors.load() > 0) std::fprintf(stderr, "%ld errors\n", errors.load());
  return static_cast<double>(done) / elapsed;
}

double pgbench_select_only(const Options& o, TestCluster& cluster, const std::string& database) {
  const std::string where = "-h " + cluster.socket_dir() + " -p " + std::to_string(cluster.port()) + " -U " +
                            cluster.superuser() + " ";
  std::string out;
  const std::string args = "-S -n -c " + std::to_string(o.clients) + " -j " + std::to_string(o.threads) +
                           " -T " + std::to_string(o.seconds) + " " + where + database;
  if (cluster.run_tool("pgbench", args, &out) != 0) {
    std::fprintf(stderr, "pgbench -S failed:\n%s\n", out.c_str());
    std::exit(1);
  }
  std::smatch m;
  if (!std::regex_search(out, m, std::regex(R"(tps = ([0-9.]+) \(without initial connection time\))"))) {
    std::fprintf(stderr, "cannot read pgbench's tps from:\n%s\n", out.c_str());
    std::exit(1);
  }
  return std::stod(m[1]);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--clients") o.clients = value;
    if (flag == "--seconds") o.seconds = value;
    if (flag == "--threads") o.threads = value;
    if (flag == "--rounds") o.rounds = value;
  }
  TestCluster& cluster = TestCluster::shared();
  auto bench_db = cluster.create_database();
  auto pgbench_db = cluster.create_empty_database();
  auto owner = kianax::db::SyncConnection::open(bench_db.owner_conninfo());
  const auto targets = seed(owner);

  std::printf("clients %d, io threads = pgbench -j %d, %d s per run, %d rounds, %d users x %d routines\n",
              o.clients, o.threads, o.seconds, o.rounds, kUsers, kRoutinesPerUser);
  std::string out;
  if (cluster.run_tool("pgbench",
                       "-i -q -s 1 -h " + cluster.socket_dir() + " -p " + std::to_string(cluster.port()) +
                           " -U " + cluster.superuser() + " " + pgbench_db.name(),
                       &out) != 0) {
    std::fprintf(stderr, "pgbench -i failed:\n%s\n", out.c_str());
    return 1;
  }

  const std::string app = bench_db.app_conninfo();
  auto get_by_id = [&](kianax::db::Pool& pool, std::mt19937& rng) -> asio::awaitable<void> {
    const Target& t = targets[rng() % targets.size()];
    auto r = co_await kianax::store::routines::get_by_id(kianax::db::UserScope(pool, t.user), t.routine_id);
    if (!r) throw std::runtime_error("routine not found");
  };
  auto list_by_user = [&](kianax::db::Pool& pool, std::mt19937& rng) -> asio::awaitable<void> {
    const Target& t = targets[rng() % targets.size()];
    auto rows = co_await kianax::store::routines::list_by_user(kianax::db::UserScope(pool, t.user));
    if (rows.size() != kRoutinesPerUser) throw std::runtime_error("wrong list size");
  };
  // The same read inside an explicit transaction: BEGIN + set_config + SELECT pipelined, then COMMIT.
  auto get_by_id_in_tx = [&](kianax::db::Pool& pool, std::mt19937& rng) -> asio::awaitable<void> {
    const Target& t = targets[rng() % targets.size()];
    auto r = co_await kianax::db::with_user_tx(
        pool, t.user, kianax::db::deadline_after(std::chrono::seconds(5)),
        [&](kianax::db::Transaction& tx) { return kianax::store::routines::get_by_id(tx, t.routine_id); });
    if (!r) throw std::runtime_error("routine not found");
  };
  auto raw_select = [&](kianax::db::Pool& pool, std::mt19937& rng) -> asio::awaitable<void> {
    const Target& t = targets[rng() % targets.size()];
    (void)co_await pool.query("SELECT name FROM routines WHERE id = $1::uuid",
                              kianax::db::Params(t.routine_id));
  };

  // The machine is shared: measure in rounds, each ours-vs-pgbench pair back to back, and report the
  // median of the per-round ratios (and of the absolute numbers).
  std::vector<double> pg, get, list, raw, in_tx, get_ratio, list_ratio, raw_ratio, in_tx_ratio;
  for (int round = 0; round < o.rounds; ++round) {
    pg.push_back(pgbench_select_only(o, cluster, pgbench_db.name()));
    get.push_back(measure(o, app, get_by_id));
    list.push_back(measure(o, app, list_by_user));
    raw.push_back(measure(o, bench_db.owner_conninfo(), raw_select));
    in_tx.push_back(measure(o, app, get_by_id_in_tx));
    in_tx_ratio.push_back(in_tx.back() / pg.back());
    get_ratio.push_back(get.back() / pg.back());
    list_ratio.push_back(list.back() / pg.back());
    raw_ratio.push_back(raw.back() / pg.back());
    std::printf(
        "round %d: pgbench %.0f tps, get_by_id %.0f (%.0f %%), list_by_user %.0f (%.0f %%), raw %.0f\n",
        round + 1, pg.back(), get.back(), 100 * get_ratio.back(), list.back(), 100 * list_ratio.back(),
        raw.back());
  }
  std::printf("\n%-46s %12s %14s\n", "median over rounds", "ops/s", "vs pgbench -S");
  std::printf("%-46s %12.0f %14s\n", "pgbench -S (select-only, autocommit)", median(pg), "100 %");
  std::printf("%-46s %12.0f %12.0f %%\n", "routines::get_by_id (user tx + RLS, app role)", median(get),
              100 * median(get_ratio));
  std::printf("%-46s %12.0f %12.0f %%\n", "routines::list_by_user (10 rows, user tx + RLS)", median(list),
              100 * median(list_ratio));
  std::printf("%-46s %12.0f %12.0f %%\n", "get_by_id inside with_user_tx (2 round trips)", median(in_tx),
              100 * median(in_tx_ratio));
  std::printf("%-46s %12.0f %12.0f %%\n", "pool.query one SELECT by id (no tx; reference)", median(raw),
              100 * median(raw_ratio));
  return 0;
}
