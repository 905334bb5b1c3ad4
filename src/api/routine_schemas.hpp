#pragma once
// Input schemas of routine pieces (api-spec §0 "Shapes"): Node, Conn, Var and the enums, plus the rule
// that variable names are unique within a routine.
#include <boost/json/array.hpp>

#include "api/api_options.hpp"
#include "api/input_schema.hpp"

namespace kianax::api {

[[nodiscard]] SchemaPtr routine_status_schema();
[[nodiscard]] SchemaPtr routine_trigger_schema();
[[nodiscard]] SchemaPtr node_schema();
[[nodiscard]] SchemaPtr connection_schema();
// `id_optional`: addVariable lets the server choose the id.
[[nodiscard]] SchemaPtr variable_schema(bool id_optional = false);
[[nodiscard]] SchemaPtr routine_name_schema();  // 1..255 (the column is varchar(255))

// Throws BAD_REQUEST with one issue per repeated name (path: [field, index, "name"]).
void require_unique_variable_names(const boost::json::array& variables, std::string_view field);

}  // namespace kianax::api
