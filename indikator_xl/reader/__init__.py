"""A faithful, fast reader for .xlsx/.xlsm files: zip + ElementTree's C parser.

Faithful means: an Excel error cell stays an error (`CellError`), text stays text
(`"05"` is not 5), numbers keep their type, date-formatted numbers become datetimes, a
formula without a cached value is `NO_CACHE`, and every value sits at its true address.
The common fast readers (calamine, fastexcel, pandas) lose error cells, which would drop
invalid answers silently (see README, "Läsaren").

Reading is bounded: sizes past `Limits` are refused with a Swedish message.

The package, outermost first: `workbook` (read a file), `sheet` (one worksheet part),
`scan` and `tree` (the two tokenisers), `convert` (tokens to typed rows), `parts` (part
lookup and the small parts), `dates`, and `package` (bounded zip access).
"""

from indikator_xl.reader.package import DEFAULT_LIMITS, Limits
from indikator_xl.reader.workbook import read_workbook, sheet_names

__all__ = ["DEFAULT_LIMITS", "Limits", "read_workbook", "sheet_names"]
