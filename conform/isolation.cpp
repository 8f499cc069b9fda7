// run_isolated (conform.h): the cases in child processes, so that a driver that crashes or hangs
// costs one case its verdict (crashed, hung) and not the run.
//
// Why one child runs many cases, not one each: the driver's adapter is opened once per Runner and
// shared by the cases, as in-process; a driver may make that expensive (cpddi's own makes an
// RSA-2048 identity per process and per adapter unless one is pinned: about 0.7 s per fresh
// process). A child that dies or hangs is replaced by a fresh one at the next case, so every
// case still gets a verdict of its own; cases_per_process = 1 gives each case a fresh process.
//
// The protocol: for each case, in order, the child writes one record to the result pipe
// (verdict and seconds, strings length-prefixed); the parent knows which case is running from
// how many records it has read. The child's stdout and stderr go through a second pipe, so the
// parent can keep the current case's tail for a crashed/hung verdict while passing it all on;
// the child writes kCaseStart there before each case (the two pipes are not ordered with each
// other, one pipe is), and the parent drops it when passing the text on.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <utility>

#include "conform/conform.h"

namespace cpddi::conform {
namespace {

using Clock = std::chrono::steady_clock;

// How much of a dead case's stderr its verdict keeps.
constexpr std::size_t kOutputTail = 600;
// On the child's stderr before each case: ASCII RS, which no readable message holds.
constexpr char kCaseStart = '\x1e';

// ---- Records: the child's half ----

// Little-endian, `bytes` wide.
void put_uint(std::string& out, std::uint64_t v, int bytes = 4) {
  for (int i = 0; i < bytes; ++i) {
    out += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
}

void put_string(std::string& out, const std::string& s) {
  put_uint(out, s.size());
  out += s;
}

std::string encode(const CaseResult& result) {
  std::string out;
  put_uint(out, static_cast<std::uint64_t>(result.verdict.outcome));
  // Microseconds: a whole number travels without caring about double layout.
  put_uint(out, static_cast<std::uint64_t>(std::llround(result.seconds * 1e6)), 8);
  put_string(out, result.verdict.expected);
  put_string(out, result.verdict.got);
  put_string(out, result.verdict.reason);
  std::string record;
  put_uint(record, out.size());
  return record + out;
}

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The child: default actions for the crash signals, so that the parent sees the signal itself
// even where a sanitizer's handler would report and then exit with a status; then the cases.
[[noreturn]] void child_main(const Driver& driver, std::span<const Case* const> cases,
                             int result_fd) {
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, nullptr);
  }
  {
    Runner runner(driver);
    for (const Case* c : cases) {
      write_all(STDERR_FILENO, std::string(1, kCaseStart));
      if (!write_all(result_fd, encode(runner.timed_run(*c)))) {
        std::_Exit(3);  // the parent is gone
      }
    }
  }
  // _Exit: no static destructors or atexit handlers of the parent's copy, no stdio flush of
  // buffers the parent owns.
  std::_Exit(0);
}

// ---- Records: the parent's half ----

std::uint64_t get_uint(const std::string& in, std::size_t& at, int bytes = 4) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  }
  at += bytes;
  return v;
}

std::string get_string(const std::string& in, std::size_t& at) {
  const std::size_t n = get_uint(in, at);
  std::string s = in.substr(at, n);
  at += n;
  return s;
}

// Takes one whole record off the front of `buffer`, if there is one. The child is this program,
// so a record is well formed; its length prefix says when it is whole.
std::optional<CaseResult> take_record(std::string& buffer, const Case* test_case) {
  if (buffer.size() < 4) {
    return std::nullopt;
  }
  std::size_t at = 0;
  const std::size_t size = get_uint(buffer, at);
  if (buffer.size() < 4 + size) {
    return std::nullopt;
  }
  CaseResult result{test_case, {}, 0};
  result.verdict.outcome = static_cast<Outcome>(get_uint(buffer, at));
  result.seconds = static_cast<double>(get_uint(buffer, at, 8)) / 1e6;
  result.verdict.expected = get_string(buffer, at);
  result.verdict.got = get_string(buffer, at);
  result.verdict.reason = get_string(buffer, at);
  buffer.erase(0, 4 + size);
  return result;
}

std::string signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGPIPE: return "SIGPIPE";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    default: return "signal " + std::to_string(sig);
  }
}

// The last kOutputTail bytes of `text`, on one line, without control characters (XML has no
// place for them) and not starting inside a UTF-8 sequence.
std::string tail(const std::string& text) {
  std::size_t start = text.size() > kOutputTail ? text.size() - kOutputTail : 0;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    ++start;
  }
  std::string out = (start > 0 ? "…" : "") + text.substr(start);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      c = ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", seconds);
  return text;
}

// Reads what is there; false at end of file (or an error, which ends the stream just the same).
bool drain(int fd, std::string& into) {
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && errno == EAGAIN) {
      return true;
    }
    if (n <= 0) {
      return false;
    }
    into.append(chunk, static_cast<std::size_t>(n));
  }
}

// Passes what the child wrote on to stderr and keeps what the running case wrote (since the last
// kCaseStart) in `case_output`; false at end of file.
bool pass_on_output(int fd, std::string& case_output) {
  std::string text;
  const bool open = drain(fd, text);
  if (const std::size_t start = text.rfind(kCaseStart); start != std::string::npos) {
    case_output = text.substr(start + 1);
  } else {
    case_output += text;
  }
  std::erase(text, kCaseStart);
  std::fwrite(text.data(), 1, text.size(), stderr);
  if (case_output.size() > 2 * kOutputTail) {
    case_output.erase(0, case_output.size() - kOutputTail);
  }
  return open;
}

struct Pipe {
  int read = -1;
  int write = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      return false;
    }
    read = fds[0];
    write = fds[1];
    return true;
  }
  void close_read() { close_fd(read); }
  void close_write() { close_fd(write); }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }
};

// The child's exit status once it ended; if it has not ended by `deadline` (it closed its result
// pipe and lives on), its process group is killed first and `*killed` set (unless already set:
// the caller killed it).
int wait_for(pid_t pid, Clock::time_point deadline, bool* killed) {
  int status = 0;
  for (;;) {
    const pid_t ended = ::waitpid(pid, &status, WNOHANG);
    if (ended == pid || (ended < 0 && errno != EINTR)) {
      return status;
    }
    if (ended == 0 && Clock::now() >= deadline && !*killed) {
      ::kill(-pid, SIGKILL);
      *killed = true;
    }
    ::poll(nullptr, 0, 5);
  }
}

// The threads of this process (/proc/self/task); 1 where that cannot be read.
std::size_t thread_count() {
  std::error_code error;
  std::size_t count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    ++count;
  }
  return count == 0 ? 1 : count;
}

// One child over `cases`, in order: appends a result for each case it finished, and for the case
// it died or hung on. Returns how many cases got a result (≥ 1).
std::size_t run_one_child(const Driver& driver, std::span<const Case* const> cases,
                          const IsolationOptions& options, std::vector<CaseResult>& results) {
  Pipe result_pipe;
  Pipe error_pipe;
  if (!result_pipe.open() || !error_pipe.open()) {
    results.push_back(
        CaseResult{cases.front(), crashed("no pipe: " + std::string(std::strerror(errno)), {}), 0});
    return 1;
  }
  // Nothing buffered may be written twice (once by each process).
  std::fflush(nullptr);
  std::cout.flush();
  std::cerr.flush();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);  // its own process group: a hang kills whatever the driver started too
    // Ends with this process (a Ctrl-C there must not leave a hung child behind).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      std::_Exit(3);
    }
    // stdout too: the parent's stdout may be JSON, and a driver's chatter belongs on stderr.
    ::dup2(error_pipe.write, STDOUT_FILENO);
    ::dup2(error_pipe.write, STDERR_FILENO);
    child_main(driver, cases, result_pipe.write);
  }
  result_pipe.close_write();
  error_pipe.close_write();
  if (pid < 0) {
    const std::string why = std::strerror(errno);
    result_pipe.close_read();
    error_pipe.close_read();
    results.push_back(CaseResult{cases.front(), crashed("no fork: " + why, {}), 0});
    return 1;
  }
  ::setpgid(pid, pid);  // also here, so the group exists before any kill (either may run first)
  ::fcntl(result_pipe.read, F_SETFL, O_NONBLOCK);
  ::fcntl(error_pipe.read, F_SETFL, O_NONBLOCK);

  const auto limit = std::chrono::duration<double>(options.timeout_seconds);
  std::size_t done = 0;
  std::string records;
  std::string case_output;  // the running case's stderr so far (pass_on_output)
  auto case_start = Clock::now();
  bool results_open = true;
  bool errors_open = true;
  bool hang = false;  // the running case sent no verdict within the limit
  while (results_open || errors_open) {
    const auto left = limit - (Clock::now() - case_start);
    if (left <= decltype(left)::zero()) {
      ::kill(-pid, SIGKILL);
      hang = true;
      break;
    }
    pollfd fds[2] = {{results_open ? result_pipe.read : -1, POLLIN, 0},
                     {errors_open ? error_pipe.read : -1, POLLIN, 0}};
    const auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    if (::poll(fds, 2, static_cast<int>(std::min<long long>(wait_ms, 1000))) < 0) {
      continue;  // EINTR
    }
    if (errors_open && fds[1].revents != 0) {
      errors_open = pass_on_output(error_pipe.read, case_output);
    }
    if (results_open && fds[0].revents != 0) {
      results_open = drain(result_pipe.read, records);
      while (done < cases.size()) {
        std::optional<CaseResult> r = take_record(records, cases[done]);
        if (!r) {
          break;
        }
        results.push_back(std::move(*r));
        ++done;
        case_start = Clock::now();
      }
      if (!results_open) {
        break;  // the child exited (or closed its end): its stderr may outlive it in a grandchild
      }
    }
  }
  const int status =
      wait_for(pid, case_start + std::chrono::duration_cast<Clock::duration>(limit), &hang);
  if (errors_open) {
    pass_on_output(error_pipe.read, case_output);  // what it wrote just before it ended
  }
  result_pipe.close_read();
  error_pipe.close_read();
  if (done == cases.size()) {
    return done;
  }
  Verdict ending;
  if (hang) {
    ending = hung(seconds_text(options.timeout_seconds), tail(case_output));
  } else {
    ending = crashed(WIFSIGNALED(status) ? signal_name(WTERMSIG(status))
                                         : "exit status " + std::to_string(WEXITSTATUS(status)),
                     tail(case_output));
  }
  const std::chrono::duration<double> took = Clock::now() - case_start;
  results.push_back(CaseResult{cases[done], std::move(ending), took.count()});
  return done + 1;
}

}  // namespace

std::vector<CaseResult> run_isolated(const Driver& driver, std::span<const Case* const> cases,
                                     const IsolationOptions& options) {
  // A child has only the thread that forked it. A driver module that starts threads when it is
  // loaded (before any call) would miss them in every child: say so rather than hide it.
  if (const std::size_t threads = thread_count(); threads > 1) {
    std::fprintf(stderr,
                 "cpddi conform: %zu threads in this process at fork (started by the driver "
                 "module when loaded?); the children have one, so a case may hang. "
                 "--no-isolation runs the cases in this process.\n",
                 threads);
  }
  std::vector<CaseResult> results;
  std::size_t next = 0;
  while (next < cases.size()) {
    std::span<const Case* const> batch = cases.subspan(next);
    if (options.cases_per_process != 0 && batch.size() > options.cases_per_process) {
      batch = batch.first(options.cases_per_process);
    }
    next += run_one_child(driver, batch, options, results);
  }
  return results;
}

}  // namespace cpddi::conform
