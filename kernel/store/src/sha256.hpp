// SHA-256 through OpenSSL's EVP interface, fed in pieces.
//
// Thread safety: one Sha256 per thread; separate objects are independent.
#pragma once

#include <memory>
#include <string_view>

#include "rembuk/store/event_log.hpp"

struct evp_md_ctx_st;

namespace rembuk::store {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Starts a new digest; the object can be reused after finish().
  void reset();
  void update(std::string_view bytes);
  Hash finish();

 private:
  struct CtxDeleter {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxDeleter> ctx_;
};

}  // namespace rembuk::store
