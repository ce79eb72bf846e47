# One interface target that carries the project's warning and sanitizer
# flags; every titlecert target links it instead of setting global flags.
add_library(titlecert_flags INTERFACE)
target_compile_options(titlecert_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  $<$<BOOL:${TITLECERT_WERROR}>:-Werror>)

if(TITLECERT_SANITIZE)
  target_compile_options(titlecert_flags INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(titlecert_flags INTERFACE -fsanitize=address,undefined)
endif()

# Fuzzing: every titlecert target carries coverage instrumentation and the
# sanitizers, so libFuzzer sees the library code, not only the harness.
if(TITLECERT_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TITLECERT_FUZZ needs clang: configure with CC=clang CXX=clang++")
  endif()
  target_compile_options(titlecert_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
    $<$<CONFIG:>:-O1 -g>)
  target_link_options(titlecert_flags INTERFACE -fsanitize=address,undefined)
endif()
