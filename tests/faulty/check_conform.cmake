# cmake -DTOOL=<cpddi> -DDRIVER=<module.so> -DEXPECT=fail|pass [-DCASE=<id>] [-DVERDICT=<label>]
#       [-DTIMEOUT=<seconds>] -P check_conform.cmake
#
# Runs `<TOOL> conform --driver <DRIVER> --json` and checks its verdict:
#   EXPECT=fail: exit status 1, valid JSON, and case <CASE> has result "fail". Any other case
#                that also fails is reported (not asserted): a fault may break a neighbour rule.
#                With VERDICT: case <CASE> has that verdict instead (the RESULT column:
#                "crashed (SIGSEGV)", "hung (2 s)", "undocumented-hresult"), every case of
#                `--list` has a verdict, and the table run prints its totals line.
#   EXPECT=pass: exit status 0, valid JSON, no case with result "fail".
# TIMEOUT is passed on as --timeout, DDI as --ddi (d3d9 or d3d11), FILTER as --filter (the
# family the fault breaks: a cheaper run than the whole catalogue).
foreach(var TOOL DRIVER EXPECT)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_conform: -D${var}=... is required")
  endif()
endforeach()
if(EXPECT STREQUAL "fail" AND (NOT DEFINED CASE OR CASE STREQUAL ""))
  message(FATAL_ERROR "check_conform: EXPECT=fail needs -DCASE=<case id>")
endif()
if(NOT EXPECT MATCHES "^(fail|pass)$")
  message(FATAL_ERROR "check_conform: EXPECT must be fail or pass, not '${EXPECT}'")
endif()
if(NOT DEFINED VERDICT OR VERDICT STREQUAL "")
  set(VERDICT fail)
endif()
set(options "")
if(DEFINED TIMEOUT)
  set(options --timeout ${TIMEOUT})
endif()
if(DEFINED DDI)
  list(APPEND options --ddi ${DDI})
endif()
if(DEFINED FILTER)
  list(APPEND options --filter ${FILTER})
endif()

execute_process(COMMAND ${TOOL} conform --driver ${DRIVER} --json ${options}
  RESULT_VARIABLE rc OUTPUT_VARIABLE json ERROR_VARIABLE err)
string(CONCAT context "command: ${TOOL} conform --driver ${DRIVER} --json ${options}\n"
       "exit status: ${rc}\nstderr:\n${err}\nstdout:\n${json}")

if(EXPECT STREQUAL "fail")
  set(want_rc 1)
else()
  set(want_rc 0)
endif()
if(NOT rc STREQUAL "${want_rc}")
  message(FATAL_ERROR "check_conform: exit status ${rc}, expected ${want_rc}\n${context}")
endif()

# Valid JSON with a "cases" array of {"id", "result", "verdict", ...}.
string(JSON kind ERROR_VARIABLE json_error TYPE "${json}")
if(json_error OR NOT kind STREQUAL "OBJECT")
  message(FATAL_ERROR "check_conform: stdout is not a JSON object (${json_error})\n${context}")
endif()
string(JSON cases ERROR_VARIABLE json_error GET "${json}" cases)
if(json_error)
  message(FATAL_ERROR "check_conform: no \"cases\" member (${json_error})\n${context}")
endif()
string(JSON count ERROR_VARIABLE json_error LENGTH "${cases}")
if(json_error OR count EQUAL 0)
  message(FATAL_ERROR "check_conform: \"cases\" is not a non-empty array\n${context}")
endif()

set(failed_ids "")
set(found_case FALSE)
set(case_verdict "")
math(EXPR last "${count} - 1")
foreach(i RANGE 0 ${last})
  string(JSON id ERROR_VARIABLE e1 GET "${cases}" ${i} id)
  string(JSON result ERROR_VARIABLE e2 GET "${cases}" ${i} result)
  string(JSON verdict ERROR_VARIABLE e3 GET "${cases}" ${i} verdict)
  if(e1 OR e2 OR e3)
    message(FATAL_ERROR "check_conform: case ${i} lacks \"id\", \"result\" or \"verdict\"\n"
                        "${context}")
  endif()
  if(NOT result MATCHES "^(pass|fail|skip|undocumented-hresult|crashed|hung)$")
    message(FATAL_ERROR "check_conform: case ${id} has result '${result}'\n${context}")
  endif()
  if(NOT result MATCHES "^(pass|skip)$")
    list(APPEND failed_ids ${id})
    string(JSON expected ERROR_VARIABLE e4 GET "${cases}" ${i} expected)
    string(JSON got ERROR_VARIABLE e5 GET "${cases}" ${i} got)
    if(e4)
      string(JSON output ERROR_VARIABLE e6 GET "${cases}" ${i} output)
      message(STATUS "${verdict}: ${id}: ${output}")
    else()
      message(STATUS "${verdict}: ${id}: expected ${expected}; got ${got}")
    endif()
  endif()
  if(DEFINED CASE AND id STREQUAL CASE)
    set(found_case TRUE)
    set(case_verdict "${verdict}")
  endif()
endforeach()

if(EXPECT STREQUAL "pass")
  if(failed_ids)
    message(FATAL_ERROR "check_conform: the real driver failed: ${failed_ids}\n${context}")
  endif()
  message(STATUS "check_conform: ${count} cases, none failed")
  return()
endif()

if(NOT found_case)
  message(FATAL_ERROR "check_conform: no case with id ${CASE} in the report\n${context}")
endif()
if(NOT case_verdict STREQUAL VERDICT)
  message(FATAL_ERROR "check_conform: case ${CASE} has verdict '${case_verdict}', expected "
                      "'${VERDICT}' (the faulty driver's broken rule went unnoticed)\n${context}")
endif()

if(NOT VERDICT STREQUAL "fail")
  # The run went on past the fault: every case has a verdict, and the table run ends with its
  # totals line (counting this verdict) after a row for the case.
  execute_process(COMMAND ${TOOL} conform --list OUTPUT_VARIABLE listed)
  string(REGEX MATCHALL "\n" lines "${listed}")
  list(LENGTH lines listed_count)
  if(NOT count EQUAL listed_count)
    message(FATAL_ERROR "check_conform: ${count} verdicts for ${listed_count} cases\n${context}")
  endif()
  execute_process(COMMAND ${TOOL} conform --driver ${DRIVER} ${options}
    RESULT_VARIABLE table_rc OUTPUT_VARIABLE table ERROR_QUIET)
  string(REGEX REPLACE " \\(.*" "" outcome "${VERDICT}")
  string(REPLACE "(" "\\(" row_verdict "${VERDICT}")
  string(REPLACE ")" "\\)" row_verdict "${row_verdict}")
  set(totals "[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped, [0-9]+ undocumented-hresult, ")
  string(APPEND totals "[0-9]+ crashed, [0-9]+ hung through d3d(9|11) \\([0-9.]+ s\\)\n$")
  if(NOT table_rc EQUAL 1 OR NOT table MATCHES "\n${CASE} +${row_verdict} "
     OR NOT table MATCHES "${totals}")
    message(FATAL_ERROR "check_conform: the table run (exit ${table_rc}) lacks the row "
                        "'${CASE} ${VERDICT}' or the totals line:\n${table}")
  endif()
  if(NOT table MATCHES "[1-9][0-9]* ${outcome}")
    message(FATAL_ERROR "check_conform: the totals line counts no ${outcome}:\n${table}")
  endif()
endif()

list(REMOVE_ITEM failed_ids ${CASE})
if(failed_ids)
  list(JOIN failed_ids ", " others)
  message(STATUS "check_conform: ${CASE} is '${VERDICT}' as expected; also failing (reported "
                 "only): ${others}")
else()
  message(STATUS "check_conform: ${CASE} is '${VERDICT}' as expected, and no other case fails")
endif()
