#include "remote_state.hpp"

#include <cstdint>
#include <stdexcept>

#include <boost/json/parse.hpp>

#include "rembuk/plugins/plugin_worker.hpp"

namespace rembuk::plugins::detail {

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_le(std::string_view bytes, std::size_t at, int width) {
  std::uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  }
  return v;
}

void put_text(std::string& out, const std::optional<std::string>& text) {
  out.push_back(text ? '\1' : '\0');
  if (text) out += *text;
}

[[noreturn]] void broken() {
  throw std::runtime_error("the host sent a malformed answer to a state lookup");
}

}  // namespace

std::string answer_query(const StateSource& state, std::string_view query) noexcept {
  try {
    if (query.size() < 2 || query[0] != 'Q') return "R1";
    const std::string_view key = query.substr(2);
    std::string reply = "R0";
    switch (query[1]) {
      case 'm': put_text(reply, state.masterplan()); break;
      case 'c': put_u64(reply, state.program_count()); break;
      case 'p': {
        const auto found = state.find_program(key);
        reply.push_back(found ? '\1' : '\0');
        put_u64(reply, found ? found->second : 0);
        if (found) reply += found->first;
        break;
      }
      case 'e':
        state.each_program(key, [&](std::string_view program, std::size_t index) {
          put_u64(reply, index);
          put_u32(reply, static_cast<std::uint32_t>(program.size()));
          reply += program;
          return reply.size() < max_worker_frame_bytes / 2;
        });
        if (reply.size() >= max_worker_frame_bytes / 2) return "R1";
        break;
      case 'o': put_text(reply, state.find_opd(key)); break;
      case 'u': put_text(reply, state.find_member(key)); break;
      case 's': put_text(reply, state.section(key)); break;
      default: return "R1";
    }
    return reply;
  } catch (...) {
    return "R1";
  }
}

std::vector<std::string> prefetch_queries(std::string_view command_json) noexcept {
  std::vector<std::string> queries{"Qm"};
  try {
    boost::system::error_code ec;
    const auto command = boost::json::parse(command_json, ec);
    if (ec || !command.is_object()) return queries;
    const auto& fields = command.get_object();
    const std::pair<const char*, char> named[] = {
        {"programId", 'p'}, {"leadOpd", 'o'}, {"opdId", 'o'}, {"userId", 'u'}};
    for (const auto& [field, op] : named) {
      const auto* value = fields.if_contains(field);
      if (value == nullptr || !value->is_string()) continue;
      std::string query = "Q";
      query.push_back(op);
      query += value->get_string();
      queries.push_back(std::move(query));
    }
  } catch (...) {
  }
  return queries;
}

void RemoteStateSource::begin_call(std::vector<std::pair<std::string, std::string>> answered) const {
  replies_.clear();
  for (auto& [query, reply] : answered) replies_.emplace(std::move(query), std::move(reply));
}

std::string RemoteStateSource::ask(char op, std::string_view key) const {
  std::string query = "Q";
  query.push_back(op);
  query += key;
  auto known = replies_.find(query);
  if (known == replies_.end()) {
    if (!worker_frame::write(out_fd_, query)) {
      throw std::runtime_error("the host closed the connection during a state lookup");
    }
    auto read = worker_frame::read(in_fd_);
    if (!read) throw std::runtime_error("the host closed the connection during a state lookup");
    known = replies_.emplace(std::move(query), std::move(*read)).first;
  }
  const std::string* reply = &known->second;
  if (reply->size() < 2 || (*reply)[0] != 'R') broken();
  if ((*reply)[1] != '0') throw std::runtime_error("the host could not answer a state lookup");
  return reply->substr(2);
}

std::optional<std::string> RemoteStateSource::ask_text(char op, std::string_view key) const {
  std::string body = ask(op, key);
  if (body.empty()) broken();
  if (body[0] == '\0') return std::nullopt;
  return body.substr(1);
}

std::string RemoteStateSource::masterplan() const {
  auto text = ask_text('m', {});
  if (!text) broken();
  return *text;
}

std::size_t RemoteStateSource::program_count() const {
  const std::string body = ask('c', {});
  if (body.size() != 8) broken();
  return static_cast<std::size_t>(get_le(body, 0, 8));
}

std::optional<std::pair<std::string, std::size_t>> RemoteStateSource::find_program(
    std::string_view id) const {
  const std::string body = ask('p', id);
  if (body.size() < 9) broken();
  if (body[0] == '\0') return std::nullopt;
  return std::pair{body.substr(9), static_cast<std::size_t>(get_le(body, 1, 8))};
}

bool RemoteStateSource::each_program(
    std::string_view dimension,
    const std::function<bool(std::string_view, std::size_t)>& fn) const {
  const std::string body = ask('e', dimension);
  std::size_t at = 0;
  while (at < body.size()) {
    if (body.size() - at < 12) broken();
    const auto index = static_cast<std::size_t>(get_le(body, at, 8));
    const auto size = static_cast<std::size_t>(get_le(body, at + 8, 4));
    at += 12;
    if (body.size() - at < size) broken();
    // A copy: plugin.h promises a NUL after every text.
    const std::string program = body.substr(at, size);
    at += size;
    if (!fn(program, index)) return false;
  }
  return true;
}

std::optional<std::string> RemoteStateSource::find_opd(std::string_view id) const {
  return ask_text('o', id);
}

std::optional<std::string> RemoteStateSource::find_member(std::string_view user_id) const {
  return ask_text('u', user_id);
}

std::optional<std::string> RemoteStateSource::section(std::string_view name) const {
  return ask_text('s', name);
}

}  // namespace rembuk::plugins::detail
