// unsent-channel, racy variant. Expected verdict: deadlock.
//
// main never starts the shout goroutine, so its first send on the
// unbuffered ping channel has no receiver and can never complete. main is
// the only goroutine and it is blocked, so the runtime stops the program at
// once: "all goroutines are asleep - deadlock!", main in [chan send].
//
//   main                          shout
//   (go shout missing)            (never runs)
//   ping.send("hello")  blocks forever: deadlock
#include <array>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "racecourse/go.hpp"

namespace {

// The words main sends unless run with --interactive.
constexpr std::array<std::string_view, 3> kScript = {"hello", "goodbye", "q"};

// The source of main's words: the script, or stdin with --interactive.
class Words {
 public:
  explicit Words(bool interactive) : interactive_(interactive) {}

  // Prompts for the next word; returns false on "q" or at the end of input.
  bool next(std::string& word) {
    std::printf("-> ");
    std::fflush(stdout);
    if (interactive_) {
      if (!std::getline(std::cin, word)) {
        return false;
      }
    } else {
      if (position_ == kScript.size()) {
        return false;
      }
      word = kScript[position_++];
      std::printf("%s\n", word.c_str());
    }
    return word != "q" && word != "Q";
  }

 private:
  bool interactive_;
  std::size_t position_ = 0;
};

// Returns `word` in upper case with "!!!" appended.
std::string shouted(std::string word) {
  for (char& c : word) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return word + "!!!";
}

// The responder goroutine: shouts back each word from `ping` on `pong`,
// and closes `pong`, which only it sends on, once `ping` is closed.
[[maybe_unused]] void shout(const racecourse::RecvChan<std::string>& ping,
                            const racecourse::SendChan<std::string>& pong) {
  for (const std::string& word : ping) {
    pong.send(shouted(word));
  }
  pong.close();
}

// Returns true when the command line selects typed input (--interactive),
// false for no argument, and nothing (after a message) for anything else.
std::optional<bool> parse_interactive(int argc, char** argv) {
  if (argc == 1) {
    return false;
  }
  if (argc == 2 && std::string_view(argv[1]) == "--interactive") {
    return true;
  }
  std::fprintf(stderr,
               "invalid argument '%s': run with no argument for the built-in "
               "words, or with --interactive to type them\n",
               argv[1]);
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<bool> interactive = parse_interactive(argc, argv);
  if (!interactive) {
    return 2;
  }
  Words words(*interactive);
  auto ping = racecourse::make_chan<std::string>();
  auto pong = racecourse::make_chan<std::string>();
  // BUG: the line that starts the responder is missing:
  // racecourse::go(shout, ping, pong);

  std::printf("Type something and press ENTER (enter Q to quit)\n");
  std::string word;
  while (words.next(word)) {
    ping.send(word);
    std::printf("Response: %s\n", pong.recv().c_str());
  }

  std::printf("All done. Closing channels.\n");
  ping.close();
  pong.recv();  // returns once shout has closed pong
}
