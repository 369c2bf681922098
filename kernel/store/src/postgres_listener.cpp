#include "postgres_listener.hpp"

#include <poll.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "pg_connection.hpp"
#include "postgres_schema.hpp"

namespace rembuk::store {
namespace {

constexpr int poll_ms = 50;  // how long stop() may wait for the thread
constexpr auto head_interval = std::chrono::seconds(1);

Position read_head(pg::PgConnection& conn, const std::string& schema) {
  auto rows = conn.exec("SELECT position FROM " + pg::table(schema, "log_head") + " WHERE id = 1");
  return rows.count() == 1 ? static_cast<Position>(rows.int8(0, 0)) : 0;
}

}  // namespace

PostgresListener::PostgresListener(const PostgresOptions& options, CommitSignal& signal)
    : conninfo_(options.conninfo), schema_(options.schema), signal_(signal),
      thread_([this] { run(); }) {}

PostgresListener::~PostgresListener() { stop(); }

void PostgresListener::stop() {
  stopping_.store(true);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void PostgresListener::run() {
  std::unique_ptr<pg::PgConnection> conn;
  bool reported = false;
  auto next_head = std::chrono::steady_clock::now();
  while (!stopping_.load()) {
    try {
      if (!conn) {
        conn = std::make_unique<pg::PgConnection>(conninfo_);
        conn->exec("LISTEN \"" + pg::channel(schema_) + "\"");
        next_head = std::chrono::steady_clock::now();  // catch up on what passed meanwhile
        reported = false;
      }
      if (std::chrono::steady_clock::now() >= next_head) {
        signal_.publish(read_head(*conn, schema_));
        next_head = std::chrono::steady_clock::now() + head_interval;
      }
      pollfd fd{conn->socket(), POLLIN, 0};
      if (::poll(&fd, 1, poll_ms) > 0) {
        Position highest = 0;
        for (const auto& payload : conn->take_notifications()) {
          const Position p = std::strtoull(payload.c_str(), nullptr, 10);
          if (p > highest) highest = p;
        }
        if (highest > 0) signal_.publish(highest);
      }
    } catch (const pg::PgFailure& failure) {
      if (!reported) {
        std::fprintf(stderr, "rembuk store: PostgreSQL LISTEN connection lost, retrying: %s\n",
                     failure.error.message.c_str());
        reported = true;
      }
      conn.reset();
      for (int i = 0; i < 10 && !stopping_.load(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
      }
    }
  }
}

}  // namespace rembuk::store
