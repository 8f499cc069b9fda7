# Installs the public headers, the cpddi shared library, the loadable driver module
# (lib/cpddi/libcpddi_driver.so), the `cpddi` program, a CMake package
# (find_package(cpddi) → cpddi::cpddi) and cpddi.pc. Nothing else: no private header, no static
# component library (tests/install checks the installed tree). The package is relocatable, so
# `cmake --install <build> --prefix <anywhere>` gives a tree that works where it lands.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/cpddi DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
# The include directory reaches consumers through the target's $<INSTALL_INTERFACE:…> (src/).
install(TARGETS cpddi EXPORT cpddiTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The loadable driver module (OpenAdapter + cpddi_* only) for hosts that dlopen a driver.
install(TARGETS cpddi_driver_module LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/cpddi)

if(TARGET cpddi_tool)
  # The installed program finds the installed library next to it, wherever the prefix is.
  file(RELATIVE_PATH _cpddi_bin_to_lib
       "${CMAKE_INSTALL_FULL_BINDIR}" "${CMAKE_INSTALL_FULL_LIBDIR}")
  set_target_properties(cpddi_tool PROPERTIES INSTALL_RPATH "$ORIGIN/${_cpddi_bin_to_lib}")
  install(TARGETS cpddi_tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# cpddi's OpenSSL dependency is private to the shared library, so the export names no other
# target and cpddiConfig.cmake finds no dependency.
install(EXPORT cpddiTargets NAMESPACE cpddi:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpddi)

configure_package_config_file(cmake/cpddiConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/cpddiConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpddi)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/cpddiConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cpddiConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/cpddiConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpddi)

# cpddi.pc locates the prefix from its own directory (${pcfiledir}), so it stays right after
# `cmake --install --prefix` or a move; absolute CMAKE_INSTALL_{LIB,INCLUDE}DIR are used as given.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(CPDDI_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _cpddi_pc_up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" _cpddi_pc_up "${_cpddi_pc_up}")
  set(CPDDI_PC_PREFIX "\${pcfiledir}/${_cpddi_pc_up}")
endif()
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(CPDDI_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(CPDDI_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
configure_file(cmake/cpddi.pc.in ${CMAKE_CURRENT_BINARY_DIR}/cpddi.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cpddi.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
