// CommandPath: the server's one door to the domain — submitting commands and reading a
// masterplan's state. The engine-backed implementation (engine_command_path.cpp) is the
// only server file that knows the engine and the model; without an engine every submit is
// rejected with `unavailable` (no_engine_command_path.cpp).
//
// Thread safety: every member may be called from any thread. `done` runs on a thread
// owned by the engine; it must only post work elsewhere.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "rembuk/common/result.hpp"

namespace rembuk::store {
class EventLog;
}
namespace rembuk::engine {
class CommandEngine;
}

namespace rembuk::server {

struct SubmitRequest {
  std::string masterplan;
  std::string command_id;
  std::string user;
  std::vector<std::string> roles;
  std::string opd;
  std::optional<std::uint64_t> base_version;
  boost::json::object command;
};

struct SubmitResult {
  bool accepted = false;
  bool duplicate = false;
  std::uint64_t version = 0;
  std::string code;  // wire code (auth.forbidden is sent as forbidden)
  std::string message;
  boost::json::array violations;
};

struct StateAt {
  std::uint64_t version = 0;
  bool exists = false;
  std::string json;  // canonical JSON state without bookkeeping
};

// What the server needs of a masterplan to decide who may see it (docs/security.md, "Who
// sees which masterplan"): whether it exists, its city's name (the password policy), and
// one user's membership.
struct MasterplanPeople {
  bool exists = false;
  std::string city_name;
  bool member = false;
  std::string role;  // the member's role
  std::string opd;   // the member's OPD (opd_editor)
};

class CommandPath {
 public:
  virtual ~CommandPath() = default;

  virtual void submit(SubmitRequest request, std::function<void(SubmitResult)> done) = 0;

  // The masterplan's state: current (both nullopt), at a version, or as of a time
  // (µs since the epoch). nullopt: states are not available without an engine.
  virtual std::optional<Result<StateAt, std::string>> state(
      std::string_view masterplan, std::optional<std::uint64_t> at_version,
      std::optional<std::int64_t> at_time_us) = 0;

  // The current membership of `user` in `masterplan`. nullopt without an engine.
  virtual std::optional<Result<MasterplanPeople, std::string>> people(
      std::string_view masterplan, std::string_view user) = 0;
};

// REQUIRES: `log` (and `engine`, when not null) outlive the returned object.
std::unique_ptr<CommandPath> make_command_path(store::EventLog& log,
                                               engine::CommandEngine* engine);

}  // namespace rembuk::server
