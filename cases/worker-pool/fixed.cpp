// Expected verdict: clean; every message is handled exactly once.
//
// The fix replaces the goroutine per message with a fixed pool of three
// workers. They read jobs from the queue and send their results back on
// a channel; only the consumer writes to the map, so it needs no lock:
//
//   queue --> worker 1 --\
//         --> worker 2 ----> results channel --> consumer: results[id] = ...
//         --> worker 3 --/
//
// The pool also bounds the work in flight, which a goroutine per message
// does not.
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kMessages = 12;
constexpr int kWorkers = 3;

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

// Handles jobs until the queue is closed and drained.
void work(racecourse::Chan<Message> queue,
          racecourse::Chan<std::pair<int, std::string>> done,
          racecourse::WaitGroup& workers) {
  for (Message message : queue) {
    done.send({message.id, handle(message)});
  }
  workers.done();
}

// Starts the pool and collects every result; only this goroutine touches
// `results`. Returns how many results named an id seen before.
int consume(racecourse::Chan<Message> queue,
            std::map<int, std::string>& results) {
  auto done = racecourse::make_chan<std::pair<int, std::string>>();
  racecourse::WaitGroup workers;
  workers.add(kWorkers);
  for (int i = 0; i < kWorkers; ++i) {
    racecourse::go(work, queue, done, std::ref(workers));
  }
  racecourse::go([&workers, done] {
    workers.wait();
    done.close();
  });

  int duplicates = 0;
  for (auto [id, result] : done) {
    duplicates += results.count(id) > 0 ? 1 : 0;
    results[id] = result;
  }
  return duplicates;
}

}  // namespace

int main() {
  auto queue = racecourse::make_chan<Message>(kMessages);
  std::map<int, std::string> results;
  racecourse::go(publish, queue);
  const int duplicates = consume(queue, results);
  std::printf("handled %zu of %d messages, %d twice\n", results.size(),
              kMessages, duplicates);
}
