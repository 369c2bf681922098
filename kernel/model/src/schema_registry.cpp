// SchemaRegistry: valijson schemas compiled once from the embedded files.
#include "rembuk/model/schema_registry.hpp"

#include <map>

#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "embedded_schemas.hpp"

namespace rembuk::model {

namespace json = boost::json;

struct SchemaRegistry::Impl {
  // Keyed by "commands/<Type>" and "events/<Type>.v<N>".
  std::map<std::string, std::unique_ptr<valijson::Schema>, std::less<>> schemas;
  std::vector<std::string> files;

  const valijson::Schema* find(std::string_view key) const {
    auto it = schemas.find(key);
    return it == schemas.end() ? nullptr : it->second.get();
  }
};

SchemaRegistry::SchemaRegistry() : impl_(std::make_unique<Impl>()) {
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  for (std::size_t i = 0; i < embedded::schema_file_count; ++i) {
    const auto& file = embedded::schema_files[i];
    if (file.name == nullptr) continue;
    json::error_code ec;
    json::value document = json::parse(file.text, ec);
    if (ec) {
      std::fprintf(stderr, "rembuk: embedded schema %s is not JSON: %s\n", file.name,
                   ec.message().c_str());
      std::abort();
    }
    auto schema = std::make_unique<valijson::Schema>();
    valijson::adapters::BoostJsonAdapter adapter(document);
    parser.populateSchema(adapter, *schema);  // aborts on an invalid schema (a build defect)
    std::string key = file.name;
    key = key.substr(0, key.size() - 5);  // drop ".json"
    impl_->schemas.emplace(key, std::move(schema));
    impl_->files.emplace_back(file.name);
  }
}

SchemaRegistry::~SchemaRegistry() = default;

const SchemaRegistry& SchemaRegistry::builtin() {
  static const SchemaRegistry registry;
  return registry;
}

bool SchemaRegistry::has_command(std::string_view type) const {
  return impl_->find("commands/" + std::string(type)) != nullptr;
}

bool SchemaRegistry::has_event(std::string_view type, std::uint32_t schema_version) const {
  return impl_->find("events/" + std::string(type) + ".v" + std::to_string(schema_version)) !=
         nullptr;
}

namespace {

// valijson's context ("<root>", "[\"title\"]", "[3]") as a JSON pointer.
std::string pointer_of(const std::vector<std::string>& context, std::string_view prefix) {
  std::string pointer(prefix);
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
      token = token.substr(1, token.size() - 2);
    }
    std::string escaped;
    for (char c : token) {
      if (c == '~' || c == '/') {
        escaped.push_back('~');
        escaped.push_back(c == '~' ? '0' : '1');
      } else {
        escaped.push_back(c);
      }
    }
    pointer.push_back('/');
    pointer.append(escaped);
  }
  return pointer;
}

std::vector<Violation> check(const valijson::Schema& schema, const json::value& value,
                             std::string_view prefix) {
  std::vector<Violation> violations;
  // One validator per thread: it caches the compiled std::regex of every "pattern", which
  // would otherwise be recompiled on every call (most of the cost of a check).
  thread_local valijson::Validator validator;
  valijson::adapters::BoostJsonAdapter adapter(value);
  // Fast path: stop at the first error and collect nothing.
  if (validator.validate(schema, adapter, nullptr)) return violations;
  valijson::ValidationResults results;
  validator.validate(schema, adapter, &results);
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    // valijson reports each failing subschema and its parents; keep the leaves' messages.
    violations.push_back(Violation{"schema", pointer_of(error.context, prefix),
                                   "Tidak sesuai skema: " + error.description,
                                   "Does not match the schema: " + error.description,
                                   nullptr});
  }
  if (violations.empty()) {
    violations.push_back(Violation{"schema", std::string(prefix), "Tidak sesuai skema",
                                   "Does not match the schema", nullptr});
  }
  return violations;
}

}  // namespace

std::vector<Violation> SchemaRegistry::check_command(std::string_view type,
                                                     const json::value& value,
                                                     std::string_view path_prefix) const {
  const valijson::Schema* schema = impl_->find("commands/" + std::string(type));
  if (schema == nullptr) std::abort();  // REQUIRES: has_command(type)
  return check(*schema, value, path_prefix);
}

std::vector<Violation> SchemaRegistry::check_event(std::string_view type,
                                                   std::uint32_t schema_version,
                                                   const json::value& value) const {
  const valijson::Schema* schema =
      impl_->find("events/" + std::string(type) + ".v" + std::to_string(schema_version));
  if (schema == nullptr) std::abort();  // REQUIRES: has_event(type, schema_version)
  return check(*schema, value, "/payload");
}

std::vector<std::string> SchemaRegistry::files() const { return impl_->files; }

}  // namespace rembuk::model
