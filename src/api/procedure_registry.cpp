#include "api/procedure_registry.hpp"

#include <stdexcept>

namespace kianax::api {

void ProcedureRegistry::add(Procedure procedure) {
  if (!procedure.handler) throw std::invalid_argument("procedure '" + procedure.name + "' has no handler");
  auto name = procedure.name;
  if (!procedures_.emplace(name, std::move(procedure)).second) {
    throw std::invalid_argument("procedure '" + name + "' is already registered");
  }
}

const Procedure* ProcedureRegistry::find(std::string_view name) const {
  const auto it = procedures_.find(name);
  return it == procedures_.end() ? nullptr : &it->second;
}

std::vector<const Procedure*> ProcedureRegistry::all() const {
  std::vector<const Procedure*> out;
  for (const auto& [name, procedure] : procedures_) out.push_back(&procedure);
  return out;
}

}  // namespace kianax::api
