// producer-consumer, racy variant. Expected verdict: data-race.
//
// The pizzeria goroutine and main share the order queue, its fill count
// and the made/failed counters as plain variables. The pizzeria writes an
// order and then `orders_ready`; main polls `orders_ready`, reads the
// order, and at the end reads the counters. No channel, lock or WaitGroup
// orders any of those writes with main's reads, so each pair is a data
// race, reported on every run: main starts polling at once, and the
// pizzeria writes on every order. (On x86 the program even prints the
// right orders; the race is still undefined behaviour, and the counters
// main prints carry no guarantee.)
//
//   pizzeria                          main (consumer)
//                                     read orders_ready (0): wait, poll
//   orders[0] = #1; orders_ready = 1  read orders_ready, read orders[0]
//   ++pizzas_made ...                 (unordered: data race)
//   ... #10; orders_ready = 10        read pizzas_made, pizzas_failed
#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <string>

#include "racecourse/go.hpp"

#include "course.hpp"

namespace {

constexpr int kNumberOfPizzas = 10;

// Written by the pizzeria goroutine, read by main.
int pizzas_made = 0;
int pizzas_failed = 0;
int total = 0;

struct PizzaOrder {
  int pizza_number = 0;
  std::string message;
  bool success = false;
};

// The counter between the kitchen and the front: plain variables, shared
// with no synchronization.
struct Producer {
  std::array<PizzaOrder, kNumberOfPizzas> orders;  // the order queue
  int orders_ready = 0;                            // orders in the queue
};

// Returns a random whole number from `low` to `high`, inclusive.
int roll(std::mt19937_64& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

// Cooks pizza `number`; a roll of 4 or less spoils it.
PizzaOrder cook(int number, int dice) {
  const std::string pizza = "pizza #" + std::to_string(number);
  if (dice <= 2) {
    return PizzaOrder{
        number, "*** We ran out of ingredients for " + pizza + "!", false};
  }
  if (dice <= 4) {
    return PizzaOrder{number, "*** The cook quit while making " + pizza + "!",
                      false};
  }
  return PizzaOrder{
      number, "Pizza order #" + std::to_string(number) + " is ready!", true};
}

// Makes the order after `last_number`, counting it as made or failed.
// Past the last pizza it returns an empty order at once.
PizzaOrder make_pizza(int last_number, std::mt19937_64& rng) {
  const int number = last_number + 1;
  if (number > kNumberOfPizzas) {
    return PizzaOrder{number, "", false};
  }
  const int delay = roll(rng, 1, 5);
  const int dice = roll(rng, 1, 12);
  std::printf("Received order #%d!\n", number);
  if (dice <= 4) {
    ++pizzas_failed;
  } else {
    ++pizzas_made;
  }
  ++total;
  std::printf("Making pizza #%d. It will take %d seconds....\n", number, delay);
  course::pause(std::chrono::seconds(delay));
  return cook(number, dice);
}

// The producer goroutine: makes the orders and puts each in the queue.
void pizzeria(Producer& producer) {
  std::mt19937_64 rng(course::seed());
  for (int number = 0; number < kNumberOfPizzas; ++number) {
    producer.orders[number] = make_pizza(number, rng);
    producer.orders_ready = number + 1;  // BUG: a plain write main polls
  }
}

// Prints what happened to one order.
void report(const PizzaOrder& order) {
  std::printf("%s\n", order.message.c_str());
  std::printf(order.success ? "Order #%d is out for delivery!\n"
                            : "The customer of order #%d is really mad!\n",
              order.pizza_number);
}

}  // namespace

int main() {
  std::printf("The pizzeria is open for business!\n");
  Producer pizza_job;
  racecourse::go(pizzeria, std::ref(pizza_job));

  int served = 0;
  while (served < kNumberOfPizzas) {
    if (served < pizza_job.orders_ready) {  // BUG: a plain read
      report(pizza_job.orders[served]);
      ++served;
    } else {
      course::pause(std::chrono::milliseconds(100));  // look again soon
    }
  }
  std::printf("Done making pizzas...\n");

  std::printf("made: %d failed: %d attempts: %d\n", pizzas_made, pizzas_failed,
              total);
}
