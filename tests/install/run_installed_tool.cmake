# InstallTest.InstalledToolRunsWithoutLibraryPath: <prefix>/bin/cpddi finds the installed
# libcpddi through its RUNPATH ($ORIGIN-relative), reports the build's version and reads caps.
# -DPREFIX, -DBINDIR, -DVERSION.
include(${CMAKE_CURRENT_LIST_DIR}/install_steps.cmake)
cpddi_require_vars(PREFIX BINDIR VERSION)

set(tool "${PREFIX}/${BINDIR}/cpddi")
cpddi_step("cpddi --version" COMMAND "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH "${tool}"
           --version OUTPUT_VARIABLE version)
if(NOT version STREQUAL VERSION)
  message(FATAL_ERROR "installed cpddi --version says \"${version}\", the build is ${VERSION}")
endif()
cpddi_step("cpddi caps" COMMAND "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH "${tool}" caps
           EXPECT_OUTPUT "FRESHENSESSIONKEY")
