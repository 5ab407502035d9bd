"""The public website: gather only what may be published, render it, write it atomically.

事前: the enforcing body (config), the 权责清单 (the office's data file), the officers with a
valid certificate (staff register), the flowcharts drawn from the procedure definitions.
事后: each case's current publication as recorded by its `publish` event — already masked
when it was published — with its withdrawal, if any. Annual reports as published.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from documents.charts import flow_rows, flowchart
from documents.site import render_site
from rules.policy import Masking
from rules.publicity import FREE_TEXT, public_text
from workflow.errors import BadInputError, ConfigError
from workflow.files import sweep_leftovers, temp_name


def load_powers(path: Path) -> list[dict[str, Any]]:
    """The office's 权责清单 as published (workflow/powers.py validates it)."""
    from workflow.powers import load_powers as load

    return [entry.model_dump() for entry in load(path)]


def published_results(cases: Iterable[Any], masking: Masking) -> list[dict[str, Any]]:
    """Every case's current publication (as recorded), newest first.

    Every free-text field passes the masking again as the site is built (a record published
    before a rule was tightened gets the new rule), and so does a withdrawal's reason, which
    the publisher typed (行政处罚法 Art. 48 asks it to be published)."""
    results = []
    for case in cases:
        pub = case.details.get("publication")
        if not pub:
            continue
        record = dict(pub["content"])
        for key in FREE_TEXT:
            if isinstance(record.get(key), str):
                record[key] = public_text(record[key], case, masking)
        record["published_on"] = pub["on"]
        record["updated_on"] = (pub.get("updated") or {}).get("on", "")
        if pub.get("withdrawn"):
            record["withdrawn"] = {
                "on": pub["withdrawn"]["on"],
                "reason": public_text(str(pub["withdrawn"]["reason"]), case, masking),
            }
        results.append(record)
    return sorted(results, key=lambda r: (r["published_on"], r["case"]), reverse=True)


def build_site(
    office: Any,
    duties: str,
    powers: list[dict[str, Any]],
    today: date,
    page_size: int = 20,
    site: dict[str, str] | None = None,
) -> dict[str, bytes]:
    """Every file of the public website, from what may be published only; `site` holds the
    footer's identifiers (publicity.site: 主办单位, 网站标识码, ICP备案号)."""
    todo = office.desk.placeholders()
    if todo:
        raise ConfigError(f"{'、'.join(todo)} 尚未填写，不能发布公示网站 (fill in config.yaml first)",
                          location=todo[0])  # fmt: skip
    agency = dict(office.desk.agency)
    officers = [
        {"name": p.name, "cert_no": p.cert_no, "cert_category": p.cert_category or "行政执法",
         "valid_until": p.cert_valid_until.isoformat() if p.cert_valid_until else ""}
        for p in office.staff().values()
        if "officer" in p.roles and p.active and p.certificate_valid_on(today)
    ]  # fmt: skip
    procedures = [
        {"id": pid, "label": m.procedure.label, "svg": flowchart(m.procedure),
         "rows": flow_rows(m.procedure)}
        for pid, m in sorted(office.engine.machines.items())
    ]  # fmt: skip
    results = published_results(office.store.published_cases(), office.policy.masking)
    reports = office.reports()
    return render_site(
        agency, duties, powers, officers, procedures, results, reports, page_size, site
    )


MARKER = ".zhifa-site"
MARKER_TEXT = b"zhifa public website: `zhifa publish site` replaces this folder as a whole.\n"
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def write_site(files: dict[str, bytes], out: Path) -> list[str]:
    """Replace the folder `out` with exactly these files, atomically; the files written anew.

    A file whose bytes are those the site already has is not written again: the new site
    links the old file (its inode and modification time stay), so publishing one more result
    rewrites that page and the lists that show it, not every page.

    The new site is built beside `out` (same file system) and swapped in with one
    `renameat2(RENAME_EXCHANGE)`, so a reader sees either the whole old site or the whole new
    one; the old one, now at the build's name, is deleted after. Only a folder this command
    made (it holds the marker file) or an empty one is replaced; any other is refused and
    nothing is deleted. A build or old site left by a killed run is swept at the next run.
    Where the exchange is not available (not Linux, or a file system without it) two renames
    are used: a kill between them leaves no site until the next run.
    """
    out = Path(os.path.abspath(out))
    try:
        _check_target(out)
        sweep_leftovers(out.parent, out.name)
        build = temp_name(out, "build")
        written = _write_tree(build, {**files, MARKER: MARKER_TEXT}, out if out.is_dir() else None)
        _swap_in(build, out)
        return written
    except OSError as exc:
        raise BadInputError(
            f"无法写入公示网站 cannot write the site to {out}: {exc.strerror or exc}"
        ) from None


def _check_target(out: Path) -> None:
    if not out.parent.is_dir():
        raise BadInputError(f"--out {out}: 上级文件夹不存在 folder {out.parent} does not exist")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BadInputError(f"--out {out}: 不是文件夹 is a file or link, not a folder")
    marker = out / MARKER
    ours = marker.is_file() and not marker.is_symlink()
    if out.is_dir() and not ours and any(out.iterdir()):
        raise BadInputError(
            f"--out {out} holds other files: 该文件夹不是 zhifa publish site 生成的，不予替换，"
            "未删除任何文件 (give an empty folder or one this command made)"
        )


def _write_tree(root: Path, files: dict[str, bytes], previous: Path | None) -> list[str]:
    """The site's files, world-readable (it is public), each fsynced before the swap; a file
    the previous site has with the same bytes is linked, not written. The paths written."""
    written = []
    real = os.path.realpath(previous) if previous is not None else ""
    for path, data in sorted(files.items()):
        target = root / path
        _public_dirs(root, target.parent)
        if previous is not None and _link_same(previous / path, os.path.join(real, path), data,
                                               target):  # fmt: skip
            continue
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        written.append(path)
    return written


def _link_same(old: Path, real: str, data: bytes, target: Path) -> bool:
    """Link `old` at `target` if it is a plain file of the old site (`real`: not reached
    through a link) holding exactly `data`."""
    try:
        if os.path.realpath(old) != real:
            return False
        info = old.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target, follow_symlinks=False)
    except OSError:  # gone, unreadable, or a file system without hard links: write it
        return False
    return True


def _public_dirs(root: Path, folder: Path) -> None:
    for each in [*reversed(folder.relative_to(root).parents), folder.relative_to(root)]:
        path = root / each
        if not path.is_dir():
            path.mkdir(0o755)
            os.chmod(path, 0o755)


def _swap_in(build: Path, out: Path) -> None:
    if not out.exists():
        os.rename(build, out)
    elif _exchange(build, out):
        _remove_old(build)
    else:
        old = temp_name(out, "old")
        os.rename(out, old)
        os.rename(build, out)
        _remove_old(old)
    _fsync_dir(out.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False if unavailable."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]  # fmt: skip
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # not here: kernel or file system
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove_old(path: Path) -> None:
    shutil.rmtree(path)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
