// lathe-cli inspect MODEL: everything a checkpoint says, from headers alone.
#include "cli_args.h"
#include "commands.h"
#include "output.h"

#include "core/size_string.h"
#include "io/checkpoint.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace lathe::cli {

int cmd_inspect(const Argv& argv) {
  Args args(argv, {"--variant", "--dtype"}, {"--tree"});
  args.expect_positional(1, 1, "lathe-cli inspect MODEL [--variant V] [--json]");
  ResolveOptions ro;
  ro.variant = args.value("--variant").value_or("");
  CheckpointInfo info = inspect_checkpoint(args.positional()[0], ro);

  if (args.json()) {
    nlohmann::ordered_json j;
    j["model_type"] = info.model_type.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(info.model_type);
    j["architectures"] = info.architectures;
    j["format"] = info.files.format == WeightFormat::Safetensors ? "safetensors" : "bin";
    j["files"] = info.files.weight_files;
    j["index"] = info.files.index_file.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(info.files.index_file);
    j["metadata"] = info.metadata;
    auto& ts = j["tensors"] = nlohmann::ordered_json::array();
    for (const auto& t : info.tensors)
      ts.push_back({{"name", t.name}, {"dtype", dtype_code(t.dtype)}, {"shape", t.shape},
                    {"bytes", t.nbytes}, {"file", t.file}});
    j["total_bytes"] = info.total_bytes;
    j["total_elements"] = info.total_elements;
    j["tied"] = info.shared_storage;
    print_json(j);
    return 0;
  }
  std::printf("model: %s\n", args.positional()[0].c_str());
  if (!info.model_type.empty()) std::printf("model_type: %s\n", info.model_type.c_str());
  for (const auto& a : info.architectures) std::printf("architecture: %s\n", a.c_str());
  std::printf("format: %s, %zu file(s)%s\n",
              info.files.format == WeightFormat::Safetensors ? "safetensors" : "pytorch .bin",
              info.files.weight_files.size(),
              info.files.sharded() ? (" via " + info.files.index_file).c_str() : "");
  Table table({"name", "dtype", "shape", "bytes", "file"}, {false, false, false, true, false});
  for (const auto& t : info.tensors)
    table.add({t.name, dtype_code(t.dtype), shape_text(t.shape), std::to_string(t.nbytes), t.file});
  table.print(std::cout);
  std::printf("%zu tensors, %llu elements, %s (%llu bytes)\n", info.tensors.size(),
              static_cast<unsigned long long>(info.total_elements), format_bytes(info.total_bytes).c_str(),
              static_cast<unsigned long long>(info.total_bytes));
  for (const auto& g : info.shared_storage) {
    std::printf("shared storage:");
    for (const auto& n : g) std::printf(" %s", n.c_str());
    std::printf("\n");
  }
  return 0;
}

}  // namespace lathe::cli
