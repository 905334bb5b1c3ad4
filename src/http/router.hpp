#pragma once
// Maps (method, path) to a handler: exact paths first, then the longest matching prefix. Routes are added at
// start-up only; lookups afterwards are concurrent and lock-free because the tables never change again.
#include <map>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace kianax::http {

class Router {
 public:
  void add(std::string method, std::string path, Handler handler);
  // Matches every path that starts with `prefix` (e.g. "/api/trpc/").
  void add_prefix(std::string method, std::string prefix, Handler handler);

  // nullptr when nothing matches; `path_known` tells 404 from 405.
  [[nodiscard]] const Handler* find(const std::string& method, const std::string& path,
                                    bool& path_known) const;

 private:
  std::map<std::pair<std::string, std::string>, Handler> exact_;
  std::vector<std::pair<std::pair<std::string, std::string>, Handler>> prefixes_;  // longest prefix first
};

}  // namespace kianax::http
