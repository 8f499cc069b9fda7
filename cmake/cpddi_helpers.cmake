# cpddi_library(NAME <n> SRCS <files…> DEPS <targets…>): one static component library
# `cpddi_<n>` (alias cpddi::<n>), with src/ and include/ on its include path and our warnings.
function(cpddi_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(cpddi_${ARG_NAME} STATIC ${ARG_SRCS})
  add_library(cpddi::${ARG_NAME} ALIAS cpddi_${ARG_NAME})
  target_include_directories(cpddi_${ARG_NAME} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>)
  target_link_libraries(cpddi_${ARG_NAME} PUBLIC ${ARG_DEPS} PRIVATE cpddi_warnings)
endfunction()

# cpddi_test(NAME <n> SRCS <files…> DEPS <targets…>): a GoogleTest binary whose every case
# CTest counts (gtest_discover_tests). Test data arrives as CPDDI_TEST_DATA_DIR.
function(cpddi_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main
                                            cpddi_warnings)
  target_compile_definitions(${ARG_NAME} PRIVATE
    CPDDI_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/vectors/data")
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
