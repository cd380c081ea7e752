// bank-balance, racy variant. Expected verdict: data-race.
//
// Four goroutines, one per income, each add their weekly amount to a
// shared balance for 52 weeks by read-modify-write, with no lock. Every
// goroutine reads and writes the balance, and nothing orders one
// goroutine's accesses with another's, so ThreadSanitizer reports the race
// on every run. A pause between the read and the write (the bank booking
// the payment) lets other goroutines write in between, and their deposits
// are lost: the final balance is usually below $34320.00 and varies.
//
//   goroutine "Main job"        goroutine "Gifts"
//   temp = balance  (1000)
//                               temp = balance  (1000)
//   balance = temp + 500        (1500)
//                               balance = temp + 10   (1010: +500 lost)
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string_view>

#include "racecourse/go.hpp"

#include "course.hpp"

namespace {

struct Income {
  std::string_view source;
  int amount;  // dollars a week
};

constexpr int kWeeks = 52;
constexpr std::array<Income, 4> kIncomes = {{{"Main job", 500},
                                             {"Gifts", 10},
                                             {"Part time job", 50},
                                             {"Investments", 100}}};

// Deposits one income's weekly amount into `balance` for a year.
void earn_for_a_year(const Income& income,
                     int& balance,
                     racecourse::WaitGroup& wg) {
  for (int week = 1; week <= kWeeks; ++week) {
    int temp = balance;
    course::pause(std::chrono::milliseconds(50));  // the bank books it
    temp += income.amount;
    balance = temp;
  }
  std::printf("%.*s: $%d.00 a week for %d weeks\n",
              static_cast<int>(income.source.size()), income.source.data(),
              income.amount, kWeeks);
  wg.done();
}

}  // namespace

int main() {
  int balance = 0;
  std::printf("Initial balance: $%d.00\n", balance);

  racecourse::WaitGroup wg;
  wg.add(static_cast<std::int64_t>(kIncomes.size()));
  for (const Income& income : kIncomes) {
    racecourse::go(earn_for_a_year, income, std::ref(balance), std::ref(wg));
  }
  wg.wait();

  std::printf("Final balance: $%d.00\n", balance);
}
