# Runs find_package_probe/ (see there) against the installed prefix.
# -DBINARY_DIR, -DPREFIX, -DLIBDIR, -DINCLUDEDIR, -DVERSION, -DGENERATOR, -DMAKE_PROGRAM.
include(${CMAKE_CURRENT_LIST_DIR}/install_steps.cmake)
cpddi_require_vars(BINARY_DIR PREFIX LIBDIR INCLUDEDIR VERSION GENERATOR)

file(REMOVE_RECURSE "${BINARY_DIR}")
set(configure "${CMAKE_COMMAND}" --no-warn-unused-cli
    -S "${CMAKE_CURRENT_LIST_DIR}/find_package_probe" -B "${BINARY_DIR}" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${PREFIX}"
    -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    "-DEXPECTED_PREFIX=${PREFIX}" "-DEXPECTED_LIBDIR=${LIBDIR}"
    "-DEXPECTED_INCLUDEDIR=${INCLUDEDIR}" "-DEXPECTED_VERSION=${VERSION}")
if(MAKE_PROGRAM)
  list(APPEND configure "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
cpddi_step("configure the find_package probe" COMMAND ${configure}
           EXPECT_OUTPUT "imported target and package files are right")
