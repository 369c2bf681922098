# rembuk_warnings: an interface target every rembuk target links, so warning and sanitizer
# flags are set in one place and never leak into consumers of the installed plugin SDK.
add_library(rembuk_warnings INTERFACE)
# -Wshadow=local is GCC's spelling; clang (the fuzz preset) warns about it on every file.
target_compile_options(rembuk_warnings INTERFACE -Wall -Wextra -Wpedantic
                       $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
                       -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual)
if(REMBUK_WERROR)
  target_compile_options(rembuk_warnings INTERFACE -Werror)
endif()

if(REMBUK_SANITIZE)
  # Applied globally so that every object, including the Asio/Beast unit, is instrumented.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# GCC 12's -Wrestrict misfires inside libstdc++'s std::string at -O2 (GCC bug 105651, fixed
# in 13): plain concatenations fail -Werror in optimised builds only. Off for GCC < 13.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(rembuk_warnings INTERFACE -Wno-restrict)
endif()
