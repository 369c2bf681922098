// Command ids as rembuk's clients make them, for the benchmarks that stand in for clients.
//
// The TypeScript client (clients/js, used by the web client) names a command "c-<ms base36>-<48 random bits base36>":
// time-ordered, so the commands index of the event log receives its new keys at one end, the
// way a B-tree is cheapest to grow (docs/protocol.md, "Command ids"). A benchmark that made
// ids some other way would measure the index under a load no rembuk client produces.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

namespace rembuk::bench {

// `value` in base 36, left-padded with '0' to `width` digits (as JavaScript's toString(36)).
inline std::string base36(std::uint64_t value, std::size_t width) {
  std::string out;
  do {
    out.insert(out.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[value % 36]);
    value /= 36;
  } while (value != 0);
  if (out.size() < width) out.insert(0, width - out.size(), '0');
  return out;
}

// "c-<now in ms, 8 base-36 digits>-<48 random bits, 10 digits>", as the TypeScript client.
inline std::string client_command_id(std::mt19937_64& random) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return "c-" + base36(static_cast<std::uint64_t>(ms), 8) + "-" + base36(random() >> 16, 10);
}

// "c-<48 random bits>": no order at all (an id a client drew from a UUIDv4-like source).
inline std::string random_command_id(std::mt19937_64& random) {
  return "c-" + base36(random() >> 16, 10);
}

}  // namespace rembuk::bench
