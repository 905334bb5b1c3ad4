// google-sheets (engine spec (f)): read, append (one row) or clear a range of a spreadsheet with the
// user's OAuth access token (credential `google-sheets-oauth`, read by the plugin as `googleSheets`).
//
// Endpoint: $KIANAX_GOOGLE_SHEETS_BASE_URL (the API root, default https://sheets.googleapis.com/v4; a value
// that already ends in /spreadsheets is used as the collection URL) + /spreadsheets/<id>/values/<range>.
// The range is not URL-encoded (spec), apart from characters no URL may contain (e.g. a space → %20).
// Port decisions: the documented default operation `read` is applied (upstream performed the GET and then
// returned {}), an unknown operation or a missing spreadsheetId/range fails with a clear message instead of
// requesting ".../undefined".
#pragma once

#include "engine/plugin.hpp"

#include <memory>

namespace kianax::plugins {

[[nodiscard]] std::unique_ptr<engine::Plugin> make_google_sheets_plugin();

}  // namespace kianax::plugins
