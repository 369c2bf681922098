#include "state_view.hpp"

#include <optional>
#include <string_view>

namespace rembuk::plugins::detail {

namespace {

std::string_view arg(const char* data, std::size_t size) {
  return data == nullptr ? std::string_view{} : std::string_view(data, size);
}

LentView& self(void* ctx) { return *static_cast<LentView*>(ctx); }

}  // namespace

LentView::LentView(const StateSource& source) noexcept
    : source_(source),
      view_{this,          &LentView::masterplan, &LentView::program_count,
            &LentView::find_program, &LentView::each_program, &LentView::find_opd,
            &LentView::find_member, &LentView::section} {}

rembuk_text LentView::lend(std::string text) {
  lent_.push_back(std::move(text));
  return {lent_.back().c_str(), lent_.back().size()};
}

std::int32_t LentView::masterplan(void* ctx, rembuk_text* out) noexcept {
  if (ctx == nullptr || out == nullptr) return REMBUK_VIEW_ERROR;
  try {
    *out = self(ctx).lend(self(ctx).source_.masterplan());
    return REMBUK_VIEW_OK;
  } catch (...) {
    return REMBUK_VIEW_ERROR;
  }
}

std::int32_t LentView::program_count(void* ctx, std::size_t* out) noexcept {
  if (ctx == nullptr || out == nullptr) return REMBUK_VIEW_ERROR;
  try {
    *out = self(ctx).source_.program_count();
    return REMBUK_VIEW_OK;
  } catch (...) {
    return REMBUK_VIEW_ERROR;
  }
}

std::int32_t LentView::find_program(void* ctx, const char* id, std::size_t id_size,
                                    rembuk_text* out, std::size_t* index) noexcept {
  if (ctx == nullptr || out == nullptr) return REMBUK_VIEW_ERROR;
  try {
    *out = {nullptr, 0};
    if (auto found = self(ctx).source_.find_program(arg(id, id_size))) {
      *out = self(ctx).lend(std::move(found->first));
      if (index != nullptr) *index = found->second;
    }
    return REMBUK_VIEW_OK;
  } catch (...) {
    return REMBUK_VIEW_ERROR;
  }
}

std::int32_t LentView::each_program(void* ctx, const char* dimension, std::size_t dimension_size,
                                    rembuk_program_fn fn, void* fn_ctx) noexcept {
  if (ctx == nullptr || fn == nullptr) return REMBUK_VIEW_ERROR;
  try {
    self(ctx).source_.each_program(arg(dimension, dimension_size),
                                   [&](std::string_view program, std::size_t index) {
                                     // The text lives until the callback returns (plugin.h).
                                     return fn(fn_ctx, rembuk_text{program.data(), program.size()},
                                               index) == 0;
                                   });
    return REMBUK_VIEW_OK;
  } catch (...) {
    return REMBUK_VIEW_ERROR;
  }
}

std::int32_t LentView::find_opd(void* ctx, const char* id, std::size_t id_size,
                                rembuk_text* out) noexcept {
  if (ctx == nullptr || out == nullptr) return REMBUK_VIEW_ERROR;
  try {
    *out = {nullptr, 0};
    if (auto found = self(ctx).source_.find_opd(arg(id, id_size))) {
      *out = self(ctx).lend(std::move(*found));
    }
    return REMBUK_VIEW_OK;
  } catch (...) {
    return REMBUK_VIEW_ERROR;
  }
}

std::int32_t LentView::find_member(void* ctx, const char* id, std::size_t id_size,
                                   rembuk_text* out) noexcept {
  if (ctx == nullptr || out == nullptr) return REMBUK_VIEW_ERROR;
  try {
    *out = {nullptr, 0};
    if (auto found = self(ctx).source_.find_member(arg(id, id_size))) {
      *out = self(ctx).lend(std::move(*found));
    }
    return REMBUK_VIEW_OK;
  } catch (...) {
    return REMBUK_VIEW_ERROR;
  }
}

std::int32_t LentView::section(void* ctx, const char* name, std::size_t name_size,
                               rembuk_text* out) noexcept {
  if (ctx == nullptr || out == nullptr) return REMBUK_VIEW_ERROR;
  try {
    *out = {nullptr, 0};
    if (auto found = self(ctx).source_.section(arg(name, name_size))) {
      *out = self(ctx).lend(std::move(*found));
    }
    return REMBUK_VIEW_OK;
  } catch (...) {
    return REMBUK_VIEW_ERROR;
  }
}

}  // namespace rembuk::plugins::detail
