# Run by the build after polc is linked (cmake -P): fills the man page and the bash completion
# templates with the command reference polc prints from its own command line (cli/reference.h).
#   POLC: the program; SRC: the sources; BIN: where polc.1 and polc.bash are written;
#   POL_VERSION: the project version.
foreach(what man bash)
  execute_process(COMMAND "${POLC}" reference ${what} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "`polc reference ${what}` failed (${rc})")
  endif()
  string(REGEX REPLACE "\n$" "" text "${text}")
  if(what STREQUAL man)
    set(POLC_COMMANDS "${text}")
  else()
    set(POLC_COMPLETION_TABLES "${text}")
  endif()
endforeach()
configure_file("${SRC}/docs/man/polc.1.in" "${BIN}/polc.1" @ONLY)
configure_file("${SRC}/scripts/completion/polc.bash.in" "${BIN}/polc.bash" @ONLY)
