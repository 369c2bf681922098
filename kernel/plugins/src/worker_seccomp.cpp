#include "worker_seccomp.hpp"

#include <seccomp.h>
#include <sys/prctl.h>

#include <cerrno>
#include <cstring>
#include <memory>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define REMBUK_WORKER_UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define REMBUK_WORKER_UNDER_SANITIZER 1
#endif
#endif

namespace rembuk::plugins::detail {

namespace {

struct FilterDeleter {
  void operator()(void* ctx) const noexcept { seccomp_release(static_cast<scmp_filter_ctx>(ctx)); }
};

std::string failed(const char* what, int rc) {
  return std::string(what) + ": " + std::strerror(rc < 0 ? -rc : rc);
}

}  // namespace

Result<Unit, std::string> confine_worker(int in_fd, int out_fd) {
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return fail(std::string("prctl(PR_SET_NO_NEW_PRIVS): ") + std::strerror(errno));
  }
  std::unique_ptr<void, FilterDeleter> filter(seccomp_init(SCMP_ACT_KILL_PROCESS));
  if (!filter) return fail(std::string("seccomp_init failed"));
  scmp_filter_ctx ctx = filter.get();

  auto allow = [&](int syscall) { return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, syscall, 0); };
  // I/O on the descriptors the worker already holds, and nothing else.
  const auto in = static_cast<scmp_datum_t>(in_fd);
  const auto out = static_cast<scmp_datum_t>(out_fd);
  int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, in));
  if (rc == 0) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, out));
  }
  if (rc == 0 && out_fd != 2) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 2));
  }
  if (rc != 0) return fail(failed("seccomp_rule_add(read/write)", rc));

  const int allowed[] = {
      // memory
      SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect),
      SCMP_SYS(madvise),
      // clocks, sleeping, threads' waiting
      SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
      SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep), SCMP_SYS(futex), SCMP_SYS(sched_yield),
      // signals to itself (abort, raise) and returning from a handler
      SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction),
      SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(tgkill), SCMP_SYS(restart_syscall),
      // the end
      SCMP_SYS(exit), SCMP_SYS(exit_group),
      // std::random_device and hash seeds read no file with it
      SCMP_SYS(getrandom),
  };
  for (const int syscall : allowed) {
    if (const int r = allow(syscall); r != 0) return fail(failed("seccomp_rule_add", r));
  }
#if REMBUK_WORKER_UNDER_SANITIZER
  // The sanitizers' runtime probes whether memory is readable by writing it into a pipe of
  // its own (and reading it back), and sets up its own signal stack. No file can be opened and
  // no socket made, so reading and writing any descriptor still reaches only what the worker
  // was given; only sanitizer builds (tests) allow these.
  const int sanitizer[] = {SCMP_SYS(pipe),  SCMP_SYS(pipe2), SCMP_SYS(close),
                           SCMP_SYS(read),  SCMP_SYS(write), SCMP_SYS(sigaltstack)};
  for (const int syscall : sanitizer) {
    if (const int r = allow(syscall); r != 0) return fail(failed("seccomp_rule_add", r));
  }
#endif
  if (const int r = seccomp_load(ctx); r != 0) return fail(failed("seccomp_load", r));
  return Unit{};
}

}  // namespace rembuk::plugins::detail
