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
// always eat. The first_forks_taken barrier now waits for forks 0 to 3
// only (fork 4 is nobody's first fork), and whoever of Plato and Locke
// loses fork 0 waits for it without holding anything. The finishing order
// is recorded under finished_mutex.
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

// The lower-numbered fork, then the higher-numbered one.
int first_fork(int seat) {
  return std::min(seat, (seat + 1) % kSeats);
}
int second_fork(int seat) {
  return std::max(seat, (seat + 1) % kSeats);
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
