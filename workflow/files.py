"""The office's file store: evidence and audio-visual records, kept by content (SHA-256).

A file is streamed in chunks into a temporary file beside the store (never whole in memory),
hashed on the way, fsynced, then linked into place under its hash — `link` fails rather than
replace, so a stored file is never overwritten, and a crash leaves at most a temporary file,
never a partial file under a hash. The same content twice is stored once. Stored files are
read-only; `verify` hashes them again.

Everything the office keeps is owner-only whatever the umask (folders 0700, files 0600, stored
files 0400): the database and the files hold parties' ID numbers and addresses. Temporary
files and folders of a writer are named with its process id (`.NAME.zhifa-PID-RAND.tmp`,
`….part`), so the next run of the same command sweeps what a killed writer left.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from workflow.errors import BadInputError

CHUNK = 1 << 20  # 1 MiB
Progress = Callable[[int], None]
PRIVATE_DIR, PRIVATE_FILE, STORED_FILE = 0o700, 0o600, 0o400
#: a writer's leftovers: `.NAME.zhifa-PID-RAND.tmp` files and `.NAME.zhifa-build-PID-RAND` folders
LEFTOVER = re.compile(r"^\..+\.zhifa-(?:build-|old-)?(\d+)-[0-9a-f]+(?:\.tmp)?$")


# -- owner-only files, whatever the umask ---------------------------------------------------
def private_dir(path: Path) -> Path:
    """`mkdir -p` whose every created folder is 0700 (existing ones are left as they are)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(folder, PRIVATE_DIR)  # the umask may have taken bits away; never adds any
    return path


def private_file(path: Path) -> IO[bytes]:
    """A new file, 0600 whatever the umask, opened for writing; refuses to replace one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                 PRIVATE_FILE)  # fmt: skip
    try:
        os.fchmod(fd, PRIVATE_FILE)
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, data: bytes | Iterable[bytes]) -> None:
    with private_file(path) as handle:
        handle.writelines([data] if isinstance(data, bytes) else data)
        handle.flush()
        os.fsync(handle.fileno())


def replace_private(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a file only its owner reads, whole or not at all: a temporary file beside it
    (0600, fsynced) renamed over it; what a killed writer left is swept first."""
    sweep_leftovers(path.parent, path.name)
    temp = temp_name(path)
    try:
        write_private(temp, data)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_file_atomic(path: Path, data: bytes, replace: bool = False) -> None:
    """Write a file the user named: a temporary file beside it, fsynced, renamed into place,
    so the file is whole or untouched; what a killed writer left is swept first.

    An existing file is replaced only when `replace` (`--force`), and only a regular file: a
    typo must not overwrite /etc/passwd or yesterday's checkpoint, and a symlink is never
    written through or replaced."""
    from workflow.errors import BadInputError

    if not path.parent.is_dir():
        raise BadInputError(f"{path}: 上级文件夹不存在 folder {path.parent} does not exist")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise BadInputError(f"{path}: 不是普通文件，不予写入 not a regular file (a link, folder or "
                            "device): name a new file")  # fmt: skip
    if path.exists() and not replace:
        raise BadInputError(f"{path}: 文件已存在，不予覆盖 already exists — name a new file, or "
                            "--force to replace it")  # fmt: skip
    sweep_leftovers(path.parent, path.name)
    temp = temp_name(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


def private_sqlite(url: str) -> None:
    """Create an SQLite database file 0600 before SQLite does (its -wal and -shm files take
    the database file's permissions); other URLs and existing files are left alone."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite://":
        return
    path = Path(url[len(prefix) :].split("?", 1)[0])
    if path.name in ("", ":memory:") or path.exists() or not path.parent.is_dir():
        return
    try:
        private_file(path).close()
    except FileExistsError:
        pass


def temp_name(target: Path, kind: str = "") -> Path:
    """A writer's temporary name beside `target`, recognisable by `sweep_leftovers`."""
    suffix = f"zhifa-{kind + '-' if kind else ''}{os.getpid()}-{os.urandom(4).hex()}"
    return target.with_name(f".{target.name}.{suffix}" + ("" if kind else ".tmp"))


def sweep_leftovers(folder: Path, target: str | None = None) -> int:
    """Remove what dead writers left in `folder` (for `target` only, if named); returns how
    many. A leftover of a live process is kept: it may still be writing."""
    removed = 0
    for path in folder.iterdir() if folder.is_dir() else ():
        match = LEFTOVER.match(path.name)
        if not match or (target is not None and not path.name.startswith(f".{target}.zhifa-")):
            continue
        if _alive(int(match.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed += 1
    return removed


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
        self._swept = False

    def path(self, sha256: str) -> Path:
        return self.blobs / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, source: Path, progress: Progress | None = None) -> StoredFile:
        """Store one file (already checked by `check_paths`); deduplicated by content.

        The first store of a run sweeps what killed writers left (their `.part` files)."""
        private_dir(self.tmp)
        if not self._swept:
            self.sweep()
            self._swept = True
        temp = self.tmp / f"{os.getpid()}-{os.urandom(6).hex()}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with source.open("rb") as src, private_file(temp) as dst:
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
            private_dir(final.parent)
            os.chmod(temp, STORED_FILE)
            try:
                os.link(temp, final)  # never replaces: an existing file wins
            except FileExistsError:
                pass
            fsync_path(final.parent)
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


def fsync_path(path: Path | str) -> None:
    """A file, or a folder's entries (a rename, a new file in it), flushed to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
