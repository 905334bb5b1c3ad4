// The authorization matrix, generated from the registry: every procedure refuses an anonymous caller
// (401), and every procedure that takes an id answers user B NOT_FOUND for user A's id — and leaves A's
// rows as they were. A procedure added to the registry without an entry here fails the test, so none can
// skip the matrix.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <map>

#include "api/procedures.hpp"
#include "api_fixture.hpp"

namespace kianax::api::testing {
namespace {
namespace json = boost::json;

struct OwnedIds {
  std::string routine;
  std::string execution;
  std::string credential;
};

struct MatrixEntry {
  bool takes_id = false;
  std::function<json::value(const OwnedIds&)> input;  // null: undefined input
};

std::map<std::string, MatrixEntry> matrix() {
  auto routine_id = [](const OwnedIds& a) { return json::object{{"id", a.routine}}; };
  auto variable = [] { return json::object{{"name", "zz"}, {"type", "string"}, {"value", "b"}}; };
  return {
      {"routines.list", {false, nullptr}},
      {"routines.get", {true, routine_id}},
      {"routines.create",
       {false,
        [](const OwnedIds&) {
          return json::object{{"name", "B's"}};
        }}},
      {"routines.update",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"id", a.routine}, {"name", "hijacked"}, {"nodes", json::array()}};
        }}},
      {"routines.delete", {true, routine_id}},
      {"routines.duplicate", {true, routine_id}},
      {"routines.search",
       {false,
        [](const OwnedIds&) {
          return json::object{{"query", "A"}};
        }}},
      {"routines.addVariable",
       {true,
        [variable](const OwnedIds& a) {
          return json::object{{"routineId", a.routine}, {"variable", variable()}};
        }}},
      {"routines.updateVariable",
       {true,
        [](const OwnedIds& a) {
          return json::object{
              {"routineId", a.routine}, {"variableId", "v1"}, {"updates", json::object{{"value", "b"}}}};
        }}},
      {"routines.removeVariable",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"routineId", a.routine}, {"variableId", "v1"}};
        }}},
      {"routines.setVariables",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"routineId", a.routine}, {"variables", json::array()}};
        }}},
      {"executions.listByRoutine",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"routineId", a.routine}};
        }}},
      {"executions.get",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"id", a.execution}};
        }}},
      {"executions.start",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"routineId", a.routine}};
        }}},
      {"executions.cancel",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"id", a.execution}};
        }}},
      {"executions.getByWorkflowId",
       {true,
        [](const OwnedIds&) {
          return json::object{{"workflowId", "wf-a"}};
        }}},
      {"settings.get", {false, nullptr}},
      {"settings.update",
       {false,
        [](const OwnedIds&) {
          return json::object{{"theme", "dark"}};
        }}},
      {"plugins.list", {false, nullptr}},
      {"credentials.types", {false, nullptr}},
      {"credentials.list", {false, nullptr}},
      {"credentials.create",
       {false,
        [](const OwnedIds&) {
          return json::object{{"typeId", "openai-api"}, {"name", "B"}, {"data", R"({"apiKey":"b"})"}};
        }}},
      {"credentials.update",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"id", a.credential}, {"name", "hijacked"}};
        }}},
      {"credentials.oauthStart",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"credentialId", a.credential}};
        }}},
      {"credentials.delete",
       {true,
        [](const OwnedIds& a) {
          return json::object{{"id", a.credential}};
        }}},
  };
}

class AuthorizationMatrix : public ApiTest {
 protected:
  Reply call(const Procedure& p, const MatrixEntry& entry, const OwnedIds& ids, const std::string& user) {
    const bool has_input = static_cast<bool>(entry.input);
    const std::string body = has_input ? json::serialize(entry.input(ids)) : "";
    if (p.type == ProcedureType::kQuery) {
      return get(p.name, has_input ? "input=" + encode(body) : "", user);
    }
    return post(p.name, body, user);
  }

  OwnedIds alice_data() {
    OwnedIds ids;
    const auto created = mutate(
        "routines.create",
        json::parse(R"({"name":"A","variables":[{"id":"v1","name":"x","type":"string","value":"a"}]})"),
        "alice");
    ids.routine = std::string(created.data().as_string());
    ids.execution = create_execution("alice", ids.routine, "wf-a");
    const auto credential = mutate(
        "credentials.create",
        json::object{{"typeId", "openai-api"}, {"name", "A"}, {"data", R"({"apiKey":"alice-secret"})"}},
        "alice");
    ids.credential = std::string(credential.data().as_string());
    return ids;
  }
};

TEST_F(AuthorizationMatrix, every_procedure_refuses_anonymous_and_foreign_ids) {
  const auto ids = alice_data();
  const auto entries = matrix();
  const auto registry = make_procedure_registry(test_options());
  for (const Procedure* p : registry.all()) {
    SCOPED_TRACE(p->name);
    const auto it = entries.find(p->name);
    ASSERT_NE(it, entries.end()) << "procedure " << p->name << " has no authorization matrix entry";
    const auto anonymous = call(*p, it->second, ids, "");
    EXPECT_EQ(anonymous.status, 401) << anonymous.body;
    EXPECT_EQ(anonymous.error_code(), "UNAUTHORIZED");
    if (it->second.takes_id) {
      const auto foreign = call(*p, it->second, ids, "bob");
      EXPECT_EQ(foreign.status, 404) << foreign.body;
      EXPECT_EQ(foreign.error_code(), "NOT_FOUND");
    }
  }
  EXPECT_EQ(entries.size(), registry.all().size()) << "matrix lists a procedure the registry does not have";

  // Alice's rows are untouched by everything Bob tried.
  const auto routine = query("routines.get", json::object{{"id", ids.routine}}, "alice").data();
  EXPECT_EQ(routine.at("name"), "A");
  EXPECT_EQ(routine.at("version"), 1);
  EXPECT_EQ(json::serialize(routine.at("variables")),
            R"([{"id":"v1","name":"x","type":"string","value":"a"}])");
  EXPECT_EQ(count("SELECT count(*) FROM routine_executions"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM user_credentials WHERE user_id = 'alice' AND name = 'A'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM routines WHERE user_id = 'alice'"), 1);
}

}  // namespace
}  // namespace kianax::api::testing
