#include "rembuk/common/thread_name.hpp"

#include <pthread.h>

#include <string>

namespace rembuk {

void name_this_thread(std::string_view name) {
  const std::string cut(name.substr(0, 15));
  (void)::pthread_setname_np(::pthread_self(), cut.c_str());
}

}  // namespace rembuk
