#include "sha256.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

namespace rembuk::store {
namespace {

// OpenSSL failing to hash in memory is a broken invariant (out of memory, broken library).
void require(int ok, const char* what) {
  if (ok != 1) {
    std::fprintf(stderr, "rembuk store: %s failed\n", what);
    std::abort();
  }
}

}  // namespace

void Sha256::CtxDeleter::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  require(ctx_ != nullptr ? 1 : 0, "EVP_MD_CTX_new");
  reset();
}

Sha256::~Sha256() = default;

void Sha256::reset() { require(EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr), "init"); }

void Sha256::update(std::string_view bytes) {
  require(EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()), "EVP_DigestUpdate");
}

Hash Sha256::finish() {
  Hash out{};
  unsigned int size = 0;
  require(EVP_DigestFinal_ex(ctx_.get(), out.data(), &size), "EVP_DigestFinal_ex");
  require(size == out.size() ? 1 : 0, "sha256 size");
  reset();
  return out;
}

}  // namespace rembuk::store
