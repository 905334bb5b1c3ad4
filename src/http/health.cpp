#include "http/health.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace kianax::http {

void add_health_routes(Router& router, ReadinessProbe probe) {
  router.add("GET", "/healthz", [](Request&) -> boost::asio::awaitable<Response> {
    co_return Response::json(200, R"({"status":"ok"})");
  });
  router.add("GET", "/readyz", [probe = std::move(probe)](Request&) -> boost::asio::awaitable<Response> {
    Readiness r = co_await probe();
    boost::json::object body;
    body["status"] = r.ready ? "ready" : "not_ready";
    if (!r.ready) body["reason"] = r.reason;
    co_return Response::json(r.ready ? 200 : 503, boost::json::serialize(body));
  });
}

}  // namespace kianax::http
