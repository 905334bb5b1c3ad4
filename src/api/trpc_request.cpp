#include "api/trpc_request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <cctype>

namespace kianax::api {
namespace json = boost::json;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The query parameter's decoded value; nullopt when absent.
std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = url_decode(pair.substr(0, eq), true);
    if (key == name)
      return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

bool has_nul(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return v.get_string().find('\0') != json::string::npos;
    case json::kind::array:
      for (const auto& item : v.get_array())
        if (has_nul(item)) return true;
      return false;
    case json::kind::object:
      for (const auto& kv : v.get_object())
        if (kv.key().find('\0') != std::string_view::npos || has_nul(kv.value())) return true;
      return false;
    default:
      return false;
  }
}

// superjson's wrapper: an object with "json" and at most "meta". meta.values == ["undefined"] is how
// superjson spells an undefined input; other meta (Dates, BigInt…) is not decoded — this API only takes
// plain JSON, and the schema reports a Date's ISO string where a number was expected.
bool is_superjson(const json::value& v) {
  if (!v.is_object()) return false;
  const auto& o = v.get_object();
  if (!o.contains("json")) return false;
  for (const auto& kv : o)
    if (kv.key() != "json" && kv.key() != "meta") return false;
  return true;
}

std::optional<json::value> unwrap_superjson(const json::value& v) {
  const auto& o = v.get_object();
  if (const auto* meta = o.if_contains("meta"); meta && meta->is_object()) {
    const auto* values = meta->get_object().if_contains("values");
    if (values && values->is_array() && values->get_array().size() == 1 &&
        values->get_array()[0] == json::value("undefined")) {
      return std::nullopt;
    }
  }
  return o.at("json");
}

json::value parse_json(std::string_view text, const CodecLimits& limits) {
  json::parse_options options;
  options.max_depth = limits.max_json_depth;
  std::error_code ec;
  json::value v = json::parse(text, ec, {}, options);
  if (ec) throw TrpcError(ErrorCode::kParseError, "Unable to parse input: " + ec.message());
  if (has_nul(v)) {
    // PostgreSQL text and jsonb cannot hold U+0000: refuse it here rather than fail in the database.
    throw TrpcError(ErrorCode::kBadRequest, "Input must not contain the character U+0000");
  }
  return v;
}

// Fills each call's input from the raw (still JSON-encoded) input text; `raw` is nullopt when no input
// was sent at all.
void assign_inputs(DecodedRequest& out, const std::optional<std::string>& raw, const CodecLimits& limits) {
  if (!raw) return;
  json::value all;
  try {
    all = parse_json(*raw, limits);
  } catch (const TrpcError& e) {
    for (auto& call : out.calls) call.input_error = e;
    return;
  }
  auto take = [&](Call& call, const json::value& v) {
    if (is_superjson(v)) {
      out.superjson = true;
      call.input = unwrap_superjson(v);
    } else {
      call.input = v;
    }
  };
  if (!out.batch) {
    take(out.calls.front(), all);
    return;
  }
  if (!all.is_object()) {
    for (auto& call : out.calls)
      call.input_error =
          TrpcError(ErrorCode::kBadRequest, "Batch input must be an object keyed by call index");
    return;
  }
  const auto& o = all.get_object();
  for (std::size_t i = 0; i < out.calls.size(); ++i) {
    // An undefined input is left out of the batch object (JSON drops it), so a missing key is undefined.
    if (const auto* v = o.if_contains(std::to_string(i))) take(out.calls[i], *v);
  }
}

bool json_content_type(std::string_view value) {
  const auto semi = value.find(';');
  std::string type(value.substr(0, semi));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == "application/json";
}

}  // namespace

std::string url_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

DecodedRequest decode_trpc_request(const http::Request& request, std::string_view prefix,
                                   const CodecLimits& limits) {
  DecodedRequest out;
  out.batch = query_param(request.query, "batch") == std::optional<std::string>("1");
  std::string_view path_part = request.path;
  if (path_part.starts_with(prefix)) path_part.remove_prefix(prefix.size());
  const std::string paths = url_decode(path_part, false);

  if (out.batch) {
    std::string_view rest = paths;
    while (true) {
      const auto comma = rest.find(',');
      out.calls.push_back(Call{std::string(rest.substr(0, comma)), std::nullopt, std::nullopt});
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (out.calls.size() > limits.max_batch_size) {
      throw TrpcError(ErrorCode::kBadRequest,
                      "Batch call exceeds maximum size of " + std::to_string(limits.max_batch_size));
    }
    const auto accept_jsonl = [&](std::string_view header) {
      const auto v = request.header(header);
      return v && v->find("application/jsonl") != std::string_view::npos;
    };
    out.stream = accept_jsonl("trpc-accept") || accept_jsonl("accept");
  } else {
    out.calls.push_back(Call{paths, std::nullopt, std::nullopt});
  }

  if (request.method == "POST") {
    // v11 sends application/json on every POST with a body; other types (form data, octet streams) are
    // inputs this API does not take. An empty body without a type is an undefined input.
    const auto type = request.header("content-type");
    if (type && !json_content_type(*type)) {
      throw TrpcError(ErrorCode::kUnsupportedMediaType,
                      "Unsupported content-type \"" + std::string(*type) + "\"");
    }
    if (request.body.empty()) {
      assign_inputs(out, std::nullopt, limits);
    } else {
      assign_inputs(out, request.body, limits);
    }
  } else {
    assign_inputs(out, query_param(request.query, "input"), limits);
  }
  return out;
}

}  // namespace kianax::api
