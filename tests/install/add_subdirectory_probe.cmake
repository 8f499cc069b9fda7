# Runs add_subdirectory_probe/ (see there): configures a consumer that adds cpddi's source tree,
# builds only the example it needs (and with it libcpddi) at -O0 without debug info, and runs it.
# -DBINARY_DIR, -DSOURCE_DIR, -DEXAMPLE_SOURCE, -DGENERATOR, -DMAKE_PROGRAM, -DC_COMPILER,
# -DCXX_COMPILER, -DEXPECT_OUTPUT.
include(${CMAKE_CURRENT_LIST_DIR}/install_steps.cmake)
cpddi_require_vars(BINARY_DIR SOURCE_DIR EXAMPLE_SOURCE GENERATOR C_COMPILER CXX_COMPILER
                   EXPECT_OUTPUT)

file(REMOVE_RECURSE "${BINARY_DIR}")
# No build type and -O0 without -g: the probe checks that the build works, not speed or
# debugging, and this compiles fastest (it builds all of libcpddi in every test run).
set(configure "${CMAKE_COMMAND}" --no-warn-unused-cli
    -S "${CMAKE_CURRENT_LIST_DIR}/add_subdirectory_probe" -B "${BINARY_DIR}" -G "${GENERATOR}"
    -DCMAKE_BUILD_TYPE= -DCMAKE_C_FLAGS=-O0 -DCMAKE_CXX_FLAGS=-O0
    "-DCMAKE_C_COMPILER=${C_COMPILER}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCPDDI_SOURCE_DIR=${SOURCE_DIR}"
    "-DEXAMPLE_SOURCE=${EXAMPLE_SOURCE}")
if(MAKE_PROGRAM)
  list(APPEND configure "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
cpddi_step("configure the add_subdirectory consumer" COMMAND ${configure})
cpddi_step("build the consumer's example"
           COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target cpddi_example_c)
cpddi_step("run the consumer's example" COMMAND "${BINARY_DIR}/cpddi_example_c"
           EXPECT_OUTPUT "${EXPECT_OUTPUT}")
