// Handlers for the OPD list, the members and the comments.
#include "entity_json.hpp"
#include "handlers.hpp"

namespace rembuk::model::handlers {

namespace json = boost::json;
namespace ja = json_access;

namespace {

const Opd* need_opd(Decider& d) {
  std::string id = d.str("opdId");
  const Opd* opd = d.state.find_opd(id);
  if (opd == nullptr) {
    d.violate("opd.not_found", Decider::path("opdId"), "OPD '" + id + "' tidak ditemukan",
              "OPD '" + id + "' was not found", json::object{{"opdId", id}});
  }
  return opd;
}

bool check_role(Decider& d, const std::string& role, const std::string& opd) {
  if (role != "dewan" && role != "tim_pelaksana" && role != "opd_editor" && role != "reviewer" &&
      role != "kementerian" && role != "viewer") {
    d.violate("member.unknown_role", Decider::path("role"),
              "Peran '" + role +
                  "' tidak dikenal (dewan, tim_pelaksana, opd_editor, reviewer, kementerian, "
                  "viewer)",
              "Unknown role '" + role +
                  "' (dewan, tim_pelaksana, opd_editor, reviewer, kementerian, viewer)");
    return false;
  }
  if (role == "opd_editor") {
    if (opd.empty()) {
      d.violate("member.opd_required", Decider::path("opdId"),
                "Editor OPD harus terkait dengan satu OPD", "An OPD editor needs an OPD");
      return false;
    }
  }
  if (!opd.empty() && d.state.find_opd(opd) == nullptr) {
    d.violate("opd.unknown", Decider::path("opdId"),
              "OPD '" + opd + "' tidak ada dalam daftar OPD kota",
              "OPD '" + opd + "' is not in the city's OPD list", json::object{{"opdId", opd}});
    return false;
  }
  return true;
}

// Does the entity a comment points at exist?
bool target_exists(const MasterplanState& s, const std::string& target) {
  if (target == "masterplan") return true;
  auto slash = target.find('/');
  if (slash == std::string::npos) return false;
  std::string kind = target.substr(0, slash);
  std::string rest = target.substr(slash + 1);
  if (kind == "masterplan") {
    if (rest == "presentation") return s.presentation.has_value();
    if (rest == "mou") return s.mou.has_value();
    return rest == "vision" || rest == "period" || rest == "identity" || rest == "rpjmd";
  }
  if (kind == "bimtek") return rest == "1" || rest == "2" || rest == "3" || rest == "4";
  if (kind == "gap") return s.gaps.count(rest) > 0;
  if (kind == "strategy") return s.strategies.count(rest) > 0;
  if (kind == "commitmentLetter") return s.commitment_letters.count(rest) > 0;
  if (kind == "mission") {
    for (const auto& m : s.missions) {
      if (m.id == rest) return true;
    }
    return false;
  }
  if (kind == "strategicIssue") return s.strategic_issues.count(rest) > 0;
  if (kind == "readiness") return s.readiness.count(rest) > 0;
  if (kind == "opd") return s.opds.count(rest) > 0;
  if (kind == "member") return s.members.count(rest) > 0;
  if (kind == "program") {
    auto inner = rest.find('/');
    if (inner == std::string::npos) return s.programs.count(rest) > 0;
    const Program* program = s.find_program(rest.substr(0, inner));
    if (program == nullptr) return false;
    std::string tail = rest.substr(inner + 1);
    const std::string prefix = "indicator/";
    if (tail.rfind(prefix, 0) != 0) return false;
    return program->indicators.count(tail.substr(prefix.size())) > 0;
  }
  return false;
}

}  // namespace

void register_opd(Decider& d) {
  std::string id = d.str("opdId");
  if (!d.id_free("opd", id, "opdId")) return;
  d.emit("OpdRegistered", json::object{{"opdId", id},
                                       {"name", d.str("name")},
                                       {"shortName", ja::opt_string_value(d.str("shortName"))}});
}

void rename_opd(Decider& d) {
  const Opd* opd = need_opd(d);
  if (opd == nullptr) return;
  d.emit("OpdRenamed", json::object{{"opdId", opd->id},
                                    {"name", d.str("name")},
                                    {"shortName", ja::opt_string_value(d.str("shortName"))},
                                    {"previousName", opd->name},
                                    {"previousShortName", ja::opt_string_value(opd->short_name)}});
}

void retire_opd(Decider& d) {
  const Opd* opd = need_opd(d);
  if (opd == nullptr) return;
  if (opd->retired) {
    d.violate("opd.already_retired", Decider::path("opdId"),
              "OPD '" + opd->name + "' sudah tidak aktif", "OPD '" + opd->name + "' is already retired");
    return;
  }
  for (const auto& [id, program] : d.state.programs) {
    if (program.lead_opd == opd->id || program.supporting_opds.count(opd->id) > 0) {
      d.violate("opd.in_use", Decider::path("opdId"),
                "OPD '" + opd->name + "' masih terlibat dalam program '" + program.title + "'",
                "OPD '" + opd->name + "' still takes part in program '" + program.title + "'",
                json::object{{"programId", id},
                             {"as", program.lead_opd == opd->id ? "lead" : "supporting"}});
    }
  }
  if (!d.ok()) return;
  d.emit("OpdRetired", json::object{{"opdId", opd->id}});
}

void reinstate_opd(Decider& d) {
  const Opd* opd = need_opd(d);
  if (opd == nullptr) return;
  if (!opd->retired) {
    d.violate("opd.not_retired", Decider::path("opdId"), "OPD '" + opd->name + "' masih aktif",
              "OPD '" + opd->name + "' is not retired");
    return;
  }
  d.emit("OpdReinstated", json::object{{"opdId", opd->id}});
}

void add_member(Decider& d) {
  std::string user = d.str("userId");
  if (d.state.members.count(user) > 0) {
    d.violate("member.id_taken", Decider::path("userId"),
              "Pengguna '" + user + "' sudah menjadi anggota",
              "User '" + user + "' is already a member");
    return;
  }
  Member member{user, d.str("name"), d.str("role"), d.str("opdId"), d.str("title")};
  if (!check_role(d, member.role, member.opd_id)) return;
  d.emit("MemberAdded", to_json(member));
}

void change_member_role(Decider& d) {
  std::string user = d.str("userId");
  auto it = d.state.members.find(user);
  if (it == d.state.members.end()) {
    d.violate("member.not_found", Decider::path("userId"),
              "Anggota '" + user + "' tidak ditemukan", "Member '" + user + "' was not found");
    return;
  }
  std::string role = d.str("role");
  std::string opd = d.str("opdId");
  if (!check_role(d, role, opd)) return;
  d.emit("MemberRoleChanged",
         json::object{{"userId", user},
                      {"role", role},
                      {"opdId", ja::opt_string_value(opd)},
                      {"previousRole", it->second.role},
                      {"previousOpdId", ja::opt_string_value(it->second.opd_id)}});
}

void remove_member(Decider& d) {
  std::string user = d.str("userId");
  auto it = d.state.members.find(user);
  if (it == d.state.members.end()) {
    d.violate("member.not_found", Decider::path("userId"),
              "Anggota '" + user + "' tidak ditemukan", "Member '" + user + "' was not found");
    return;
  }
  d.emit("MemberRemoved", json::object{{"userId", user}, {"member", to_json(it->second)}});
}

void add_comment(Decider& d) {
  std::string id = d.str("commentId");
  if (!d.id_free("comment", id, "commentId")) return;
  std::string target = d.str("target");
  if (!target_exists(d.state, target)) {
    d.violate("comment.target_not_found", Decider::path("target"),
              "Bagian yang dikomentari ('" + target + "') tidak ditemukan",
              "The commented part ('" + target + "') was not found",
              json::object{{"target", target}});
  }
  std::string reply_to = d.str("replyTo");
  if (!reply_to.empty() && d.state.comments.count(reply_to) == 0) {
    d.violate("comment.not_found", Decider::path("replyTo"),
              "Komentar '" + reply_to + "' tidak ditemukan",
              "Comment '" + reply_to + "' was not found");
  }
  if (!d.ok()) return;
  d.emit("CommentAdded", json::object{{"commentId", id},
                                      {"target", target},
                                      {"text", d.str("text")},
                                      {"author", d.actor.user},
                                      {"replyTo", ja::opt_string_value(reply_to)}});
}

void resolve_comment(Decider& d) {
  std::string id = d.str("commentId");
  auto it = d.state.comments.find(id);
  if (it == d.state.comments.end() || it->second.withdrawn) {
    d.violate("comment.not_found", Decider::path("commentId"),
              "Komentar '" + id + "' tidak ditemukan", "Comment '" + id + "' was not found");
    return;
  }
  if (it->second.resolved) {
    d.violate("comment.already_resolved", Decider::path("commentId"),
              "Komentar '" + id + "' sudah diselesaikan", "Comment '" + id + "' is already resolved");
    return;
  }
  d.emit("CommentResolved", json::object{{"commentId", id}});
}

}  // namespace rembuk::model::handlers
