#include "rembuk/audit/signing_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "rembuk/audit/record_hash.hpp"
#include "rembuk/common/private_file.hpp"

namespace rembuk::audit {
namespace {

namespace fs = std::filesystem;

Failure<Error> key_failure(std::string message) {
  return fail(Error{ErrorCode::key_error, std::move(message)});
}

EVP_PKEY* as_pkey(void* p) { return static_cast<EVP_PKEY*>(p); }

std::string raw_public_key(EVP_PKEY* pkey) {
  std::string out(32, '\0');
  std::size_t size = out.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(out.data()), &size) !=
          1 ||
      size != 32) {
    return {};
  }
  return out;
}

AuditResult<std::string> pem_of(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return key_failure("no memory for the key");
  if (PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    BIO_free(bio);
    return key_failure("cannot encode the key as PEM");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

}  // namespace

void SigningKey::PkeyFree::operator()(void* pkey) const { EVP_PKEY_free(as_pkey(pkey)); }

SigningKey::SigningKey(void* pkey) : pkey_(pkey) {
  public_key_ = raw_public_key(as_pkey(pkey));
  key_id_ = key_id_of(public_key_);
}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

std::string key_id_of(std::string_view public_key) {
  const auto digest = sha256(public_key);
  return hex(std::string_view(reinterpret_cast<const char*>(digest.data()), 8));
}

AuditResult<SigningKey> SigningKey::from_seed(std::string_view seed32) {
  if (seed32.size() != 32) return key_failure("an Ed25519 seed is 32 bytes");
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed32.data()), 32);
  if (pkey == nullptr) return key_failure("OpenSSL refused the Ed25519 seed");
  return SigningKey(pkey);
}

AuditResult<SigningKey> SigningKey::load(const std::string& data_dir) {
  const fs::path path = fs::path(data_dir) / key_file_name;
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return key_failure("no signing key " + path.string() + ": " + std::strerror(errno));
  }
  if ((info.st_mode & 077) != 0) {
    return key_failure(path.string() +
                       " may be read by group or others; chmod 600 it (it signs the history)");
  }
  std::ifstream in(path, std::ios::binary);
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return key_failure("cannot read " + path.string());
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return key_failure("no memory for the key");
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) return key_failure(path.string() + " is not a PEM private key");
  if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(pkey);
    return key_failure(path.string() + " is not an Ed25519 key");
  }
  return SigningKey(pkey);
}

AuditResult<SigningKey> SigningKey::load_or_create(const std::string& data_dir) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return key_failure("cannot create " + data_dir + ": " + ec.message());
  const fs::path path = fs::path(data_dir) / key_file_name;
  if (fs::exists(path, ec)) return load(data_dir);

  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  const bool made = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 &&
                    EVP_PKEY_keygen(ctx, &pkey) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!made) return key_failure("OpenSSL cannot make an Ed25519 key");
  SigningKey key(pkey);
  auto pem = pem_of(pkey);
  if (!pem) return fail(std::move(pem).error());
  auto created = create_private_file(path, *pem);
  if (!created) return key_failure(std::move(created).error());
  // Another process (a second node on this folder) made it first: use theirs, so both sign
  // with the same key. It is complete: create_private_file links only whole files.
  if (*created == PrivateFile::already_there) return load(data_dir);
  return key;
}

std::string SigningKey::sign(std::string_view message) const {
  std::string signature(64, '\0');
  std::size_t size = signature.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  // Ed25519 signing with a valid key cannot fail short of a broken OpenSSL: crash loudly.
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, as_pkey(pkey_.get())) != 1 ||
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) !=
          1 ||
      size != 64) {
    std::abort();
  }
  EVP_MD_CTX_free(ctx);
  return signature;
}

bool verify_signature(std::string_view public_key, std::string_view message,
                      std::string_view signature) {
  if (public_key.size() != 32 || signature.size() != 64) return false;
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()), 32);
  if (pkey == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return ok;
}

}  // namespace rembuk::audit
