// Fuzz target: the plugin descriptor reader (kernel/plugins/src/descriptor_reader.hpp).
// A descriptor is C structs of pointers, so the input is not the descriptor's bytes: it is a
// recipe (FuzzedDataProvider) for one, with arbitrary strings (any bytes, up to a little over
// REMBUK_PLUGIN_MAX_TEXT, NUL-terminated or not within the limit), NULL pointers, and counts
// that may exceed the arrays' limit. Every pointer the recipe makes is valid; a wild pointer
// is the isolated mode's job, not the reader's. read_descriptor must refuse or accept without
// crashing, reading past a string's bound, or walking past an array.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include "descriptor_reader.hpp"

namespace {

// Owns everything the descriptor points to.
class Recipe {
 public:
  explicit Recipe(FuzzedDataProvider& in) : in_(in) {}

  // NULL, a well-formed choice, or arbitrary bytes. Strings are stored with a NUL after them
  // unless the recipe asks for an unterminated one of more than REMBUK_PLUGIN_MAX_TEXT + 1 bytes
  // (the reader must stop at the bound, which ASan checks: the buffer ends right there).
  const char* text(const char* valid) {
    switch (in_.ConsumeIntegralInRange<int>(0, 5)) {
      case 0: return nullptr;
      case 1: case 2: return valid;
      case 3: {
        auto& s = owned_.emplace_back(REMBUK_PLUGIN_MAX_TEXT + in_.ConsumeIntegralInRange<int>(1, 3),
                                      in_.ConsumeIntegral<char>());
        if (s.back() == '\0') s.back() = 'x';
        unterminated_.emplace_back(s.begin(), s.end());  // exactly s.size() bytes, no NUL
        return unterminated_.back().data();
      }
      default:
        return owned_.emplace_back(in_.ConsumeRandomLengthString(96)).c_str();
    }
  }

  std::size_t count(std::size_t made) {
    // Usually the real count; sometimes a lie the reader must not believe past its limit.
    if (in_.ConsumeIntegralInRange<int>(0, 15) != 0) return made;
    return in_.ConsumeIntegralInRange<std::size_t>(0, made);
  }

  rembuk_plugin_descriptor make() {
    rembuk_plugin_descriptor d{};
    d.abi_version = in_.ConsumeBool() ? REMBUK_PLUGIN_ABI_VERSION : in_.ConsumeIntegral<uint32_t>();
    d.name = text("fuzzkota");
    d.version = text("1.0.0-rc.1+build.5");
    d.region_code = text("13.71");
    d.region_name = text("Kota Fuzz");
    d.description = text("");
    const std::size_t pillars = in_.ConsumeIntegralInRange<std::size_t>(0, 66);
    auto& pillar_array = pillars_.emplace_back(pillars);
    for (auto& p : pillar_array) {
      p.id = text("pariwisata");
      p.name_id = text("Pariwisata");
      p.name_en = text("Tourism");
      p.description = text("");
      const std::size_t elements = in_.ConsumeIntegralInRange<std::size_t>(0, 66);
      auto& element_array = elements_.emplace_back(elements);
      for (auto& e : element_array) {
        e.id = text("pantai");
        e.name_id = text("Pantai");
        e.name_en = text("Beach");
      }
      p.elements = in_.ConsumeIntegralInRange<int>(0, 20) == 0 ? nullptr : element_array.data();
      p.element_count = count(elements);
    }
    d.pillars = in_.ConsumeIntegralInRange<int>(0, 20) == 0 ? nullptr : pillar_array.data();
    d.pillar_count = count(pillars);
    const std::size_t validators = in_.ConsumeIntegralInRange<std::size_t>(0, 66);
    auto& validator_array = validators_.emplace_back(validators);
    for (auto& v : validator_array) {
      v.name = text("coastal_needs_bpbd");
      const std::size_t types = in_.ConsumeIntegralInRange<std::size_t>(0, 66);
      auto& type_array = types_.emplace_back(types);
      for (auto& t : type_array) t = text("AddProgram");
      v.command_types = in_.ConsumeIntegralInRange<int>(0, 20) == 0 ? nullptr : type_array.data();
      v.command_type_count = count(types);
      v.validate = in_.ConsumeIntegralInRange<int>(0, 10) == 0 ? nullptr : &never_called;
      v.user_data = nullptr;
    }
    d.validators = in_.ConsumeIntegralInRange<int>(0, 20) == 0 ? nullptr : validator_array.data();
    d.validator_count = count(validators);
    return d;
  }

 private:
  // The reader only checks validators; it must never call one.
  static int32_t never_called(void*, const rembuk_call*, const rembuk_host_sink*) {
    std::abort();
  }

  FuzzedDataProvider& in_;
  std::deque<std::string> owned_;
  std::deque<std::vector<char>> unterminated_;
  std::deque<std::vector<rembuk_pillar>> pillars_;
  std::deque<std::vector<rembuk_element>> elements_;
  std::deque<std::vector<rembuk_validator>> validators_;
  std::deque<std::vector<const char*>> types_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Recipe recipe(in);
  const rembuk_plugin_descriptor descriptor = recipe.make();
  auto read = rembuk::plugins::detail::read_descriptor(&descriptor);
  (void)read;
  return 0;
}
