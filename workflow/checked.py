"""Checks remembered by the digest of their inputs, so that a command does not redo a costly
check whose inputs have not changed (issue 16, start-up).

One owner-only file in the office's folder (`.zhifa-checked.json`) holds, for each named check,
the digest of the inputs it last passed on. A check is skipped only when its inputs' digest is
the one recorded; anything else — no file, an unreadable or malformed one, a file that is not
a regular file owned by this user and private to them, another digest — means the check runs
again, and passes or refuses exactly as it would without the file. Deleting the file costs one
check. A failed check records nothing; a folder that cannot be written is not an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path

NAME = ".zhifa-checked.json"
MAX_BYTES = 64 * 1024


def digest(*parts: Iterable[str] | str) -> str:
    """SHA-256 of the inputs, each string or list of strings framed so that none runs into
    the next."""
    h = hashlib.sha256()
    for part in parts:
        for text in [part] if isinstance(part, str) else part:
            data = text.encode()
            h.update(f"{len(data)}:".encode())
            h.update(data)
        h.update(b";")
    return h.hexdigest()


class Checked:
    """The checks an office remembers as passed (none when `folder` is None)."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / NAME if folder is not None else None

    def passed(self, check: str, inputs: str) -> bool:
        """The check passed on exactly these inputs (their digest) and nothing is amiss."""
        return self._read().get(check) == inputs

    def record(self, check: str, inputs: str) -> None:
        """Remember that the check passed on these inputs; silently nothing if it cannot."""
        if self.path is None:
            return
        from workflow.files import replace_private

        known = {**self._read(), check: inputs}
        data = json.dumps({"passed": known}, sort_keys=True).encode()
        with contextlib.suppress(OSError):  # a memo that cannot be written: checked again next time
            replace_private(self.path, data)

    def _read(self) -> dict[str, str]:
        if self.path is None:
            return {}
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return {}
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_mode & 0o077
                or (hasattr(os, "getuid") and info.st_uid != os.getuid())
                or info.st_size > MAX_BYTES
            ):
                return {}
            try:
                doc = json.loads(handle.read(MAX_BYTES + 1))
            except (ValueError, UnicodeDecodeError):
                return {}
        passed = doc.get("passed") if isinstance(doc, dict) else None
        if not isinstance(passed, dict):
            return {}
        return {k: v for k, v in passed.items() if isinstance(k, str) and isinstance(v, str)}
