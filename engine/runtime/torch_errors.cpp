#include "runtime/torch_errors.h"

#include <c10/util/Exception.h>

#include <new>

namespace lathe {
namespace {
thread_local std::string t_failed_module;
}  // namespace

void clear_failed_module() { t_failed_module.clear(); }

void note_failed_module(const std::string& type_name) {
  if (t_failed_module.empty()) t_failed_module = type_name;
}

void rethrow_as_lathe_error(const std::string& operation, const std::string& context) {
  std::string where = operation + " failed";
  if (!t_failed_module.empty()) where += " in " + t_failed_module;
  t_failed_module.clear();
  try {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::OutOfMemory, where + ": out of memory", context);
  } catch (const c10::Error& e) {
    std::string msg = one_line_message(e.msg());
    // A C++ allocator failure inside ATen arrives as c10::Error too.
    const bool oom = msg.find("DefaultCPUAllocator: can't allocate memory") != std::string::npos ||
                     msg.find("DefaultCPUAllocator: not enough memory") != std::string::npos;
    throw Error(oom ? ErrorCode::OutOfMemory : ErrorCode::Internal, where + ": " + msg, context);
  } catch (const std::exception& e) {
    throw Error(ErrorCode::Internal, where + ": " + one_line_message(e.what()), context);
  } catch (...) {
    throw Error(ErrorCode::Internal, where + ": unexpected error", context);
  }
}

}  // namespace lathe
