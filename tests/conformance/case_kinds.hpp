// One function per case kind. Each throws CaseFailure (or any exception) when the case fails.
#pragma once

#include <boost/json.hpp>

namespace kianax::conformance {

void run_engine_run(const boost::json::object& c);
void run_worker_run(const boost::json::object& c);
void run_worker_resolution(const boost::json::object& c);
void run_strategy_run(const boost::json::object& c);
void run_input_gather(const boost::json::object& c);
void run_state_ops(const boost::json::object& c);
void run_expression(const boost::json::object& c, const boost::json::object& shared_contexts);
void run_has_expressions(const boost::json::object& c);
void run_extract_references(const boost::json::object& c);
void run_graph_validation(const boost::json::object& c);
void run_expression_validation(const boost::json::object& c);
void run_plugin_unit(const boost::json::object& c);

}  // namespace kianax::conformance
