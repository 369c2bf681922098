// The "plugins" object of the server's config file (rembuk serve --config FILE):
//   {"plugins": {"isolated": ["padang"], "inProcess": ["pariaman"], "isolateByDefault": true,
//                "budgetMs": 50}}
// Every other key of the file belongs to the server (kernel/server options).
#include <fstream>
#include <iterator>

#include <boost/json/parse.hpp>

#include "rembuk/plugins/plugin_host.hpp"

namespace rembuk::plugins {

namespace json = boost::json;

Result<Unit, std::string> read_plugin_config(const std::filesystem::path& file,
                                             HostOptions& options) {
  const std::string where = file.string();
  std::ifstream in(file);
  if (!in) return fail(where + ": cannot read");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::system::error_code ec;
  const auto root = json::parse(text, ec);
  if (ec || !root.is_object()) return fail(where + ": not a JSON object");
  const auto* section = root.as_object().if_contains("plugins");
  if (section == nullptr) return Unit{};
  if (!section->is_object()) return fail(where + ": \"plugins\" must be an object");
  HostOptions read = options;
  for (const auto& [key, value] : section->as_object()) {
    if (key == "isolated" || key == "inProcess") {
      auto& names = key == "isolated" ? read.isolated : read.in_process;
      const std::string field = "plugins." + std::string(key);
      if (!value.is_array()) return fail(where + ": " + field + " must be an array of names");
      names.clear();
      for (const auto& name : value.as_array()) {
        if (!name.is_string()) return fail(where + ": " + field + " must hold plugin names");
        names.emplace_back(name.as_string());
      }
    } else if (key == "isolateByDefault") {
      if (!value.is_bool()) return fail(where + ": plugins.isolateByDefault must be true or false");
      read.isolate_by_default = value.as_bool();
    } else if (key == "budgetMs") {
      if (!value.is_number() || value.to_number<double>() <= 0) {
        return fail(where + ": plugins.budgetMs must be a positive number");
      }
      read.budget = std::chrono::microseconds(
          static_cast<long long>(value.to_number<double>() * 1000));
    } else {
      return fail(where + ": unknown key \"plugins." + std::string(key) + "\"");
    }
  }
  options = std::move(read);
  return Unit{};
}

}  // namespace rembuk::plugins
