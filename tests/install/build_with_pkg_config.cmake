# InstallTest.CExampleBuildsWithPkgConfig: examples/c/main.c built by the C compiler alone with
# the flags `pkg-config --cflags --libs cpddi` gives for the prefix, then run.
# -DSOURCE, -DBINARY_DIR, -DPREFIX, -DLIBDIR, -DINCLUDEDIR, -DVERSION, -DC_COMPILER, -DC_FLAGS,
# -DEXPECT_OUTPUT; -DWERROR=ON adds -Werror (the project's CPDDI_WERROR).
include(${CMAKE_CURRENT_LIST_DIR}/install_steps.cmake)
cpddi_require_vars(SOURCE BINARY_DIR PREFIX LIBDIR INCLUDEDIR VERSION C_COMPILER EXPECT_OUTPUT)

find_program(PKG_CONFIG NAMES pkg-config pkgconf)
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "pkg-config (or pkgconf) is not installed; this test needs it")
endif()
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")

cpddi_step("pkg-config --modversion" COMMAND "${PKG_CONFIG}" --modversion cpddi
           OUTPUT_VARIABLE modversion)
if(NOT modversion STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config says cpddi ${modversion}, the build is ${VERSION}")
endif()
# cpddi.pc must describe the prefix it was installed to, not the configure-time prefix.
cpddi_step("pkg-config --variable=includedir" COMMAND "${PKG_CONFIG}" --variable=includedir cpddi
           OUTPUT_VARIABLE includedir)
cpddi_expect_same_path("cpddi.pc includedir" "${includedir}" "${PREFIX}/${INCLUDEDIR}")
cpddi_step("pkg-config --variable=libdir" COMMAND "${PKG_CONFIG}" --variable=libdir cpddi
           OUTPUT_VARIABLE libdir)
cpddi_expect_same_path("cpddi.pc libdir" "${libdir}" "${PREFIX}/${LIBDIR}")

cpddi_step("pkg-config --cflags --libs" COMMAND "${PKG_CONFIG}" --cflags --libs cpddi
           OUTPUT_VARIABLE flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(extra_flags UNIX_COMMAND "${C_FLAGS}")

file(REMOVE_RECURSE "${BINARY_DIR}")
file(MAKE_DIRECTORY "${BINARY_DIR}")
set(exe "${BINARY_DIR}/cpddi_example_c")
# Not a system include path, so the public headers' own warnings count here.
set(werror "")
if(WERROR)
  set(werror -Werror)
endif()
cpddi_step("cc" COMMAND "${C_COMPILER}" -std=c11 -Wall -Wextra -Wpedantic ${werror} ${extra_flags}
           "${SOURCE}" -o "${exe}" ${flags})
cpddi_step("run cpddi_example_c"
  COMMAND "${CMAKE_COMMAND}" -E env "LD_LIBRARY_PATH=${PREFIX}/${LIBDIR}" "${exe}"
  EXPECT_OUTPUT "${EXPECT_OUTPUT}")
