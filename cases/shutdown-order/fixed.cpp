// Expected verdict: clean.
//
// The fix swaps two lines of shutdown: wait for the background job first,
// then stop the error listener. The job's error send finds the listener
// still running, the job calls wait_.done(), and only then does the
// listener get its stop signal:
//
//   main:      wait_.wait() ........................ stop error listener -> close(quit) -> done
//   listener:  ................ recv error, print .. recv stop -> return
//   job:       pause .......... errors <- "..." -> wait_.done()
#include <chrono>
#include <cstdio>
#include <string>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr auto kJobTime = 5s;
constexpr auto kBeatInterval = 1s;
constexpr int kLeaseBeats = 20;

class Service {
 public:
  // Starts the error listener, the heartbeat and the nightly job.
  void start() {
    background_.add(2);
    racecourse::go([this] { listen_for_errors(); });
    racecourse::go([this] { beat(); });
    wait_.add(1);
    racecourse::go([this] { run_nightly_report(); });
  }

  // Waits for the background job, then stops the error listener.
  void shutdown() {
    std::printf("shutdown: waiting for background jobs\n");
    wait_.wait();
    std::printf("shutdown: stopping the error listener\n");
    stop_errors_.send(true);
    quit_.close();
    background_.wait();
    std::printf("shutdown: done\n");
  }

 private:
  void listen_for_errors() {
    bool stopped = false;
    while (!stopped) {
      racecourse::select(
          racecourse::on_recv(errors_,
                              [](std::string error) {
                                std::printf("error: %s\n", error.c_str());
                              }),
          racecourse::on_recv(stop_errors_, [&](bool) { stopped = true; }));
    }
    background_.done();
  }

  // Beats until quit_ is closed or the lease runs out.
  void beat() {
    bool stopped = false;
    for (int n = 1; n <= kLeaseBeats && !stopped; ++n) {
      racecourse::select(
          racecourse::on_recv(quit_, [&](bool) { stopped = true; }),
          racecourse::on_recv(racecourse::after(course::paced(kBeatInterval)),
                              [](racecourse::TimePoint) {}));
    }
    std::printf("heartbeat: %s\n", stopped ? "stopped" : "lease expired");
    background_.done();
  }

  void run_nightly_report() {
    course::pause(kJobTime);
    errors_.send("nightly report: database unavailable");
    wait_.done();
  }

  racecourse::Chan<std::string> errors_ = racecourse::make_chan<std::string>();
  racecourse::Chan<bool> stop_errors_ = racecourse::make_chan<bool>();
  racecourse::Chan<bool> quit_ = racecourse::make_chan<bool>();
  racecourse::WaitGroup wait_;        // background jobs
  racecourse::WaitGroup background_;  // the listener and the heartbeat
};

}  // namespace

int main() {
  Service service;
  service.start();
  service.shutdown();
}
