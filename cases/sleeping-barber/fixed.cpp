// Expected verdict: clean. Invariants: every seated client gets a
// haircut, nobody is seated after closing, each barber goes home once.
//
// The fix stops the client generator before the shop closes. The closer
// sends on the unbuffered `stop` channel; the generator takes it in its
// select, and that receive happens before the closer's send completes, so
// every read of open_ and every send on the waiting room comes before the
// closer's write and close:
//
//   generator:  ... seat client -> select: recv stop -> close(gone)
//   closer:                        send stop ---------> open_ = false; close(waiting_room)
//
// The barbers go home when their receive reports ok == false: the room is
// closed and empty, so every seated client has had a haircut.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kSeats = 10;
constexpr int kBarbers = 3;
constexpr auto kHaircut = 1000ms;
constexpr auto kArrivalRate = 100ms;
constexpr auto kOpenFor = 10s;

class BarberShop {
 public:
  // Opens the shop and starts the barbers.
  void open() {
    for (int id = 1; id <= kBarbers; ++id) {
      barbers_.add(1);
      racecourse::go([this, id] { work(id); });
    }
  }

  bool is_open() const { return open_; }

  // Seats a client if a seat is free; otherwise the client leaves.
  void add_client(const std::string& client) {
    racecourse::select(
        racecourse::on_send(waiting_room_, client, [&] { ++seated_; }),
        racecourse::otherwise([&] {
          std::printf("%s leaves: the waiting room is full\n", client.c_str());
          ++turned_away_;
        }));
  }

  // Closes the waiting room and waits until every barber has gone home.
  void close() {
    std::printf("closing time\n");
    open_ = false;
    seated_at_closing_ = seated_.load();
    waiting_room_.close();
    barbers_.wait();
  }

  void print_summary() const {
    std::printf(
        "seated %d, haircuts %d, unserved %d, turned away %d, seated "
        "after closing %d, barbers home %d of %d\n",
        seated_.load(), haircuts_.load(), seated_.load() - haircuts_.load(),
        turned_away_.load(), seated_.load() - seated_at_closing_,
        gone_home_.load(), kBarbers);
  }

 private:
  // A barber's day: nap while the room is empty, cut hair, go home once
  // the room is closed and empty.
  void work(int id) {
    for (;;) {
      if (waiting_room_.len() == 0) {
        std::printf("barber %d takes a nap\n", id);
      }
      auto [client, ok] = waiting_room_.recv_ok();
      if (!ok) {
        break;
      }
      std::printf("barber %d cuts %s's hair\n", id, client.c_str());
      course::pause(kHaircut);
      ++haircuts_;
    }
    std::printf("barber %d goes home\n", id);
    ++gone_home_;
    barbers_.done();
  }

  racecourse::Chan<std::string> waiting_room_ =
      racecourse::make_chan<std::string>(kSeats);
  racecourse::WaitGroup barbers_;
  bool open_ = true;
  std::atomic<int> seated_{0};
  std::atomic<int> haircuts_{0};
  std::atomic<int> turned_away_{0};
  std::atomic<int> gone_home_{0};
  int seated_at_closing_ = 0;
};

// Sends clients at random intervals until a value arrives on `stop`, then
// closes `gone`.
void generate_clients(BarberShop& shop,
                      racecourse::Chan<bool> stop,
                      racecourse::Chan<bool> gone) {
  std::mt19937_64 random(course::seed());
  std::uniform_int_distribution<long> delay(0, 2 * kArrivalRate.count());
  bool stopped = false;
  for (int n = 1; !stopped; ++n) {
    const auto next_arrival =
        course::paced(std::chrono::milliseconds(delay(random)));
    racecourse::select(
        racecourse::on_recv(stop, [&](bool) { stopped = true; }),
        racecourse::on_recv(racecourse::after(next_arrival),
                            [&](racecourse::TimePoint) {
                              shop.add_client("client " + std::to_string(n));
                            }));
  }
  std::printf("the client generator stops\n");
  gone.close();
}

// Waits for closing time, stops the client generator, closes the shop,
// then closes `closed`.
void close_at_closing_time(BarberShop& shop,
                           racecourse::Chan<bool> stop_generator,
                           racecourse::Chan<bool> closed) {
  course::pause(kOpenFor);
  stop_generator.send(true);
  shop.close();
  closed.close();
}

}  // namespace

int main() {
  BarberShop shop;
  auto generator_gone = racecourse::make_chan<bool>();
  auto stop_generator = racecourse::make_chan<bool>();
  auto closed = racecourse::make_chan<bool>();
  shop.open();
  racecourse::go(generate_clients, std::ref(shop), stop_generator,
                 generator_gone);
  racecourse::go(close_at_closing_time, std::ref(shop), stop_generator, closed);

  closed.recv();
  generator_gone.recv();
  shop.print_summary();
}
