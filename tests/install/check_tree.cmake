# InstallTest.TreeHoldsOnlyPublicFiles: the installed tree is exactly the public headers, the
# shared library and its links, the loadable driver module (lib/cpddi/libcpddi_driver.so), the
# CMake package, cpddi.pc and (with tools) bin/cpddi. No private header (src/…), no static
# component library, nothing else.
# -DPREFIX, -DSOURCE_DIR, -DBINDIR, -DLIBDIR, -DINCLUDEDIR, -DVERSION, -DSOVERSION, -DEXPECT_TOOL.
include(${CMAKE_CURRENT_LIST_DIR}/install_steps.cmake)
cpddi_require_vars(PREFIX SOURCE_DIR BINDIR LIBDIR INCLUDEDIR VERSION SOVERSION EXPECT_TOOL)

set(problems "")
macro(problem text)
  string(APPEND problems "  ${text}\n")
endmacro()

# Regex-quoted forms of the directory names and the version.
foreach(var BINDIR LIBDIR INCLUDEDIR VERSION)
  string(REGEX REPLACE "([][+.*()^$?|\\])" "\\\\\\1" ${var}_RE "${${var}}")
endforeach()
set(allowed
  "^${INCLUDEDIR_RE}/cpddi/[A-Za-z0-9_]+\\.(h|hpp)$"
  "^${LIBDIR_RE}/libcpddi\\.so(\\.${SOVERSION}|\\.${VERSION_RE})?$"
  "^${LIBDIR_RE}/cpddi/libcpddi_driver\\.so$"
  "^${LIBDIR_RE}/cmake/cpddi/cpddi(Config|ConfigVersion|Targets|Targets-[a-z]+)\\.cmake$"
  "^${LIBDIR_RE}/pkgconfig/cpddi\\.pc$")
set(required
  "${LIBDIR}/libcpddi.so" "${LIBDIR}/libcpddi.so.${SOVERSION}" "${LIBDIR}/libcpddi.so.${VERSION}"
  "${LIBDIR}/cpddi/libcpddi_driver.so"
  "${LIBDIR}/cmake/cpddi/cpddiConfig.cmake" "${LIBDIR}/cmake/cpddi/cpddiConfigVersion.cmake"
  "${LIBDIR}/cmake/cpddi/cpddiTargets.cmake" "${LIBDIR}/pkgconfig/cpddi.pc")
if(EXPECT_TOOL)
  list(APPEND allowed "^${BINDIR_RE}/cpddi$")
  list(APPEND required "${BINDIR}/cpddi")
endif()

# 1. Every installed file is one of the allowed kinds.
file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${PREFIX}" "${PREFIX}/*")
list(LENGTH installed count)
message(STATUS "${count} files under ${PREFIX}")
foreach(file IN LISTS installed)
  set(ok FALSE)
  foreach(re IN LISTS allowed)
    if(file MATCHES "${re}")
      set(ok TRUE)
    endif()
  endforeach()
  if(file MATCHES "\\.a$")
    problem("static library installed: ${file}")
  elseif(file MATCHES "\\.(h|hh|hpp|hxx|inc)$" AND NOT ok)
    problem("internal header installed: ${file}")
  elseif(NOT ok)
    problem("unexpected file installed: ${file}")
  endif()
endforeach()

# 2. Every file that must be there is.
foreach(file IN LISTS required)
  if(NOT EXISTS "${PREFIX}/${file}")
    problem("missing: ${file}")
  endif()
endforeach()

# 3. The installed headers are exactly include/cpddi/ of the source tree, byte for byte.
file(GLOB public RELATIVE "${SOURCE_DIR}/include/cpddi"
     "${SOURCE_DIR}/include/cpddi/*.h" "${SOURCE_DIR}/include/cpddi/*.hpp")
file(GLOB headers RELATIVE "${PREFIX}/${INCLUDEDIR}/cpddi" "${PREFIX}/${INCLUDEDIR}/cpddi/*")
if(public STREQUAL "")
  problem("include/cpddi/ of the source holds no header")
endif()
foreach(header IN LISTS public)
  if(NOT header IN_LIST headers)
    problem("public header not installed: ${INCLUDEDIR}/cpddi/${header}")
  endif()
endforeach()
foreach(header IN LISTS headers)
  set(installed_header "${PREFIX}/${INCLUDEDIR}/cpddi/${header}")
  if(NOT header IN_LIST public)
    problem("internal header installed: ${INCLUDEDIR}/cpddi/${header} is not in include/cpddi/")
    continue()
  endif()
  file(SHA256 "${installed_header}" got)
  file(SHA256 "${SOURCE_DIR}/include/cpddi/${header}" want)
  if(NOT got STREQUAL want)
    problem("${INCLUDEDIR}/cpddi/${header} differs from include/cpddi/${header}")
  endif()
  # 4. A public header includes only public headers and the standard library: never a private
  # header of src/ and never OpenSSL, which the consumer does not have to have.
  file(STRINGS "${installed_header}" includes REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS includes)
    if(line MATCHES "[<\"]cpddi/([^>\"]+)[>\"]")
      if(NOT EXISTS "${PREFIX}/${INCLUDEDIR}/cpddi/${CMAKE_MATCH_1}")
        problem("${header} includes cpddi/${CMAKE_MATCH_1}, which is not installed")
      endif()
    elseif(line MATCHES "\"" OR line MATCHES "<(openssl|gtest|nlohmann|CLI)/")
      problem("${header} includes a non-public header: ${line}")
    endif()
  endforeach()
endforeach()

if(NOT problems STREQUAL "")
  message(FATAL_ERROR "the installed tree under ${PREFIX} is wrong:\n${problems}")
endif()
message(STATUS "installed tree: ${count} files, all public")
