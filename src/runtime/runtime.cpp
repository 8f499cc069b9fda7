#include "runtime/runtime.h"

namespace cpddi::runtime {

Runtime& process_runtime() {
  static Runtime runtime;
  return runtime;
}

}  // namespace cpddi::runtime
