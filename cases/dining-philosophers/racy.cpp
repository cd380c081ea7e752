// Expected verdict: deadlock (a lock cycle) or lock-order-inversion.
//
// Dijkstra's dining philosophers: five philosophers at a round table, one
// fork between each pair. Each philosopher takes the left fork, pauses,
// then takes the right one:
//
//   Plato:      lock fork 0 -> pause -> lock fork 1 (held by Socrates)
//   Socrates:   lock fork 1 -> pause -> lock fork 2 (held by Aristotle)
//   ...
//   Locke:      lock fork 4 -> pause -> lock fork 0 (held by Plato)
//
// When all five hold their left fork, each waits for a neighbour: the
// runtime reports the lock cycle. On a run where they miss each other,
// TSan still sees the cycle 0 -> 1 -> 2 -> 3 -> 4 -> 0 in the lock order
// and reports a lock-order inversion.
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
  const int left = seat;
  const int right = (seat + 1) % kSeats;
  forks[left].lock();
  course::pause(kPickUpTime);
  forks[right].lock();
  std::printf("%s eats with forks %d and %d\n", kNames[seat], left, right);
  course::pause(kEatTime);
  forks[right].unlock();
  forks[left].unlock();
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
