// StateDict: an ordered name → tensor map (internal: includes ATen).
//
// Order is the state-dict order (the order tensors were inserted), which is
// what sharding and `.bin` writing follow.
#pragma once

#include "core/dtype.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lathe {

class StateDict {
 public:
  using Item = std::pair<std::string, at::Tensor>;

  /// Inserts, or replaces in place (keeping the position) when the name exists.
  void insert(const std::string& name, at::Tensor t) {
    auto it = index_.find(name);
    if (it != index_.end()) {
      items_[it->second].second = std::move(t);
      return;
    }
    index_.emplace(name, items_.size());
    items_.emplace_back(name, std::move(t));
  }
  const at::Tensor* find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  at::Tensor* find(const std::string& name) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  void erase(const std::string& name) {
    auto it = index_.find(name);
    if (it == index_.end()) return;
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(it->second));
    reindex();
  }
  const std::vector<Item>& items() const { return items_; }
  std::vector<Item>& items() { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() {
    items_.clear();
    index_.clear();
    file_dtypes_.clear();
  }

  /// For tensors whose file dtype LibTorch 1.13 cannot represent (F8_*, U16,
  /// U32, U64) the tensor holds the raw bits in a same-width type and this
  /// records the real dtype, so a re-save writes it back unchanged.
  void set_file_dtype(const std::string& name, DType d) { file_dtypes_[name] = d; }
  const DType* file_dtype(const std::string& name) const {
    auto it = file_dtypes_.find(name);
    return it == file_dtypes_.end() ? nullptr : &it->second;
  }

 private:
  void reindex() {
    index_.clear();
    for (std::size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i].first, i);
  }
  std::vector<Item> items_;
  std::unordered_map<std::string, std::size_t> index_;
  std::unordered_map<std::string, DType> file_dtypes_;
};

}  // namespace lathe
