// Expected verdict: deadlock.
//
// The mail service again, now with a background job (a nightly report)
// that sends its error to the error listener, and a heartbeat. Shutdown
// stops the error listener first and waits for the background work
// second. The job fails after the listener is gone, and its send on the
// unbuffered error channel has no receiver, ever:
//
//   main:       stop error listener -> wait_.wait() ........................ (blocked)
//   listener:   recv stop -> return
//   job:        pause ............... errors <- "..." ...................... (blocked)
//   heartbeat:  beat, beat, beat, ... beat -> lease expired, return
//
// While the heartbeat beats, the program is not asleep, only two of its
// goroutines are: a partial deadlock, which Go's runtime never reports.
// The heartbeat here holds a lease of 20 beats; once it ends, every
// goroutine is blocked and the runtime reports the deadlock.
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

  // Stops the error listener, then waits for the background job.
  void shutdown() {
    std::printf("shutdown: stopping the error listener\n");
    stop_errors_.send(true);
    std::printf("shutdown: waiting for background jobs\n");
    wait_.wait();
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
