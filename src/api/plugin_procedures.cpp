// plugins.list: the plugin registry's metadata (what the editor's palette shows).
#include "api/procedures.hpp"
#include "plugins/registry.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;

void add_plugin_procedures(ProcedureRegistry& registry) {
  registry.add(Procedure{
      .name = "plugins.list",
      .type = ProcedureType::kQuery,
      .input = nullptr,
      .handler = [](Context& ctx, const json::value&) -> asio::awaitable<json::value> {
        if (ctx.plugins == nullptr) co_return json::array();
        co_return ctx.plugins->metadata_json();
      },
  });
}

}  // namespace kianax::api
