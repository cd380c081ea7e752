// Expected verdict: clean. The fix removes the default case: the select
// now blocks until a server is ready, so main sleeps instead of spinning.
// A select with only receive cases cannot deadlock here, because both
// servers keep sending until main closes `quit`.
//
// With two cases per channel, select picks uniformly among the ready
// ones, so each duplicate case takes about half of its channel's
// messages ("first duplicate case 50%").
#include <chrono>
#include <cstdio>
#include <string>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kReceives = 100;

// Counts what main's select loop did.
struct Tally {
  int server1[2] = {0, 0};  // receives by each of server1's two cases
  int server2[2] = {0, 0};
  long empty_passes = 0;
  long passes = 0;
};

// Sends a message every `period` until `quit` is closed.
void serve(const char* name,
           std::chrono::milliseconds period,
           racecourse::Chan<std::string> out,
           racecourse::Chan<bool> quit,
           racecourse::WaitGroup& wg) {
  bool running = true;
  while (running) {
    course::pause(period);
    racecourse::select(
        racecourse::on_send(out, std::string("message from ") + name, [] {}),
        racecourse::on_recv(quit, [&](bool) { running = false; }));
  }
  wg.done();
}

// One pass of main's loop: four receive cases, two per channel, and no
// default, so the pass waits for a message.
void receive_once(racecourse::Chan<std::string> channel1,
                  racecourse::Chan<std::string> channel2,
                  Tally& tally) {
  ++tally.passes;
  racecourse::select(
      racecourse::on_recv(channel1, [&](std::string) { ++tally.server1[0]; }),
      racecourse::on_recv(channel1, [&](std::string) { ++tally.server1[1]; }),
      racecourse::on_recv(channel2, [&](std::string) { ++tally.server2[0]; }),
      racecourse::on_recv(channel2, [&](std::string) { ++tally.server2[1]; }));
}

int percent(long part, long whole) {
  return whole == 0 ? 0 : static_cast<int>((100 * part + whole / 2) / whole);
}

void print_tally(const Tally& tally) {
  const int from1 = tally.server1[0] + tally.server1[1];
  const int from2 = tally.server2[0] + tally.server2[1];
  std::printf(
      "received %d from server1 (cases %d/%d), %d from server2 "
      "(cases %d/%d)\n",
      from1, tally.server1[0], tally.server1[1], from2, tally.server2[0],
      tally.server2[1]);
  std::printf("empty default passes: %ld of %ld select passes\n",
              tally.empty_passes, tally.passes);
  // Rounded to tens, so the runner's histogram has few buckets.
  const int first_case =
      percent(tally.server1[0] + tally.server2[0], from1 + from2);
  std::printf("outcome: default %d%%, first duplicate case %d%%\n",
              (percent(tally.empty_passes, tally.passes) + 5) / 10 * 10,
              (first_case + 5) / 10 * 10);
}

}  // namespace

int main() {
  auto channel1 = racecourse::make_chan<std::string>();
  auto channel2 = racecourse::make_chan<std::string>();
  auto quit = racecourse::make_chan<bool>();
  racecourse::WaitGroup wg;
  wg.add(2);
  racecourse::go(serve, "server1", 60ms, channel1, quit, std::ref(wg));
  racecourse::go(serve, "server2", 30ms, channel2, quit, std::ref(wg));

  Tally tally;
  while (tally.server1[0] + tally.server1[1] + tally.server2[0] +
             tally.server2[1] <
         kReceives) {
    receive_once(channel1, channel2, tally);
  }

  quit.close();
  wg.wait();
  print_tally(tally);
}
