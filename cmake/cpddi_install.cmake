# Installs headers, the cpddi library, a CMake package (find_package(cpddi)) and cpddi.pc.
include(CMakePackageConfigHelpers)

install(DIRECTORY include/cpddi DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS cpddi EXPORT cpddiTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET cpddi_tool)
  install(TARGETS cpddi_tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT cpddiTargets NAMESPACE cpddi:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpddi)

configure_package_config_file(cmake/cpddiConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/cpddiConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpddi)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/cpddiConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cpddiConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/cpddiConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpddi)

configure_file(cmake/cpddi.pc.in ${CMAKE_CURRENT_BINARY_DIR}/cpddi.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cpddi.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
