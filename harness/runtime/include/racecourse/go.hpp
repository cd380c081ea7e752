// racecourse's Go-style runtime in one include: goroutines, channels,
// select, timers, WaitGroup, Mutex, RWMutex, Once and panic.
#pragma once

#include "racecourse/chan.hpp"
#include "racecourse/goroutine.hpp"
#include "racecourse/mutex.hpp"
#include "racecourse/once.hpp"
#include "racecourse/panic.hpp"
#include "racecourse/select.hpp"
#include "racecourse/source_location.hpp"
#include "racecourse/time.hpp"
#include "racecourse/wait_group.hpp"
