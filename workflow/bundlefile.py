"""Reading a zip bundle that may have been made by anyone: safely, with bounded memory.

A verifier is handed files it cannot trust. This module opens only a regular file (a FIFO,
device or folder is refused before a byte is read: opening with O_NONBLOCK never waits on a
FIFO, and the type is checked on the open descriptor, so nothing can be swapped in between);
counts the entries in the zip's end record before the central directory is parsed; refuses
member names that are unsafe anywhere (absolute, `..`, backslashes, control characters,
duplicates); and streams each member with a cap on what it may decompress to, so a
decompression bomb stops at its cap. Every zip, zlib or I/O error is a `MemberError` naming
the member; nothing else escapes.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

CHUNK = 1 << 20
#: a bundle with more entries than this is refused before its directory is read
MAX_ENTRIES = 100_000
#: what a zip (or zlib) reader may raise on a damaged or hostile member
READ_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, RuntimeError,
    NotImplementedError, ValueError, KeyError, struct.error, OverflowError,
)  # fmt: skip
_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"


class MemberError(Exception):
    """A member (or the bundle itself) cannot be read; `str()` is the problem, member first."""


def open_regular(path: str | os.PathLike[str]) -> IO[bytes]:
    """The file at `path` opened for reading, if (and only if) it is a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise MemberError(f"{path}: 无法打开 cannot be opened ({exc.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")  # fmt: skip
            raise MemberError(f"{path}: 不是普通文件，拒绝读取 refused: {kind}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def entry_count(handle: IO[bytes]) -> int:
    """How many entries the zip's end-of-central-directory record announces (0 if none found)."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    tail_start = max(0, size - (1 << 16) - 22)
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        return 0
    count: int = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        handle.seek(offset)
        record = handle.read(56)
        if record[:4] == _EOCD64 and len(record) == 56:
            count = struct.unpack("<Q", record[32:40])[0]
    return count


def unsafe_name(name: str) -> str | None:
    """Why a member name could not be extracted safely anywhere, or None."""
    if not name or name.endswith("/"):
        return "是目录项 a folder entry"
    if name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
        return "是绝对路径或含反斜杠 absolute path or backslash"
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "含 .. 或空路径段 path traversal (.., ., empty part)"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return "含控制字符 control character"
    return None


@contextmanager
def open_zip(path: str | os.PathLike[str]) -> Iterator[zipfile.ZipFile]:
    """A zip over a regular file, its entry count checked before its directory is parsed."""
    with open_regular(path) as handle:
        try:
            count = entry_count(handle)
            if count > MAX_ENTRIES:
                raise MemberError(f"{path}: 成员过多 {count:,} entries (at most {MAX_ENTRIES:,})")
            handle.seek(0)
            zf = zipfile.ZipFile(handle)
        except READ_ERRORS as exc:
            raise MemberError(
                f"{path}: 不是可读的归档包 not a readable archive bundle ({exc})"
            ) from None
        with zf:
            yield zf


class Members:
    """Capped access to the members of an open zip."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        infos = zf.infolist()
        self.names = [i.filename for i in infos]
        self.info = {i.filename: i for i in infos}

    def chunks(self, name: str, cap: int) -> Iterator[bytes]:
        """The member's bytes in chunks; never more than `cap` are decompressed."""
        info = self.info.get(name)
        if info is None:
            raise MemberError(f"{name}: 不在归档包中 not in the bundle")
        if info.file_size > cap:
            raise MemberError(
                f"{name}: 解压后 {info.file_size:,} 字节，超过上限 {cap:,} "
                "larger than allowed (a decompression bomb?); not read"
            )
        total = 0
        try:
            with self.zf.open(info) as handle:
                while chunk := handle.read(min(CHUNK, cap - total + 1)):
                    total += len(chunk)
                    if total > cap:
                        raise MemberError(
                            f"{name}: 解压数据超过上限 decompresses past {cap:,} bytes"
                        )
                    yield chunk
        except READ_ERRORS as exc:
            raise MemberError(
                f"{name}: 无法读取 cannot be read ({type(exc).__name__}: {exc})"
            ) from None

    def read(self, name: str, cap: int) -> bytes:
        return b"".join(self.chunks(name, cap))

    def sha256(self, name: str, cap: int) -> tuple[str, int]:
        digest, size = hashlib.sha256(), 0
        for chunk in self.chunks(name, cap):
            digest.update(chunk)
            size += len(chunk)
        return digest.hexdigest(), size
