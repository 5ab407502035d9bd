"""The library's fingerprint: what a citation is resolved against, as one SHA-256.

Every file of texts/ and the code of this package (the parser, the citation grammar, the
accepted outside sources) are read, not parsed: a check remembered under the fingerprint
(workflow/checked.py) is done again after any change to the laws or to how they are read.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def fingerprint() -> str:
    digest = hashlib.sha256()
    folder = Path(__file__).parent
    for kind, base in (("code", folder), ("text", folder / "texts")):
        for item in sorted(base.iterdir(), key=lambda t: t.name):
            if item.is_file() and (kind == "text" or item.name.endswith(".py")):
                data = item.read_bytes()
                digest.update(f"{kind}/{item.name}\0{len(data)}\0".encode())
                digest.update(data)
    return digest.hexdigest()
