# cmake -DREMBUK_EXECUTABLE=<rembuk> -DBINARY_DIR=<scratch dir> [-DGENERATOR=Ninja] -P tests/sdk/run.cmake
# Configures tests/sdk as its own project and runs its CTest: what rembuk's CTest calls.
if(NOT GENERATOR)
  set(GENERATOR Ninja)
endif()
foreach(var REMBUK_EXECUTABLE BINARY_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "${var} is required")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR} -B ${BINARY_DIR}
                        -G ${GENERATOR} -DREMBUK_EXECUTABLE=${REMBUK_EXECUTABLE}
                RESULT_VARIABLE configured)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring tests/sdk failed")
endif()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${BINARY_DIR} --output-on-failure
                        --no-tests=error
                RESULT_VARIABLE tested)
if(NOT tested EQUAL 0)
  message(FATAL_ERROR "tests/sdk failed")
endif()
