// Sums 0..99 through a buffered channel filled by four goroutines.
#include <cstdio>

#include "racecourse/go.hpp"

int main() {
  auto numbers = racecourse::make_chan<int>(8);
  racecourse::WaitGroup senders;
  senders.add(4);
  for (int first = 0; first < 4; ++first) {
    racecourse::go([&senders, numbers, first] {
      for (int n = first; n < 100; n += 4) {
        numbers.send(n);
      }
      senders.done();
    });
  }
  racecourse::go([&senders, numbers] {
    senders.wait();
    numbers.close();
  });
  int sum = 0;
  for (int n : numbers) {
    sum += n;
  }
  std::printf("consumer sum: %d\n", sum);
  return sum == 4950 ? 0 : 1;
}
