#include "http/router.hpp"

#include <algorithm>

namespace kianax::http {

void Router::add(std::string method, std::string path, Handler handler) {
  exact_[{std::move(method), std::move(path)}] = std::move(handler);
}

void Router::add_prefix(std::string method, std::string prefix, Handler handler) {
  prefixes_.push_back({{std::move(method), std::move(prefix)}, std::move(handler)});
  std::stable_sort(prefixes_.begin(), prefixes_.end(), [](const auto& a, const auto& b) {
    return a.first.second.size() > b.first.second.size();
  });
}

const Handler* Router::find(const std::string& method, const std::string& path, bool& path_known) const {
  path_known = false;
  if (auto it = exact_.find({method, path}); it != exact_.end()) {
    path_known = true;
    return &it->second;
  }
  for (const auto& [key, handler] : exact_) {
    if (key.second == path) path_known = true;
  }
  for (const auto& [key, handler] : prefixes_) {
    if (path.compare(0, key.second.size(), key.second) == 0) {
      path_known = true;
      if (key.first == method) return &handler;
    }
  }
  return nullptr;
}

}  // namespace kianax::http
