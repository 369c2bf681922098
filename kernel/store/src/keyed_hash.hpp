// KeyedHash: SipHash-2-4 (Aumasson and Bernstein) under a random key drawn when it is made,
// and a tuple hash built on it: what verify's commands check sums (verifier.cpp,
// CommandTuples), so that no one who can write the index can make a wrong one sum to the
// right total without knowing the key.
//
// Thread safety: const members may be called from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string_view>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

class KeyedHash {
 public:
  KeyedHash() {
    std::random_device random;
    k0_ = (std::uint64_t{random()} << 32) | random();
    k1_ = (std::uint64_t{random()} << 32) | random();
  }

  std::uint64_t operator()(std::string_view bytes) const {
    std::uint64_t v[4] = {k0_ ^ 0x736f6d6570736575ULL, k1_ ^ 0x646f72616e646f6dULL,
                          k0_ ^ 0x6c7967656e657261ULL, k1_ ^ 0x7465646279746573ULL};
    std::size_t at = 0;
    for (; at + 8 <= bytes.size(); at += 8) absorb(v, load(bytes.data() + at, 8));
    std::uint64_t last = std::uint64_t{bytes.size() & 0xff} << 56;
    last |= load(bytes.data() + at, bytes.size() - at);
    absorb(v, last);
    v[2] ^= 0xff;
    for (int i = 0; i < 4; ++i) round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  // The hash of one (command, position, revision) tuple, the command given by its keyed hash
  // (one per command, not per event): the position and revision are mixed into it with
  // MurmurHash3's 64-bit finaliser, a bijection, twice (so that a change of either flips
  // about half the bits of the result).
  static std::uint64_t tuple(std::uint64_t command, Position position, Revision revision) {
    return mix(mix(command ^ (position * 0x9e3779b97f4a7c15ULL)) + revision);
  }

 private:
  static std::uint64_t load(const char* p, std::size_t n) {  // little-endian, n <= 8
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < n; ++i) {
      word |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    return word;
  }
  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
  }
  static std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
  static void round(std::uint64_t* v) {
    v[0] += v[1];
    v[1] = rotl(v[1], 13);
    v[1] ^= v[0];
    v[0] = rotl(v[0], 32);
    v[2] += v[3];
    v[3] = rotl(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = rotl(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = rotl(v[1], 17);
    v[1] ^= v[2];
    v[2] = rotl(v[2], 32);
  }
  static void absorb(std::uint64_t* v, std::uint64_t m) {
    v[3] ^= m;
    round(v);
    round(v);
    v[0] ^= m;
  }

  std::uint64_t k0_ = 0;
  std::uint64_t k1_ = 0;
};

}  // namespace rembuk::store
