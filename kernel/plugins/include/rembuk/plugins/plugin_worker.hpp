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
//   host → worker, per call:  'C', u32le validator index, u32le command length, u32le
//                             command type length, command JSON text, command type, then
//                             the lookups the host answered ahead (remote_state.hpp): u32le
//                             count, and per lookup u32le query length, query 'Q'..., u32le
//                             reply length, reply 'R'...
//   worker → host, during a call, any number:  a state lookup 'Q'..., answered by the host
//                             with 'R'... (remote_state.hpp): the worker keeps no state
//                             between calls; it asks for the entities its validator reads
//                             that were not answered ahead, each once per call
//   worker → host, per call:  'A' then JSON {"status":"ok"|"error"|"garbage","reason",
//                                   "elapsedNs", "violations":[{"code","path",
//                                   "messageId","messageEn"}]}
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
