// The bare server: the floor `ws-edits --bare-server` measures rembuk's server against.
//
// It does what no server that acks durable edits over WebSocket can skip, on the same parts
// and the same machine, and nothing else: Beast WebSocket connections on one io_context per
// io thread (as rembuk's), each message parsed as JSON, each submit put into raw LMDB by one
// writer thread that commits what has queued in one transaction (LMDB's own durable commit,
// or none with --nosync) and hands each io thread its acks in one post. No token check, no
// masterplan state, no event record, hash or index, no completion thread, no live feed.
//
// It answers `hello` with `welcome` and `submit` with `ack` (commandId and masterplan echoed),
// which is all the bench's clients read; every other message is ignored.
#pragma once

#include <string>

namespace rembuk::bench {

struct BareServerOptions {
  bool nosync = false;   // MDB_NOSYNC instead of LMDB's durable commit
  unsigned threads = 0;  // io threads; 0 = one per core
};

// Runs in a forked child: opens raw LMDB in `dir`, listens on a free loopback port, writes
// the port (uint16_t) to `port_fd` and serves until killed.
[[noreturn]] void run_bare_server(const BareServerOptions& options, const std::string& dir,
                                  int port_fd);

}  // namespace rembuk::bench
