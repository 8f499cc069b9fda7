# check_exports.cmake — the dynamic symbol table of libcpddi holds the public API and nothing else.
#
#   cmake -DNM=<nm> -DLIBRARY=<libcpddi.so> -P check_exports.cmake
#   cmake -DSYMBOLS_FILE=<saved `nm -D --defined-only` output> [-DADD=<line>] [-DDROP=<name>]
#         -P check_exports.cmake          (the checker's own tests: a known list, one line changed)
#
# Allowed, and only these:
#   - the C API, each exactly once: OpenAdapter, cpddi_open_adapter_with_options,
#     cpddi_d3d11_1_open_adapter,
#     cpddi_hresult_name, cpddi_version, cpddi_set_log_callback, cpddi_set_log_level;
#   - the linker's own: _init, _fini, _edata, _end, __bss_start;
#   - C++ symbols of namespace cpddi::app: functions (_ZN5cpddi3app…, const members _ZNK5cpddi3app…),
#     typeinfo, typeinfo names, vtables, VTTs (_ZTI/_ZTS/_ZTV/_ZTT N5cpddi3app…) and virtual thunks;
# libstdc++'s vague-linkage symbols (typeinfo of std:: types and the like) are kept local by the
# linker version script src/cpddi.map, so they count as unexpected here.
# Everything else fails the check: OpenSSL's symbols (EVP_, OSSL_, …) and every other cpddi
# namespace (_ZN5cpddi7session…, cpddi::Expected instances, …) are named as such in the report.
cmake_minimum_required(VERSION 3.25)

set(kRequiredC
  OpenAdapter cpddi_open_adapter_with_options cpddi_d3d11_1_open_adapter cpddi_hresult_name
  cpddi_version cpddi_set_log_callback cpddi_set_log_level)
set(kToolchain _init _fini _edata _end __bss_start)
set(kAppCxx
  "^_ZNK?5cpddi3app"                       # functions and data, const member functions
  "^_ZT[ISVT]N5cpddi3app"                  # typeinfo, typeinfo name, vtable, VTT
  "^_ZTh[n]?[0-9]+_NK?5cpddi3app"          # this-adjusting thunks
  "^_ZTv[n]?[0-9]+_[n]?[0-9]+_NK?5cpddi3app")  # virtual thunks
set(kOpenSsl "^(EVP_|OSSL_|OPENSSL_|ERR_|BIO_|BN_|RSA_|EC_|X509|PEM_|PKCS|CRYPTO_|RAND_|ASN1_|d2i_|i2d_)")

# ---- read the symbol list ----
if(DEFINED SYMBOLS_FILE)
  file(READ "${SYMBOLS_FILE}" listing)
  set(source "${SYMBOLS_FILE}")
elseif(DEFINED LIBRARY AND DEFINED NM)
  if(NOT EXISTS "${LIBRARY}")
    message(FATAL_ERROR "check_exports: ${LIBRARY} does not exist")
  endif()
  execute_process(COMMAND "${NM}" -D --defined-only "${LIBRARY}"
    OUTPUT_VARIABLE listing ERROR_VARIABLE nm_error RESULT_VARIABLE nm_result)
  if(NOT nm_result EQUAL 0)
    message(FATAL_ERROR "check_exports: ${NM} -D --defined-only ${LIBRARY} failed: ${nm_error}")
  endif()
  set(source "${LIBRARY}")
else()
  message(FATAL_ERROR "check_exports: pass -DLIBRARY=… -DNM=…, or -DSYMBOLS_FILE=…")
endif()
if(DEFINED ADD)
  string(APPEND listing "\n${ADD}\n")
endif()

string(REPLACE "\n" ";" lines "${listing}")
set(symbols "")
set(types "")
foreach(line IN LISTS lines)
  if(line MATCHES "^[ \t]*$")
    continue()
  endif()
  if(NOT line MATCHES "^[0-9a-fA-F]+ ([A-Za-z]) ([^ ]+)$")
    message(FATAL_ERROR "check_exports: cannot parse nm line '${line}'")
  endif()
  set(type "${CMAKE_MATCH_1}")
  string(REGEX REPLACE "@.*$" "" name "${CMAKE_MATCH_2}")  # drop a symbol version
  if(DEFINED DROP AND name STREQUAL DROP)
    continue()
  endif()
  list(APPEND symbols "${name}")
  list(APPEND types "${type}")
endforeach()
list(LENGTH symbols count)
if(count EQUAL 0)
  message(FATAL_ERROR "check_exports: no defined dynamic symbols read from ${source}")
endif()

# ---- classify ----
set(violations "")
set(seen_c "")
set(num_app 0)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  list(GET symbols ${i} name)
  list(GET types ${i} type)
  if(name IN_LIST kRequiredC)
    if(name IN_LIST seen_c)
      list(APPEND violations "C API symbol exported twice: ${name}")
    endif()
    list(APPEND seen_c "${name}")
    continue()
  endif()
  if(name IN_LIST kToolchain)
    continue()
  endif()
  set(is_app FALSE)
  foreach(pattern IN LISTS kAppCxx)
    if(name MATCHES "${pattern}")
      set(is_app TRUE)
    endif()
  endforeach()
  if(is_app)
    math(EXPR num_app "${num_app} + 1")
    continue()
  endif()
  # A cpddi namespace other than cpddi::app, anywhere in the name.
  string(REGEX REPLACE "5cpddi3app" "" without_app "${name}")
  if(without_app MATCHES "5cpddi")
    list(APPEND violations "cpddi internal symbol exported: ${name} (${type})")
    continue()
  endif()
  if(name MATCHES "${kOpenSsl}")
    list(APPEND violations "OpenSSL symbol exported: ${name} (${type})")
  else()
    list(APPEND violations "unexpected symbol exported: ${name} (${type})")
  endif()
endforeach()

foreach(name IN LISTS kRequiredC)
  if(NOT name IN_LIST seen_c)
    list(APPEND violations "C API symbol missing: ${name}")
  endif()
endforeach()

list(LENGTH seen_c num_c)
message(STATUS "check_exports: ${source}: ${count} defined dynamic symbols: ${num_c} C API, "
               "${num_app} cpddi::app, rest linker-defined")
if(violations)
  list(JOIN violations "\n  " report)
  message(FATAL_ERROR "check_exports: ${source} exports what it must not:\n  ${report}")
endif()
message(STATUS "check_exports: OK")
