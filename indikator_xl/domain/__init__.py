"""The instrument and the names of things: questions, columns, cells, problems, errors."""
