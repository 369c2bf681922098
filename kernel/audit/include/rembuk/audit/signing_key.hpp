// SigningKey: the server's Ed25519 key that signs checkpoints and seals bundles.
//
// The key lives beside the data, in DATA/audit-key: a PKCS#8 PEM file made at first start
// with O_CREAT|O_EXCL and mode 0600, fsynced. A key file that group or others may read is
// refused (like ssh does), so a copied file with loose permissions is noticed. The private
// key is never logged or printed; only the public key and its id are.
//
// Key id = lower-case hex of the first 8 bytes of SHA-256(raw 32-byte public key); it
// names the key in checkpoints and in `rembuk audit verify`'s output.
//
// Thread safety: a SigningKey is immutable after construction; sign() may be called from
// several threads at once. Move-only.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "rembuk/audit/errors.hpp"

namespace rembuk::audit {

inline constexpr std::string_view key_file_name = "audit-key";

class SigningKey {
 public:
  // Reads DATA/audit-key, or makes it (and the folder) when it does not exist.
  static AuditResult<SigningKey> load_or_create(const std::string& data_dir);
  // Reads DATA/audit-key; key_error when it does not exist.
  static AuditResult<SigningKey> load(const std::string& data_dir);
  // A key from a fixed 32-byte seed: for tests and the golden bundle only.
  static AuditResult<SigningKey> from_seed(std::string_view seed32);

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  // The raw 32-byte public key.
  const std::string& public_key() const { return public_key_; }
  // 16 hex characters (see above).
  const std::string& key_id() const { return key_id_; }
  // The 64-byte Ed25519 signature of `message`.
  std::string sign(std::string_view message) const;

 private:
  struct PkeyFree {
    void operator()(void* pkey) const;
  };
  explicit SigningKey(void* pkey);
  std::unique_ptr<void, PkeyFree> pkey_;  // EVP_PKEY*
  std::string public_key_;
  std::string key_id_;
};

// The key id of a raw 32-byte public key.
std::string key_id_of(std::string_view public_key);

// True when `signature` is a valid Ed25519 signature of `message` by `public_key` (raw
// 32 bytes). Needs no key file.
bool verify_signature(std::string_view public_key, std::string_view message,
                      std::string_view signature);

}  // namespace rembuk::audit
