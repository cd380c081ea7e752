#include "racecourse/detail/handles.hpp"

#include <algorithm>
#include <new>

#include "racecourse/detail/tsan.hpp"

#include "handle_registry.hpp"
#include "report_internal.hpp"
#include "scheduler_internal.hpp"

namespace racecourse::detail {

void HandleRegistry::attach(const ChanCore* core, const void* handle) noexcept {
  InternalGuard guard(lock_);
  try {
    handles_[core].push_back(handle);
  } catch (const std::bad_alloc&) {
    complete_ = false;
  }
}

void HandleRegistry::detach(const ChanCore* core, const void* handle) noexcept {
  InternalGuard guard(lock_);
  const auto entry = handles_.find(core);
  if (entry == handles_.end()) {
    return;
  }
  std::vector<const void*>& addresses = entry->second;
  const auto found = std::find(addresses.begin(), addresses.end(), handle);
  if (found != addresses.end()) {
    *found = addresses.back();
    addresses.pop_back();
  }
  if (addresses.empty()) {
    handles_.erase(entry);
  }
}

void HandleRegistry::move(const ChanCore* core,
                          const void* from,
                          const void* to) noexcept {
  InternalGuard guard(lock_);
  const auto entry = handles_.find(core);
  if (entry == handles_.end()) {
    return;
  }
  std::vector<const void*>& addresses = entry->second;
  std::replace(addresses.begin(), addresses.end(), from, to);
}

const std::vector<const void*>* HandleRegistry::handles_locked(
    const ChanCore* core) const noexcept {
  const auto entry = handles_.find(core);
  return entry == handles_.end() ? nullptr : &entry->second;
}

HandleRegistry& handle_registry() {
  // Never destroyed: handles in static objects are dropped during exit.
  static HandleRegistry* const registry = new HandleRegistry;
  return *registry;
}

bool tracking_handles() noexcept {
  static const bool tracking = leak_mode() != LeakMode::off;
  return tracking;
}

void handle_attach(ChanCore* core, const void* handle) noexcept {
  tsan::Hidden hidden;
  if (tracking_handles()) {
    handle_registry().attach(core, handle);
  }
}

void handle_detach(ChanCore* core, const void* handle) noexcept {
  tsan::Hidden hidden;
  if (tracking_handles()) {
    handle_registry().detach(core, handle);
    // The dropped handle may have been the last one a goroutine that can
    // still run could use.
    scheduler().chan_handle_dropped(core);
  }
}

void handle_move(ChanCore* core, const void* from, const void* to) noexcept {
  tsan::Hidden hidden;
  if (tracking_handles()) {
    handle_registry().move(core, from, to);
  }
}

}  // namespace racecourse::detail
