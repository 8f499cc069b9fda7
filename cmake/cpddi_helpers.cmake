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

# cpddi_test(NAME <n> SRCS <files…> DEPS <targets…> LABELS <labels…> [GENERATED_IDENTITY]): a
# GoogleTest binary whose every case CTest counts (gtest_discover_tests). Test data arrives as
# CPDDI_TEST_DATA_DIR. Its cases run with the driver identity pinned to the test identity of
# tests/support/data (the object library cpddi_pinned_identity, tests/CMakeLists.txt, sets
# CPDDI_IDENTITY_KEY/CERT before the first case), which spares each test process two RSA-2048
# key generations; GENERATED_IDENTITY leaves them alone, for tests of cpddi's default, generated
# identity.
function(cpddi_test)
  cmake_parse_arguments(ARG "GENERATED_IDENTITY" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main
                                            cpddi_warnings)
  target_compile_definitions(${ARG_NAME} PRIVATE
    CPDDI_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/vectors/data")
  if(NOT ARG_GENERATED_IDENTITY)
    target_link_libraries(${ARG_NAME} PRIVATE cpddi_pinned_identity)
  endif()
  # TIMEOUT is no speed bound: it stops a deadlocked test (e.g. a queue that never drains)
  # long before CI's limit, so the rest of the suite still reports.
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()

# The pinned test identity, for tests that are not GoogleTest binaries (ENVIRONMENT property).
set(CPDDI_PINNED_IDENTITY_DIR "${PROJECT_SOURCE_DIR}/tests/support/data")
set(CPDDI_PINNED_IDENTITY_ENVIRONMENT
    "CPDDI_IDENTITY_KEY=${CPDDI_PINNED_IDENTITY_DIR}/pinned_identity_key.pem"
    "CPDDI_IDENTITY_CERT=${CPDDI_PINNED_IDENTITY_DIR}/pinned_identity_chain.pem")
