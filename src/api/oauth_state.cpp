#include "api/oauth_state.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

namespace kianax::api {
namespace json = boost::json;

namespace {

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string b64(text);
  for (auto& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4 != 0) b64.push_back('=');
  std::string out(b64.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(n);
  if (b64.ends_with("==")) {
    size -= 2;
  } else if (b64.ends_with("=")) {
    size -= 1;
  }
  out.resize(size);
  return out;
}

std::string hmac(const std::array<unsigned char, 32>& key, std::string_view message) {
  unsigned char out[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &size);
  return std::string(reinterpret_cast<char*>(out), size);
}

}  // namespace

std::string base64url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (auto& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

OAuthState OAuthStateSigner::issue(std::string user_id, std::string credential_id, std::int64_t now_ms,
                                   std::int64_t ttl_ms) const {
  unsigned char nonce[16];
  if (RAND_bytes(nonce, sizeof nonce) != 1) throw std::runtime_error("no randomness for an OAuth state");
  return OAuthState{std::move(user_id), std::move(credential_id),
                    base64url(std::string_view(reinterpret_cast<char*>(nonce), sizeof nonce)),
                    now_ms + ttl_ms};
}

std::string OAuthStateSigner::sign(const OAuthState& state) const {
  const std::string payload = base64url(json::serialize(json::object{
      {"u", state.user_id}, {"c", state.credential_id}, {"n", state.nonce}, {"e", state.expires_at}}));
  return payload + "." + base64url(hmac(key_, payload));
}

std::optional<OAuthState> OAuthStateSigner::verify(std::string_view text, std::int64_t now_ms) const {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto payload = text.substr(0, dot);
  const auto signature = base64url_decode(text.substr(dot + 1));
  const std::string expected = hmac(key_, payload);
  if (!signature || signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  const auto decoded = base64url_decode(payload);
  if (!decoded) return std::nullopt;
  std::error_code ec;
  const auto v = json::parse(*decoded, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  const auto* u = o.if_contains("u");
  const auto* c = o.if_contains("c");
  const auto* n = o.if_contains("n");
  const auto* e = o.if_contains("e");
  if (!u || !c || !n || !e || !u->is_string() || !c->is_string() || !n->is_string() || !e->is_int64()) {
    return std::nullopt;
  }
  OAuthState state{std::string(u->get_string()), std::string(c->get_string()), std::string(n->get_string()),
                   e->get_int64()};
  if (now_ms >= state.expires_at) return std::nullopt;
  return state;
}

std::string OAuthStateSigner::pkce_verifier(const OAuthState& state) const {
  return base64url(hmac(key_, "pkce:" + state.nonce));
}

std::string OAuthStateSigner::pkce_challenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  return base64url(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

}  // namespace kianax::api
