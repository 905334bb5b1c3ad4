// settings.get / settings.update (api-spec §1d, §6).
#include "api/procedure_support.hpp"
#include "api/procedures.hpp"
#include "api/store_json.hpp"
#include "store/settings_repository.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;

void add_settings_procedures(ProcedureRegistry& registry) {
  registry.add(Procedure{
      .name = "settings.get",
      .type = ProcedureType::kQuery,
      .input = nullptr,
      // No row yet: the defaults, so the dashboard always gets a theme (upstream returned null).
      .handler = [](Context& ctx, const json::value&) -> asio::awaitable<json::value> {
        auto row = co_await store::settings::get(scope_of(ctx));
        if (!row) co_return default_settings_json(ctx.user_id());
        co_return to_json(*row);
      },
  });

  registry.add(Procedure{
      .name = "settings.update",
      .type = ProcedureType::kMutation,
      .input = schema::object({{"theme", schema::enumeration({"light", "dark", "system"})}}),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto row =
            co_await store::settings::upsert(scope_of(ctx), *store::parse_theme(str(in, "theme")));
        co_return to_json(row);
      },
  });
}

}  // namespace kianax::api
