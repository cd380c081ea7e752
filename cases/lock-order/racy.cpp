// Expected verdict: lock-order-inversion on every run, deadlock on the
// runs where the two transfers meet.
//
// Two transfers run at once between the same two accounts. Each locks
// the account it debits, then the one it credits, so they take the two
// mutexes in opposite orders:
//
//   transfer A->B:  lock A -> pause -> lock B (held by the other transfer)
//   transfer B->A:  lock B -> pause -> lock A (held by the first transfer)
//
// When both hold their first lock, neither can go on: the runtime reports
// the lock cycle. When one finishes first, nothing hangs, but TSan has
// seen A before B and B before A and reports the inversion anyway.
#include <chrono>
#include <cstdio>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

struct Account {
  int id;
  racecourse::Mutex mutex;
  int balance;
};

Account alice{1, {}, 100};
Account bob{2, {}, 100};

// Moves `amount` from `from` to `to`, holding both accounts' locks.
void transfer(Account& from, Account& to, int amount) {
  from.mutex.lock();
  course::pause(1ms);
  to.mutex.lock();
  from.balance -= amount;
  to.balance += amount;
  to.mutex.unlock();
  from.mutex.unlock();
}

}  // namespace

int main() {
  racecourse::WaitGroup wg;
  wg.add(2);
  racecourse::go([&] {
    transfer(alice, bob, 30);
    wg.done();
  });
  racecourse::go([&] {
    transfer(bob, alice, 10);
    wg.done();
  });
  wg.wait();
  std::printf("balances: alice %d, bob %d, total %d\n", alice.balance,
              bob.balance, alice.balance + bob.balance);
}
