# The tool's channel reports. -DTOOL=<cpddi> -DMODE=demo_text|demo_json|caps_text|caps_json
# One checked step (cpddi_step) and the -D check, shared with the install scripts.
include(${CMAKE_CURRENT_LIST_DIR}/../install/install_steps.cmake)
cpddi_require_vars(TOOL MODE)

macro(run_tool)
  cpddi_step("cpddi ${ARGV}" COMMAND "${TOOL}" ${ARGV} OUTPUT_VARIABLE out)
endmacro()

function(require_match what regex text)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: no match for '${regex}' in:\n${text}")
  endif()
endfunction()

function(require_json_equal json expected)
  string(JSON value ERROR_VARIABLE error GET "${json}" ${ARGN})
  if(error OR NOT value STREQUAL expected)
    message(FATAL_ERROR "JSON ${ARGN} is '${value}' (${error}), want '${expected}':\n${json}")
  endif()
endfunction()

# string(JSON) reads a JSON true as ON.
# 24 frames, a check every 8 and one refresh at frame 12: checks after frames 8, 12, 16, 24.
set(demo_args demo --frames 24 --refresh-every 12 --channel-every 8 --width 64 --height 64)

if(MODE STREQUAL "demo_text")
  run_tool(${demo_args})
  require_match("the channel line" "channel software  protection 0x00000001 \\(enabled\\)  binding verified yes  checks 4  verified queries 9 " "${out}")
  require_match("the frames line" " mismatches 0 " "${out}")
elseif(MODE STREQUAL "demo_json")
  run_tool(${demo_args} --json)
  require_json_equal("${out}" "ON" ok)
  require_json_equal("${out}" "software" channel type)
  require_json_equal("${out}" "ON" channel protection_enabled)
  require_json_equal("${out}" "ON" channel binding_verified)
  require_json_equal("${out}" "4" channel checks)
  # One CHANNELTYPE, then PROTECTION and CRYPTOSESSION per check.
  require_json_equal("${out}" "9" channel verified_queries)
  # INITIALIZE, CRYPTOSESSION and PROTECTION configures on top.
  require_json_equal("${out}" "12" channel verified_outputs)
elseif(MODE STREQUAL "caps_text")
  run_tool(caps)
  require_match("the channel certificate" "Channel certificate   [1-9][0-9]* bytes \\(software channel\\)" "${out}")
elseif(MODE STREQUAL "caps_json")
  run_tool(caps --json)
  string(JSON bytes ERROR_VARIABLE error GET "${out}" channel_certificate_bytes)
  if(error OR NOT bytes GREATER 0)
    message(FATAL_ERROR "channel_certificate_bytes is '${bytes}' (${error}):\n${out}")
  endif()
else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()
