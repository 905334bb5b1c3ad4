#pragma once
// The SQL migrations compiled into the binary (src/db/migrations/NNNN_name.sql, sorted by file name).
// Invariant: versions are unique and ascending; the text is byte-for-byte the file's content, so the
// checksum the migration runner records is the sha256 of the file.
#include <span>
#include <string_view>

namespace kianax::db {

struct MigrationFile {
  std::string_view version;  // "0001"
  std::string_view name;     // "initial"
  std::string_view sql;
};

[[nodiscard]] std::span<const MigrationFile> embedded_migrations();

}  // namespace kianax::db
