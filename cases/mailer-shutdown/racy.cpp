// Expected verdict: panic, leak or data-race, with lost mails.
//
// A mail service, as in the course's final project: request handlers
// queue mails (wait_.add(1), then a send on a buffered channel), a
// listener sends each mail in its own goroutine, and failures go to an
// error listener. Shutdown closes the channels without waiting for the
// mails in flight, and main returns:
//
//   main:       requests queued -> close(mail) -> close(errors) -> return
//   send_mail:  pause (SMTP) .......................................... ++sent_ / errors <- "..."
//
// The mails still being sent are lost: the runtime lists their goroutines
// as abandoned when main returns. The failed mail then reports its error
// on the closed channel (the runtime gives goroutines up to 100 ms to
// finish after main returns) and panics with "send on closed channel".
// Nothing orders that send with the close, so the runtime reports the
// pair as a data race, as Go's race detector does; on most runs that is
// the verdict.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

#include "course.hpp"
#include <racecourse/go.hpp>

using namespace std::chrono_literals;

namespace {

constexpr int kRequests = 10;
constexpr auto kSmtpTime = 5s;

struct Mail {
  std::string to;
  std::string subject;
};

class MailService {
 public:
  // Starts the mail listener and the error listener.
  void start() {
    listeners_.add(2);
    racecourse::go([this] { listen_for_mail(); });
    racecourse::go([this] { listen_for_errors(); });
  }

  // Queues `mail`; called by request handlers.
  void queue(Mail mail) {
    wait_.add(1);
    ++queued_;
    mail_.send(std::move(mail));
  }

  // Stops the service.
  void shutdown() {
    mail_.close();
    errors_.close();
  }

  void print_summary() const {
    const int queued = queued_.load();
    const int sent = sent_.load();
    const int failed = failed_.load();
    std::printf("mails queued %d, sent %d, failed %d, lost %d\n", queued, sent,
                failed, queued - sent - failed);
  }

 private:
  void listen_for_mail() {
    for (Mail mail : mail_) {
      racecourse::go([this, mail] { send_mail(mail); });
    }
    listeners_.done();
  }

  void listen_for_errors() {
    for (const std::string& error : errors_) {
      std::printf("mail error: %s\n", error.c_str());
    }
    listeners_.done();
  }

  void send_mail(const Mail& mail) {
    course::pause(kSmtpTime);
    if (mail.to.find('@') == std::string::npos) {
      ++failed_;
      errors_.send("invalid address '" + mail.to + "'");
    } else {
      ++sent_;
    }
    wait_.done();
  }

  racecourse::Chan<Mail> mail_ = racecourse::make_chan<Mail>(100);
  racecourse::Chan<std::string> errors_ = racecourse::make_chan<std::string>();
  racecourse::WaitGroup wait_;       // mails queued and not yet handled
  racecourse::WaitGroup listeners_;  // the two listeners
  std::atomic<int> queued_{0};
  std::atomic<int> sent_{0};
  std::atomic<int> failed_{0};
};

// A request handler: registers user `id` and mails a confirmation.
void handle_request(MailService& service, int id) {
  const std::string user = "user" + std::to_string(id);
  const std::string address = id == 7 ? user : user + "@example.com";
  service.queue(Mail{address, "Welcome, " + user});
}

}  // namespace

int main() {
  // Never destroyed, like a Go package-level variable: goroutines that
  // outlive main must not find it gone.
  MailService& service = *new MailService;
  service.start();

  racecourse::WaitGroup requests;
  requests.add(kRequests);
  for (int id = 1; id <= kRequests; ++id) {
    racecourse::go([&service, &requests, id] {
      handle_request(service, id);
      requests.done();
    });
  }
  requests.wait();

  service.shutdown();
  service.print_summary();
}
