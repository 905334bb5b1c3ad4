#include "api_fixture.hpp"

#include <curl/curl.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/trpc_routes.hpp"
#include "store/execution_repository.hpp"

namespace kianax::api::testing {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t collect_header(char* data, size_t size, size_t n, void* out) {
  auto* reply = static_cast<Reply*>(out);
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    if (name == "content-type") reply->content_type = value;
    if (name == "allow") reply->allow = value;
    if (name == "location") reply->location = value;
  }
  return size * n;
}

}  // namespace

json::value Reply::json() const { return json::parse(body); }

json::value Reply::data() const {
  const auto v = json();
  if (!v.is_object() || !v.as_object().contains("result")) {
    ADD_FAILURE() << "expected a result, got " << status << " " << body;
    return nullptr;
  }
  return v.at("result").at("data");
}

std::string Reply::error_code() const {
  const auto v = json();
  if (!v.is_object() || !v.as_object().contains("error")) return "";
  return std::string(v.at("error").at("data").at("code").as_string());
}

ApiOptions ApiTest::test_options() {
  ApiOptions options;
  // A fixed test key (base64 of 32 bytes 0x01..0x20): no environment needed.
  options.vault.emplace(vault::VaultKey::from_base64("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="));
  return options;
}

ApiTest::ApiTest(ApiOptions options) : database_(kianax::testing::TestCluster::shared().create_database()) {
  pool_ = std::make_unique<db::Pool>(
      io_, db::PoolOptions{.conninfo = database_.app_conninfo(), .max_connections = 4});
  add_trpc_routes(router_, *pool_, authenticator_, std::move(options));
  server_ = std::make_unique<http::Server>(io_, router_, http::ServerOptions{.host = "127.0.0.1", .port = 0});
  port_ = server_->listen();
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

ApiTest::~ApiTest() {
  asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<void> {
        server_->stop();
        co_return;
      },
      asio::use_future)
      .get();
  work_.reset();
  io_.stop();
  thread_.join();
  server_.reset();
  pool_.reset();
}

static Reply perform(const std::string& url, const std::string* body, const std::string& user,
                     const std::vector<std::string>& headers) {
  Reply reply;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  if (!user.empty()) list = curl_slist_append(list, ("x-test-user: " + user).c_str());
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  if (body != nullptr) {
    list = curl_slist_append(list, "content-type: application/json");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  const CURLcode rc = curl_easy_perform(curl);
  EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return reply;
}

Reply ApiTest::get(const std::string& path, const std::string& query, const std::string& user,
                   const std::vector<std::string>& headers) {
  std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/api/trpc/" + path;
  if (!query.empty()) url += "?" + query;
  return perform(url, nullptr, user, headers);
}

Reply ApiTest::post(const std::string& path, const std::string& body, const std::string& user,
                    const std::string& query, const std::vector<std::string>& headers) {
  std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/api/trpc/" + path;
  if (!query.empty()) url += "?" + query;
  return perform(url, &body, user, headers);
}

Reply ApiTest::raw_get(const std::string& path_and_query, const std::string& user) {
  return perform("http://127.0.0.1:" + std::to_string(port_) + path_and_query, nullptr, user, {});
}

Reply ApiTest::query(const std::string& procedure, const json::value& input, const std::string& user) {
  return get(procedure, "input=" + encode(json::serialize(input)), user);
}

Reply ApiTest::query(const std::string& procedure, const std::string& user) {
  return get(procedure, "", user);
}

Reply ApiTest::mutate(const std::string& procedure, const json::value& input, const std::string& user) {
  return post(procedure, json::serialize(input), user);
}

long long ApiTest::count(const std::string& sql) {
  auto c = owner();
  const auto r = c.exec(sql);
  return r.front().get<std::int64_t>(0);
}

std::string ApiTest::create_routine(const std::string& user, const std::string& name) {
  const auto reply = mutate("routines.create", json::object{{"name", name}}, user);
  EXPECT_EQ(reply.status, 200) << reply.body;
  return std::string(reply.data().as_string());
}

std::string ApiTest::create_execution(const std::string& user, const std::string& routine_id,
                                      const std::string& workflow_id) {
  store::NewExecution e;
  e.routine_id = routine_id;
  e.workflow_id = workflow_id;
  e.run_id = "run-" + workflow_id;
  auto created = on_io(store::executions::create(db::UserScope(*pool_, user), e));
  EXPECT_TRUE(created.has_value());
  return created ? created->id : "";
}

std::string ApiTest::encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*' ||
        c == '\'' || c == '(' || c == ')') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace kianax::api::testing
