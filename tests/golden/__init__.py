"""Golden cases: small registration workbooks built by code, with their expected outputs.

Each case folder holds what the command line gives for the case's workbook: the long
table (`lang.csv`), the response rates (`svarsfrekvens.csv`), `validera --json`
(`problem.json`) and the exit codes (`slutkoder.txt`). `tests/test_golden.py` compares a
fresh run with them byte for byte. When a change of a figure is intended, regenerate them
and read the diff:

    python -m tests.golden
"""
