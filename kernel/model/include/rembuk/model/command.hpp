// Commands: what a client asks of one masterplan, and who asks.
//
// A command arrives as JSON (see docs/commands.md for the catalogue). `decode_command`
// checks it against its JSON Schema (schemas/commands/<type>.json) before anything else; a
// schema failure is a `Rejection` with code "schema", never an exception. After that the
// rules may read the body's fields knowing their JSON types are right.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "rembuk/common/result.hpp"
#include "rembuk/model/extensions.hpp"
#include "rembuk/model/state.hpp"

namespace rembuk::model {

class SchemaRegistry;

// Who submits a command. `roles` are asserted by the authenticating edge (the server's
// session token or an import file): any of "viewer", "opd_editor", "tim_pelaksana",
// "dewan", "reviewer", "admin". The masterplan's member list adds the member's role.
struct Actor {
  std::string user;
  std::vector<std::string> roles;
  std::string opd;  // the OPD an opd_editor acts for; may be empty
};

// Why a command was refused. `code` is the headline (e.g. "submission.incomplete",
// "conflict", "schema"); `violations` lists every broken rule found.
struct Rejection {
  std::string code;
  std::string message;
  std::vector<Violation> violations;
};

struct Command {
  std::string type;           // e.g. "AddProgram"
  boost::json::object body;   // the command object as submitted, "type" included
  std::string command_id;     // may be empty (then it cannot be undone by id)
  std::optional<Version> base_version;  // the version its author saw; nullopt = current
};

// Checks `json` against the schema of its "type" and builds a Command.
// Never throws on bad input.
Result<Command, Rejection> decode_command(const boost::json::value& json,
                                          const SchemaRegistry& schemas);

// Decodes {"user":…, "roles":[…], "opd":…} without throwing.
Result<Actor, Rejection> decode_actor(const boost::json::value& json);

// Every command type of the catalogue, in catalogue order.
const std::vector<std::string>& command_types();

}  // namespace rembuk::model
