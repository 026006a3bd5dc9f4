// ParamTreeSnapshot: the module hierarchy of a checkpoint, built from tensor
// names alone (torch-free, plain data, copyable).
//
// "transformer.h.0.attn.c_attn.weight" becomes the module path
// transformer → h → 0 → attn → c_attn with the tensor "weight" as a leaf.
// Every node carries subtree totals, so views can show sizes per module
// without walking the tree again.
//
//   lathe::CheckpointInfo info = lathe::inspect_checkpoint(dir);
//   lathe::ParamTreeSnapshot tree = lathe::ParamTreeSnapshot::build(info);
//   for (int c : tree.node(tree.root()).children)
//     std::cout << tree.node(c).name << ' ' << tree.node(c).bytes << '\n';
#pragma once

#include "core/dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lathe {

struct CheckpointInfo;

/// One node of the tree: a module, a tensor, or (rarely) both, when a name is
/// used as a tensor and as a module prefix ("a.b" and "a.b.c").
struct ParamTreeNode {
  static constexpr int kNone = -1;   ///< no tensor / no parent / no dtype / no file
  static constexpr int kMixed = -2;  ///< dtype/file: the subtree uses several

  std::string name;             ///< last path component ("c_attn", "weight", "0")
  std::string path;             ///< full dotted path; "" for the root
  int parent = kNone;           ///< node index; kNone for the root
  int row = 0;                  ///< position within the parent's children
  std::vector<int> children;    ///< node indices, first-seen order (numeric runs sorted)
  int tensor = kNone;           ///< index into ParamTreeSnapshot::tensors, or kNone

  // Subtree totals. A tensor sharing storage with an earlier tensor (tied
  // weights) counts once: at its first occurrence in file order.
  std::uint64_t bytes = 0;
  std::uint64_t elements = 0;
  std::uint32_t tensor_count = 0;  ///< tensors in the subtree, tied ones included
  int dtype = kNone;  ///< static_cast<int>(DType) if uniform, kMixed, or kNone
  int file = kNone;   ///< index into ParamTreeSnapshot::files if uniform, kMixed, or kNone

  bool is_tensor() const { return tensor != kNone; }
  bool is_module() const { return !children.empty() || tensor == kNone; }
};

/// A tensor as the tree shows it.
struct ParamTreeTensor {
  std::string name;  ///< full name as in the checkpoint
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t nbytes = 0;
  std::uint64_t numel = 0;
  int file = 0;                      ///< index into ParamTreeSnapshot::files
  int node = 0;                      ///< the tree node holding this tensor
  int shared_group = -1;             ///< index into shared_groups, -1 if not shared
  int tied_to = -1;                  ///< first tensor of the group, if it is not this one
};

class ParamTreeSnapshot {
 public:
  /// Builds the tree in O(total name length): no lookup is quadratic, and
  /// 100 000 tensors take about 0.2 s (mostly memory allocation).
  static ParamTreeSnapshot build(const CheckpointInfo& info);

  int root() const { return 0; }
  int size() const { return static_cast<int>(nodes.size()); }
  const ParamTreeNode& node(int index) const { return nodes[static_cast<std::size_t>(index)]; }
  /// Node index of a dotted path ("" is the root); -1 when absent. O(depth × fan-out).
  int find(const std::string& path) const;
  /// Share of the whole checkpoint held by a node, in [0, 1].
  double share(int index) const;

  std::vector<ParamTreeNode> nodes;      ///< nodes[0] is the root
  std::vector<ParamTreeTensor> tensors;  ///< checkpoint (file) order
  std::vector<std::string> files;        ///< weight file names, first-seen order
  /// Tensor indices sharing one storage; the first is the one counted.
  std::vector<std::vector<int>> shared_groups;

  std::string model_type;
  std::vector<std::string> architectures;
  std::string source_dir;                ///< checkpoint folder
  std::uint64_t total_bytes = 0;         ///< as the checkpoint reports it
  std::uint64_t total_elements = 0;
};

}  // namespace lathe
