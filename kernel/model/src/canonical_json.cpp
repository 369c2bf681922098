// Canonical JSON of a masterplan state; see the grammar in canonical_json.hpp.
#include "rembuk/model/canonical_json.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "bimtek_json.hpp"
#include "entity_json.hpp"
#include "state_json.hpp"
#include "json_access.hpp"

namespace rembuk::model {

namespace json = boost::json;
namespace ja = json_access;

namespace {

json::array changes_to_json(const FieldChanges& changes) {
  json::array array;
  array.reserve(changes.size());
  for (const auto& [key, change] : changes.in_key_order()) {
    array.push_back(json::array{json::value(key), json::value(change.version),
                                json::value(change.actor), json::value(change.key)});
  }
  return array;
}

Result<Unit, std::string> changes_from_json(const json::value* json, FieldChanges& out) {
  if (json == nullptr || !json->is_array()) return fail(std::string("changes missing"));
  const auto& rows = json->get_array();
  for (const auto& item : rows) {
    if (!item.is_array() || item.get_array().size() != 4) return fail(std::string("change"));
    const auto& row = item.get_array();
    auto version = ja::to_int(row[1]);
    if (!row[0].is_string() || !version || !row[2].is_string() || !row[3].is_string()) {
      return fail(std::string("change fields"));
    }
  }
  out.reserve(out.size() + rows.size());
  // Backwards: the rows are in key order, so a key's descendants (its possible leaves) come
  // after it; recorded first, an ancestor's leaf is a reference to their key, not a copy.
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    const auto& row = it->get_array();
    out.record(row[0].get_string(), static_cast<Version>(*ja::to_int(row[1])),
               row[2].get_string(), row[3].get_string());
  }
  out.shrink_to_fit();
  return Unit{};
}

}  // namespace

json::object bookkeeping_to_json(const MasterplanState& state) {
  json::object books;
  books["usedIds"] = ja::to_array({state.used_ids.begin(), state.used_ids.end()});
  books["subtreeChanges"] = changes_to_json(state.subtree_changes);
  books["structuralChanges"] = changes_to_json(state.structural_changes);
  books["undoneCommands"] =
      ja::to_array({state.undone_commands.begin(), state.undone_commands.end()});
  return books;
}

json::object to_json(const MasterplanState& state, Bookkeeping bookkeeping) {
  json::object object;
  object["masterplan"] = state.id;
  object["version"] = state.version;
  object["exists"] = state.exists;
  object["cityName"] = state.city_name;
  object["regionCode"] = state.region_code;
  object["startYear"] = state.start_year;
  object["endYear"] = state.end_year;
  object["rpjmd"] = to_json(state.rpjmd);
  object["status"] = to_string(state.status);
  object["createdBy"] = state.created_by;
  object["vision"] = state.vision;
  json::array missions;
  for (const auto& mission : state.missions) {
    missions.push_back(json::object{{"missionId", mission.id}, {"text", mission.text}});
  }
  object["missions"] = std::move(missions);
  json::array issues;
  for (const auto& [id, issue] : state.strategic_issues) {
    issues.push_back(
        json::object{{"issueId", id}, {"dimension", issue.dimension}, {"text", issue.text}});
  }
  object["strategicIssues"] = std::move(issues);
  json::array readiness;
  for (const auto& [id, entry] : state.readiness) readiness.push_back(to_json(entry));
  object["readiness"] = std::move(readiness);
  json::array opds;
  for (const auto& [id, opd] : state.opds) opds.push_back(to_json(opd));
  object["opds"] = std::move(opds);
  json::array programs;
  for (const auto& [id, program] : state.programs) programs.push_back(to_json(program));
  object["programs"] = std::move(programs);
  json::array members;
  for (const auto& [id, member] : state.members) members.push_back(to_json(member));
  object["members"] = std::move(members);
  json::array comments;
  for (const auto& [id, comment] : state.comments) comments.push_back(to_json(comment));
  object["comments"] = std::move(comments);
  json::array plugins;
  for (const auto& [name, use] : state.plugins) {
    plugins.push_back(
        json::object{{"name", use.name}, {"version", use.version}, {"sha256", use.sha256}});
  }
  object["plugins"] = std::move(plugins);
  if (json::value bimtek = bimtek_to_json(state); !bimtek.is_null()) {
    object["bimtek"] = std::move(bimtek);
  }

  if (bookkeeping == Bookkeeping::include) object["bookkeeping"] = bookkeeping_to_json(state);
  return object;
}

std::string canonical_json(const MasterplanState& state, Bookkeeping bookkeeping) {
  return json::serialize(to_json(state, bookkeeping));
}

Result<MasterplanState, std::string> state_from_json(std::string_view json_text) {
  json::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec) return fail("not JSON: " + ec.message());
  if (!root.is_object()) return fail(std::string("state is not an object"));
  const auto& object = root.get_object();
  MasterplanState state;
  if (auto content = content_from_json(object, state); !content) return fail(content.error());
  const auto* books = ja::obj(object, "bookkeeping");
  if (books == nullptr) return fail(std::string("bookkeeping missing"));
  if (auto read = bookkeeping_from_json(*books, state); !read) return fail(read.error());
  // The narrative fields' recent changes are not part of the JSON (MasterplanState).
  state.text_history_since = state.version;
  return state;
}

Result<Unit, std::string> content_from_json(const json::object& object, MasterplanState& state) {
  state.id = ja::str(object, "masterplan");
  auto version = ja::opt_int(object, "version");
  if (!version || *version < 0) return fail(std::string("version"));
  state.version = static_cast<Version>(*version);
  state.exists = ja::boolean(object, "exists", false);
  state.city_name = ja::str(object, "cityName");
  state.region_code = ja::str(object, "regionCode");
  state.start_year = ja::year(object, "startYear");
  state.end_year = ja::year(object, "endYear");
  if (const auto* rpjmd = object.if_contains("rpjmd")) {
    auto decoded = rpjmd_from_json(*rpjmd);
    if (!decoded) return fail(decoded.error());
    state.rpjmd = *decoded;
  }
  auto status = status_from_string(ja::str_view(object, "status"));
  if (!status) return fail(std::string("status"));
  state.status = *status;
  state.created_by = ja::str(object, "createdBy");
  state.vision = ja::str(object, "vision");

  auto each = [&](std::string_view key, auto&& fn) -> Result<Unit, std::string> {
    const auto* array = object.if_contains(key);
    if (array == nullptr || !array->is_array()) return fail("missing " + std::string(key));
    for (const auto& item : array->get_array()) {
      if (!item.is_object()) return fail(std::string(key) + " item");
      auto r = fn(item);
      if (!r) return r;
    }
    return Unit{};
  };
  Result<Unit, std::string> r = Unit{};
  r = each("missions", [&](const json::value& item) -> Result<Unit, std::string> {
    state.missions.push_back(
        {ja::str(item.get_object(), "missionId"), ja::str(item.get_object(), "text")});
    return Unit{};
  });
  if (!r) return fail(r.error());
  r = each("strategicIssues", [&](const json::value& item) -> Result<Unit, std::string> {
    const auto& o = item.get_object();
    StrategicIssue issue{ja::str(o, "issueId"), ja::str(o, "dimension"), ja::str(o, "text")};
    state.strategic_issues[issue.id] = issue;
    return Unit{};
  });
  if (!r) return fail(r.error());
  r = each("readiness", [&](const json::value& item) -> Result<Unit, std::string> {
    const auto& o = item.get_object();
    ReadinessEntry entry{ja::str(o, "entryId"), ja::str(o, "axis"), ja::str(o, "title"),
                         ja::str(o, "description"), ja::opt_number(o, "quantity"),
                         ja::str(o, "unit"), ja::str(o, "swot")};
    state.readiness[entry.id] = entry;
    return Unit{};
  });
  if (!r) return fail(r.error());
  r = each("opds", [&](const json::value& item) -> Result<Unit, std::string> {
    const auto& o = item.get_object();
    Opd opd{ja::str(o, "opdId"), ja::str(o, "name"), ja::str(o, "shortName"),
            ja::boolean(o, "retired", false)};
    state.opds[opd.id] = opd;
    return Unit{};
  });
  if (!r) return fail(r.error());
  r = each("programs", [&](const json::value& item) -> Result<Unit, std::string> {
    auto program = program_from_json(item);
    if (!program) return fail(program.error());
    state.programs[program->id] = std::move(*program);
    return Unit{};
  });
  if (!r) return fail(r.error());
  state.program_ids_generation = next_program_ids_generation();
  r = each("members", [&](const json::value& item) -> Result<Unit, std::string> {
    auto member = member_from_json(item);
    if (!member) return fail(member.error());
    state.members[member->user_id] = std::move(*member);
    return Unit{};
  });
  if (!r) return fail(r.error());
  r = each("comments", [&](const json::value& item) -> Result<Unit, std::string> {
    const auto& o = item.get_object();
    Comment comment{ja::str(o, "commentId"), ja::str(o, "target"), ja::str(o, "text"),
                    ja::str(o, "author"), ja::str(o, "replyTo"), ja::boolean(o, "resolved", false),
                    ja::boolean(o, "withdrawn", false),
                    static_cast<Version>(ja::opt_int(o, "version").value_or(0))};
    state.comments[comment.id] = comment;
    return Unit{};
  });
  if (!r) return fail(r.error());
  r = each("plugins", [&](const json::value& item) -> Result<Unit, std::string> {
    const auto& o = item.get_object();
    PluginUse use{ja::str(o, "name"), ja::str(o, "version"), ja::str(o, "sha256")};
    state.plugins[use.name] = use;
    return Unit{};
  });
  if (!r) return fail(r.error());
  if (const auto* bimtek = object.if_contains("bimtek")) bimtek_from_json(*bimtek, state);

  return Unit{};
}

Result<Unit, std::string> bookkeeping_from_json(const json::object& books, MasterplanState& state) {
  for (const auto& id : ja::strings(books, "usedIds")) state.used_ids.insert(id);
  if (auto c = changes_from_json(books.if_contains("subtreeChanges"), state.subtree_changes); !c) {
    return fail(c.error());
  }
  if (auto c = changes_from_json(books.if_contains("structuralChanges"),
                                 state.structural_changes);
      !c) {
    return fail(c.error());
  }
  if (const auto* undone = books.if_contains("undoneCommands")) {
    if (!undone->is_array()) return fail(std::string("undoneCommands"));
    for (const auto& id : undone->get_array()) {
      if (!id.is_string()) return fail(std::string("undoneCommands entry"));
      state.undone_commands.emplace(id.get_string());
    }
    return Unit{};
  }
  // Snapshots written before rembuk stopped keeping a row per command: [id, first revision,
  // last revision, actor, undone]. Only the undone ids are still needed.
  const auto* commands = books.if_contains("commands");
  if (commands == nullptr || !commands->is_array()) return fail(std::string("undoneCommands"));
  for (const auto& item : commands->get_array()) {
    if (!item.is_array() || item.get_array().size() != 5) return fail(std::string("command"));
    const auto& row = item.get_array();
    if (!row[0].is_string() || !row[4].is_bool()) return fail(std::string("command fields"));
    if (row[4].get_bool()) state.undone_commands.emplace(row[0].get_string());
  }
  return Unit{};
}

}  // namespace rembuk::model
