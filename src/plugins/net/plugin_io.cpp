#include "plugins/net/plugin_io.hpp"

#include "engine/js_value.hpp"

#include <condition_variable>
#include <mutex>

namespace kianax::plugins::net {

HttpRequest request_for(const engine::PluginContext& context) {
  HttpRequest request;
  request.deadline = context.deadline;
  request.stop = context.stop;
  return request;
}

void throw_if_interrupted(const HttpError& error, const engine::PluginContext& context) {
  if (error.kind != HttpErrorKind::kCancelled && error.kind != HttpErrorKind::kDeadline) return;
  context.throw_if_stopped();
  // The client saw the stop/deadline a moment before the context did; report it the same way.
  throw engine::PluginError(error.kind == HttpErrorKind::kCancelled ? "Execution cancelled"
                                                                    : "Execution deadline exceeded");
}

void wait_before_retry(std::chrono::milliseconds delay, const engine::PluginContext& context) {
  const auto now = std::chrono::steady_clock::now();
  const auto wake = delay >= std::chrono::duration_cast<std::chrono::milliseconds>(context.deadline - now)
                        ? context.deadline
                        : now + delay;
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  // Nothing notifies `cv`: it only wakes on the stop token or at `wake`.
  cv.wait_until(lock, context.stop, wake, [] { return false; });
  context.throw_if_stopped();
}

std::string js_string(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::string:
      return std::string(value.get_string());
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return engine::js_number_to_string(engine::number_as_double(value));
    case boost::json::kind::array: {
      // Array.prototype.toString: elements joined with ",", null/undefined as "".
      std::string out;
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out += ',';
        first = false;
        if (!element.is_null()) out += js_string(element);
      }
      return out;
    }
    case boost::json::kind::object:
      return "[object Object]";
  }
  return {};
}

bool js_truthy(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return false;
    case boost::json::kind::bool_:
      return value.get_bool();
    case boost::json::kind::string:
      return !value.get_string().empty();
    case boost::json::kind::int64:
      return value.get_int64() != 0;
    case boost::json::kind::uint64:
      return value.get_uint64() != 0;
    case boost::json::kind::double_: {
      const double d = value.get_double();
      return d == d && d != 0.0;  // NaN and ±0 are falsy
    }
    default:
      return true;
  }
}

}  // namespace kianax::plugins::net
