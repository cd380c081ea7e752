// Channel semantics, in process: blocking, FIFO order, close, range-for,
// len/cap, nil channels and move-only element types.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "racecourse/go.hpp"

#include "probe.hpp"
#include "test_support.hpp"

namespace rc = racecourse;
using runtime_test::go_and_wait_until_parked;
using runtime_test::recv_bounded;
using runtime_test::run_bounded;

namespace {

// True when a send on `chan` could complete right now.
template <class T>
bool send_ready(const rc::Chan<T>& chan, T value) {
  bool sent = false;
  rc::select(rc::on_send(chan, std::move(value), [&sent] { sent = true; }),
             rc::otherwise([] {}));
  return sent;
}

// True when a receive on `chan` could complete right now; the value, if
// any, is consumed.
template <class Ch>
bool recv_ready(const Ch& chan) {
  bool received = false;
  rc::select(rc::on_recv_ok(chan, [&received](auto, bool) { received = true; }),
             rc::otherwise([] {}));
  return received;
}

TEST(Chan, UnbufferedSendWithoutReceiverIsNotReady) {
  auto ch = rc::make_chan<int>();
  EXPECT_FALSE(send_ready(ch, 1));
  EXPECT_FALSE(recv_ready(ch));
}

TEST(Chan, UnbufferedSendBlocksUntilReceived) {
  auto ch = rc::make_chan<int>();
  std::atomic<bool> returned{false};
  go_and_wait_until_parked(
      [ch, &returned] {
        ch.send(7);
        returned = true;
      },
      "the sender parks in send");
  EXPECT_FALSE(returned);
  EXPECT_EQ(ch.len(), 0U);

  EXPECT_EQ(recv_bounded(ch, "the value from the parked sender").value, 7);
  run_bounded(
      [&returned] {
        while (!returned) {
          std::this_thread::yield();
        }
      },
      "the sender's send to return");
}

TEST(Chan, UnbufferedRecvBlocksUntilSent) {
  auto ch = rc::make_chan<std::string>();
  auto result = rc::make_chan<std::string>(1);
  go_and_wait_until_parked([ch, result] { result.send(ch.recv()); },
                           "the receiver parks in recv");
  EXPECT_EQ(result.len(), 0U);
  ch.send("hello");
  EXPECT_EQ(recv_bounded(result, "the receiver's value").value, "hello");
}

TEST(Chan, BufferedKeepsFifoOrder) {
  auto ch = rc::make_chan<int>(100);
  for (int i = 0; i < 100; ++i) {
    ch.send(i);
  }
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(ch.recv(), i);
  }
}

TEST(Chan, BufferedFifoAcrossWraparound) {
  auto ch = rc::make_chan<int>(3);
  std::vector<int> received;
  for (int i = 0; i < 10; ++i) {
    ch.send(2 * i);
    ch.send(2 * i + 1);
    received.push_back(ch.recv());
    received.push_back(ch.recv());
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(received[static_cast<std::size_t>(i)], i);
  }
}

TEST(Chan, BufferedSendBlocksWhenFull) {
  auto ch = rc::make_chan<int>(2);
  ch.send(1);
  ch.send(2);
  EXPECT_FALSE(send_ready(ch, 99));
  std::atomic<bool> returned{false};
  go_and_wait_until_parked(
      [ch, &returned] {
        ch.send(3);
        returned = true;
      },
      "the third send parks on a full buffer");
  EXPECT_FALSE(returned);
  EXPECT_EQ(ch.len(), 2U);

  EXPECT_EQ(ch.recv(), 1);
  run_bounded(
      [&returned] {
        while (!returned) {
          std::this_thread::yield();
        }
      },
      "the blocked send to return");
  EXPECT_EQ(ch.len(), 2U);
  EXPECT_EQ(ch.recv(), 2);
  EXPECT_EQ(ch.recv(), 3);
}

TEST(Chan, BufferedRecvBlocksWhenEmpty) {
  auto ch = rc::make_chan<int>(2);
  EXPECT_FALSE(recv_ready(ch));
  auto result = rc::make_chan<int>(1);
  go_and_wait_until_parked([ch, result] { result.send(ch.recv()); },
                           "the receiver parks on an empty buffer");
  EXPECT_EQ(result.len(), 0U);
  ch.send(5);
  EXPECT_EQ(recv_bounded(result, "the receiver's value").value, 5);
  EXPECT_EQ(ch.len(), 0U);
}

TEST(Chan, LenAndCap) {
  auto buffered = rc::make_chan<int>(3);
  EXPECT_EQ(buffered.cap(), 3U);
  EXPECT_EQ(buffered.len(), 0U);
  buffered.send(1);
  buffered.send(2);
  EXPECT_EQ(buffered.len(), 2U);
  buffered.recv();
  EXPECT_EQ(buffered.len(), 1U);
  EXPECT_EQ(buffered.cap(), 3U);

  auto unbuffered = rc::make_chan<int>();
  EXPECT_EQ(unbuffered.cap(), 0U);
  EXPECT_EQ(unbuffered.len(), 0U);

  const rc::SendChan<int> send_view = buffered;
  const rc::RecvChan<int> recv_view = buffered;
  EXPECT_EQ(send_view.len(), 1U);
  EXPECT_EQ(recv_view.cap(), 3U);
}

TEST(Chan, NilChannel) {
  rc::Chan<int> nil;
  EXPECT_FALSE(nil);
  EXPECT_EQ(nil.len(), 0U);
  EXPECT_EQ(nil.cap(), 0U);
  EXPECT_TRUE(rc::make_chan<int>());
  EXPECT_FALSE(rc::SendChan<int>());
  EXPECT_FALSE(rc::RecvChan<int>());
  EXPECT_FALSE(send_ready(nil, 1));
  EXPECT_FALSE(recv_ready(nil));
}

TEST(Chan, CopiesShareOneChannel) {
  auto ch = rc::make_chan<int>(1);
  rc::Chan<int> copy = ch;
  EXPECT_TRUE(copy == ch);
  copy.send(4);
  EXPECT_EQ(ch.len(), 1U);
  EXPECT_EQ(ch.recv(), 4);
  EXPECT_FALSE(rc::make_chan<int>(1) == ch);
}

TEST(Chan, ViewsSendAndReceive) {
  auto ch = rc::make_chan<int>(2);
  rc::SendChan<int> out = ch;
  rc::RecvChan<int> in = ch;
  out.send(1);
  out.send(2);
  out.close();
  EXPECT_EQ(in.recv(), 1);
  auto [value, ok] = in.recv_ok();
  EXPECT_EQ(value, 2);
  EXPECT_TRUE(ok);
  std::vector<int> rest;
  for (int v : in) {
    rest.push_back(v);
  }
  EXPECT_TRUE(rest.empty());
}

TEST(ChanClose, ReceiversDrainBufferThenGetZero) {
  auto ch = rc::make_chan<int>(3);
  ch.send(1);
  ch.send(2);
  ch.close();
  EXPECT_EQ(ch.len(), 2U);

  auto [first, first_ok] = ch.recv_ok();
  EXPECT_EQ(first, 1);
  EXPECT_TRUE(first_ok);
  auto [second, second_ok] = ch.recv_ok();
  EXPECT_EQ(second, 2);
  EXPECT_TRUE(second_ok);
  for (int i = 0; i < 3; ++i) {
    auto [zero, ok] = ch.recv_ok();
    EXPECT_EQ(zero, 0);
    EXPECT_FALSE(ok);
  }
  EXPECT_EQ(ch.recv(), 0);
}

TEST(ChanClose, ZeroValueOfClassType) {
  auto ch = rc::make_chan<std::string>();
  ch.close();
  auto [value, ok] = ch.recv_ok();
  EXPECT_EQ(value, "");
  EXPECT_FALSE(ok);
}

TEST(ChanClose, WakesEveryBlockedReceiver) {
  constexpr int kReceivers = 4;
  auto ch = rc::make_chan<int>();
  auto results = rc::make_chan<bool>(kReceivers);
  for (int i = 0; i < kReceivers; ++i) {
    go_and_wait_until_parked(
        [ch, results] {
          auto [value, ok] = ch.recv_ok();
          results.send(ok || value != 0);
        },
        "a receiver parks in recv");
  }
  EXPECT_EQ(results.len(), 0U);
  ch.close();
  for (int i = 0; i < kReceivers; ++i) {
    EXPECT_FALSE(recv_bounded(results, "a woken receiver's result").value)
        << "a receiver woken by close got a value or ok=true";
  }
}

TEST(ChanClose, RangeForEndsOnClose) {
  auto ch = rc::make_chan<int>();
  auto sum = rc::make_chan<int>(1);
  rc::go([ch, sum] {
    int total = 0;
    int count = 0;
    for (int v : ch) {
      total += v;
      ++count;
    }
    sum.send(total * 1000 + count);
  });
  for (int i = 1; i <= 10; ++i) {
    ch.send(i);
  }
  ch.close();
  EXPECT_EQ(recv_bounded(sum, "the range loop to end").value, 55 * 1000 + 10);
}

TEST(ChanClose, RangeForDrainsBufferedValues) {
  auto ch = rc::make_chan<int>(5);
  for (int i = 0; i < 5; ++i) {
    ch.send(i);
  }
  ch.close();
  std::vector<int> seen;
  for (int v : ch) {
    seen.push_back(v);
  }
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(ChanMoveOnly, Buffered) {
  auto ch = rc::make_chan<std::unique_ptr<int>>(2);
  ch.send(std::make_unique<int>(1));
  ch.send(std::make_unique<int>(2));
  std::unique_ptr<int> first = ch.recv();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(*first, 1);
  auto [second, ok] = ch.recv_ok();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(*second, 2);
  EXPECT_TRUE(ok);
  ch.close();
  auto [zero, zero_ok] = ch.recv_ok();
  EXPECT_EQ(zero, nullptr);
  EXPECT_FALSE(zero_ok);
}

TEST(ChanMoveOnly, Unbuffered) {
  auto ch = rc::make_chan<std::unique_ptr<std::string>>();
  rc::go([ch] { ch.send(std::make_unique<std::string>("moved")); });
  auto got = recv_bounded(ch, "the move-only value");
  ASSERT_NE(got.value, nullptr);
  EXPECT_EQ(*got.value, "moved");
}

TEST(ChanMoveOnly, LeftInBufferIsDestroyed) {
  auto alive = std::make_shared<int>(0);
  {
    auto ch = rc::make_chan<std::shared_ptr<int>>(2);
    ch.send(alive);
    ch.send(alive);
    EXPECT_EQ(alive.use_count(), 3);
  }
  EXPECT_EQ(alive.use_count(), 1);
}

TEST(ChanMoveOnly, RangeFor) {
  auto ch = rc::make_chan<std::unique_ptr<int>>(3);
  for (int i = 0; i < 3; ++i) {
    ch.send(std::make_unique<int>(i));
  }
  ch.close();
  int expected = 0;
  for (std::unique_ptr<int>& p : ch) {
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, expected++);
  }
  EXPECT_EQ(expected, 3);
}

}  // namespace
