// producer-consumer, racy variant. Expected verdict: data-race.
//
// The pizzeria goroutine and main share the order queue, its fill count
// and the made/failed counters as plain variables. The pizzeria stores an
// order and then raises `orders_ready`; main polls `orders_ready`, copies
// the order, and at the end reads the counters. No channel, lock or
// WaitGroup orders any of those writes with main's reads, so each pair is
// a data race, reported on every run: main starts polling at once, and
// the pizzeria writes on every order. (On x86 the program even prints the
// right orders; the race is still undefined behaviour, and the counters
// main prints carry no guarantee.)
//
//   pizzeria                          main (consumer)
//                                     read orders_ready (0): wait, poll
//   orders[0] = #1; orders_ready = 1  read orders_ready, copy orders[0]
//   ++pizzas_made ...                 (unordered: data race)
//   ... #10; orders_ready = 10        read pizzas_made, pizzas_failed
#include <array>
#include <chrono>
#include <cstdio>
#include <random>

#include "racecourse/go.hpp"

#include "course.hpp"

namespace {

constexpr int kNumberOfPizzas = 10;

// Written by the pizzeria goroutine, read by main at the end.
int pizzas_made = 0;
int pizzas_failed = 0;
int total = 0;

enum class Outcome { kReady, kOutOfIngredients, kCookQuit };

// Plain data, copied as bytes: no constructor, copy or destructor of its
// own runs while an order is handed over.
struct PizzaOrder {
  int pizza_number;
  Outcome outcome;
};

// Returns a random whole number from `low` to `high`, inclusive.
int roll(std::mt19937_64& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

// Makes the order after `last_number`, counting it as made or failed. A
// roll of 4 or less spoils the pizza. Past the last pizza it returns an
// order numbered kNumberOfPizzas + 1 at once.
PizzaOrder make_pizza(int last_number, std::mt19937_64& rng) {
  const int number = last_number + 1;
  if (number > kNumberOfPizzas) {
    return PizzaOrder{number, Outcome::kReady};
  }
  const int delay = roll(rng, 1, 5);
  const int dice = roll(rng, 1, 12);
  std::printf("Received order #%d!\n", number);
  ++total;
  std::printf("Making pizza #%d. It will take %d seconds....\n", number, delay);
  course::pause(std::chrono::seconds(delay));
  if (dice <= 4) {
    ++pizzas_failed;
    return PizzaOrder{
        number, dice <= 2 ? Outcome::kOutOfIngredients : Outcome::kCookQuit};
  }
  ++pizzas_made;
  return PizzaOrder{number, Outcome::kReady};
}

// Prints what happened to one order.
void report(PizzaOrder order) {
  const int number = order.pizza_number;
  switch (order.outcome) {
    case Outcome::kReady:
      std::printf("Pizza order #%d is ready!\n", number);
      std::printf("Order #%d is out for delivery!\n", number);
      return;
    case Outcome::kOutOfIngredients:
      std::printf("*** We ran out of ingredients for pizza #%d!\n", number);
      break;
    case Outcome::kCookQuit:
      std::printf("*** The cook quit while making pizza #%d!\n", number);
      break;
  }
  std::printf("The customer of order #%d is really mad!\n", number);
}

// The counter between the kitchen and the front: plain variables, shared
// with no synchronization.
std::array<PizzaOrder, kNumberOfPizzas> orders;  // the order queue
int orders_ready = 0;                            // orders in the queue

// The producer goroutine: makes the orders and puts each in the queue.
void pizzeria() {
  std::mt19937_64 rng(course::seed());
  for (int number = 0; number < kNumberOfPizzas; ++number) {
    orders[number] = make_pizza(number, rng);  // BUG: a plain write
    orders_ready = number + 1;                 // BUG: a plain write main polls
  }
}

}  // namespace

int main() {
  std::printf("The pizzeria is open for business!\n");
  racecourse::go(pizzeria);

  int served = 0;
  while (served < kNumberOfPizzas) {
    if (served < orders_ready) {                // BUG: a plain read
      const PizzaOrder order = orders[served];  // BUG: a plain read
      report(order);
      ++served;
    } else {
      course::pause(std::chrono::milliseconds(100));  // look again soon
    }
  }
  std::printf("Done making pizzas...\n");

  // BUG: plain reads of counters the pizzeria wrote.
  std::printf("made: %d failed: %d attempts: %d\n", pizzas_made, pizzas_failed,
              total);
}
