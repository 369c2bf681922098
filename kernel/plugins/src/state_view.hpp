// LentView: plugin.h's rembuk_state_view over a StateSource, for one validator call.
//
// Every text handed to the plugin is kept here until the call ends (plugin.h: valid until
// the validator returns), so a view lives exactly as long as one call. No exception leaves a
// view function: a failing source becomes REMBUK_VIEW_ERROR.
//
// Thread safety: one call, one thread.
#pragma once

#include <deque>
#include <string>

#include "rembuk/plugin.h"
#include "rembuk/plugins/state_source.hpp"

namespace rembuk::plugins::detail {

class LentView {
 public:
  explicit LentView(const StateSource& source) noexcept;
  LentView(const LentView&) = delete;
  LentView& operator=(const LentView&) = delete;

  const rembuk_state_view* view() const noexcept { return &view_; }

 private:
  rembuk_text lend(std::string text);

  static std::int32_t masterplan(void* ctx, rembuk_text* out) noexcept;
  static std::int32_t program_count(void* ctx, std::size_t* out) noexcept;
  static std::int32_t find_program(void* ctx, const char* id, std::size_t id_size,
                                   rembuk_text* out, std::size_t* index) noexcept;
  static std::int32_t each_program(void* ctx, const char* dimension, std::size_t dimension_size,
                                   rembuk_program_fn fn, void* fn_ctx) noexcept;
  static std::int32_t find_opd(void* ctx, const char* id, std::size_t id_size,
                               rembuk_text* out) noexcept;
  static std::int32_t find_member(void* ctx, const char* id, std::size_t id_size,
                                  rembuk_text* out) noexcept;
  static std::int32_t section(void* ctx, const char* name, std::size_t name_size,
                              rembuk_text* out) noexcept;

  const StateSource& source_;
  std::deque<std::string> lent_;  // deque: a new text never moves the ones lent before
  rembuk_state_view view_;
};

}  // namespace rembuk::plugins::detail
