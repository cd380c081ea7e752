// producer-consumer, fixed variant. Expected verdict: clean.
//
// The orders travel over the `data` channel: each send happens before the
// receive that takes it, so the consumer sees every order whole. To stop,
// the consumer sends a reply channel over `quit` (Go's `chan chan error`);
// the pizzeria closes `data`, then closes the reply channel, and returns.
// The consumer reads the counters only after its range-for over `data`
// ends, and the close() that ends it happens after the pizzeria's last
// counter update. Every order is made or failed: made + failed = 10.
//
//   pizzeria                         main (consumer)
//   make #1 .. #10, data.send() -->  for (order : data): print it
//   make #11 (past the last)  ---->  Done making pizzas: close():
//   select: quit.recv() <----------    quit.send(reply)
//   data.close(), reply.close() -->    reply.recv() returns; range ends
//                                    print made / failed
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "racecourse/go.hpp"

#include "course.hpp"

namespace {

constexpr int kNumberOfPizzas = 10;

// Written by the pizzeria goroutine only.
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

// The pizzeria's two channels: finished orders, and stop requests that
// carry the channel for the reply (an error text, empty for none).
struct Producer {
  racecourse::Chan<PizzaOrder> data;
  racecourse::Chan<racecourse::Chan<std::string>> quit;

  // Asks the pizzeria to stop and returns its reply.
  std::string close() const {
    auto reply = racecourse::make_chan<std::string>();
    quit.send(reply);
    return reply.recv();
  }
};

// The producer goroutine: makes orders and offers each on `data` until a
// stop request arrives on `quit`.
void pizzeria(const Producer& producer) {
  std::mt19937_64 rng(course::seed());
  int number = 0;
  bool open = true;
  while (open) {
    const PizzaOrder order = make_pizza(number, rng);
    number = order.pizza_number;
    racecourse::select(
        racecourse::on_send(producer.data, order, [] {}),
        racecourse::on_recv(producer.quit,
                            [&](const racecourse::Chan<std::string>& reply) {
                              producer.data.close();
                              reply.close();
                              open = false;
                            }));
  }
}

}  // namespace

int main() {
  std::printf("The pizzeria is open for business!\n");
  const Producer pizza_job{
      racecourse::make_chan<PizzaOrder>(),
      racecourse::make_chan<racecourse::Chan<std::string>>()};
  racecourse::go(pizzeria, pizza_job);

  for (const PizzaOrder order : pizza_job.data) {
    if (order.pizza_number <= kNumberOfPizzas) {
      report(order);
      continue;
    }
    std::printf("Done making pizzas...\n");
    if (const std::string error = pizza_job.close(); !error.empty()) {
      std::printf("*** Error closing the pizzeria: %s\n", error.c_str());
    }
  }

  std::printf("made: %d failed: %d attempts: %d\n", pizzas_made, pizzas_failed,
              total);
}
