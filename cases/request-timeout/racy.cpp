// Expected verdict: deadlock (a partial one: five goroutines).
//
// Each request starts a worker and waits for its result or a timeout,
// whichever comes first. The workers are slower than the timeout, so every
// request gives up, and nobody will ever receive from its result channel.
// The channel is unbuffered, so each worker blocks forever in its send:
//
//   request:  go worker -> select: timeout wins -> return "timed out"
//   worker:   work 5 s ............................ send result (blocks forever)
//
// Once serve() returns, the worker holds the only handle to its result
// channel, so its send can never complete: the runtime reports each worker
// as asleep for good (a partial deadlock) while the server runs on.
#include <chrono>
#include <cstdio>
#include <string>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kRequests = 5;
constexpr auto kWorkTime = 5s;
constexpr auto kTimeout = 100ms;
constexpr auto kGracePeriod = 10s;

// Computes the answer to request `id`, sends it on `result`, then reports
// on `finished` that it is done.
void work(int id,
          racecourse::Chan<std::string> result,
          racecourse::Chan<int> finished) {
  course::pause(kWorkTime);
  result.send("answer " + std::to_string(id));
  finished.send(id);
}

// Serves one request: the worker's answer, or a timeout.
std::string serve(int id, racecourse::Chan<int> finished) {
  auto result = racecourse::make_chan<std::string>();
  racecourse::go(work, id, result, finished);
  std::string reply;
  racecourse::select(
      racecourse::on_recv(result, [&](std::string answer) { reply = answer; }),
      racecourse::on_recv(racecourse::after(course::paced(kTimeout)),
                          [&](racecourse::TimePoint) { reply = "timed out"; }));
  return reply;
}

// Waits up to the grace period for every worker to report; returns how
// many did.
int wait_for_workers(racecourse::Chan<int> finished) {
  auto deadline = racecourse::after(course::paced(kGracePeriod));
  int reported = 0;
  bool expired = false;
  while (reported < kRequests && !expired) {
    racecourse::select(
        racecourse::on_recv(finished, [&](int) { ++reported; }),
        racecourse::on_recv(deadline,
                            [&](racecourse::TimePoint) { expired = true; }));
  }
  return reported;
}

}  // namespace

int main() {
  auto finished = racecourse::make_chan<int>(kRequests);
  for (int id = 1; id <= kRequests; ++id) {
    std::printf("request %d: %s\n", id, serve(id, finished).c_str());
  }
  const int reported = wait_for_workers(finished);
  std::printf("workers finished: %d of %d\n", reported, kRequests);
}
