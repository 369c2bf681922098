// The plugin worker: one city plugin's validators in a process of their own.
//
// `rembuk plugin worker FILE.so SHA256 [--staging DIR]` is started by the host (never by
// hand) for a plugin the server config marks isolated (docs/plugins.md, "Isolation"). It
// loads FILE.so as the host does, checks that its SHA-256 is the one the host loaded, and
// then answers validator calls on stdin/stdout until stdin closes. If the plugin segfaults
// or never returns, only this process dies or is killed; the host turns that into
// plugin_error / plugin_timeout for the one command and starts a new worker for the next.
//
// Before its first call the worker confines itself with a seccomp filter (worker_seccomp.hpp):
// from then on it can read and write its socket, use memory and clocks, and exit; opening a
// file, a socket or a program kills it.
//
// Frames (both directions): a 4-byte little-endian length, then that many bytes.
//   worker → host, once after loading:  JSON {"ok":true,"name","version","sha256"}
//                                     or {"ok":false,"error":"<file>: <cause>"}
//   host → worker, per command:  'C', u64le budget in ns, u32le validator count N (1 or
//                             more), N × u32le validator index (the plugin's validators
//                             for the command type, in descriptor order), u32le command
//                             length, u32le command type length, command JSON text, command
//                             type, then the lookups the host answered ahead
//                             (remote_state.hpp): u32le count, and per lookup u32le query
//                             length, query 'Q'..., u32le reply length, reply 'R'...
//   worker → host, during a command, any number:  a state lookup 'Q'..., answered by the
//                             host with 'R'... (remote_state.hpp): the worker keeps no state
//                             between commands; it asks for the entities its validators read
//                             that were not answered ahead, each once per command
//   worker → host, per command:  'A' then a JSON array with one answer per validator run,
//                             in the call's order: {"status":"ok"|"error"|"garbage",
//                             "reason", "elapsedNs", "violations":[{"code","path",
//                             "messageId","messageEn"}]}. The worker runs the validators one
//                             after the other and stops after the first whose status is not
//                             ok or whose elapsedNs is over the budget (the host ends the
//                             command there, as in process), so the array has 1 to N answers.
// One frame each way per command, whatever the number of validators: a round trip costs two
// context switches on each side, more than most rules spend.
// A frame is at most max_frame_bytes; a longer one ends the worker.
//
// Thread safety: run_plugin_worker is the whole process; it is single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rembuk::plugins {

inline constexpr std::size_t max_worker_frame_bytes = 64u << 20;

// Runs the worker loop on `in_fd`/`out_fd`; returns the process exit code (0 when the host
// closed the pipe, 2 when the plugin cannot be loaded or is not the expected build).
int run_plugin_worker(const std::filesystem::path& file, std::string_view expected_sha256,
                      const std::filesystem::path& staging_dir, int in_fd, int out_fd);

namespace worker_frame {
// Writes one frame; false on a write error (EINTR retried).
bool write(int fd, std::string_view payload);
// Reads one frame; nullopt on EOF, an error or a frame over max_worker_frame_bytes.
std::optional<std::string> read(int fd);
}  // namespace worker_frame

}  // namespace rembuk::plugins
