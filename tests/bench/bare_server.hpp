// The bare server: the floor `ws-edits --bare-server` measures rembuk's server against.
//
// It does what no server that acks durable edits over WebSocket can skip, on the same parts
// and the same machine, and nothing else: Beast WebSocket connections on one io_context per
// io thread (as rembuk's), each message parsed as JSON, each submit put into raw LMDB by one
// writer thread that commits what has queued in one transaction (LMDB's own durable commit,
// or none with --nosync) and hands each io thread its acks in one post. No token check, no
// masterplan state, no event record, hash or index, no completion thread, no history.
//
// It speaks as much of rembuk's protocol as the bench's clients and `rembuk-loadgen` read:
// `hello` → `welcome`; `subscribe` → an empty catch-up `events`; `submit` → `ack` (commandId
// and masterplan echoed, a version per masterplan) once committed, and one live `events`
// message with the submitted command as its payload to every subscriber of the masterplan,
// the author too. The acks and events of one commit reach each io thread in one post. Every
// other message is ignored.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace rembuk::bench {

struct BareServerOptions {
  bool nosync = false;   // MDB_NOSYNC instead of LMDB's durable commit
  unsigned threads = 0;  // io threads; 0 = one per core
  std::uint16_t port = 0;  // on 127.0.0.1; 0 = a free one
};

// Opens raw LMDB in `dir`, listens on loopback, calls `listening` with the port and serves
// until the process is killed. Run it in a process of its own (a forked child, or
// `rembuk-bench bare-server`): it never returns.
[[noreturn]] void run_bare_server(const BareServerOptions& options, const std::string& dir,
                                  const std::function<void(std::uint16_t port)>& listening);

}  // namespace rembuk::bench
