"""Generated registration workbooks: the empty template and the shipped example."""
