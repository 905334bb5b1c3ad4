#pragma once
// /healthz: 200 while the process runs (liveness). /readyz: 200 only when the readiness probe says the
// database answers and migrations are current; 503 with the reason otherwise (load balancers route on it).
#include <functional>
#include <string>

#include "http/router.hpp"

namespace kianax::http {

struct Readiness {
  bool ready = false;
  std::string reason;  // why not ready; empty when ready
};

using ReadinessProbe = std::function<boost::asio::awaitable<Readiness>()>;

void add_health_routes(Router& router, ReadinessProbe probe);

}  // namespace kianax::http
