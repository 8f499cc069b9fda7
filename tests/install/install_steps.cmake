# Shared by the tests/install scripts (cmake -P): one checked step and a few path helpers.
# Every step that fails ends the script with FATAL_ERROR, which fails the CTest test.
cmake_minimum_required(VERSION 3.25)  # policies for script mode (if(IN_LIST), …)

# cpddi_step(<what> COMMAND <argv…> [WORKING_DIRECTORY <dir>] [EXPECT_OUTPUT <regex>]
#            [OUTPUT_VARIABLE <var>]): runs argv, echoes its output, and fails unless it exits 0
# and (if given) its standard output matches the regex.
function(cpddi_step what)
  cmake_parse_arguments(ARG "" "WORKING_DIRECTORY;EXPECT_OUTPUT;OUTPUT_VARIABLE" "COMMAND" ${ARGN})
  if(NOT ARG_WORKING_DIRECTORY)
    set(ARG_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  list(JOIN ARG_COMMAND " " shown)
  message(STATUS "${what}: ${shown}")
  execute_process(COMMAND ${ARG_COMMAND}
                  WORKING_DIRECTORY "${ARG_WORKING_DIRECTORY}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT out STREQUAL "")
    message("${out}")
  endif()
  if(NOT err STREQUAL "")
    message("${err}")
  endif()
  if(NOT rc STREQUAL "0")
    message(FATAL_ERROR "${what} failed (exit status: ${rc})")
  endif()
  if(DEFINED ARG_EXPECT_OUTPUT AND NOT out MATCHES "${ARG_EXPECT_OUTPUT}")
    message(FATAL_ERROR "${what}: output does not match \"${ARG_EXPECT_OUTPUT}\"")
  endif()
  if(ARG_OUTPUT_VARIABLE)
    string(STRIP "${out}" out)
    set(${ARG_OUTPUT_VARIABLE} "${out}" PARENT_SCOPE)
  endif()
endfunction()

# cpddi_require_vars(<var…>): fails unless every named -D variable was passed.
function(cpddi_require_vars)
  foreach(var IN LISTS ARGN)
    if(NOT DEFINED ${var})
      message(FATAL_ERROR "${CMAKE_SCRIPT_MODE_FILE}: -D${var}=… is required")
    endif()
  endforeach()
endfunction()

# cpddi_expect_same_path(<what> <actual> <expected>): both paths name the same place.
function(cpddi_expect_same_path what actual expected)
  file(REAL_PATH "${actual}" actual_real)
  file(REAL_PATH "${expected}" expected_real)
  if(NOT actual_real STREQUAL expected_real)
    message(FATAL_ERROR "${what} is ${actual_real}, expected ${expected_real}")
  endif()
endfunction()
