// credentials.types / list / create / update / delete (api-spec §1c, §3). `data` is sealed by the vault
// (AES-256-GCM, bound to the owner's user id) before it reaches the store, and no procedure ever returns
// it — list() does not even read the column. Validation messages name fields, never their values.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <chrono>

#include "api/oauth_flow.hpp"
#include "api/procedure_support.hpp"
#include "api/procedures.hpp"
#include "api/store_json.hpp"
#include "plugins/credential_types.hpp"
#include "store/credential_repository.hpp"
#include "vault/vault.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

const vault::Vault& vault_of(const Context& ctx) {
  if (ctx.vault == nullptr) {
    throw TrpcError(ErrorCode::kPreconditionFailed,
                    "Credential storage is not configured on this server (KIANAX_ENCRYPTION_KEY)");
  }
  return *ctx.vault;
}

const plugins::CredentialType& type_of(const Context& ctx, std::string_view type_id) {
  const auto* type = ctx.credential_types ? ctx.credential_types->find(type_id) : nullptr;
  if (type == nullptr) {
    throw TrpcError(ErrorCode::kBadRequest, "Unknown credential type '" + std::string(type_id) + "'",
                    issues_json({Issue{json::array{"typeId"}, "Unknown credential type"}}));
  }
  return *type;
}

// `data` arrives as JSON text (the dashboard sends JSON.stringify(form)). Returns it re-serialised after
// checking it against the type's fields; the messages name fields only, so no secret is echoed.
std::string checked_data(const plugins::CredentialType& type, std::string_view text) {
  std::error_code ec;
  const json::value data = json::parse(text, ec);
  if (ec || !data.is_object()) {
    throw TrpcError(ErrorCode::kBadRequest, "data: must be a JSON object",
                    issues_json({Issue{json::array{"data"}, "Must be a JSON object"}}));
  }
  const auto problems = plugins::validate_credential_data(type, data.get_object());
  if (!problems.empty()) {
    std::vector<Issue> issues;
    for (const auto& p : problems) issues.push_back(Issue{json::array{"data"}, p});
    throw TrpcError(ErrorCode::kBadRequest, issues_message(issues), issues_json(issues));
  }
  return json::serialize(data);
}

}  // namespace

void add_credential_procedures(ProcedureRegistry& registry) {
  const SchemaPtr data_text = schema::string(2, 64 * 1024);

  registry.add(Procedure{
      .name = "credentials.types",
      .type = ProcedureType::kQuery,
      .input = nullptr,
      .handler = [](Context& ctx, const json::value&) -> asio::awaitable<json::value> {
        if (ctx.credential_types == nullptr) co_return json::array();
        co_return ctx.credential_types->to_json();
      },
  });

  registry.add(Procedure{
      .name = "credentials.list",
      .type = ProcedureType::kQuery,
      .input = nullptr,
      .handler = [](Context& ctx, const json::value&) -> asio::awaitable<json::value> {
        const auto rows = co_await store::credentials::list(scope_of(ctx));
        json::array out;
        for (const auto& c : rows) out.push_back(to_json(c));
        co_return out;
      },
  });

  registry.add(Procedure{
      .name = "credentials.create",
      .type = ProcedureType::kMutation,
      .input = schema::object({
          {"typeId", schema::string(1, 100)},
          {"name", schema::string(1, 255)},
          {"data", data_text},
          {"metadata", schema::any(), true},
      }),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto& type = type_of(ctx, str(in, "typeId"));
        store::NewCredential c;
        c.type_id = type.id;
        c.name = str(in, "name");
        c.data = vault_of(ctx).encrypt(checked_data(type, str(in, "data")), ctx.user_id());
        if (const auto* m = field(in, "metadata"); m && !m->is_null()) c.metadata = *m;
        const auto created = co_await store::credentials::create(scope_of(ctx), c);
        co_return json::value(created.id);
      },
  });

  registry.add(Procedure{
      .name = "credentials.update",
      .type = ProcedureType::kMutation,
      .input = schema::object({
          {"id", schema::uuid()},
          {"name", schema::string(1, 255)},
          {"data", data_text, true},
      }),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "id");
        std::optional<std::string> sealed;
        if (auto data = optional_str(in, "data")) {
          auto existing = co_await store::credentials::get(scope_of(ctx), id);
          if (!existing) throw_not_found("Credential", id);
          sealed = vault_of(ctx).encrypt(checked_data(type_of(ctx, existing->type_id), *data), ctx.user_id());
        }
        std::optional<std::string_view> sealed_view;
        if (sealed) sealed_view = *sealed;
        auto updated = co_await store::credentials::update(scope_of(ctx), id, str(in, "name"), sealed_view);
        if (!updated) throw_not_found("Credential", id);
        co_return json::value(updated->id);
      },
  });

  registry.add(Procedure{
      .name = "credentials.oauthStart",
      .type = ProcedureType::kMutation,
      .input = schema::object({{"credentialId", schema::uuid()}}),
      // The dashboard creates the credential first (data "{}", metadata {status:"pending_oauth"}), then sends
      // the browser to the URL returned here.
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "credentialId");
        auto row = co_await store::credentials::get(scope_of(ctx), id);
        if (!row) throw_not_found("Credential", id);
        const auto& type = type_of(ctx, row->type_id);
        if (!type.oauth2) {
          throw TrpcError(ErrorCode::kBadRequest, "Credential type '" + type.id + "' does not use OAuth2");
        }
        if (ctx.oauth == nullptr) (void)vault_of(ctx);  // no vault, no signing key: the same 412
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        co_return json::object{
            {"authorizationUrl", ctx.oauth->authorization_url(type, ctx.user_id(), row->id, now)}};
      },
  });

  registry.add(Procedure{
      .name = "credentials.delete",
      .type = ProcedureType::kMutation,
      .input = schema::object({{"id", schema::uuid()}}),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "id");
        if (!co_await store::credentials::remove(scope_of(ctx), id)) throw_not_found("Credential", id);
        co_return nullptr;
      },
  });
}

}  // namespace kianax::api
