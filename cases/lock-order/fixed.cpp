// Expected verdict: clean.
//
// The fix gives the locks one global order: every transfer locks the
// account with the lower id first, whichever way the money moves. Both
// transfers now take alice before bob, so neither can hold one lock while
// the other holds the second, and TSan sees a single order, alice -> bob.
// (std::scoped_lock would also avoid the deadlock, by backing off with
// try_lock; an explicit order is the rule that scales to code spread over
// many functions.)
#include <chrono>
#include <cstdio>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

struct Account {
  int id;  // the lock order: lower ids are locked first
  racecourse::Mutex mutex;
  int balance;
};

Account alice{1, {}, 100};
Account bob{2, {}, 100};

// Moves `amount` from `from` to `to`, holding both accounts' locks, taken
// in id order.
void transfer(Account& from, Account& to, int amount) {
  Account& first = from.id < to.id ? from : to;
  Account& second = from.id < to.id ? to : from;
  first.mutex.lock();
  course::pause(1ms);
  second.mutex.lock();
  from.balance -= amount;
  to.balance += amount;
  second.mutex.unlock();
  first.mutex.unlock();
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
