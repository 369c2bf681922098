# cmake -DPREFIX=<install prefix> -P check_contents.cmake
# Fails unless the installed SDK is exactly the public headers and the package files.
file(GLOB_RECURSE installed RELATIVE ${PREFIX} ${PREFIX}/*)
list(SORT installed)
set(expected
  include/rembuk/plugin.h
  include/rembuk/plugin.hpp
  include/rembuk/plugin_json.hpp
  include/rembuk/plugin_masterplan.hpp
  share/RembukPluginSDK/cmake/RembukPlugin.cmake
  share/RembukPluginSDK/cmake/RembukPluginSDKConfig.cmake
  share/RembukPluginSDK/cmake/RembukPluginSDKConfigVersion.cmake
  share/RembukPluginSDK/cmake/RembukPluginSDKTargets.cmake)
if(NOT installed STREQUAL expected)
  message(FATAL_ERROR "installed SDK differs:\n  got      ${installed}\n  expected ${expected}")
endif()
foreach(header plugin.h plugin.hpp plugin_json.hpp plugin_masterplan.hpp)
  file(STRINGS ${PREFIX}/include/rembuk/${header} includes REGEX "#include")
  foreach(line ${includes})
    if(line MATCHES "rembuk/(model|store|engine|server|plugins|common)/")
      message(FATAL_ERROR "${header} includes the kernel: ${line}")
    endif()
  endforeach()
endforeach()
message(STATUS "installed SDK: ${installed}")
