// The state view across the worker socket: an isolated plugin's worker holds no masterplan
// state; each lookup its validator makes is one query frame to the host, which answers from
// the state it lends for the call (docs/plugins.md, "Isolation"). A call therefore moves what
// the rule reads (a program, an OPD), never the whole state.
//
// Frames inside a call (after plugin_worker.hpp's call frame, before the answer):
//   worker → host  'Q' op key          op: 'm' masterplan, 'c' program count,
//                                           'p' program by id, 'e' programs (key =
//                                           dimension or ""), 'o' OPD, 'u' member,
//                                           's' section (key = name, "" = whole)
//   host → worker  'R' status body     status '0' answered, '1' the host could not answer;
//                                      body: for 'c' u64le count; for 'p' u8 found, u64le
//                                      index, text; for 'e' repeated (u64le index, u32le
//                                      length, text); else u8 found, text
//
// Answered ahead: a round trip to the host costs tens of microseconds (two context switches
// on each side), more than most rules spend. So the host sends with each call the answers
// to the lookups the command itself names (prefetch_queries: the masterplan, the program,
// OPD and member whose ids the command carries), and the worker remembers every answer for
// the rest of the call (every validator of the command): a rule that reads the program it
// edits, as most do, makes no round trip at all, and one that reads it three times makes one.
//
// Thread safety: one call, one thread, on each side.
#pragma once

#include <chrono>
#include <map>
#include <utility>
#include <vector>
#include <string>
#include <string_view>

#include "rembuk/plugins/state_source.hpp"

namespace rembuk::plugins::detail {

// The host's side: the reply frame ('R'...) to one query frame ('Q'...). Never throws.
std::string answer_query(const StateSource& state, std::string_view query) noexcept;

// The query frames worth answering ahead for `command_json`: the masterplan, and the
// program, OPD and member its `programId`, `leadOpd` / `opdId` and `userId` name. Never throws
// (a command that is not a JSON object gets only the masterplan).
std::vector<std::string> prefetch_queries(std::string_view command_json) noexcept;

// The worker's side: a StateSource whose every lookup is a query to the host on `in_fd` /
// `out_fd`. Throws std::runtime_error when the host does not answer.
class RemoteStateSource final : public StateSource {
 public:
  RemoteStateSource(int in_fd, int out_fd) noexcept : in_fd_(in_fd), out_fd_(out_fd) {}

  // Starts a call: forgets the last call's answers and takes the host's answers ahead
  // ({query frame, reply frame}).
  void begin_call(std::vector<std::pair<std::string, std::string>> answered) const;

  std::string masterplan() const override;
  std::size_t program_count() const override;
  std::optional<std::pair<std::string, std::size_t>> find_program(
      std::string_view id) const override;
  bool each_program(std::string_view dimension,
                    const std::function<bool(std::string_view, std::size_t)>& fn) const override;
  std::optional<std::string> find_opd(std::string_view id) const override;
  std::optional<std::string> find_member(std::string_view user_id) const override;
  std::optional<std::string> section(std::string_view name) const override;

 private:
  std::string ask(char op, std::string_view key) const;  // the reply's body
  std::optional<std::string> ask_text(char op, std::string_view key) const;

  int in_fd_;
  int out_fd_;
  // This call's replies by query frame; a call is one command's validators, all judging the
  // same state, so an answer holds for the whole call and they share it.
  mutable std::map<std::string, std::string, std::less<>> replies_;
};

}  // namespace rembuk::plugins::detail
