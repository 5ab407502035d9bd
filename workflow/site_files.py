"""The public website's folder: replaced as a whole, atomically, reusing what did not change.

Each page has a fingerprint of what it shows (documents/site.py: `Page.inputs`, with the
basis of the whole site: templates, code, settings). The folder keeps a manifest, MANIFEST:
each page's fingerprint and the size, modification time and inode its file had when written,
and each published result's record with the case's chain head it was made from. At the next
build a page whose fingerprint is unchanged and whose file still has that size, time and
inode is linked into the new site without being rendered or read; any other page is rendered,
and linked if its bytes are those the old site has. The manifest is sealed with an HMAC under
the office's own key (kept outside the public folder): one that is missing, damaged, edited
by hand (even with a new checksum) or of another basis is not used, and every page is
rendered. A page file changed since (edited, replaced, removed by hand) is rendered again
and reported as repaired. A change that keeps a file's size, modification time and inode
(`touch -r` after an edit, a bit flipped on disk) is not seen: `publish site --full`.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workflow.errors import BadInputError
from workflow.files import fsync_path, sweep_leftovers, temp_name

MARKER = ".zhifa-site"
MARKER_TEXT = b"zhifa public website: `zhifa publish site` replaces this folder as a whole.\n"
MANIFEST = ".zhifa-site.json"
MANIFEST_FORMAT = 1
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


@dataclass
class Manifest:
    """What made the site's files: `pages` path -> [fingerprint, size, mtime_ns, inode];
    `results` case -> [head digest, record digest, record, list item] (record None: nothing
    to show)."""

    basis: str
    pages: dict[str, list[Any]] = field(default_factory=dict)
    results: dict[str, list[Any]] = field(default_factory=dict)

    def to_bytes(self, key: bytes) -> bytes:
        """The manifest as written: its seal (an HMAC under the office's `key`), then its body."""
        body = json.dumps({"format": MANIFEST_FORMAT, "basis": self.basis, "pages": self.pages,
                           "results": self.results}, ensure_ascii=False,
                          separators=(",", ":")).encode()  # fmt: skip
        return _seal(key, body) + b"\n" + body


def _seal(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode()


def read_manifest(folder: Path, basis: str, key: bytes) -> Manifest | None:
    """The manifest of the site in `folder` if it is whole, sealed under the office's `key`
    (so written by this office: a manifest edited by hand, even with a new checksum, is not
    trusted) and made on `basis`."""
    path = folder / MANIFEST
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        seal, _, body = path.read_bytes().partition(b"\n")
        if not hmac.compare_digest(_seal(key, body), seal):
            return None
        data = json.loads(body)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    if data.get("basis") != basis:
        return None
    pages, results = data.get("pages"), data.get("results")
    if not isinstance(pages, dict) or not isinstance(results, dict):
        return None
    return Manifest(basis, pages, results)


def fingerprint(basis: str, inputs: Any) -> str:
    """A page's fingerprint: the digest of the site's basis and what the page shows (a
    string as it is, anything else as canonical JSON)."""
    text = inputs if isinstance(inputs, str) else json.dumps(
        inputs, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)  # fmt: skip
    return hashlib.sha256(f"{basis}\0{text}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SitePage:
    """A file of the site to write: its fingerprint (None: unknown, always rendered)."""

    path: str
    fingerprint: str | None
    render: Callable[[], bytes]


@dataclass
class SiteBuild:
    """What one build did: every file of the site, the pages rendered, the files written
    (the others are the old site's, linked), and the pages found changed by hand since the
    last build (rendered again)."""

    files: list[str]
    rendered: list[str]
    written: list[str]
    repaired: list[str]
    full: bool


def open_site(out: Path) -> Path | None:
    """Check that `out` may be replaced (see `write_pages`) and sweep what a killed run left
    beside it; the old site's folder, if there is one."""
    out = Path(os.path.abspath(out))
    try:
        _check_target(out)
        sweep_leftovers(out.parent, out.name)
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    return out if out.is_dir() else None


def write_pages(
    pages: Iterable[SitePage],
    out: Path,
    old: Manifest | None = None,
    new: Manifest | None = None,
    key: bytes = b"",
) -> SiteBuild:
    """Replace the folder `out` (checked by `open_site`) with exactly these pages, atomically;
    with `old`, the manifest of the site there, a page of the same fingerprint whose file is
    as the manifest describes is linked without being rendered; `new`, if given, is filled
    with the pages' fingerprints and files and written with them, sealed under `key`.

    The new site is built beside `out` (same file system) and swapped in with one
    `renameat2(RENAME_EXCHANGE)`, so a reader sees either the whole old site or the whole new
    one; the old one, now at the build's name, is deleted after (by a child process left to
    finish after the command when it is large: DETACH_FROM). Only a folder this command
    made (it holds the marker file) or an empty one is replaced; any other is refused and
    nothing is deleted. A build or old site left by a killed run is swept at the next run.
    Where the exchange is not available (not Linux, or a file system without it) two renames
    are used: a kill between them leaves no site until the next run.
    """
    out = Path(os.path.abspath(out))
    try:
        build = temp_name(out, "build")
        tree = _Tree(build, out if out.is_dir() else None)
        done = _write_all(tree, pages, old)
        tree.put(MARKER, MARKER_TEXT)
        if new is not None:
            new.pages = done.pages
            tree.put(MANIFEST, new.to_bytes(key), link=False)
        tree.sync()
        _swap_in(build, out, len(done.files))
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    return SiteBuild(done.files, done.rendered, tree.written, done.repaired, old is None)


def _cannot_write(out: Path, exc: OSError) -> BadInputError:
    return BadInputError(f"无法写入公示网站 cannot write the site to {out}: {exc.strerror or exc}")


@dataclass
class _Done:
    files: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    pages: dict[str, list[Any]] = field(default_factory=dict)


def _write_all(tree: _Tree, pages: Iterable[SitePage], old: Manifest | None) -> _Done:
    done = _Done()
    for page in sorted(pages, key=lambda p: p.path):
        entry = old.pages.get(page.path) if old is not None else None
        same = entry is not None and page.fingerprint is not None and entry[0] == page.fingerprint
        if same and tree.reuse(page.path, entry):  # type: ignore[arg-type]
            done.pages[page.path] = entry  # type: ignore[assignment]  # the same file, linked
        else:
            if same:
                done.repaired.append(page.path)
            done.rendered.append(page.path)
            tree.put(page.path, page.render())
            if page.fingerprint is not None:
                done.pages[page.path] = [page.fingerprint, *tree.identity(page.path)]
        done.files.append(page.path)
    return done


class _Tree:
    """The new site's folder as it is filled: each file linked from the old site or written
    (world-readable: it is public), all on disk before the swap. Paths as strings: tens of
    thousands of files go through here."""

    def __init__(self, root: Path, previous: Path | None) -> None:
        self.root = str(root)
        self.previous = str(previous) if previous is not None else None
        self.real = os.path.realpath(previous) if previous is not None else ""
        self.written: list[str] = []
        self._made: set[str] = set()
        self._plain: dict[str, bool] = {}

    def identity(self, path: str) -> list[int]:
        """[size, mtime_ns, inode] of a file of the new site."""
        info = os.lstat(os.path.join(self.root, path))
        return [info.st_size, info.st_mtime_ns, info.st_ino]

    def reuse(self, path: str, entry: list[Any]) -> bool:
        """Link the old site's file if it is still the one the manifest describes (a plain
        file, not reached through a link, of the same size, time and inode): not read."""
        old = self._old(path)
        if old is None:
            return False
        try:
            info = os.lstat(old)
            if not stat.S_ISREG(info.st_mode) or [info.st_size, info.st_mtime_ns,
                                                   info.st_ino] != entry[1:]:  # fmt: skip
                return False
            self._dirs(path)
            os.link(old, os.path.join(self.root, path), follow_symlinks=False)
        except OSError:  # gone, or a file system without hard links: rendered and written
            return False
        return True

    def put(self, path: str, data: bytes, link: bool = True) -> None:
        """The file with these bytes: the old site's, linked, if it holds exactly them."""
        self._dirs(path)
        if link and self._link_same(path, data):
            return
        fd = os.open(os.path.join(self.root, path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)
            handle.write(data)
        self.written.append(path)

    def sync(self) -> None:
        """Every file written, on disk: one `syncfs` of the file system (Linux), else a fsync
        of each file after all are written."""
        if self.written and _syncfs(self.root):
            return
        for path in self.written:
            fsync_path(os.path.join(self.root, path))

    def _old(self, path: str) -> str | None:
        """The old site's file at `path`, if its folder is the old site's own (no folder of
        it was swapped for a link to elsewhere)."""
        if self.previous is None:
            return None
        folder = os.path.dirname(path)
        if folder not in self._plain:
            real = os.path.realpath(os.path.join(self.previous, folder))
            self._plain[folder] = real == os.path.join(self.real, folder).rstrip(os.sep)
        return os.path.join(self.previous, path) if self._plain[folder] else None

    def _link_same(self, path: str, data: bytes) -> bool:
        old = self._old(path)
        if old is None:
            return False
        try:
            info = os.lstat(old)
            if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
                return False
            with open(old, "rb") as handle:
                if handle.read() != data:
                    return False
            os.link(old, os.path.join(self.root, path), follow_symlinks=False)
        except OSError:  # gone, unreadable, or a file system without hard links: write it
            return False
        return True

    def _dirs(self, path: str) -> None:
        folder = os.path.dirname(path)
        if folder in self._made:
            return
        current = self.root
        for part in ("", *folder.split("/")) if folder else ("",):
            current = os.path.join(current, part) if part else current
            if not os.path.isdir(current):
                os.mkdir(current, 0o755)
                os.chmod(current, 0o755)
        self._made.add(folder)


def _syncfs(folder: str) -> bool:
    """Flush the file system holding `folder` (Linux syncfs); False if unavailable."""
    import ctypes

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return bool(syncfs(fd) == 0)
    finally:
        os.close(fd)


def write_site(files: dict[str, bytes], out: Path) -> list[str]:
    """Replace the folder `out` with exactly these files (see `write_pages`: no manifest is
    kept, so the next build renders every page); the files written anew."""
    pages = [SitePage(path, None, _given(data)) for path, data in files.items()]
    open_site(out)
    return write_pages(pages, out).written


def _given(data: bytes) -> Callable[[], bytes]:
    return lambda: data


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


def _swap_in(build: Path, out: Path, files: int = 0) -> None:
    """Put the new site in place (on disk), then delete the old one (`files`: its size)."""
    old: Path | None = None
    if not out.exists():
        os.rename(build, out)
    elif _exchange(build, out):
        old = build
    else:
        old = temp_name(out, "old")
        os.rename(out, old)
        os.rename(build, out)
    fsync_path(out.parent)
    if old is not None:
        _remove_old(old, files)


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


#: an old site of this many files is removed by a child process left to finish after the
#: command (tens of thousands of unlinks: seconds of waiting for the file system, once the new
#: site is in place and on disk); a smaller one, or where there is no fork, is removed here
DETACH_FROM = 2000


def _remove_old(path: Path, files: int = 0) -> None:
    """Delete the old site (now under a temporary name, out of the readers' way). If the
    child removing a large one dies, the next run sweeps what is left (`sweep_leftovers`)."""
    if files < DETACH_FROM or not hasattr(os, "fork"):
        shutil.rmtree(path)
        return
    child = os.fork()
    if child == 0:  # the child: leave at once, through a grandchild nobody waits for
        try:
            if os.fork() == 0:
                os.setsid()
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):  # a caller reading our output is not kept waiting
                    os.dup2(null, fd)
                shutil.rmtree(path, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
