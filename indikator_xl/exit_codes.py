"""The exit codes of the command line (docs/kontrakt.md), said once.

0 done; 1 `fel` found, the result cannot be calculated, or a file was left out of the
national merge; 2 a file cannot be read (or nothing could be merged); 3 an internal error.
"""

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_UNREADABLE = 2
EXIT_INTERNAL = 3

# The national merge's names for the same codes.
EXIT_EXCLUDED = EXIT_FAIL
EXIT_NOTHING = EXIT_UNREADABLE
