// Expected verdict: deadlock (a lock cycle) or lock-order-inversion.
//
// Dijkstra's dining philosophers: five philosophers at a round table, one
// fork between each pair. Each philosopher takes the left fork first,
// then the right one:
//
//   Plato:      lock fork 0 -> wait -> lock fork 1 (held by Socrates)
//   Socrates:   lock fork 1 -> wait -> lock fork 2 (held by Aristotle)
//   ...
//   Locke:      lock fork 4 -> wait -> lock fork 0 (held by Plato)
//
// At the first meal nobody reaches for a second fork before every fork
// that someone takes first is in a hand (the first_forks_taken barrier).
// Here that is all five forks, so each philosopher then waits for a
// neighbour, on every run, and the runtime reports the lock cycle.
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
constexpr auto kPickUpTime = 1s;  // the course's pause between the forks

const char* const kNames[] = {"Plato", "Socrates", "Aristotle", "Pascal",
                              "Locke"};
constexpr int kSeats = 5;

racecourse::Mutex forks[kSeats];

// The dinner starts with everyone grabbing a fork: first_forks_taken
// counts down once for each fork that some philosopher takes first, and
// nobody reaches for a second fork before it reaches zero. After the
// first meal it stays at zero and wait() returns at once.
racecourse::WaitGroup first_forks_taken;
racecourse::Once picked_up[kSeats];

// The order in which the philosophers left the table.
racecourse::Mutex finished_mutex;
std::vector<std::string> finished;

// The left fork, then the right one.
int first_fork(int seat) {
  return seat;
}
int second_fork(int seat) {
  return (seat + 1) % kSeats;
}

void eat(int seat) {
  const int first = first_fork(seat);
  const int second = second_fork(seat);
  forks[first].lock();
  picked_up[first].call([] { first_forks_taken.done(); });
  course::pause(kPickUpTime);
  first_forks_taken.wait();
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
  std::set<int> first_forks;
  for (int seat = 0; seat < kSeats; ++seat) {
    first_forks.insert(first_fork(seat));
  }
  first_forks_taken.add(static_cast<int>(first_forks.size()));

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
