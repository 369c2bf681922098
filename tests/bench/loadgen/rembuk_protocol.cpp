// rembuk's protocol (docs/protocol.md): hello → welcome; subscribe → events (catchUp);
// submit → ack | reject; live `events` carry the commandIds of what others submitted.
// A document is a masterplan with one OPD and one program `p1`; an edit is
// UpdateProgram{programId: p1, title}. Messages are scanned, not parsed: the load generator
// shares the machine with the server and should cost it as little as possible.
#include <string>

#include "protocol.hpp"

namespace rembuk::loadgen {
namespace {

std::string_view string_field(std::string_view text, std::string_view key) {
  std::string pattern = "\"";
  pattern += key;
  pattern += "\":\"";
  const auto at = text.find(pattern);
  if (at == std::string_view::npos) return {};
  const auto start = at + pattern.size();
  const auto end = text.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : text.substr(start, end - start);
}

class RembukProtocol final : public Protocol {
 public:
  explicit RembukProtocol(std::string token) : token_(std::move(token)) {}

  std::vector<std::string> opening() override {
    return {R"({"type":"hello","token":")" + token_ + "\"}"};
  }

  Incoming read(std::string_view text) override {
    Incoming in;
    const auto type = string_field(text, "type");
    if (type == "welcome") {
      in.kind = Incoming::Kind::ready;
    } else if (type == "ack") {
      in.kind = Incoming::Kind::ack;
      in.id = std::string(string_field(text, "commandId"));
    } else if (type == "reject") {
      in.kind = Incoming::Kind::reject;
      in.id = std::string(string_field(text, "commandId"));
      in.detail = std::string(string_field(text, "code"));
    } else if (type == "error") {
      in.kind = Incoming::Kind::error;
      in.detail = std::string(text);
    } else if (type == "events") {
      if (text.find("\"catchUp\":true") != std::string_view::npos) {
        in.kind = Incoming::Kind::subscribed;
        return in;  // history, not live edits
      }
      constexpr std::string_view key = "\"commandId\":\"";
      std::size_t pos = 0;
      while ((pos = text.find(key, pos)) != std::string_view::npos) {
        pos += key.size();
        const auto end = text.find('"', pos);
        if (end == std::string_view::npos) break;
        in.seen.emplace_back(text.substr(pos, end - pos));
        pos = end;
      }
    }
    return in;
  }

  std::vector<std::pair<std::string, std::string>> seed(const std::string& mp) override {
    std::vector<std::pair<std::string, std::string>> steps;
    auto submit = [&](const std::string& step, const std::string& command) {
      const std::string id = mp + "-seed-" + step;
      steps.emplace_back(id, R"({"type":"submit","commandId":")" + id + R"(","masterplan":")" +
                                 mp + R"(","command":)" + command + "}");
    };
    submit("create", R"({"type":"CreateMasterplan","cityName":"Bench","regionCode":"13.71",)"
                     R"("startYear":2019,"endYear":2023})");
    submit("opd", R"({"type":"RegisterOpd","opdId":"diskominfo","name":"Dinas Kominfo"})");
    submit("p1", R"({"type":"AddProgram","programId":"p1","title":"Program",)"
                 R"("dimension":"governance","element":"public_service",)"
                 R"("leadOpd":"diskominfo","startYear":2019,"endYear":2023})");
    return steps;
  }

  bool seed_refusal_is_harmless(const Incoming& reject) const override {
    return reject.detail == "masterplan.exists" || reject.detail == "opd.id_taken" ||
           reject.detail == "program.id_taken";
  }

  std::string subscribe(const std::string& mp) override {
    // fromVersion 0 is fine: a benchmark masterplan's history is short or snapshotted.
    return R"({"type":"subscribe","masterplan":")" + mp + R"(","fromVersion":0})";
  }

  std::string edit(const std::string& mp, const std::string& id) override {
    return R"({"type":"submit","commandId":")" + id + R"(","masterplan":")" + mp +
           R"(","command":{"type":"UpdateProgram","programId":"p1","title":")" + id + "\"}}";
  }

 private:
  std::string token_;
};

}  // namespace

std::unique_ptr<Protocol> make_rembuk_protocol(const std::string& token) {
  return std::make_unique<RembukProtocol>(token);
}

std::unique_ptr<Protocol> make_protocol(std::string_view system, const std::string& token) {
  if (system == "rembuk") return make_rembuk_protocol(token);
  if (system == "sharedb") return make_sharedb_protocol();
  return nullptr;
}

}  // namespace rembuk::loadgen
