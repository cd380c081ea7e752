// Expected verdict: clean; all five philosophers finish.
//
// The fix gives the forks a global order: every philosopher takes the
// lower-numbered of their two forks first. Locke, between forks 4 and 0,
// now reaches for fork 0 first, so the lock order has no cycle:
//
//   Plato:  0 then 1    Socrates: 1 then 2    Aristotle: 2 then 3
//   Pascal: 3 then 4    Locke:    0 then 4
//
// Whoever holds fork 4 already holds their other fork, so someone can
// always eat. The finishing order is recorded under finished_mutex.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kHunger = 3;  // meals each philosopher eats
constexpr auto kEatTime = 1s;
constexpr auto kThinkTime = 3s;
// The course pauses 1 s between the forks. 3 s leaves every philosopher
// time to take the left fork before anyone reaches for the right one,
// even on a loaded machine.
constexpr auto kPickUpTime = 3s;

const char* const kNames[] = {"Plato", "Socrates", "Aristotle", "Pascal",
                              "Locke"};
constexpr int kSeats = 5;

racecourse::Mutex forks[kSeats];

// The order in which the philosophers left the table.
racecourse::Mutex finished_mutex;
std::vector<std::string> finished;

void eat(int seat) {
  const int first = std::min(seat, (seat + 1) % kSeats);
  const int second = std::max(seat, (seat + 1) % kSeats);
  forks[first].lock();
  course::pause(kPickUpTime);
  forks[second].lock();
  std::printf("%s eats with forks %d and %d\n", kNames[seat], first, second);
  course::pause(kEatTime);
  forks[second].unlock();
  forks[first].unlock();
}

// Waits for the dinner bell, eats kHunger meals, then records that this
// philosopher has left.
void dine(int seat, racecourse::Chan<bool> bell, racecourse::WaitGroup& wg) {
  bell.recv();
  for (int meal = 0; meal < kHunger; ++meal) {
    eat(seat);
    course::pause(kThinkTime);
  }
  std::printf("%s is satisfied and leaves the table\n", kNames[seat]);
  {
    std::lock_guard lock(finished_mutex);
    finished.emplace_back(kNames[seat]);
  }
  wg.done();
}

void print_finish_order() {
  std::string order;
  for (const std::string& name : finished) {
    order += (order.empty() ? "" : ", ") + name;
  }
  std::printf("left the table: %s\n", order.c_str());
  const std::set<std::string> distinct(finished.begin(), finished.end());
  std::printf("distinct philosophers finished: %zu\n", distinct.size());
}

}  // namespace

int main() {
  // Closing the bell starts everyone at once, as at a served dinner.
  auto bell = racecourse::make_chan<bool>();
  racecourse::WaitGroup wg;
  wg.add(kSeats);
  for (int seat = 0; seat < kSeats; ++seat) {
    racecourse::go(racecourse::GoName{kNames[seat]}, dine, seat, bell,
                   std::ref(wg));
  }
  bell.close();
  wg.wait();
  print_finish_order();
}
