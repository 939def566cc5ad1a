"""Where reports go (checker.output): never over a file the run reads, never renaming over a
link, a FIFO or a device, and `-` for standard output."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from tests.helpers import plan, write

runner = CliRunner()
AS_OF = ["--as-of", "2020-12-01"]


def _refused(args: list[str], *kept: Path) -> None:
    before = [p.read_bytes() for p in kept]
    result = runner.invoke(app, args)
    assert result.exit_code == 3 and "the report would replace it" in result.output, result.output
    assert [p.read_bytes() for p in kept] == before


def test_the_calendar_and_the_waiver_file_are_never_written(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    cal = tmp_path / "cal.yaml"
    cal.write_text("source: 测试\nyears:\n  2031:\n    holidays: []\n    workdays: []\n", encoding="utf-8")
    waivers = tmp_path / "w.yaml"
    waivers.write_text(yaml.safe_dump({"waivers": []}), encoding="utf-8")
    _refused(["check", f, *AS_OF, "--calendar", str(cal), "-o", str(cal)], cal)
    _refused(["check", f, *AS_OF, "--waivers", str(waivers), "-o", str(waivers)], waivers)
    _refused(["deadlines", f, *AS_OF, "--calendar", str(cal), "--ics", str(cal)], cal)


def test_an_input_refused_or_not_read_is_still_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.json", [plan(plan_id="p1", task_id="T1"), plan(plan_id="p2", task_id="T2")])
    later = Path(write(folder, "b.json", plan(plan_id="p3", task_id="T3")))  # past --max-documents 1
    big = folder / "c.json"
    big.write_bytes(b" " * (2 * 2**20))  # refused by --max-file-mb 1
    odd = Path(os.fsdecode(bytes(folder) + b"/d\xff.json"))  # a name that is not UTF-8
    odd.write_text(json.dumps(plan(plan_id="p4", task_id="T4")), encoding="utf-8")
    for target in (later, big, odd):
        _refused(["check", str(folder), *AS_OF, "--max-documents", "1", "--max-file-mb", "1", "-o", str(target)],
                 later, big, odd)
        _refused(["deadlines", str(folder), *AS_OF, "--ics", str(target)], later, big, odd)


def test_a_link_to_a_file_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    real = tmp_path / "elsewhere.json"
    real.write_text("kept\n", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    for target in (link, dangling):
        result = runner.invoke(app, ["check", f, *AS_OF, "-o", str(target)])
        assert result.exit_code == 3 and "is a symbolic link; name the file it leads to" in result.output
        assert target.is_symlink()
    assert real.read_text(encoding="utf-8") == "kept\n" and not (tmp_path / "nowhere.json").exists()


def test_a_fifo_and_a_link_to_one_are_written_through(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout-like"
    link.symlink_to(fifo)
    for target in (fifo, link):
        got: list[bytes] = []
        reader = threading.Thread(target=lambda sink=got: sink.append(fifo.read_bytes()))
        reader.start()
        result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "-o", str(target)])
        reader.join(timeout=60)
        assert result.exit_code == 0 and json.loads(got[0])["summary"]["violations"] == 0
        assert stat.S_ISFIFO(fifo.lstat().st_mode) and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "plan.json", "stdout-like"]


def test_a_character_device_is_written_through_and_stays_one(tmp_path: Path) -> None:
    """`-o /dev/stdout` run as root once replaced the link with a regular file; /dev/null likewise.

    A null device of the test's own (root may make one), and a link to it as /dev/stdout is one.
    """
    f = write(tmp_path, "plan.json", plan())
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    link = tmp_path / "stdout"
    link.symlink_to(null)
    for target in (null, link):
        result = runner.invoke(app, ["check", f, *AS_OF, "-o", str(target)])
        assert result.exit_code == 0 and stat.S_ISCHR(null.lstat().st_mode) and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "plan.json", "stdout"]


def test_dash_is_standard_output_beside_a_file(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan(count=51))
    sarif = tmp_path / "r.sarif"
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "sarif", "-o", str(sarif),
                                 "--format", "github", "-o", "-"])
    assert result.exit_code == 1 and result.stdout.startswith("::error file=")
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert not (tmp_path / "-").exists()
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "-o", "-", "--format", "text", "-o", "-"])
    assert result.exit_code == 3 and "two reports would be written to standard output" in result.output


@pytest.mark.parametrize("second", ["r.json", "./r.json", "sub/../r.json"])
def test_two_reports_to_one_file_are_refused_however_spelt(tmp_path: Path, second: str) -> None:
    f = write(tmp_path, "plan.json", plan())
    (tmp_path / "sub").mkdir()
    first = tmp_path / "r.json"
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "-o", str(first),
                                 "--format", "text", "-o", str(tmp_path / second)])
    assert result.exit_code == 3 and "two reports would be written to the same file" in result.output
    assert not first.exists()
