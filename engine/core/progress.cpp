#include "core/progress.h"

#include "core/error.h"

namespace lathe {

void check_progress(ProgressSink* sink, const std::string& stage, std::uint64_t done,
                    std::uint64_t total) {
  if (sink && !sink->report(stage, done, total)) throw Cancelled();
}

}  // namespace lathe
