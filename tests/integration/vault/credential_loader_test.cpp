// load_credential_data: ownership, decryption, runtime fields only, and OAuth2 refresh against a fake token
// endpoint (an http::Server on 127.0.0.1:0 run on its own thread).
#include "vault/credential_loader.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <thread>

#include "db/pool.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "pg_harness/run_sync.hpp"
#include "pg_harness/test_cluster.hpp"
#include "store/credential_repository.hpp"

namespace kianax::vault {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::int64_t kNow = 1'800'000'000'000;

class FakeTokenEndpoint {
 public:
  FakeTokenEndpoint() {
    router_.add("POST", "/token", [this](http::Request& request) -> asio::awaitable<http::Response> {
      ++calls;
      last_form = request.body;
      co_return http::Response::json(
          200, R"({"access_token":"new-token","expires_in":3600,"token_type":"Bearer"})");
    });
    server_ =
        std::make_unique<http::Server>(io_, router_, http::ServerOptions{.host = "127.0.0.1", .port = 0});
    port = server_->listen();
    work_.emplace(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FakeTokenEndpoint() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  std::atomic<int> calls{0};
  std::string last_form;
  std::uint16_t port = 0;

 private:
  asio::io_context io_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
};

class CredentialLoader : public ::testing::Test {
 protected:
  CredentialLoader() {
    ::setenv("KIANAX_GOOGLE_OAUTH_TOKEN_URL",
             ("http://127.0.0.1:" + std::to_string(endpoint.port) + "/token").c_str(), 1);
    ::setenv("GOOGLE_CLIENT_ID", "client-id", 1);
    ::setenv("GOOGLE_CLIENT_SECRET", "client-secret", 1);
    types = plugins::make_builtin_credential_types();
    options.types = &types;
    options.http.policy.allowed_endpoints = {{"127.0.0.1", endpoint.port}};
    options.now_ms = [] { return kNow; };
  }

  std::string create(const std::string& user, const std::string& type_id, const json::object& data) {
    store::NewCredential c;
    c.type_id = type_id;
    c.name = "c";
    c.data = vault.encrypt(json::serialize(data), user);
    c.metadata = json::object{{"status", "active"}};
    return kianax::testing::run_sync(io, store::credentials::create(db::UserScope(pool, user), c)).id;
  }
  json::object load(const std::string& user, const std::string& id) {
    return kianax::testing::run_sync(io, load_credential_data(pool, vault, user, id, options));
  }
  json::object stored(const std::string& user, const std::string& id) {
    auto row = kianax::testing::run_sync(io, store::credentials::get(db::UserScope(pool, user), id));
    return json::parse(vault.decrypt(row->data, user)).as_object();
  }

  FakeTokenEndpoint endpoint;
  kianax::testing::TestDatabase database = kianax::testing::TestCluster::shared().create_database();
  asio::io_context io;
  db::Pool pool{io, {.conninfo = database.app_conninfo(), .max_connections = 2}};
  Vault vault{VaultKey::from_base64("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=")};
  plugins::CredentialTypeRegistry types;
  CredentialLoadOptions options;
};

TEST_F(CredentialLoader, simple_type_returns_its_runtime_fields) {
  const auto id = create("alice", "openai-api", json::object{{"apiKey", "sk-1"}, {"note", "x"}});
  EXPECT_EQ(json::serialize(load("alice", id)), R"({"apiKey":"sk-1"})");
}

TEST_F(CredentialLoader, another_users_credential_is_not_found) {
  const auto id = create("alice", "openai-api", json::object{{"apiKey", "sk-1"}});
  try {
    load("bob", id);
    FAIL() << "bob loaded alice's credential";
  } catch (const CredentialLoadError& e) {
    EXPECT_EQ(std::string(e.what()), "Credential not found: " + id);
  }
}

TEST_F(CredentialLoader, fresh_oauth_token_is_returned_without_a_refresh) {
  const auto id =
      create("alice", "google-sheets-oauth",
             json::object{{"access_token", "old"}, {"refresh_token", "r1"}, {"expires_at", kNow + 600'000}});
  EXPECT_EQ(json::serialize(load("alice", id)), R"({"access_token":"old"})");
  EXPECT_EQ(endpoint.calls, 0);
}

TEST_F(CredentialLoader, token_expiring_within_five_minutes_is_refreshed_and_stored) {
  const auto id =
      create("alice", "google-sheets-oauth",
             json::object{{"access_token", "old"}, {"refresh_token", "r1"}, {"expires_at", kNow + 60'000}});
  EXPECT_EQ(json::serialize(load("alice", id)), R"({"access_token":"new-token"})");
  EXPECT_EQ(endpoint.calls, 1);
  EXPECT_NE(endpoint.last_form.find("grant_type=refresh_token"), std::string::npos);
  EXPECT_NE(endpoint.last_form.find("refresh_token=r1"), std::string::npos);
  const auto data = stored("alice", id);
  EXPECT_EQ(data.at("access_token"), "new-token");
  EXPECT_EQ(data.at("refresh_token"), "r1");  // kept: the reply had none
  EXPECT_EQ(data.at("expires_at"), kNow + 3'600'000);
  auto row = kianax::testing::run_sync(io, store::credentials::get(db::UserScope(pool, "alice"), id));
  EXPECT_EQ(json::serialize(*row->metadata), R"({"status":"active"})");  // a refresh keeps metadata
  // The next load uses the stored token.
  EXPECT_EQ(json::serialize(load("alice", id)), R"({"access_token":"new-token"})");
  EXPECT_EQ(endpoint.calls, 1);
}

}  // namespace
}  // namespace kianax::vault
