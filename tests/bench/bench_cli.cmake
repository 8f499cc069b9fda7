# The benchmarks from the command line, as a user runs them (CTest, label `bench`). Checks that
# every figure is there with positive numbers, never what the numbers are.
# -DTOOL=<cpddi or cpddi_benchmarks> -DMODE=json|plot|benchmarks -DWORK_DIR=<dir>
foreach(var TOOL MODE WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "bench_cli.cmake needs -D${var}=…")
  endif()
endforeach()
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run_tool)
  execute_process(COMMAND "${TOOL}" ${ARGN}
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${TOOL} ${ARGN} exited ${code}, want 0:\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(require_positive what value)
  if(NOT value GREATER 0)
    message(FATAL_ERROR "${what} is '${value}', want a positive number")
  endif()
endfunction()

if(MODE STREQUAL "json")
  run_tool(bench --quick --json)
  # Only JSON on stdout: string(JSON) fails on anything else.
  string(JSON quick ERROR_VARIABLE json_error GET "${out}" quick)
  if(json_error)
    message(FATAL_ERROR "stdout is not the expected JSON (${json_error}):\n${out}")
  endif()
  string(JSON note GET "${out}" note)
  if(NOT quick OR NOT note MATCHES "not measurements")
    message(FATAL_ERROR "a quick run must say its figures are not measurements:\n${out}")
  endif()
  string(JSON cpu GET "${out}" cpu)
  string(JSON cores GET "${out}" cores)
  require_positive("cores" "${cores}")

  # Every row must be expected, and every expected row present: figure|size|threads|reference.
  set(expected
      "key refresh round trip|-|-|RAND_bytes(16)"
      "key exchange|-|-|EVP_PKEY_decrypt RSA-OAEP"
      "channel query round trip|-|-|EVP_MAC AES-CMAC x2"
      "channel configure round trip|-|-|EVP_MAC AES-CMAC x4"
      "session create + destroy|-|-|none"
      "live session, created|N sessions|-|none"
      "live session, keyed|N sessions|-|none"
      "DecryptionBlt latency, alone|64 KiB|all|its median"
      "DecryptionBlt latency, busy|64 KiB|all|its median")
  foreach(devices "1 device" "2 devices")
    foreach(reference "EVP AES-128-CTR" "EVP AES-128-CTR, N threads" "fair share")
      list(APPEND expected "8 streams, ${devices}|NV12 1080p|all|${reference}")
    endforeach()
  endforeach()
  foreach(figure "DecryptionBlt full" "DecryptionBlt CENC 1:9" "EncryptionBlt full")
    foreach(size "16 KiB" "64 KiB" "256 KiB" "NV12 1080p" "NV12 2160p")
      foreach(threads 1 all)
        foreach(reference "EVP AES-128-CTR" memcpy)
          list(APPEND expected "${figure}|${size}|${threads}|${reference}")
        endforeach()
      endforeach()
    endforeach()
  endforeach()

  set(seen "")
  string(JSON num_rows LENGTH "${out}" rows)
  math(EXPR last "${num_rows} - 1")
  foreach(i RANGE ${last})
    string(JSON figure GET "${out}" rows ${i} figure)
    string(JSON size GET "${out}" rows ${i} size)
    string(JSON threads GET "${out}" rows ${i} threads)
    string(JSON cpddi GET "${out}" rows ${i} cpddi)
    string(JSON reference_type TYPE "${out}" rows ${i} reference)
    string(REGEX REPLACE "^[0-9]+ sessions$" "N sessions" size "${size}")
    string(REGEX REPLACE "^all \\([0-9]+\\)$" "all" threads "${threads}")
    if(reference_type STREQUAL "NULL")
      set(reference none)
    else()
      string(JSON reference GET "${out}" rows ${i} reference)
      string(REGEX REPLACE ", [0-9]+ threads$" ", N threads" reference "${reference}")
      string(JSON reference_value GET "${out}" rows ${i} reference_value)
      string(JSON ratio GET "${out}" rows ${i} ratio)
      require_positive("${figure} ${size}: reference value" "${reference_value}")
      require_positive("${figure} ${size}: ratio to ${reference}" "${ratio}")
    endif()
    set(key "${figure}|${size}|${threads}|${reference}")
    # A latency row carries its distribution; its value is the p99.
    if(figure MATCHES "latency")
      foreach(field median p99 max samples)
        string(JSON value ERROR_VARIABLE no_value GET "${out}" rows ${i} latency_us ${field})
        require_positive("${key}: latency_us.${field}" "${value}")
      endforeach()
      string(JSON p99 GET "${out}" rows ${i} latency_us p99)
      if(NOT cpddi EQUAL p99)
        message(FATAL_ERROR "${key}: the value ${cpddi} is not the p99 ${p99}")
      endif()
    endif()
    string(JSON note ERROR_VARIABLE no_note GET "${out}" rows ${i} note)
    if(NOT note MATCHES "^not measured: a sanitizer")  # the memory rows of a sanitizer build
      require_positive("${key}: cpddi" "${cpddi}")
    endif()
    string(JSON target_type TYPE "${out}" rows ${i} target)
    string(JSON met_type TYPE "${out}" rows ${i} met)
    if(NOT target_type STREQUAL "NULL" AND NOT met_type STREQUAL "BOOLEAN")
      message(FATAL_ERROR "${key}: a target without met true/false")
    endif()
    list(FIND expected "${key}" index)
    if(index EQUAL -1)
      message(FATAL_ERROR "unexpected row ${key}")
    endif()
    list(APPEND seen "${key}")
  endforeach()
  foreach(key IN LISTS expected)
    list(FIND seen "${key}" index)
    if(index EQUAL -1)
      message(FATAL_ERROR "no row ${key} in:\n${out}")
    endif()
  endforeach()

elseif(MODE STREQUAL "plot")
  set(svg "${WORK_DIR}/throughput.svg")
  file(REMOVE "${svg}")
  run_tool(bench --quick --plot "${svg}")
  # The table: machine line, the quick-run warning, a header and the figures.
  foreach(pattern "^cpddi [0-9.]+ on .*, [0-9]+ cores\n" "not measurements"
                  "FIGURE +SIZE +THREADS +CPDDI +REFERENCE +REFERENCE VALUE +RATIO +TARGET +RESULT"
                  "DecryptionBlt full +NV12 2160p +1 +[0-9.]+ MB/s +EVP AES-128-CTR"
                  "key exchange .* us +EVP_PKEY_decrypt RSA-OAEP"
                  "channel query round trip .* us +EVP_MAC AES-CMAC x2 .* <= 3 "
                  "session create \\+ destroy .*no reference exists"
                  "live session, keyed +100 sessions .* B/session"
                  "DecryptionBlt full +16 KiB +1 +[0-9.]+ MB/s +EVP AES-128-CTR .* >= 0.75 "
                  "DecryptionBlt full +64 KiB +1 +[0-9.]+ MB/s +EVP AES-128-CTR .* >= 0.9 "
                  "DecryptionBlt latency, busy +64 KiB .* us +its median .* <= 3 "
                  "8 streams, 2 devices +NV12 1080p .* MB/s +fair share .* >= 0.8 ")
    if(NOT out MATCHES "${pattern}")
      message(FATAL_ERROR "the table does not match '${pattern}':\n${out}")
    endif()
  endforeach()
  if(NOT EXISTS "${svg}")
    message(FATAL_ERROR "--plot did not write ${svg}")
  endif()
  file(READ "${svg}" text)
  if(NOT text MATCHES "^<svg xmlns=\"http://www.w3.org/2000/svg\"" OR NOT text MATCHES "</svg>\n$")
    message(FATAL_ERROR "${svg} is not an SVG document:\n${text}")
  endif()
  string(REGEX MATCHALL "<polyline " lines "${text}")
  list(LENGTH lines num_lines)
  if(NOT num_lines EQUAL 4)
    message(FATAL_ERROR "want 4 series (polylines), got ${num_lines}:\n${text}")
  endif()
  foreach(label ">cpddi, 1 thread<" ">cpddi, threads all \\([0-9]+\\)<" ">raw EVP AES-128-CTR<"
                ">memcpy<" ">throughput \\(MB/s\\)<" "log scale" ">NV12 2160p<" ">16 KiB<"
                ">64 KiB<" ">256 KiB<"
                "DecryptionBlt throughput")
    if(NOT text MATCHES "${label}")
      message(FATAL_ERROR "the plot has no '${label}' (legend, axis, tick or title):\n${text}")
    endif()
  endforeach()

elseif(MODE STREQUAL "benchmarks")
  run_tool(--benchmark_min_time=0.001 --benchmark_filter=-SessionMemory
           --benchmark_format=json)
  string(JSON num ERROR_VARIABLE json_error LENGTH "${out}" benchmarks)
  if(json_error)
    message(FATAL_ERROR "stdout is not Google Benchmark JSON (${json_error}):\n${out}")
  endif()
  set(names "")
  math(EXPR last "${num} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${out}" benchmarks ${i} name)
    string(JSON error ERROR_VARIABLE no_error GET "${out}" benchmarks ${i} error_message)
    if(NOT no_error)
      message(FATAL_ERROR "${name} failed: ${error}")
    endif()
    list(APPEND names "${name}")
  endforeach()
  # A blt with its ratio counters and bytes, and its references beside it.
  foreach(name "DecryptionBlt_full/NV12_2160p/blt_threads:1/real_time"
               "ref/EVP_AES-128-CTR/NV12_2160p/real_time" "ref/memcpy/NV12_2160p/real_time"
               "key_exchange/real_time" "ref/EVP_PKEY_decrypt_RSA-OAEP/real_time"
               "channel_query_round_trip/real_time" "ref/EVP_MAC_AES-CMAC_x2/real_time"
               "channel_configure_round_trip/real_time" "ref/EVP_MAC_AES-CMAC_x4/real_time")
    list(FIND names "${name}" index)
    if(index EQUAL -1)
      message(FATAL_ERROR "no benchmark ${name} among: ${names}")
    endif()
  endforeach()
  list(FIND names "DecryptionBlt_full/NV12_2160p/blt_threads:1/real_time" index)
  string(JSON bytes_per_second GET "${out}" benchmarks ${index} bytes_per_second)
  string(JSON ratio GET "${out}" benchmarks ${index} ratio_to_EVP_AES-128-CTR)
  require_positive("bytes_per_second" "${bytes_per_second}")
  require_positive("ratio_to_EVP_AES-128-CTR" "${ratio}")

else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()
