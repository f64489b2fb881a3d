"""The national merge: figures checked against an independent count of generated files."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pytest
from scipy.stats import chi2_contingency

from indikator_xl.domain import instrument as ins
from indikator_xl.figures import national_data
from indikator_xl.figures.national import EXIT_EXCLUDED, EXIT_NOTHING, EXIT_OK, merge_folder
from indikator_xl.figures.national_history import point_estimate
from indikator_xl.validation.intake import choose_period, list_workbooks, read_all

from . import national_folder as nf


@pytest.fixture(scope="module")
def counted(folder: Path) -> nf.Counted:
    return nf.count(list_workbooks(folder))


@pytest.fixture(scope="module")
def result(folder: Path):
    return merge_folder(folder, workers=1)


def _row(table, group: str, question: int, undergrupp: str = "samtliga"):
    hit = table[(table["group"] == group) & (table["question"] == question)
                & (table["undergrupp"] == undergrupp)]
    assert len(hit) == 1, (group, question, undergrupp)
    return hit.iloc[0]


def test_all_files_included(result) -> None:
    assert result.period == nf.PERIOD
    assert [s.forbund for s in result.included] == ["Alfa", "Beta", "Delta", "Epsilon",
                                                    "Gamma"]
    assert result.exit_code == EXIT_OK
    assert result.summary_line().startswith("Sammanställning 2023: 5 av 5 filer ingår")


def test_measures_match_independent_count(result, counted: nf.Counted) -> None:
    checked = 0
    for (group, question, sub), (n, neg, varken, pos, klart, key) in counted.measures.items():
        row = _row(result.table, group, question, sub)
        assert row["n"] == n
        assert row["n_nyckeltal"] == key
        if row["dold"]:
            assert math.isnan(row["nyckeltal"])
            continue
        assert row["negativt"] == pytest.approx(neg / n)
        assert row["varken_eller"] == pytest.approx(varken / n)
        assert row["positivt"] == pytest.approx(pos / n)
        assert row["klart_positivt"] == pytest.approx(klart / n)
        assert row["nyckeltal"] == pytest.approx(key / n)
        checked += 1
    assert checked > 80
    dims = set(result.table["dimension"])
    assert dims == {"samtliga", "kon", "anstallning"}  # no insats or samverkansgrupp rows


def test_gender_star_is_pearson_without_correction(result, counted: nf.Counted) -> None:
    found = 0
    for q in ins.GROUPS_BY_NAME[ins.DELTAGARE_PAGAENDE].questions:
        k = counted.measures[(ins.DELTAGARE_PAGAENDE, q.number, "kvinnor")]
        m = counted.measures[(ins.DELTAGARE_PAGAENDE, q.number, "man")]
        table = [[k[4], k[0] - k[4]], [m[4], m[0] - m[4]]]
        p = chi2_contingency(table, correction=False)[1]
        row = _row(result.table, ins.DELTAGARE_PAGAENDE, q.number, "kvinnor")
        assert row["stjarna_klart_positivt"] == int(p < 0.05)
        found += 1
    assert found == 7


def test_year_star_against_published_2022(result, counted: nf.Counted) -> None:
    """Without --foregaende, 2022 comes from the published n × nyckeltal."""
    assert result.previous_period == 2022
    published = national_data.nyckeltal_for(2022)
    for q in (1, 6):
        pub = published[(published["respondentgrupp"] == ins.DELTAGARE_PAGAENDE)
                        & (published["fraga"] == q) & (published["undergrupp"] == "samtliga")]
        n_prev = int(pub["n"].iloc[0])
        hits_prev = round(n_prev * float(pub["nyckeltal"].iloc[0]))
        n, *_, hits = counted.measures[(ins.DELTAGARE_PAGAENDE, q, "samtliga")]
        p = chi2_contingency([[hits, n - hits], [hits_prev, n_prev - hits_prev]],
                             correction=False)[1]
        row = _row(result.table, ins.DELTAGARE_PAGAENDE, q)
        assert row["n_foregaende"] == n_prev
        assert row["stjarna_ar"] == int(p < 0.05)


def test_point_estimate() -> None:
    assert point_estimate(1629, 78) == 1271
    assert point_estimate(10, 45) == 5  # halves round up
    assert point_estimate(11, 73) == 8


def test_tabell_1_and_bilaga_1(result, counted: nf.Counted) -> None:
    t1 = result.answers_by_group.set_index("respondentgrupp")
    for group in ins.GROUPS_BY_NAME:
        per = [c.get(group, 0) for c in counted.respondents.values()]
        assert t1.at[group, "svar"] == sum(per)
        assert t1.at[group, "forbund"] == sum(1 for n in per if n)
    assert t1.at["Totalt", "svar"] == sum(sum(c.values()) for c in counted.respondents.values())
    assert t1.at["Totalt", "forbund"] == 5
    b1 = result.bilaga1.set_index("forbund")
    for forbund, per in counted.respondents.items():
        for group in ins.GROUPS_BY_NAME:
            assert b1.at[forbund, group] == per.get(group, 0)


def test_tabell_3_and_bilaga_2(result, counted: nf.Counted) -> None:
    b2 = result.bilaga2
    for (forbund, group), (mal, und) in counted.populations.items():
        row = b2[(b2["forbund"] == forbund) & (b2["respondentgrupp"] == group)].iloc[0]
        assert row["undersokt_population"] == und
        assert (math.isnan(row["malpopulation"]) if mal is None else row["malpopulation"] == mal)
        assert row["svar"] == counted.respondents[forbund][group]
    t3 = result.response_rates.set_index("respondentgrupp")
    pops = counted.populations
    for group in ins.GROUPS_BY_NAME:
        und = sum(u for (_, g), (_, u) in pops.items() if g == group)
        assert t3.at[group, "undersokt_population"] == und
    assert math.isnan(t3.at[ins.REMITTENTER, "malpopulation"])
    # Totalt: remittenter are left out of the ratios against målpopulation
    with_mal = [(m, u, counted.respondents[f][g]) for (f, g), (m, u) in pops.items()
                if m is not None]
    mal = sum(m for m, _, _ in with_mal)
    assert t3.at["Totalt", "malpopulation"] == mal
    assert t3.at["Totalt", "andel_undersokt_av_mal"] == pytest.approx(
        sum(u for _, u, _ in with_mal) / mal)
    assert t3.at["Totalt", "andel_svar_av_mal"] == pytest.approx(
        sum(s for _, _, s in with_mal) / mal)
    all_und = sum(u for _, u in pops.values())
    assert t3.at["Totalt", "andel_svar_av_undersokt"] == pytest.approx(
        t3.at["Totalt", "svar"] / all_und)


def test_tabell_4_5_and_6(result, counted: nf.Counted) -> None:
    g = result.gender_counts.set_index(["respondentgrupp", "rad"])["antal"]
    for group in (ins.DELTAGARE_PAGAENDE, ins.DELTAGARE_AVSLUT):
        for rad in ("kvinnor", "man", "ej_angett"):
            assert g[(group, rad)] == sum(n for (_, gr, k), n in counted.gender.items()
                                          if gr == group and k == rad)
    t6 = result.routine_counts.set_index(["rad", "rutin"])["antal"]
    for routine in ins.ROUTINES:
        for rad in ("kvinnor", "man"):
            assert t6[(rad, routine)] == counted.routine_pagaende.get((routine, rad), 0)
        assert t6[("totalt", routine)] == sum(n for (r, _), n in counted.routine_pagaende.items()
                                              if r == routine)
    assert result.routine_counts.attrs["forbund"] == {ins.ROUTINES[0]: 1, ins.ROUTINES[1]: 2,
                                                      ins.ROUTINES[2]: 1}


def test_routine_comparison_stars(folder: Path, result) -> None:
    """Begränsad period (Alfa) vs Kontinuerligt (Beta, Delta) on the pågående measures."""
    per_forbund = {s.forbund: s for s in result.included}
    comp = result.routine_comparison
    assert set(comp["undergrupp"]) == {ins.ROUTINES[0], ins.ROUTINES[1]}
    for q in range(1, 8):
        sides = {}
        for routine, names in ((ins.ROUTINES[0], ["Alfa"]), (ins.ROUTINES[1], ["Beta", "Delta"])):
            n = hits = 0
            for name in names:
                a = per_forbund[name].answers
                a = a[(a["group"] == ins.DELTAGARE_PAGAENDE) & (a["question"] == q)]
                n += len(a)
                hits += int((a["code"] >= 4).sum())
            sides[routine] = (hits, n)
        (ha, na), (hb, nb) = sides[ins.ROUTINES[0]], sides[ins.ROUTINES[1]]
        p = chi2_contingency([[ha, na - ha], [hb, nb - hb]], correction=False)[1]
        row = comp[(comp["question"] == q) & (comp["undergrupp"] == ins.ROUTINES[0])].iloc[0]
        assert row["n"] == na
        assert row["stjarna_positivt"] == int(p < 0.05)


def test_tabell_22_adds_this_period(result) -> None:
    s = result.surveys.set_index("matperiod")
    assert list(s.index) == [2018, 2019, 2020, 2021, 2022, 2023]
    assert s.at[2022, "enkater"] == 3970  # shipped history
    assert s.at[2023, "enkater"] == result.total_answers  # this merge replaces 2023
    assert s.at[2023, "forbund"] == 5
    assert s.at[2023, "forbund_nationellt"] == 72


def test_parallel_read_gives_the_same(folder: Path, result) -> None:
    again = merge_folder(folder, workers=2)
    assert again.table.equals(result.table)
    assert again.bilaga2.equals(result.bilaga2)


# --- intake ---------------------------------------------------------------------------------

def _copy_folder(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for p in src.iterdir():
        (dst / p.name).write_bytes(p.read_bytes())
    return dst


def test_duplicate_submission_later_saved_time_wins(folder: Path, tmp_path: Path) -> None:
    d = _copy_folder(folder, tmp_path / "in")
    sizes = {ins.PERSONAL: 5}
    # The re-submission is saved later (dcterms:modified) but has the older file time.
    nf.write_submission(d, "Alfa_ny.xlsx", "alfa ", sizes, ins.ROUTINES[0], 99,
                        saved=datetime(2024, 2, 1, 9, 0), mtime=1_000_000_000)
    nf.write_submission(d, "Alfa_gammal.xlsx", "Alfa", {ins.PERSONAL: 7}, ins.ROUTINES[0],
                        98, saved=datetime(2024, 1, 1, 9, 0))
    res = merge_folder(d, workers=1)
    by_name = {s.name: s for s in res.submissions}
    assert by_name["Alfa_ny.xlsx"].included
    assert not by_name["Alfa_gammal.xlsx"].included
    assert not by_name["Alfa_2023.xlsx"].included
    assert "Alfa_ny.xlsx" in by_name["Alfa_gammal.xlsx"].reason
    assert "Alfa_gammal.xlsx" in by_name["Alfa_ny.xlsx"].reason
    assert "Alfa_2023.xlsx" in by_name["Alfa_ny.xlsx"].reason
    assert res.exit_code == EXIT_EXCLUDED
    assert len(res.included) == 5  # Alfa counted once
    b1 = res.bilaga1.set_index("forbund")
    assert b1.at["alfa", ins.PERSONAL] == 5
    assert b1.at["alfa", ins.DELTAGARE_PAGAENDE] == 0


def test_same_saved_time_falls_back_to_file_time(folder: Path, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    saved = datetime(2024, 1, 10, 12, 0)
    nf.write_submission(d, "b.xlsx", "Alfa", {ins.PERSONAL: 5}, ins.ROUTINES[0], 1,
                        saved=saved, mtime=2_000_000_000)
    nf.write_submission(d, "a.xlsx", "Alfa", {ins.PERSONAL: 6}, ins.ROUTINES[0], 2,
                        saved=saved, mtime=1_000_000_000)
    res = merge_folder(d, workers=1)
    assert [s.name for s in res.included] == ["b.xlsx"]


def test_broken_other_period_and_nameless_files(folder: Path, tmp_path: Path) -> None:
    d = _copy_folder(folder, tmp_path / "in")
    (d / "trasig.xlsx").write_bytes(b"this is not a zip file")
    (d / "tom.xlsm").write_bytes(b"")
    (d / "~$Alfa_2023.xlsx").write_bytes(b"lock")  # Excel's lock file: not a submission
    (d / "anteckningar.txt").write_text("inte en arbetsbok")
    nf.write_submission(d, "Zeta_2022.xlsx", "Zeta", {ins.PERSONAL: 5}, ins.ROUTINES[0], 7,
                        period=2022)
    nf.write_submission(d, "Namnlos.xlsx", "", {ins.PERSONAL: 5}, ins.ROUTINES[0], 8)
    res = merge_folder(d, workers=1)
    by_name = {s.name: s for s in res.submissions}
    assert set(by_name) == {*(p.name for p in folder.iterdir()), "trasig.xlsx", "tom.xlsm",
                            "Zeta_2022.xlsx", "Namnlos.xlsx"}
    assert "kan inte läsas" in by_name["trasig.xlsx"].reason
    assert "kan inte läsas" in by_name["tom.xlsm"].reason
    assert "mätperiod 2022" in by_name["Zeta_2022.xlsx"].reason
    assert "kan inte beräknas" in by_name["Namnlos.xlsx"].reason
    assert len(res.included) == 5
    assert res.exit_code == EXIT_EXCLUDED
    assert res.answers_by_group.iloc[-1]["svar"] == sum(s.total_answers for s in res.included)


def test_period_choice(folder: Path, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for i in range(2):
        nf.write_submission(d, f"a{i}.xlsx", f"A{i}", {ins.PERSONAL: 5}, ins.ROUTINES[0], i,
                            period=2022)
        nf.write_submission(d, f"b{i}.xlsx", f"B{i}", {ins.PERSONAL: 5}, ins.ROUTINES[0], i,
                            period=2023)
    subs = read_all(list_workbooks(d), workers=1)
    assert choose_period(subs) == 2023  # a tie goes to the later year
    nf.write_submission(d, "a2.xlsx", "A2", {ins.PERSONAL: 5}, ins.ROUTINES[0], 5, period=2022)
    subs = read_all(list_workbooks(d), workers=1)
    assert choose_period(subs) == 2022  # the most common period
    assert choose_period(subs, 2023) == 2023  # --matperiod decides
    res = merge_folder(d, period=2023, workers=1)
    assert [s.forbund for s in res.included] == ["B0", "B1"]
    assert res.previous_period == 2022


def test_nothing_to_merge(tmp_path: Path) -> None:
    (tmp_path / "trasig.xlsx").write_bytes(b"PK broken")
    res = merge_folder(tmp_path, workers=1)
    assert res.exit_code == EXIT_NOTHING
    assert not res.merged
    assert res.summary_line().startswith("Ingenting kunde sammanställas")
    empty = tmp_path / "tom"
    empty.mkdir()
    assert merge_folder(empty).exit_code == EXIT_NOTHING
