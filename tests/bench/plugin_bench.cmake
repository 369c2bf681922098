# The plugin-isolation scenario (kernel/plugins): µs per validation in process vs in a
# `rembuk plugin worker` process (plugin_bench.cpp). It runs the Padang plugin and rembuk.
target_sources(rembuk-bench PRIVATE plugin_bench.cpp plugin_scale_bench.cpp)
target_link_libraries(rembuk-bench PRIVATE rembuk::plugins rembuk::model rembuk::engine
                      rembuk::store Boost::json)
if(TARGET padang AND TARGET rembuk)
  target_compile_definitions(rembuk-bench PRIVATE
    "REMBUK_BENCH_PADANG_PLUGIN=\"$<TARGET_FILE:padang>\""
    "REMBUK_BENCH_REMBUK=\"$<TARGET_FILE:rembuk>\""
    "REMBUK_BENCH_PADANG_STATE=\"${PROJECT_SOURCE_DIR}/plugins/padang/tests/states/complete.json\"")
  add_dependencies(rembuk-bench padang rembuk)
  rembuk_bench_smoke(plugin-isolation
    "scenario;calls;in_process_p50_us;isolated_p50_us;cost_p50_us" plugin-isolation --calls 200)
  # plugin-scale, tiny: one case (the isolated one, which exercises the most), one line.
  rembuk_bench_smoke(plugin-scale "state_bytes;plugin;mode;clients;edits_per_s;p50_ms;p99_ms"
    plugin-scale --sizes 20000 --clients 2 --cases isolated --seconds 0.3 --nosync)
endif()
