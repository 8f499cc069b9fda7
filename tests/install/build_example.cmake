# InstallTest.{C,Cpp}ExampleBuildsWithCMake: configure, build and run one of examples/ as a
# separate project that finds cpddi only through CMAKE_PREFIX_PATH=<prefix>.
# -DEXAMPLE_DIR, -DBINARY_DIR, -DPREFIX, -DLIBDIR, -DEXECUTABLE, -DEXPECT_OUTPUT, -DGENERATOR,
# -DMAKE_PROGRAM, -DBUILD_TYPE, -DC_COMPILER, -DCXX_COMPILER, -DC_FLAGS, -DCXX_FLAGS,
# -DEXE_LINKER_FLAGS (the last five forwarded from the main build, so that e.g. a sanitizer build
# links its examples the same way).
include(${CMAKE_CURRENT_LIST_DIR}/install_steps.cmake)
cpddi_require_vars(EXAMPLE_DIR BINARY_DIR PREFIX LIBDIR EXECUTABLE EXPECT_OUTPUT GENERATOR
                   BUILD_TYPE C_COMPILER CXX_COMPILER)

file(REMOVE_RECURSE "${BINARY_DIR}")
set(configure "${CMAKE_COMMAND}" --no-warn-unused-cli
    -S "${EXAMPLE_DIR}" -B "${BINARY_DIR}" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${PREFIX}"
    "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
    "-DCMAKE_C_COMPILER=${C_COMPILER}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_C_FLAGS=${C_FLAGS}"
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
    # Our examples build warning-free.
    -DCMAKE_COMPILE_WARNING_AS_ERROR=ON
    # cpddi's OpenSSL is private to libcpddi: a consumer configures without it.
    -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON
    # Only the prefix may provide cpddi (no package registry entry from elsewhere).
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(MAKE_PROGRAM)
  list(APPEND configure "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
cpddi_step("configure ${EXAMPLE_DIR}" COMMAND ${configure})

# find_package must have taken cpddi from the prefix under test.
file(STRINGS "${BINARY_DIR}/CMakeCache.txt" cpddi_dir_line REGEX "^cpddi_DIR:")
string(REGEX REPLACE "^cpddi_DIR:[A-Z]+=" "" cpddi_dir "${cpddi_dir_line}")
cpddi_expect_same_path("cpddi_DIR" "${cpddi_dir}" "${PREFIX}/${LIBDIR}/cmake/cpddi")

cpddi_step("build" COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --config "${BUILD_TYPE}")

set(exe "${BINARY_DIR}/${EXECUTABLE}")
if(NOT EXISTS "${exe}")
  set(exe "${BINARY_DIR}/${BUILD_TYPE}/${EXECUTABLE}")  # multi-config generators
endif()
# No LD_LIBRARY_PATH: the build-tree RUNPATH CMake gives the executable must find libcpddi.
cpddi_step("run ${EXECUTABLE}"
  COMMAND "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH "${exe}"
  EXPECT_OUTPUT "${EXPECT_OUTPUT}")
