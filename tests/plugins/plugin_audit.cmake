# cmake -DREMBUK=<rembuk> -DV1=<fixture_v1.so> -DV2=<fixture_v2.so> -DWORK=<dir> -P plugin_audit.cmake
# A masterplan edited under fixture_versioned 1.0.0; then 2.0.0 is installed. `rembuk plugin
# audit` must still say that every event after the enabling was decided by 1.0.0 (its
# sha256), and that the build installed now is another one.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/plugins)
file(COPY_FILE ${V1} ${WORK}/plugins/versioned.so)
set(actor [["actor":{"user":"u-tim","roles":["tim_pelaksana"]}]])
file(WRITE ${WORK}/commands.jsonl
"{\"masterplan\":\"mp\",\"commandId\":\"c-1\",${actor},\"command\":{\"type\":\"CreateMasterplan\",\"cityName\":\"Kota Padang\",\"regionCode\":\"13.71\",\"startYear\":2019,\"endYear\":2028}}
{\"masterplan\":\"mp\",\"commandId\":\"c-2\",${actor},\"command\":{\"type\":\"RegisterOpd\",\"opdId\":\"kominfo\",\"name\":\"Dinas Kominfo\"}}
{\"masterplan\":\"mp\",\"commandId\":\"c-3\",${actor},\"command\":{\"type\":\"EnablePlugin\",\"plugin\":\"fixture_versioned\"}}
{\"masterplan\":\"mp\",\"commandId\":\"c-4\",${actor},\"command\":{\"type\":\"AddProgram\",\"programId\":\"p1\",\"title\":\"Layanan\",\"dimension\":\"versioned_pillar\",\"element\":\"first_element\",\"leadOpd\":\"kominfo\",\"startYear\":2019,\"endYear\":2021}}
")
execute_process(COMMAND ${REMBUK} import --data ${WORK}/data --plugins ${WORK}/plugins
                        ${WORK}/commands.jsonl
                OUTPUT_VARIABLE imported RESULT_VARIABLE rc)
string(REGEX MATCHALL "\"status\":\"ack\"" acks "${imported}")
list(LENGTH acks n)
if(NOT rc EQUAL 0 OR NOT n EQUAL 4)
  message(FATAL_ERROR "import failed (${rc}): ${imported}")
endif()
file(SHA256 ${V1} v1_sha)
file(SHA256 ${V2} v2_sha)

file(COPY_FILE ${V2} ${WORK}/plugins/versioned.so)  # v2 installed after the edits
execute_process(COMMAND ${REMBUK} plugin audit --data ${WORK}/data --masterplan mp
                        --plugins ${WORK}/plugins --json
                OUTPUT_VARIABLE audit RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "audit failed (${rc}): ${audit}")
endif()
string(JSON events GET "${audit}" events)
string(JSON count LENGTH "${events}")
if(NOT count EQUAL 4)
  message(FATAL_ERROR "expected 4 events: ${audit}")
endif()
foreach(i 0 1 2)  # created, OPD, PluginEnabled: decided by no plugin
  string(JSON by LENGTH "${events}" ${i} decidedBy)
  if(NOT by EQUAL 0)
    message(FATAL_ERROR "event ${i} should be decided by no plugin: ${audit}")
  endif()
endforeach()
string(JSON type GET "${events}" 3 type)
string(JSON version GET "${events}" 3 decidedBy 0 version)
string(JSON sha GET "${events}" 3 decidedBy 0 sha256)
if(NOT type STREQUAL "ProgramAdded" OR NOT version STREQUAL "1.0.0" OR NOT sha STREQUAL v1_sha)
  message(FATAL_ERROR "ProgramAdded should be decided by 1.0.0 ${v1_sha}: ${audit}")
endif()
string(JSON installed GET "${audit}" enabled 0 installed version)
string(JSON installed_sha GET "${audit}" enabled 0 installed sha256)
string(JSON same GET "${audit}" enabled 0 sameBuild)
if(NOT installed STREQUAL "2.0.0" OR NOT installed_sha STREQUAL v2_sha OR same)
  message(FATAL_ERROR "should report 2.0.0 installed, another build: ${audit}")
endif()
message(STATUS "ok: ProgramAdded decided by fixture_versioned 1.0.0 (${v1_sha}); 2.0.0 installed")
