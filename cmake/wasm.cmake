# The WebAssembly build (emcmake, scripts/build-wasm.sh): the verifier core —
# core, format (crypto over the JavaScript backend), revocation, trust, the
# verifier and its C API — as a module for the offline check page, and the
# conformance suites compiled to WebAssembly and run under node (label wasm).
# No OpenSSL, no Poco, no ZXing, no nlohmann-json in the module.

# The node glue of emscripten 3.1.6 predates node's global fetch.
set(TITLECERT_NODE_COMMAND node --no-experimental-fetch)
set(CMAKE_CROSSCOMPILING_EMULATOR ${TITLECERT_NODE_COMMAND})

# wasm32 has a 32-bit size_t: every uint64 -> size_t narrowing (bit-set
# indices, reserve counts, all bounded by memory already) would warn here
# though the 64-bit native builds, where -Wconversion keeps its full force,
# see none. Everything else of -Wconversion stays on.
target_compile_options(titlecert_flags INTERFACE -Wno-shorten-64-to-32)

# emscripten's JavaScript passes at link time need Debian's node modules
# (acorn), whoever runs the build.
set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)

add_subdirectory(common/core)
add_subdirectory(common/format)
add_subdirectory(common/revocation)
add_subdirectory(common/trust)
add_subdirectory(verifier/wasm)

if(TITLECERT_BUILD_TESTS)
  enable_testing()
  add_subdirectory(tests/wasm)
endif()
