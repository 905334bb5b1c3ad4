#pragma once
// A real server for API tests: a fresh migrated database (app role, RLS on), the tRPC routes on an
// http::Server bound to 127.0.0.1:0 with its io_context on a background thread, the header authenticator
// (`x-test-user`), and a blocking libcurl client. Owner SQL checks rows behind the API's back.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "api/api_options.hpp"
#include "db/pool.hpp"
#include "db/sync_connection.hpp"
#include "header_authenticator.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "pg_harness/test_cluster.hpp"

namespace kianax::api::testing {

struct Reply {
  long status = 0;
  std::string body;
  std::string content_type;
  std::string allow;
  std::string location;
  [[nodiscard]] boost::json::value json() const;
  // data of {"result":{"data":…}}; fails the test when the body is an error.
  [[nodiscard]] boost::json::value data() const;
  // error.data.code of {"error":…} ("" when not an error).
  [[nodiscard]] std::string error_code() const;
};

class ApiTest : public ::testing::Test {
 protected:
  explicit ApiTest(ApiOptions options = test_options());
  ~ApiTest() override;

  // `user` empty = anonymous. `path` is after /api/trpc/; `query` is raw (the caller encodes).
  Reply get(const std::string& path, const std::string& query, const std::string& user,
            const std::vector<std::string>& headers = {});
  Reply post(const std::string& path, const std::string& body, const std::string& user,
             const std::string& query = "", const std::vector<std::string>& headers = {});
  // GET of any path on the server (not under /api/trpc/), e.g. "/api/oauth/callback?code=…".
  Reply raw_get(const std::string& path_and_query, const std::string& user);
  // A query / mutation with a JSON input, as httpLink sends it.
  Reply query(const std::string& procedure, const boost::json::value& input, const std::string& user);
  Reply query(const std::string& procedure, const std::string& user);  // undefined input
  Reply mutate(const std::string& procedure, const boost::json::value& input, const std::string& user);

  // Runs a coroutine on the server's io_context and waits for it (store setup inside tests).
  template <class T>
  T on_io(boost::asio::awaitable<T> task) {
    return boost::asio::co_spawn(io_, std::move(task), boost::asio::use_future).get();
  }
  db::SyncConnection owner() { return db::SyncConnection::open(database_.owner_conninfo()); }
  long long count(const std::string& sql);  // owner-side SELECT count(*)

  // routines.create as `user` with a minimal routine; returns the id.
  std::string create_routine(const std::string& user, const std::string& name = "R");
  std::string create_execution(const std::string& user, const std::string& routine_id,
                               const std::string& workflow_id);

  static std::string encode(const std::string& text);  // encodeURIComponent
  [[nodiscard]] db::Pool& pool() { return *pool_; }

 public:
  // The fixture's options: a fixed vault key, built-in registries.
  [[nodiscard]] static ApiOptions test_options();

 private:
  kianax::testing::TestDatabase database_;
  boost::asio::io_context io_;
  std::unique_ptr<db::Pool> pool_;
  HeaderAuthenticator authenticator_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

}  // namespace kianax::api::testing
