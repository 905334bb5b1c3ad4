#pragma once
// Store rows as the API's JSON (api-spec §0): camelCase fields, epoch-ms numbers, Convex's `_id` and
// `_creationTime` next to `id` (the UI reads `_id`), and optional fields left out rather than null, as
// Convex documents had them. Credentials never carry `data` here.
#include <boost/json/object.hpp>
#include <string>

#include "store/credential_repository.hpp"
#include "store/execution_repository.hpp"
#include "store/routine_repository.hpp"
#include "store/settings_repository.hpp"

namespace kianax::api {

[[nodiscard]] boost::json::object to_json(const store::Routine& r);
[[nodiscard]] boost::json::object to_json(const store::Execution& e);
[[nodiscard]] boost::json::object to_json(const store::CredentialSummary& c);
[[nodiscard]] boost::json::object to_json(const store::UserSettings& s);
// settings.get for a user without a row: the defaults (theme "system", the column default).
[[nodiscard]] boost::json::object default_settings_json(const std::string& user_id);

}  // namespace kianax::api
