#pragma once
// Which vault this process encrypts credentials with. Every `serve`/`worker` process of one deployment must
// hold the same keys, so outside the all-in-one a missing key is a start-up error; the all-in-one keeps a
// generated key in its data dir (mode 0600) so a laptop works with no configuration.
#include <string>

#include "vault/vault.hpp"

namespace kianax::cli {

// KIANAX_ENCRYPTION_KEY (+ KIANAX_ENCRYPTION_PREVIOUS_KEYS) when set; else, when `embedded`, the key in
// `<data_dir>/vault-key` (created on first use); else throws std::runtime_error naming the variable.
[[nodiscard]] vault::Vault resolve_vault(const std::string& data_dir, bool embedded);

}  // namespace kianax::cli
