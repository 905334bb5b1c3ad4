#pragma once
// Registration of every procedure group into the one registry (names from api-spec §1 / seed §4.5).
#include "api/api_options.hpp"
#include "api/procedure_registry.hpp"

namespace kianax::api {

void add_routine_procedures(ProcedureRegistry& registry, const ApiOptions& options);
void add_routine_variable_procedures(ProcedureRegistry& registry, const ApiOptions& options);
void add_execution_procedures(ProcedureRegistry& registry, const ApiOptions& options);
void add_execution_run_procedures(ProcedureRegistry& registry);  // start, cancel (the run queue)
void add_settings_procedures(ProcedureRegistry& registry);
void add_plugin_procedures(ProcedureRegistry& registry);
void add_credential_procedures(ProcedureRegistry& registry);

// All of the above.
[[nodiscard]] ProcedureRegistry make_procedure_registry(const ApiOptions& options);

}  // namespace kianax::api
