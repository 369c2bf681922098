// The wire protocol of one system under test, as one client connection speaks it. The load
// generator's runs (edits_run.cpp, fanout_run.cpp) are written once against this interface;
// each system is one small adapter: rembuk (rembuk_protocol.cpp, docs/protocol.md) and
// ShareDB 7 (sharedb_protocol.cpp, its JSON protocol with json0 ops). Hocuspocus has a Node
// adapter instead (tests/bench/peers/hocuspocus-loadgen.js) that prints the same JSON.
//
// An "edit" everywhere is the same small field edit: set the `title` field of one document
// (rembuk: UpdateProgram of program p1 of a masterplan; ShareDB: a json0 `oi` on ["title"]).
// Its value is the edit id, so a subscriber can tell which edit it received.
//
// Not thread-safe: one instance per connection, used on the io_context's thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rembuk::loadgen {

// What one received message means to the load generator.
struct Incoming {
  enum class Kind {
    other,       // nothing the runs care about (presence, pongs, …)
    ready,       // the handshake is done: the client may seed, subscribe and edit
    subscribed,  // the answer to subscribe (the document's current state)
    ack,         // the edit `id` is durable/accepted
    reject,      // the edit or seed step `id` was refused (`detail` says why)
    error,       // a protocol error (`detail`)
  };
  Kind kind = Kind::other;
  std::string id;
  std::string detail;
  // Edits of other clients this message delivers (their ids), in order; may come with any kind.
  std::vector<std::string> seen;
};

class Protocol {
 public:
  virtual ~Protocol() = default;
  // What to send right after the WebSocket opens (may be empty when the server speaks first).
  virtual std::vector<std::string> opening() = 0;
  virtual Incoming read(std::string_view text) = 0;
  // Steps that make `document` exist with a `title` field, each answered by ack or reject
  // (a reject that only says "exists already" is fine: `seed_refusal_is_harmless`).
  virtual std::vector<std::pair<std::string, std::string>> seed(const std::string& document) = 0;
  virtual bool seed_refusal_is_harmless(const Incoming& reject) const = 0;
  virtual std::string subscribe(const std::string& document) = 0;
  // One edit of `document`'s title to `edit_id` (ids are unique across runs).
  virtual std::string edit(const std::string& document, const std::string& edit_id) = 0;
};

// `system` is "rembuk" or "sharedb"; `token` is rembuk's JWT (ignored by ShareDB).
// Returns null for an unknown system.
std::unique_ptr<Protocol> make_protocol(std::string_view system, const std::string& token);

std::unique_ptr<Protocol> make_rembuk_protocol(const std::string& token);
std::unique_ptr<Protocol> make_sharedb_protocol();

}  // namespace rembuk::loadgen
