#include "plugins/net/url.hpp"

#include <gtest/gtest.h>

namespace kianax::plugins::net {
namespace {

TEST(Url, form_encode_uses_plus_for_space_and_escapes_reserved) {
  EXPECT_EQ(form_encode("a b"), "a+b");
  EXPECT_EQ(form_encode("x&y=z/é~"), "x%26y%3Dz%2F%C3%A9%7E");
  EXPECT_EQ(form_encode("A-z_0.9*"), "A-z_0.9*");
}

TEST(Url, form_decode_inverts_form_encode) {
  EXPECT_EQ(form_decode("a+b%26c%zz"), "a b&c%zz");
  EXPECT_EQ(form_decode(form_encode("x&y=z/é~ +")), "x&y=z/é~ +");
}

TEST(Url, appends_params_after_existing_query_in_order) {
  const auto url = normalize_http_url("http://h.test/echo?x=1");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(append_form_query(url.url, {{"q", "a b"}, {"n", "2"}}), "http://h.test/echo?x=1&q=a+b&n=2");
}

TEST(Url, reserializes_existing_query_only_when_params_are_added) {
  const auto url = normalize_http_url("http://h.test/p?a%20b&c=d%2B#frag");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url.url, "http://h.test/p?a%20b&c=d%2B");
  EXPECT_EQ(append_form_query(url.url, {}), url.url);
  EXPECT_EQ(append_form_query(url.url, {{"k", "v"}}), "http://h.test/p?a+b=&c=d%2B&k=v");
}

TEST(Url, rejects_non_urls_and_other_schemes) {
  EXPECT_EQ(normalize_http_url("not a url").error, "Invalid URL");
  EXPECT_EQ(normalize_http_url("/relative/path").error, "Invalid URL");
  EXPECT_EQ(normalize_http_url("ftp://h.test/file").error, "Unsupported URL scheme 'ftp:'");
  EXPECT_EQ(normalize_http_url("file:///etc/passwd").error, "Invalid URL");
}

TEST(Url, encodes_characters_browsers_accept_in_typed_urls) {
  const auto url = normalize_http_url("  https://h.test/a b\"c  ");
  ASSERT_TRUE(url.ok()) << url.error;
  EXPECT_EQ(url.url, "https://h.test/a%20b%22c");
  EXPECT_EQ(normalize_http_url("http://h.test").url, "http://h.test/");
}

TEST(Url, resolves_relative_and_absolute_redirects) {
  EXPECT_EQ(resolve_redirect("http://h.test/a/b?q=1", "/ok").url, "http://h.test/ok");
  EXPECT_EQ(resolve_redirect("http://h.test/a/b", "c").url, "http://h.test/a/c");
  EXPECT_EQ(resolve_redirect("http://h.test/a", "https://o.test/x#f").url, "https://o.test/x");
  EXPECT_EQ(resolve_redirect("http://h.test/a", "file:///etc/passwd").error, "Invalid URL");
  EXPECT_EQ(resolve_redirect("http://h.test/a", "gopher://x/").error, "Unsupported URL scheme 'gopher:'");
}

TEST(Url, origin_includes_default_port) {
  EXPECT_EQ(url_origin("http://H.test/x"), "http://h.test:80");
  EXPECT_EQ(url_origin("https://h.test:8443/x"), "https://h.test:8443");
}

}  // namespace
}  // namespace kianax::plugins::net
