# Sanitizer flags for the whole build, chosen by RACECOURSE_SANITIZER.
#
# ThreadSanitizer cannot be combined with AddressSanitizer: both reserve the
# same parts of the address space for their shadow memory, so the two are
# separate presets and this module rejects any other value.

function(racecourse_apply_sanitizer sanitizer)
  if(sanitizer STREQUAL "")
    return()
  elseif(sanitizer STREQUAL "thread")
    set(flags -fsanitize=thread -fno-omit-frame-pointer)
  elseif(sanitizer STREQUAL "address-undefined")
    set(flags -fsanitize=address,undefined -fno-omit-frame-pointer
              -fno-sanitize-recover=undefined)
  else()
    message(FATAL_ERROR
      "RACECOURSE_SANITIZER='${sanitizer}' is not supported: use 'thread', "
      "'address-undefined' or leave it empty. ThreadSanitizer and "
      "AddressSanitizer cannot run in one process, so they are separate "
      "presets.")
  endif()
  add_compile_options(${flags})
  add_link_options(${flags})
endfunction()
