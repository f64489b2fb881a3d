"""The exit codes of the command line (docs/kontrakt.md), said once.

0 done; 1 `fel` found, the result cannot be calculated, or a file was left out of the
national merge; 2 a file cannot be read, an output cannot be written (or nothing could be
merged); 3 an internal error; 130 Ctrl-C, 143 SIGTERM, 141 a closed pipe (`| head`).
"""

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_UNREADABLE = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of our output went away (`| head`)
EXIT_INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM

# The national merge's names for the same codes.
EXIT_EXCLUDED = EXIT_FAIL
EXIT_NOTHING = EXIT_UNREADABLE
