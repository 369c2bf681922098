// ShareDB 7's JSON protocol (sharedb/lib/agent.js, protocol 1.2) over one WebSocket:
//   server → {"a":"init",…}            sent on connect (legacy)
//   client → {"a":"hs","id":null,"protocol":1,"protocolMinor":2}
//   server → {"a":"hs","id":SRC,…}     → ready
//   client → {"a":"s","c":C,"d":D}     server → {"a":"s",…,"data":{"v":V,…}} → subscribed
//   client → {"a":"op","c":C,"d":D,"v":V,"seq":N,"op":[{"p":["title"],"oi":ID}]}
//   server → {"a":"op",…,"src":SRC,"seq":N,"v":V} (no "op": the ack) or the request echoed
//            with "error":{code,message}; ops of other clients come as {"a":"op",…,"op":[…]}.
// A document is created by {"a":"op",…,"seq":N,"create":{"type":"json0","data":{"title":""}}}.
// The client submits at the latest version it has seen, as ShareDB's own client does; the
// server transforms it past any concurrent op.
#include <map>
#include <string>

#include <algorithm>
#include <cstdint>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "protocol.hpp"

namespace rembuk::loadgen {
namespace {

namespace json = boost::json;

constexpr const char* kCollection = "bench";

class SharedbProtocol final : public Protocol {
 public:
  std::vector<std::string> opening() override {
    return {R"({"a":"hs","id":null,"protocol":1,"protocolMinor":2})"};
  }

  Incoming read(std::string_view text) override {
    Incoming in;
    boost::system::error_code ec;
    const json::value value = json::parse(text, ec);
    if (ec || !value.is_object()) {
      in.kind = Incoming::Kind::error;
      in.detail = "not a JSON object: " + std::string(text);
      return in;
    }
    const auto& m = value.get_object();
    const auto* a = m.if_contains("a");
    if (a == nullptr || !a->is_string()) return in;
    const auto action = a->get_string();
    if (action == "hs") {
      in.kind = Incoming::Kind::ready;
    } else if (action == "s") {
      if (const auto* error = m.if_contains("error")) {
        in.kind = Incoming::Kind::error;
        in.detail = json::serialize(*error);
        return in;
      }
      in.kind = Incoming::Kind::subscribed;
      if (const auto* data = m.if_contains("data"); data != nullptr && data->is_object()) {
        if (const auto* v = data->get_object().if_contains("v"); v != nullptr && v->is_int64()) {
          version_ = std::max(version_, v->get_int64());
        }
      }
    } else if (action == "op") {
      const auto* seq = m.if_contains("seq");
      const auto* v = m.if_contains("v");
      if (const auto* error = m.if_contains("error")) {
        in.kind = Incoming::Kind::reject;
        in.id = take(seq);
        const auto* code = error->is_object() ? error->get_object().if_contains("code") : nullptr;
        in.detail = code != nullptr && code->is_string() ? std::string(code->get_string())
                                                         : json::serialize(*error);
        return in;
      }
      if (v != nullptr && v->is_int64()) version_ = std::max(version_, v->get_int64() + 1);
      const auto* op = m.if_contains("op");
      if (op == nullptr) {  // no op: the acknowledgement of one of ours (or of a create)
        in.kind = Incoming::Kind::ack;
        in.id = take(seq);
        return in;
      }
      if (op->is_array()) {
        for (const auto& component : op->get_array()) {
          if (!component.is_object()) continue;
          if (const auto* oi = component.get_object().if_contains("oi");
              oi != nullptr && oi->is_string()) {
            in.seen.emplace_back(oi->get_string());
          }
        }
      }
    }
    return in;
  }

  std::vector<std::pair<std::string, std::string>> seed(const std::string& document) override {
    const long seq = next_seq_++;
    const std::string id = document + "-seed-create";
    by_seq_[seq] = id;
    return {{id, R"({"a":"op","c":")" + std::string(kCollection) + R"(","d":")" + document +
                     R"(","seq":)" + std::to_string(seq) +
                     R"(,"create":{"type":"json0","data":{"title":""}}})"}};
  }

  bool seed_refusal_is_harmless(const Incoming& reject) const override {
    return reject.detail == "ERR_DOC_ALREADY_CREATED";
  }

  std::string subscribe(const std::string& document) override {
    return R"({"a":"s","c":")" + std::string(kCollection) + R"(","d":")" + document + "\"}";
  }

  std::string edit(const std::string& document, const std::string& id) override {
    const long seq = next_seq_++;
    by_seq_[seq] = id;
    return R"({"a":"op","c":")" + std::string(kCollection) + R"(","d":")" + document +
           R"(","v":)" + std::to_string(version_) + R"(,"seq":)" + std::to_string(seq) +
           R"(,"op":[{"p":["title"],"oi":")" + id + "\"}]}";
  }

 private:
  // The edit id submitted under `seq`, forgotten once answered.
  std::string take(const json::value* seq) {
    if (seq == nullptr || !seq->is_int64()) return {};
    auto it = by_seq_.find(seq->get_int64());
    if (it == by_seq_.end()) return {};
    std::string id = std::move(it->second);
    by_seq_.erase(it);
    return id;
  }

  long next_seq_ = 1;
  std::int64_t version_ = 0;  // latest version of the (one) document this client edits
  std::map<std::int64_t, std::string> by_seq_;
};

}  // namespace

std::unique_ptr<Protocol> make_sharedb_protocol() { return std::make_unique<SharedbProtocol>(); }

}  // namespace rembuk::loadgen
