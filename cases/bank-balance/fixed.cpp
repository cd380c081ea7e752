// bank-balance, fixed variant. Expected verdict: clean.
//
// Each read-modify-write of the balance runs under one Mutex, so the
// deposits are ordered one after another: each unlock() happens before
// the next lock() returns, and no deposit is lost. The final balance is
// 52 * (500 + 10 + 50 + 100) = $34320.00 on every run.
//
//   goroutine "Main job"        goroutine "Gifts"
//   lock
//   temp = balance  (1000)      lock (waits)
//   balance = temp + 500
//   unlock  ------------------> temp = balance  (1500)
//                               balance = temp + 10   (1510)
//                               unlock
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
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

// Deposits one income's weekly amount into `balance`, under `m`, for a
// year.
void earn_for_a_year(const Income& income,
                     int& balance,
                     racecourse::Mutex& m,
                     racecourse::WaitGroup& wg) {
  for (int week = 1; week <= kWeeks; ++week) {
    std::lock_guard lock(m);
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
  racecourse::Mutex m;
  wg.add(static_cast<std::int64_t>(kIncomes.size()));
  for (const Income& income : kIncomes) {
    racecourse::go(earn_for_a_year, income, std::ref(balance), std::ref(m),
                   std::ref(wg));
  }
  wg.wait();

  std::printf("Final balance: $%d.00\n", balance);
}
