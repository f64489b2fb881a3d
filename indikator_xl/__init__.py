"""indikator-xl: NNS indicator surveys in Excel — validation, results and the national merge."""

__version__ = "0.1.0"
