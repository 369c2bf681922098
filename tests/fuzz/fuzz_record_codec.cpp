// Fuzz target: the event record codec (kernel/store/src/record_codec.hpp). Stored bytes are
// untrusted once a disk or a copy can corrupt them: decode() must refuse bad bytes with
// nullopt, never crash, and what it accepts must re-encode to the very same bytes (the
// grammar has one encoding per record, which the hash chain relies on).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "record_codec.hpp"

namespace record = rembuk::store::record;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)record::canonical_part(bytes);
  if (bytes.size() >= 2 * record::hash_size) (void)record::stored_hash(bytes);
  auto event = record::decode(bytes);
  if (!event) return 0;
  if (record::encode(*event) != bytes) std::abort();
  std::string canonical;
  record::append_canonical(canonical, record::fields_of(*event));
  if (canonical != record::canonical_part(bytes)) std::abort();
  (void)record::compute_hash(event->prev_hash, canonical);
  return 0;
}
