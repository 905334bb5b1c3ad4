#pragma once
// The one table of procedures the codec dispatches on. Filled at start-up, read-only afterwards (so
// concurrent lookups need no lock). Tests enumerate it so that every procedure meets the auth matrix.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/procedure.hpp"

namespace kianax::api {

class ProcedureRegistry {
 public:
  // Throws std::invalid_argument for a duplicate name or a procedure without a handler.
  void add(Procedure procedure);
  [[nodiscard]] const Procedure* find(std::string_view name) const;
  [[nodiscard]] std::vector<const Procedure*> all() const;  // sorted by name

 private:
  std::map<std::string, Procedure, std::less<>> procedures_;
};

}  // namespace kianax::api
