// Expected verdict: data-race.
//
// A log consumer reads messages from a queue and starts one goroutine per
// message, as the course's consumer does for each delivery. The handlers
// record their results in one std::map without a lock:
//
//   handler 1:  results[1] = ... (rebalances the tree, ++size)
//   handler 2:  results[2] = ... (rebalances the tree, ++size)
//
// Nothing orders two handlers with each other, so every run has at least
// two unordered writes to the map's size and links, whatever the timing.
#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kMessages = 12;

struct Message {
  int id;
  std::string text;
};

// Publishes kMessages log lines on the queue, then closes it.
void publish(racecourse::Chan<Message> queue) {
  for (int id = 1; id <= kMessages; ++id) {
    queue.send(Message{id, "log line " + std::to_string(id)});
  }
  queue.close();
}

std::string handle(const Message& message) {
  course::pause(10ms);  // writing the line to the log store
  return "stored " + message.text;
}

// Starts a goroutine for each delivery; every one writes to `results`.
void consume(racecourse::Chan<Message> queue,
             std::map<int, std::string>& results) {
  racecourse::WaitGroup handlers;
  for (Message message : queue) {
    handlers.add(1);
    racecourse::go([&results, &handlers, message] {
      results[message.id] = handle(message);
      handlers.done();
    });
  }
  handlers.wait();
}

}  // namespace

int main() {
  auto queue = racecourse::make_chan<Message>(kMessages);
  std::map<int, std::string> results;
  racecourse::go(publish, queue);
  consume(queue, results);
  std::printf("handled %zu of %d messages\n", results.size(), kMessages);
}
