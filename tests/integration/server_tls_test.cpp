// TLS (docs/security.md, "TLS"): with a certificate configured the one port speaks wss:// and
// https:// only. The certificate is self-signed, made for each test by the openssl CLI.
#include <cstdlib>

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "server_fixture.hpp"

namespace rembuk::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;

class Tls : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    std::filesystem::create_directories(dir_);
    cert_ = (dir_ / "cert.pem").string();
    key_ = (dir_ / "key.pem").string();
    ASSERT_TRUE(make_certificate(cert_, key_)) << "openssl req failed";
  }

  // A self-signed certificate for 127.0.0.1 (P-256 key: quick to make).
  static bool make_certificate(const std::string& cert, const std::string& key) {
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" + key +
        "' -out '" + cert + "' >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
  }

  server::ServerOptions tls_options() const {
    auto options = default_options();
    options.tls_cert_file = cert_;
    options.tls_key_file = key_;
    return options;
  }

  // A client context that trusts only our certificate and checks the peer's address.
  ssl::context client_context(bool trust = true) const {
    ssl::context ctx(ssl::context::tls_client);
    if (trust) ctx.load_verify_file(cert_);
    ctx.set_verify_mode(ssl::verify_peer);
    return ctx;
  }

  std::string cert_;
  std::string key_;
};

TEST_F(Tls, WssAndHttpsWorkWithTheConfiguredCertificate) {
  start(tls_options());
  asio::io_context ioc;
  auto ctx = client_context();

  // wss://: hello, welcome, subscribe, events, ping.
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, ctx);
  beast::get_lowest_layer(ws).connect({asio::ip::make_address("127.0.0.1"), port_});
  ws.next_layer().set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  ws.next_layer().handshake(ssl::stream_base::client);
  ws.handshake("127.0.0.1", "/ws");
  auto exchange = [&](const json::object& message) {
    ws.write(asio::buffer(json::serialize(message)));
    beast::flat_buffer buffer;
    ws.read(buffer);
    return json::parse(beast::buffers_to_string(buffer.data())).as_object();
  };
  auto welcome = exchange(hello(token("u-tls", {"viewer"})));
  EXPECT_EQ(welcome.at("type").as_string(), "welcome");
  EXPECT_EQ(welcome.at("user").as_string(), "u-tls");
  append("mp", 2);
  auto events = exchange({{"type", "subscribe"}, {"masterplan", "mp"}});
  EXPECT_EQ(events.at("type").as_string(), "events");
  EXPECT_EQ(events.at("events").as_array().size(), 2u);
  EXPECT_EQ(exchange({{"type", "ping"}}).at("type").as_string(), "pong");
  ws.close(websocket::close_code::normal);

  // https://
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).connect({asio::ip::make_address("127.0.0.1"), port_});
  stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  stream.handshake(ssl::stream_base::client);
  http::request<http::string_body> req{http::verb::get, "/healthz", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_NE(res.body().find("ok"), std::string::npos);
}

TEST_F(Tls, PlainClientsAndUntrustingClientsGetNoService) {
  start(tls_options());
  // Plain WebSocket and plain HTTP to the TLS port: no handshake, no answer.
  std::string error;
  EXPECT_EQ(WsTestClient::connect(port_, &error), nullptr);
  EXPECT_EQ(http_get(port_, "/healthz").status, 0u);
  // A client that does not trust the certificate refuses the server (it is real TLS).
  asio::io_context ioc;
  auto ctx = client_context(/*trust=*/false);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).connect({asio::ip::make_address("127.0.0.1"), port_});
  beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  EXPECT_TRUE(ec) << "an unknown self-signed certificate was accepted";
  // The server is still up for a good client.
  auto good_ctx = client_context();
  beast::ssl_stream<beast::tcp_stream> good(ioc, good_ctx);
  beast::get_lowest_layer(good).connect({asio::ip::make_address("127.0.0.1"), port_});
  good.handshake(ssl::stream_base::client, ec);
  EXPECT_FALSE(ec) << ec.message();
}

TEST_F(Tls, BadCertificateOrKeyFailsStartWithTheFileNamed) {
  auto missing = tls_options();
  missing.tls_cert_file = (dir_ / "nope.pem").string();
  server::Server a(missing, *log_, nullptr);
  auto started = a.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().find("nope.pem"), std::string::npos) << started.error();

  // A key that is not the certificate's.
  const std::string other_cert = (dir_ / "other-cert.pem").string();
  const std::string other_key = (dir_ / "other-key.pem").string();
  ASSERT_TRUE(make_certificate(other_cert, other_key));
  auto mismatched = tls_options();
  mismatched.tls_key_file = other_key;
  server::Server b(mismatched, *log_, nullptr);
  auto refused = b.start();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("other-key.pem"), std::string::npos) << refused.error();

  auto half = tls_options();
  half.tls_key_file.clear();
  server::Server c(half, *log_, nullptr);
  EXPECT_FALSE(c.start().ok());
}

}  // namespace
}  // namespace rembuk::testing
