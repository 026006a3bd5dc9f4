// lathe-cli inspect MODEL: everything a checkpoint says, from headers alone.
#include "cli_args.h"
#include "commands.h"
#include "output.h"

#include "core/size_string.h"
#include "core/error.h"
#include "hub/hub_client.h"
#include "hub/model_source.h"
#include "hub/remote_inspect.h"
#include "io/checkpoint.h"
#include "session/session.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace lathe::cli {

namespace {

// s as nlohmann's dump() writes a string: printable ASCII as is, anything
// else through nlohmann itself (its escapes and its UTF-8 check).
void append_json_text(std::string& out, const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
      out += nlohmann::ordered_json(s).dump();
      return;
    }
  out += '"';
  out += s;
  out += '"';
}

// The "tensors" array byte for byte as dump(2) writes it as a top-level
// member, without a DOM of every tensor (a million tensors took seconds and a
// gigabyte as ordered_json objects).
std::string tensors_json(const std::vector<TensorInfo>& tensors) {
  std::size_t size = 8;
  for (const TensorInfo& t : tensors) size += 100 + t.name.size() + t.file.size() + 30 * t.shape.size();
  std::string out;
  out.reserve(size);
  out += "[\n";
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const TensorInfo& t = tensors[i];
    out += "    {\n      \"name\": ";
    append_json_text(out, t.name);
    out += ",\n      \"dtype\": ";
    append_json_text(out, dtype_code(t.dtype));
    out += ",\n      \"shape\": ";
    if (t.shape.empty()) out += "[]";
    for (std::size_t d = 0; d < t.shape.size(); ++d) {
      out += d ? ",\n        " : "[\n        ";
      out += std::to_string(t.shape[d]);
    }
    if (!t.shape.empty()) out += "\n      ]";
    out += ",\n      \"bytes\": ";
    out += std::to_string(t.nbytes);
    out += ",\n      \"file\": ";
    append_json_text(out, t.file);
    out += i + 1 < tensors.size() ? "\n    },\n" : "\n    }\n";
  }
  return out + "  ]";
}

// print_json(j) where j["tensors"] is an empty placeholder for `tensors`. At
// indent 2 only a top-level key starts a line with exactly two spaces.
void print_json_with_tensors(const nlohmann::ordered_json& j, const std::vector<TensorInfo>& tensors) {
  const std::string text = j.dump(2);
  const std::string slot = "\n  \"tensors\": []";
  const std::size_t at = tensors.empty() ? std::string::npos : text.find(slot);
  if (at == std::string::npos) {
    std::cout << text << std::endl;
    return;
  }
  const std::string array = tensors_json(tensors);  // throws (bad UTF-8) before anything is printed
  const std::string_view all(text), before = all.substr(0, at + slot.size() - 2), after = all.substr(at + slot.size());
  std::cout << before << array << after << std::endl;
}

}  // namespace

int cmd_inspect(const Argv& argv) {
  Args args(argv, {"--variant", "--dtype"}, {"--tree"});
  args.expect_positional(1, 1, "lathe-cli inspect MODEL|ORG/NAME[@REV] [--variant V] [--dtype D] [--json]");
  ResolveOptions ro;
  ro.variant = args.value("--variant").value_or("");
  const std::string& arg = args.positional()[0];
  // A Hub repo id is inspected remotely (safetensors headers by Range requests,
  // no weights downloaded); offline or unreachable, from the cached snapshot.
  CheckpointInfo info;
  std::string local = arg;  // what summarize_model reads; "" for a remote inspection
  if (hub::looks_like_repo_id(arg)) {
    auto [repo, rev] = hub::split_model_ref(arg);
    hub::HubClient client;
    StderrProgress progress;
    try {
      info = hub::inspect_remote(client, repo, rev, ro, &progress);
      local.clear();
    } catch (const Error& e) {
      if (e.code() != ErrorCode::Network) throw;
      // Offline or unreachable: a snapshot already in the cache, never a download.
      hub::HubConfig cfg = client.config();
      cfg.offline = true;
      hub::HubClient cache_only(cfg);
      try {
        local = hub::resolve_model(cache_only, arg, hub::ModelNeed::Weights, nullptr, ro);
      } catch (const Error&) {
        throw Error(ErrorCode::Network, std::string("not a local path, and ") + e.what(), arg);
      }
      info = inspect_checkpoint(local, ro);
    }
  } else {
    info = inspect_checkpoint(arg, ro);
  }
  // Model-level facts from a meta skeleton: needs a config and a supported
  // architecture, but inspect works without either (tensors only).
  std::optional<ModelSummary> model;
  std::string model_error;
  if (!info.files.config_file.empty()) {
    try {
      LoadOptions lo;
      lo.variant = ro.variant;
      lo.torch_dtype = args.value("--dtype").value_or("");
      model = local.empty() ? summarize_model(info, lo) : summarize_model(local, lo);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::UnsupportedArch && e.code() != ErrorCode::Unsupported) throw;
      model_error = e.what();
    }
  } else {
    model_error = "no config.json";
  }

  if (args.json()) {
    nlohmann::ordered_json j;
    j["model_type"] = info.model_type.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(info.model_type);
    j["architectures"] = info.architectures;
    j["format"] = info.files.format == WeightFormat::Safetensors ? "safetensors" : "bin";
    j["files"] = info.files.weight_files;
    j["index"] = info.files.index_file.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(info.files.index_file);
    j["metadata"] = info.metadata;
    j["tensors"] = nlohmann::ordered_json::array();  // filled in by print_json_with_tensors
    j["total_bytes"] = info.total_bytes;
    j["total_elements"] = info.total_elements;
    if (model) {
      j["model_class"] = model->class_name;
      j["dtype"] = model->dtype;
      j["num_parameters"] = {{"all", model->num_parameters},
                             {"trainable", model->num_parameters_trainable},
                             {"exclude_embeddings", model->num_parameters_exclude_embeddings},
                             {"trainable_exclude_embeddings", model->num_parameters_trainable_exclude_embeddings}};
      j["memory_footprint"] = {{"with_buffers", model->memory_footprint_with_buffers},
                               {"without_buffers", model->memory_footprint_without_buffers}};
      j["tied"] = model->tied;
      j["no_split_modules"] = model->no_split_modules;
    } else {
      j["model_class"] = nullptr;
      j["model_error"] = model_error;
      j["tied"] = info.shared_storage;
    }
    j["shared_storage"] = info.shared_storage;
    print_json_with_tensors(j, info.tensors);
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
  if (model) {
    std::printf("class: %s (%s)\n", model->class_name.c_str(), model->dtype.c_str());
    std::printf("num_parameters: %lld (%lld without embeddings)\n", static_cast<long long>(model->num_parameters),
                static_cast<long long>(model->num_parameters_exclude_embeddings));
    std::printf("memory footprint: %s (%s with buffers)\n",
                format_bytes(static_cast<std::uint64_t>(model->memory_footprint_without_buffers)).c_str(),
                format_bytes(static_cast<std::uint64_t>(model->memory_footprint_with_buffers)).c_str());
    for (const auto& g : model->tied) {
      std::printf("tied:");
      for (const auto& n : g) std::printf(" %s", n.c_str());
      std::printf("\n");
    }
  } else {
    std::printf("model: %s\n", model_error.c_str());
  }
  for (const auto& g : info.shared_storage) {
    std::printf("shared storage:");
    for (const auto& n : g) std::printf(" %s", n.c_str());
    std::printf("\n");
  }
  return 0;
}

}  // namespace lathe::cli
