// The record of where each channel handle lives, for the partial-deadlock
// check.
//
// A goroutine blocked on a channel can never wake when every handle that
// could still reach the channel (Chan, SendChan, RecvChan) is held by
// goroutines that can never wake either. To prove that, the runtime keeps
// the address of every live handle, and the check attributes each address
// to the goroutine whose stack or task contains it. A handle kept anywhere
// else (on the heap, in a global, on a plain std::thread) belongs to no
// goroutine, so its channel is never reported.
//
// The registry is hidden from TSan: copying, moving and dropping handles
// synchronizes nothing. With RACECOURSE_LEAKS=off nothing is recorded.
#pragma once

namespace racecourse::detail {

class ChanCore;

// A new handle at `handle` refers to `core`.
void handle_attach(ChanCore* core, const void* handle) noexcept;
// The handle at `handle` lets go of `core`; call before releasing it.
void handle_detach(ChanCore* core, const void* handle) noexcept;
// The handle at `from` moved to `to`.
void handle_move(ChanCore* core, const void* from, const void* to) noexcept;

}  // namespace racecourse::detail
