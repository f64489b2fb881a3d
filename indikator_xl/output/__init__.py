"""The files the tool writes: atomic writes, the output-path rule, the machine-readable CSVs."""
