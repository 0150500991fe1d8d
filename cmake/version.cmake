# Run at every build (cmake -P): writes OUT from cmake/version.cpp.in with the project version
# (POL_VERSION) and the git revision of the sources in SRC. configure_file rewrites OUT only
# when its text changes, so a new commit recompiles this one file and relinks polc, nothing else.
set(POL_REVISION unknown)
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SRC}/.git")
  # --no-optional-locks: never take the index lock, so a build cannot get in the way of a commit.
  execute_process(COMMAND "${GIT_EXECUTABLE}" --no-optional-locks -C "${SRC}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE head RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0 AND head)
    set(POL_REVISION "${head}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" --no-optional-locks -C "${SRC}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
    if(rc EQUAL 0 AND changes)
      string(APPEND POL_REVISION "-dirty")
    endif()
  endif()
endif()
configure_file("${SRC}/cmake/version.cpp.in" "${OUT}" @ONLY)
