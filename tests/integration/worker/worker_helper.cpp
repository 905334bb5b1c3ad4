// A worker process for the crash test: runs a Worker with the test plugins until SIGTERM (graceful) or
// SIGKILL (the crash being tested). Usage: kianax_worker_test_helper <conninfo> <lease_ms> [drain_ms]
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stop_token>
#include <thread>

#include "test_plugins.hpp"
#include "worker/worker.hpp"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: kianax_worker_test_helper <conninfo> <lease_ms> [drain_ms]\n";
    return 2;
  }
  // SIGTERM → graceful stop, taken by sigwait on a thread (nothing runs in a signal handler).
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, nullptr);  // before any thread starts, so all inherit it
  std::stop_source stop;
  std::jthread signals([&] {
    int sig = 0;
    sigwait(&term, &sig);
    stop.request_stop();
  });
  kianax::worker::testing::TestPlugins plugins;
  kianax::worker::WorkerOptions options;
  options.conninfo = argv[1];
  options.slots = 1;
  options.run.lease = std::chrono::milliseconds(std::atoi(argv[2]));
  if (argc == 4) options.drain_timeout = std::chrono::milliseconds(std::atoi(argv[3]));
  options.heartbeat_interval = options.run.lease / 4;
  options.poll_min = std::chrono::milliseconds(10);
  options.poll_max = std::chrono::milliseconds(200);
  kianax::worker::Worker worker(options, plugins);
  worker.run_until(stop.get_token());
  std::_Exit(0);  // the signal thread is still in sigwait
}
