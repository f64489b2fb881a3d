"""The rikssnitt workbook NNS publishes, as a sheet model (read back by `figures.rikssnitt`)."""

from __future__ import annotations

import pandas as pd

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.rikssnitt import (
    ABOUT_PREVIOUS,
    COLUMNS,
    FORMAT_VERSION,
    PREVIOUS_COLUMN,
    SHARE_COLUMNS,
    SHEET_ABOUT,
    SHEET_DATA,
    TEXT_COLUMNS,
    Rikssnitt,
)
from indikator_xl.sheets import publication
from indikator_xl.sheets import sheetmodel as sm


def rikssnitt_workbook(rikssnitt: Rikssnitt) -> sm.Workbook:
    """The rikssnitt workbook NNS publishes (read back by `read_workbook_file`): the sheet
    Rikssnitt with COLUMNS from A1, one row per measure and subgroup, and the sheet Om."""
    rows = []
    with_previous = (rikssnitt.previous_period is not None
                     and PREVIOUS_COLUMN in rikssnitt.table.columns)
    shares = SHARE_COLUMNS + ((PREVIOUS_COLUMN,) if with_previous else ())
    columns = COLUMNS + ((PREVIOUS_COLUMN,) if with_previous else ())
    for row in rikssnitt.table.itertuples(index=False):
        question = int(row.question)
        values: list[sm.CellValue] = [
            rikssnitt.period, row.group, question, ins.question(row.group, question).indicator,
            row.dimension, row.undergrupp, None if pd.isna(row.n) else int(row.n),
            *(None if pd.isna(getattr(row, c)) else float(getattr(row, c))
              for c in shares)]
        rows.append(sm.Row(tuple(sm.Value(v, "text" if isinstance(v, str) else "number")
                                 for v in values)))
    data = sm.Table("rikssnitt", tuple(sm.Column(c, "text" if c in TEXT_COLUMNS else "number")
                                       for c in columns), tuple(rows))
    previous = (sm.Row((sm.Value(ABOUT_PREVIOUS), sm.Value(rikssnitt.previous_period, "year"))),
                ) if with_previous else ()
    about = sm.Table("om", (sm.Column("Uppgift", width=16), sm.Column("Värde", width=80)), (
        sm.Row((sm.Value("Mätperiod"), sm.Value(rikssnitt.period, "year"))),
        *previous,
        sm.Row((sm.Value("Källa"), sm.Value(rikssnitt.source))),
        sm.Row((sm.Value("Formatversion"), sm.Value(FORMAT_VERSION, "number"))),
        sm.Row((sm.Value("Beskrivning"), sm.Value(
            "Andelar som bråk 0–1 per respondentgrupp, fråga och undergrupp. Läses av "
            "indikator-xl berakna --rikssnitt."))),
    ))
    title = f"Rikssnitt {rikssnitt.period}"
    book = sm.Workbook((sm.Sheet(SHEET_DATA, (data,)),
                        sm.Sheet(SHEET_ABOUT, (sm.Text(f"Om rikssnittsfilen {rikssnitt.period}",
                                                       "title"), about),
                                 freeze_heading=False)), title=title)
    return publication.publish(book, publication.About(
        title=title, period=str(rikssnitt.period),
        producer="NNS – Nationella nätverket för samordningsförbund",
        sources=(rikssnitt.source,),
        contents={SHEET_ABOUT: "Mätperiod, källa och formatversion."},
        machine_readable={SHEET_DATA: (
            "Rikssnittet: en rad per respondentgrupp, fråga och undergrupp; n och andelar "
            "per svarskategori och nyckeltal som bråk 0–1 (tomt där värdet är dolt eller "
            "saknas). Läses av indikator-xl berakna --rikssnitt. Rubrikraden är rad 1.")}))
