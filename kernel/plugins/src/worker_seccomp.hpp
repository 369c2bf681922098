// The seccomp filter of an isolated plugin's worker process.
//
// Installed after the plugin is loaded and checked, before its first validator runs. What a
// validator needs stays allowed: reading the call from `in_fd` and writing lookups and
// answers to `out_fd` (and diagnostics to stderr), memory (brk, mmap, munmap, mremap,
// mprotect, madvise), clocks and sleeping, futexes, signals to itself (abort, raise), exit.
// Anything else (open, socket, connect, execve, fork, ptrace, ...) kills the process
// (SIGSYS) before the call does anything: the host sees a worker that died during a call and
// rejects the command with plugin_error, and the next call starts a new worker.
//
// Linux only; seccomp via libseccomp, no_new_privs set first so no privilege is needed.
#pragma once

#include <string>

#include "rembuk/common/result.hpp"

namespace rembuk::plugins::detail {

Result<Unit, std::string> confine_worker(int in_fd, int out_fd);

}  // namespace rembuk::plugins::detail
