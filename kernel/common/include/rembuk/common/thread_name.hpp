// Naming the calling thread, so `top -H`, `ps -L`, perf and gdb show what each of rembuk's
// threads is (rembuk-writer, rembuk-io, ...) instead of the process name on every line.
#pragma once

#include <string_view>

namespace rembuk {

// Linux keeps at most 15 characters; longer names are cut. Best effort: a failure is ignored
// (a thread's name is a diagnostic, never something to stop for).
void name_this_thread(std::string_view name);

}  // namespace rembuk
