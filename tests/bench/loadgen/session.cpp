#include "session.hpp"

#include <cstdio>
#include <cstdlib>

#include <boost/asio/ip/tcp.hpp>

namespace rembuk::loadgen {

namespace asio = boost::asio;

void die(const std::string& why) {
  std::fprintf(stderr, "rembuk-loadgen: %s\n", why.c_str());
  std::exit(1);
}

Session::Session(asio::io_context& ioc, const Target& target)
    : ws_(std::make_shared<WsClient>(ioc)),
      protocol_(make_protocol(target.system, target.token)),
      target_(target) {
  if (!protocol_) die("unknown system '" + target.system + "'");
}

Session::~Session() {
  ws_->on_message(nullptr);
  ws_->on_closed(nullptr);
}

void Session::start(OnIncoming handler) {
  ws_->on_message([this, handler = std::move(handler)](std::string_view text) {
    const Incoming in = protocol_->read(text);
    if (in.kind == Incoming::Kind::error) die("protocol error: " + in.detail);
    handler(*this, in);
  });
  ws_->on_closed([] { die("a connection was lost during the run"); });
  ws_->connect(target_.endpoint, target_.ws, [this](bool ok) {
    if (!ok) die("cannot connect to " + target_.ws.host + ":" + target_.ws.port);
    for (auto& text : protocol_->opening()) ws_->send(std::move(text));
  });
}

bool resolve(asio::io_context& ioc, Target& target) {
  asio::ip::tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  const auto results = resolver.resolve(target.ws.host, target.ws.port, ec);
  if (ec || results.empty()) {
    std::fprintf(stderr, "rembuk-loadgen: cannot resolve %s:%s\n", target.ws.host.c_str(),
                 target.ws.port.c_str());
    return false;
  }
  target.endpoint = *results.begin();
  return true;
}

bool seed_documents(asio::io_context& ioc, const Target& target,
                    const std::vector<std::string>& documents) {
  Session seeder(ioc, target);
  std::vector<std::pair<std::string, std::string>> steps;
  for (const auto& d : documents) {
    for (auto& step : seeder.protocol().seed(d)) steps.push_back(std::move(step));
  }
  std::size_t next = 0;
  bool ok = true;
  bool done = false;
  auto send_next = [&](Session& s) {
    if (next < steps.size()) {
      s.send(steps[next++].second);
    } else {
      done = true;
    }
  };
  seeder.start([&](Session& s, const Incoming& in) {
    switch (in.kind) {
      case Incoming::Kind::ready:
        return send_next(s);
      case Incoming::Kind::ack:
        return send_next(s);
      case Incoming::Kind::reject:
        if (!s.protocol().seed_refusal_is_harmless(in)) {
          std::fprintf(stderr, "rembuk-loadgen: seed step %s refused: %s\n", in.id.c_str(),
                       in.detail.c_str());
          ok = false;
        }
        return send_next(s);
      default:
        return;
    }
  });
  while (!done && ioc.run_one() > 0) {
  }
  seeder.close();
  ioc.restart();
  ioc.run_for(std::chrono::milliseconds(50));
  ioc.restart();
  return ok && done;
}

}  // namespace rembuk::loadgen
