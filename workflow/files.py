"""The office's file store: evidence and audio-visual records, kept by content (SHA-256).

A file is streamed in chunks into a temporary file beside the store (never whole in memory),
hashed on the way, fsynced, then linked into place under its hash — `link` fails rather than
replace, so a stored file is never overwritten, and a crash leaves at most a temporary file,
never a partial file under a hash. The same content twice is stored once. Stored files are
read-only; `verify` hashes them again.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflow.errors import BadInputError

CHUNK = 1 << 20  # 1 MiB
Progress = Callable[[int], None]


@dataclass(frozen=True)
class StoredFile:
    """What the event records of a file."""

    name: str
    size: int
    media_type: str
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "media_type": self.media_type,
                "sha256": self.sha256}  # fmt: skip


def check_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Every named file must be a readable, non-empty regular file, named directly.

    All problems are reported at once, before anything is stored. A symbolic link (or a path
    through one) is refused: what is stored is exactly the file the clerk named.
    """
    problems, good = [], []
    for raw in paths:
        absolute = Path(os.path.abspath(raw))
        problem = _path_problem(absolute)
        if problem:
            problems.append(f"{raw}: {problem}")
        else:
            good.append(absolute)
    if not good and not problems:
        problems.append("no file named")
    if problems:
        raise BadInputError("; ".join(problems), problems)
    return good


def _path_problem(absolute: Path) -> str | None:
    try:
        info = os.lstat(absolute)
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if Path(os.path.realpath(absolute)) != absolute or stat.S_ISLNK(info.st_mode):
        return "is a symbolic link or lies behind one; name the file itself"
    if stat.S_ISDIR(info.st_mode):
        return "is a directory, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size == 0:
        return "is empty (0 bytes)"
    if not _readable(absolute):
        return "cannot be read (permission denied)"
    return None


def _readable(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError:
        return False
    return True


def file_sha256(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if progress:
                progress(len(chunk))
    return digest.hexdigest()


class FileStore:
    """Content-addressed files under `root`: `root/sha256/ab/abcdef…`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "sha256"
        self.tmp = root / "tmp"

    def path(self, sha256: str) -> Path:
        return self.blobs / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, source: Path, progress: Progress | None = None) -> StoredFile:
        """Store one file (already checked by `check_paths`); deduplicated by content."""
        self.tmp.mkdir(parents=True, exist_ok=True)
        temp = self.tmp / f"{os.getpid()}-{os.urandom(6).hex()}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with source.open("rb") as src, temp.open("xb") as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
                    if progress:
                        progress(len(chunk))
                dst.flush()
                os.fsync(dst.fileno())
            sha = digest.hexdigest()
            final = self.path(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(temp, 0o444)
            try:
                os.link(temp, final)  # never replaces: an existing file wins
            except FileExistsError:
                pass
            _fsync_dir(final.parent)
        finally:
            temp.unlink(missing_ok=True)
        media = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        return StoredFile(source.name, size, media, sha)

    def problem(self, sha256: str, size: int | None = None) -> str | None:
        """What is wrong with a stored file, or None: missing, or content changed."""
        path = self.path(sha256)
        if not path.is_file():
            return "is missing from the file store"
        if size is not None and path.stat().st_size != size:
            return "was altered in the file store (size differs)"
        if file_sha256(path) != sha256:
            return "was altered in the file store (content no longer matches its hash)"
        return None

    def sweep(self) -> int:
        """Remove temporary files left by writers that died mid-copy; returns how many."""
        removed = 0
        for part in self.tmp.glob("*.part") if self.tmp.is_dir() else ():
            pid = part.name.split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                part.unlink(missing_ok=True)
                removed += 1
        return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
