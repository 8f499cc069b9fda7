# cmake -DNM=<nm> -DMODULE=<libfaulty_x.so> -P check_exports.cmake
# Passes when the module's dynamic symbol table defines OpenAdapter and
# cpddi_open_adapter_with_options and no other symbol (the version script's node name aside), so
# the loader can only find the wrapper's two entries.
foreach(var NM MODULE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_exports: -D${var}=... is required")
  endif()
endforeach()
execute_process(COMMAND ${NM} -D --defined-only ${MODULE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "check_exports: ${NM} -D ${MODULE} failed (${rc}): ${err}")
endif()
string(REPLACE "\n" ";" lines "${out}")
set(defined "")
foreach(line IN LISTS lines)
  # "<address> <type> <name>"; absolute symbols (type A) are version nodes, not code.
  if(line MATCHES "^[0-9a-fA-F]+ ([A-Za-z]) ([^ ]+)$")
    if(NOT CMAKE_MATCH_1 STREQUAL "A")
      list(APPEND defined "${CMAKE_MATCH_2}")
    endif()
  endif()
endforeach()
list(SORT defined)
if(NOT defined STREQUAL "OpenAdapter;cpddi_open_adapter_with_options")
  message(FATAL_ERROR "check_exports: ${MODULE} must define exactly OpenAdapter and "
                      "cpddi_open_adapter_with_options, defines: [${defined}]\n${out}")
endif()
message(STATUS "check_exports: ${MODULE} exports OpenAdapter and "
               "cpddi_open_adapter_with_options only")
