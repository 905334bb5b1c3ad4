#pragma once
// A fresh migrated database per test and a pool on it as the app role (RLS applies to everything the
// repositories do here). Owner access is for setting up and checking behind the repositories' back.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "db/pool.hpp"
#include "db/sync_connection.hpp"
#include "db/transaction.hpp"
#include "pg_harness/run_sync.hpp"
#include "pg_harness/test_cluster.hpp"

namespace kianax::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  kianax::testing::TestDatabase database = kianax::testing::TestCluster::shared().create_database();
  boost::asio::io_context io;
  db::Pool pool{io, {.conninfo = database.app_conninfo(), .max_connections = 4}};

  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return kianax::testing::run_sync(io, std::move(task));
  }
  db::UserScope as(const std::string& user) { return db::UserScope(pool, user); }
  db::SyncConnection owner() { return db::SyncConnection::open(database.owner_conninfo()); }
  db::SyncConnection app() { return db::SyncConnection::open(database.app_conninfo()); }
};

}  // namespace kianax::store::testing
