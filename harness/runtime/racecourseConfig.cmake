# Package file for find_package(racecourse CONFIG).
#
# Defines racecourse::runtime, a static library compiled from the installed
# sources inside the calling project, so it uses that project's compiler and
# flags: build your project with -fsanitize=thread and the runtime is
# instrumented too; build it without and no TSan symbols are needed.
include(CMakeFindDependencyMacro)
find_dependency(Threads)

if(NOT TARGET racecourse::runtime)
  get_filename_component(_racecourse_prefix
                         "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
  file(GLOB _racecourse_sources "${CMAKE_CURRENT_LIST_DIR}/src/*.cpp")
  add_library(racecourse_runtime STATIC ${_racecourse_sources})
  target_compile_features(racecourse_runtime PUBLIC cxx_std_20)
  target_include_directories(racecourse_runtime
    PUBLIC "${_racecourse_prefix}/include"
    PRIVATE "${CMAKE_CURRENT_LIST_DIR}/src")
  target_link_libraries(racecourse_runtime PUBLIC Threads::Threads)
  add_library(racecourse::runtime ALIAS racecourse_runtime)
  unset(_racecourse_sources)
  unset(_racecourse_prefix)
endif()
