"""No output can destroy an input, every write is atomic, and a failed or interrupted write
leaves nothing behind (issue 12, items 1–4 and 17).

Refusals are decided before any work, so they run in process; signals, a full disk (a
real EFBIG from RLIMIT_FSIZE), the umask and a closed pipe run the real command in a
subprocess.
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indikator_xl import cli
from indikator_xl.domain.errors import write_error
from indikator_xl.figures.rikssnitt import published
from indikator_xl.render.to_openpyxl import render
from indikator_xl.sheets.rikssnitt_sheets import rikssnitt_workbook
from tests.builders import registration

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
TIME_LIMIT = 120


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("indata")
    reg = d / "Reg.xlsx"
    shutil.copy(EXAMPLE, reg)
    prev = d / "Reg_2022.xlsx"
    shutil.copy(EXAMPLE, prev)
    riks = d / "Rikssnitt.xlsx"
    render(rikssnitt_workbook(published(2023)), riks)
    return {"fil": reg, "--foregaende": prev, "--rikssnitt": riks}


def _alias(target: Path, form: str, folder: Path) -> str:
    """`target` named another way: same path, with ./.., a symbolic link, a hard link."""
    if form == "path":
        return str(target)
    if form == "dotted":
        return str(target.parent / "." / ".." / target.parent.name / target.name)
    suffix = ".csv" if form.endswith("csv") else target.suffix
    alias = folder / f"alias-{form}{suffix}"
    alias.unlink(missing_ok=True)
    if form.startswith("symlink"):
        alias.symlink_to(target)
    else:
        os.link(target, alias)
    return str(alias)


def _berakna_args(inputs: dict[str, Path], option: str, value: str) -> list[str]:
    args = ["berakna", str(inputs["fil"]), "--foregaende", str(inputs["--foregaende"]),
            "--rikssnitt", str(inputs["--rikssnitt"])]
    return [*args, option, value]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(option=st.sampled_from(["-o", "--export", "--export-svarsfrekvens"]),
       victim=st.sampled_from(["fil", "--foregaende", "--rikssnitt"]),
       form=st.sampled_from(["path", "dotted", "symlink", "hardlink"]))
def test_no_output_option_can_name_an_input(inputs, tmp_path_factory, capsys, option, victim,
                                            form):
    folder = tmp_path_factory.mktemp("alias")
    before = {k: sha(p) for k, p in inputs.items()}
    target = inputs[victim]
    value = _alias(target, form, folder)
    code = cli.run(_berakna_args(inputs, option, value))
    err = capsys.readouterr().err
    assert code == 2, err
    assert {k: sha(p) for k, p in inputs.items()} == before
    assert err.startswith("indikator-xl: ") and len(err.strip().splitlines()) == 1
    # the suffix rule or the same-file rule, decided before reading anything
    assert ("samma fil som" in err or "ska sluta på" in err or "symbolisk länk" in err), err
    assert "Traceback" not in err
    assert not list(inputs["fil"].parent.glob(".*")), "no temporary file is left"


@pytest.mark.parametrize("form", ["path", "dotted", "hardlink"])
def test_csv_export_that_is_the_registration_is_refused(inputs, tmp_path, capsys, form):
    # a registration renamed .csv and a hard link to it: the same-file rule, not the suffix
    reg_csv = tmp_path / "Reg.csv"
    shutil.copy(inputs["fil"], reg_csv)
    before = sha(reg_csv)
    value = _alias(reg_csv, form + "-csv" if form == "hardlink" else form, tmp_path)
    code = cli.run(["berakna", str(reg_csv), "--export", value])
    err = capsys.readouterr().err
    assert code == 2
    assert "samma fil som" in err
    assert sha(reg_csv) == before


def test_two_outputs_of_one_run_may_not_be_one_file(inputs, tmp_path, capsys):
    out = tmp_path / "ut.csv"
    code = cli.run(["berakna", str(inputs["fil"]), "--export", str(out),
                    "--export-svarsfrekvens", str(tmp_path / "." / "ut.csv")])
    assert code == 2
    assert "--export-svarsfrekvens och --export är samma fil" in capsys.readouterr().err
    assert not out.exists()


def _special(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dir":
        path.mkdir()
    elif kind == "symlink":
        target = path.with_name("mål.xlsx")
        target.write_bytes(b"annan fil")
        path.symlink_to(target)
    else:
        path.symlink_to(path.with_name("finns-inte.xlsx"))


@pytest.mark.parametrize("kind,expected", [
    ("fifo", "ingen vanlig fil"), ("dir", "är en mapp"), ("symlink", "symbolisk länk"),
    ("dangling", "symbolisk länk")])
def test_an_output_that_is_no_regular_file_is_refused_not_replaced(inputs, tmp_path, capsys,
                                                                   kind, expected):
    out = tmp_path / "ut.xlsx"
    _special(kind, out)
    code = cli.run(["berakna", str(inputs["fil"]), "-o", str(out)])
    assert code == 2
    assert expected in capsys.readouterr().err
    assert out.is_symlink() or out.is_dir() or not out.is_file()
    if kind == "symlink":
        assert out.resolve().read_bytes() == b"annan fil"


@pytest.mark.parametrize("argv,expected", [
    (["berakna", "{fil}", "-o", "{d}/ut.xls"], "ska sluta på .xlsx"),
    (["berakna", "{fil}", "-o", "{d}/saknas/ut.xlsx"], "mappen {d}/saknas finns inte"),
    (["berakna", "{fil}", "--export", "{d}/ut.txt"], "ska sluta på .csv"),
    (["berakna", "{fil}", "--export-svarsfrekvens", "{d}/saknas/ut.csv"], "finns inte"),
    (["mall", "-o", "{d}/mall.xlsm"], "ska sluta på .xlsx"),
    (["mall", "-o", "{d}/saknas/mall.xlsx"], "finns inte"),
    (["exempel", "-o", "{d}/saknas/e.xlsx"], "finns inte"),
    (["sammanstall", "{d}", "-o", "{d}/saknas/n.xlsx"], "finns inte"),
    (["sammanstall", "{d}", "-o", "{d}/n.xlsx", "--export", "{d}/n.xlsx"], "ska sluta på .csv"),
    (["sammanstall", "{d}", "-o", "{d}/n.xlsx", "--rikssnitt-ut", "{d}/r.csv"], ".xlsx"),
])
def test_one_rule_for_suffixes_and_folders_checked_before_any_work(tmp_path, capsys, argv,
                                                                   expected):
    # the input does not exist: the output is judged first, before anything is read
    values = {"fil": str(tmp_path / "finns-inte.xlsx"), "d": str(tmp_path)}
    code = cli.run([a.format(**values) for a in argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert expected.format(**values) in err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture()
def submissions(tmp_path: Path) -> Path:
    d = tmp_path / "inlamnat"
    d.mkdir()
    shutil.copy(EXAMPLE, d / "Forbund_A.xlsx")
    registration(d / "Forbund_B.xlsx")
    return d


@pytest.mark.parametrize("option", ["-o", "--rikssnitt-ut"])
def test_sammanstall_refuses_an_output_that_is_a_submission(submissions, tmp_path, capsys,
                                                            option):
    before = listing(submissions)
    args = ["sammanstall", str(submissions), "-o", str(tmp_path / "N.xlsx")]
    args += [option, str(submissions / "Forbund_B.xlsx")]
    code = cli.run(args)
    err = capsys.readouterr().err
    assert code == 2
    assert "Forbund_B.xlsx är samma fil som" in err
    assert listing(submissions) == before
    assert not (tmp_path / "N.xlsx").exists()


def test_sammanstall_refuses_to_write_over_its_previous_period(submissions, tmp_path, capsys):
    prev = tmp_path / "Nationellt_2022.xlsx"
    assert cli.run(["sammanstall", str(submissions), "-o", str(prev)]) == 1  # B: no answers
    before = sha(prev)
    capsys.readouterr()
    code = cli.run(["sammanstall", str(submissions), "-o", str(prev), "--foregaende",
                    str(prev)])
    assert code == 2
    assert "samma fil som" in capsys.readouterr().err
    assert sha(prev) == before


def test_write_errors_name_the_users_file_and_say_what_to_do(tmp_path):
    out = tmp_path / "Resultat.xlsx"
    tmp_name = str(tmp_path / ".Resultat.abc123.xlsx")
    for code, words in ((errno.ENOSPC, "disken är full"), (errno.EFBIG, "större"),
                        (errno.EACCES, "öppen i Excel"), (errno.EPERM, "öppen i Excel"),
                        (errno.EROFS, "skrivskyddad"), (errno.EIO, os.strerror(errno.EIO))):
        message = str(write_error(out, OSError(code, os.strerror(code), tmp_name)))
        assert message.startswith(f"Filen {out} kunde inte skrivas: ")
        assert words in message
        assert ".abc123" not in message


# --- the real command in a subprocess ---------------------------------------------------

def _cli(*args: str, cwd: Path, fsize: int | None = None, umask: int | None = None,
         **kwargs) -> subprocess.Popen:
    def limits() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if umask is not None:
            os.umask(umask)
    return subprocess.Popen([sys.executable, "-m", "indikator_xl.cli", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=limits, **kwargs)


def _temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("argv,written", [
    (["berakna", "{reg}", "-o", "{d}/Ut.xlsx"], "Ut.xlsx"),
    (["berakna", "{reg}", "--export", "{d}/Ut.csv"], "Ut.csv"),
    (["mall", "-o", "{d}/Mall.xlsx"], "Mall.xlsx"),
    (["sammanstall", "{sub}", "-o", "{d}/Nationellt.xlsx"], "Nationellt.xlsx"),
])
def test_a_file_too_large_for_the_disk_is_exit_2_and_leaves_nothing(tmp_path, argv, written):
    """RLIMIT_FSIZE makes the kernel refuse the write with EFBIG, as a full disk refuses
    with ENOSPC (Python ignores SIGXFSZ, so the write fails instead of killing us)."""
    reg, sub, out = tmp_path / "Reg.xlsx", tmp_path / "in", tmp_path / "ut"
    sub.mkdir()
    out.mkdir()
    shutil.copy(EXAMPLE, reg)
    shutil.copy(EXAMPLE, sub / "A.xlsx")
    values = {"reg": str(reg), "sub": str(sub), "d": str(out)}
    proc = _cli(*(a.format(**values) for a in argv), cwd=tmp_path, fsize=4096)
    stdout, stderr = proc.communicate(timeout=TIME_LIMIT)
    assert proc.returncode == 2, stderr
    lines = stderr.strip().splitlines()
    assert lines == [f"indikator-xl: Filen {out / written} kunde inte skrivas: filen blir "
                     "större än vad som får skrivas här."]
    assert list(out.iterdir()) == []
    assert sha(reg) == sha(EXAMPLE)


def _wait_for_temporary(proc: subprocess.Popen, folder: Path) -> bool:
    """Poll (no fixed sleep) until the writer's temporary file appears; False if the run
    ended first."""
    while proc.poll() is None:
        if _temporaries(folder):
            return True
        time.sleep(0.0005)
    return False


@pytest.mark.parametrize("sig,code,line", [
    (signal.SIGTERM, 143, "indikator-xl: avbrutet (avslutad av systemet)."),
    (signal.SIGINT, 130, "indikator-xl: avbrutet.")])
def test_a_signal_while_writing_leaves_neither_temporary_nor_final_file(tmp_path, sig, code,
                                                                        line):
    reg = tmp_path / "Reg.xlsx"
    shutil.copy(EXAMPLE, reg)
    out = tmp_path / "ut"
    for _attempt in range(5):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        proc = _cli("berakna", str(reg), "-o", str(out / "Ut.xlsx"), cwd=tmp_path)
        caught = _wait_for_temporary(proc, out)
        if caught:
            proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=TIME_LIMIT)
        if caught and proc.returncode == code:
            break
    assert caught, "the temporary file was never seen"
    assert proc.returncode == code, stderr
    assert stderr.strip().splitlines() == [line]
    assert list(out.iterdir()) == []
    assert sha(reg) == sha(EXAMPLE)


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_get_the_usual_mode_under_the_umask(tmp_path, mask, mode):
    reg = tmp_path / "Reg.xlsx"
    shutil.copy(EXAMPLE, reg)
    proc = _cli("berakna", str(reg), "-o", "Ut.xlsx", "--export", "Ut.csv",
                "--export-svarsfrekvens", "Sv.csv", cwd=tmp_path, umask=mask)
    _, stderr = proc.communicate(timeout=TIME_LIMIT)
    assert proc.returncode == 0, stderr
    for name in ("Ut.xlsx", "Ut.csv", "Sv.csv"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def test_output_piped_into_head_is_no_internal_error(tmp_path):
    rows = [[n, "X", "Y", *["fel"] * 10] for n in range(1, 2001)]
    reg = registration(tmp_path / "Manga_fel.xlsx", {"Deltagare avslut": rows})
    proc = _cli("validera", str(reg), cwd=tmp_path)
    first = proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does after one line
    stderr = proc.stderr.read()
    proc.wait(timeout=TIME_LIMIT)
    assert first.startswith("Manga_fel.xlsx: ")
    assert proc.returncode == 141, stderr
    assert stderr == ""
