# InstallTest.InstallIntoPrefix: a fresh `cmake --install <build> --prefix <prefix>`.
# -DBUILD_DIR, -DPREFIX, -DCONFIG.
include(${CMAKE_CURRENT_LIST_DIR}/install_steps.cmake)
cpddi_require_vars(BUILD_DIR PREFIX CONFIG)

# Start empty, so a file a previous install left behind cannot satisfy or spoil a later check.
file(REMOVE_RECURSE "${PREFIX}")
cpddi_step("cmake --install"
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" --config "${CONFIG}")
if(NOT EXISTS "${PREFIX}")
  message(FATAL_ERROR "cmake --install created nothing under ${PREFIX}")
endif()
