"""Files on disk: the office owner-only whatever the umask; the public site replaced only when it
is the command's own, swapped atomically, and what a killed run left swept at the next run."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workflow.errors import BadInputError
from workflow.site import MARKER, MARKER_TEXT, write_site

ZHIFA = shutil.which("zhifa", path=str(Path(sys.executable).parent)) or shutil.which("zhifa")
needs_zhifa = pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    return {**clean, "ZHIFA_TODAY": "2026-11-24"}


@needs_zhifa
@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_the_office_is_owner_only_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    """Before: under umask 022 zhifa.db (ID numbers, addresses) was world-readable; under 000
    anyone could edit config.yaml or replace a stored file."""
    office, keys = tmp_path / "office", tmp_path / "config" / "zhifa" / "keys"
    script = textwrap.dedent(f"""\
        umask {umask:03o}
        "{ZHIFA}" key init 管理员
        "{ZHIFA}" init "{office}" --admin 管理员
        "{ZHIFA}" --config "{office}" --as 管理员 staff add 王明 --role officer
        """)  # fmt: skip
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True,
                          env={**_env(), "XDG_CONFIG_HOME": str(tmp_path / "config")},
                          timeout=180, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    # the signing key in the user's own config folder: the folder 0700, each file 0600
    assert mode(keys) == 0o700
    assert sorted(mode(k) for k in keys.iterdir()) == [0o600, 0o600]
    assert mode(office) == 0o700
    for name in ("config.yaml", "powers.yaml", "zhifa.db"):
        assert mode(office / name) == 0o600, name
    files = office / "files"
    assert mode(files) == 0o700
    for path in office.glob("zhifa.db-*"):  # SQLite's -wal and -shm take the database's mode
        assert mode(path) & 0o077 == 0, path.name


@needs_zhifa
@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_stored_files_are_owner_only_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    store = tmp_path / "files"
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"scan" * 100)
    code = f"""
import os
os.umask(0o{umask:03o})
from pathlib import Path
from workflow.files import FileStore
print(FileStore(Path({str(store)!r})).put(Path({str(scan)!r})).sha256)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    sha = done.stdout.strip()
    blob = store / "sha256" / sha[:2] / sha
    assert mode(blob) == 0o400
    for folder in (store, store / "tmp", store / "sha256", store / "sha256" / sha[:2]):
        assert mode(folder) == 0o700, folder


# -- the public website -----------------------------------------------------------------------
SITE_A = {"index.html": b"<p>A</p>", "results/index.html": b"A1", "assets/site.css": b"a{}"}
SITE_B = {"index.html": b"<p>B</p>", "results/index.html": b"B1", "reports/2026.html": b"B2"}


def on_disk(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}  # fmt: skip


def site(files: dict[str, bytes]) -> dict[str, bytes]:
    return {**files, MARKER: MARKER_TEXT}


def test_only_a_folder_the_command_made_is_replaced(tmp_path: Path) -> None:
    """Before: any folder holding an index.html was replaced, with unrelated files in it."""
    out = tmp_path / "site"
    write_site(SITE_A, out)
    assert on_disk(out) == site(SITE_A)
    assert mode(out) == 0o755
    assert mode(out / "index.html") == 0o644  # public: the web server reads it
    write_site(SITE_B, out)
    assert on_disk(out) == site(SITE_B)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "index.html").write_text("their own page")
    (theirs / "notes.txt").write_text("keep me")
    with pytest.raises(BadInputError, match="不予替换，未删除任何文件"):
        write_site(SITE_A, theirs)
    assert on_disk(theirs) == {"index.html": b"their own page", "notes.txt": b"keep me"}
    empty = tmp_path / "empty"
    empty.mkdir()
    write_site(SITE_A, empty)  # an empty folder may be filled
    assert on_disk(empty) == site(SITE_A)
    (tmp_path / "file").write_text("x")
    for bad in (tmp_path / "file", tmp_path / "missing" / "site", Path("/proc/site")):
        with pytest.raises(BadInputError):
            write_site(SITE_A, bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "file", "site", "theirs"]


KILLED = """
import os, signal, sys
from pathlib import Path
import workflow.site_files as site
step = sys.argv[2]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if step == "before-swap":
    site._swap_in = die
else:
    site._remove_old = die
site.write_site({"index.html": b"<p>B</p>", "results/index.html": b"B1",
                 "reports/2026.html": b"B2"}, Path(sys.argv[1]))
"""


@pytest.mark.parametrize(("step", "expected"), [("before-swap", SITE_A), ("after-swap", SITE_B)])
def test_a_run_killed_between_steps_leaves_a_whole_site(
    tmp_path: Path, step: str, expected: dict[str, bytes]
) -> None:
    """Before: a kill between the two renames left no site at all. Now the new site is swapped
    in with one atomic exchange: killed before it, the old site stands; after it, the new one
    does; the next run sweeps what the killed one left."""
    out = tmp_path / "site"
    write_site(SITE_A, out)
    done = subprocess.run([sys.executable, "-c", KILLED, str(out), step], timeout=60,
                          check=False)  # fmt: skip
    assert done.returncode == -9  # killed
    assert on_disk(out) == site(expected)
    [leftover] = [p for p in tmp_path.iterdir() if p.name != "site"]
    assert leftover.name.startswith(".site.zhifa-build-")
    write_site(SITE_B, out)
    assert on_disk(out) == site(SITE_B)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # swept


def test_the_swap_falls_back_to_two_renames_without_an_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workflow.site_files

    monkeypatch.setattr(workflow.site_files, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    write_site(SITE_A, out)
    write_site(SITE_B, out)
    assert on_disk(out) == site(SITE_B)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
