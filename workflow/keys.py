"""Signature keys (电子签名制作数据): each person's own key pair, kept in their own config folder.

电子签名法 Art. 13: a signature is reliable when its creation data belong to the signer alone
and are under the signer's sole control, and any later change of the signature or of the
signed content can be found. So the private key lives only in the signer's own folder
(`$ZHIFA_KEYS`, else `$XDG_CONFIG_HOME/zhifa/keys`, else `~/.config/zhifa/keys`), owner-only
(0700 folder, 0600 files), optionally under a passphrase; the office database holds only
public keys (the staff register). Ed25519 (RFC 8032, through `cryptography`); every signature
records its algorithm, so SM2 (GB/T 32918) can be added beside it.

A `Keyring` is what an office is given to sign with: on disk (a person's own keys) or in
memory (tests and training: `Keyring()` then `generate(name)`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from workflow.errors import BadInputError, WorkflowError

if TYPE_CHECKING:  # `cryptography` is imported when a key is used, not by every command
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

ED25519 = "ed25519"
ALGORITHMS = (ED25519,)
KEYS_ENV = "ZHIFA_KEYS"
PASSPHRASE_ENV = "ZHIFA_PASSPHRASE"
MAX_KEY_FILE = 64 * 1024
#: asks for a key's passphrase (the terminal prompts); None: not available here
Ask = Callable[[str], str | None]


def keys_dir() -> Path:
    """The caller's own key folder: $ZHIFA_KEYS, else the XDG config folder."""
    chosen = os.environ.get(KEYS_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "zhifa" / "keys"


def key_id(public_key: str) -> str:
    """A key's id: SHA-256 of its text form (`ed25519:BASE64`), in hex."""
    return hashlib.sha256(public_key.encode()).hexdigest()


def public_text(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"{ED25519}:{base64.b64encode(raw).decode()}"


def parse_public(text: str) -> Ed25519PublicKey:
    """A public key from its text form; BadInputError if it is not one."""
    alg, _, body = text.strip().partition(":")
    if alg != ED25519:
        raise BadInputError(f"不是公钥 not a public key: {text[:60]!r} (expected {ED25519}:BASE64; "
                            f"known algorithms: {', '.join(ALGORITHMS)})")  # fmt: skip
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode(body, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise BadInputError(f"公钥格式有误 malformed {ED25519} public key: {text[:60]!r}") from None


def normal_public(text: str) -> str:
    """The one text form of a public key given as text (checked)."""
    return public_text(parse_public(text))


#: Verifying keys by their text form. Verification goes through libsodium (PyNaCl): on the
#: machines measured it checks an Ed25519 signature in about half OpenSSL's time, and `verify`
#: checks one per event (most of its cost at a province's scale). libsodium is the stricter of
#: the two (it refuses small-order keys and non-canonical signatures, RFC 8032 §5.1.7); every
#: signature zhifa makes passes both.
_VERIFY_CACHE: dict[str, Any] = {}


def verify_signature(alg: str, public_key: str, signature: str, message: bytes) -> bool:
    """Whether `signature` (base64) is `public_key`'s signature of `message`."""
    if alg != ED25519:
        return False
    from nacl.exceptions import BadSignatureError, CryptoError
    from nacl.signing import VerifyKey

    key = _VERIFY_CACHE.get(public_key)
    try:
        if key is None:
            raw = parse_public(public_key).public_bytes_raw()
            key = _VERIFY_CACHE.setdefault(public_key, VerifyKey(raw))
        key.verify(message, base64.b64decode(signature, validate=True))
    except (BadSignatureError, CryptoError, BadInputError, binascii.Error, ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class KeyInfo:
    """A key as its owner's keyring knows it (the public half; the private half stays put)."""

    name: str
    public_key: str
    created_at: str
    encrypted: bool = False
    path: str = ""

    @property
    def id(self) -> str:
        return key_id(self.public_key)

    @property
    def alg(self) -> str:
        return self.public_key.split(":", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "alg": self.alg, "public_key": self.public_key,
                "created_at": self.created_at, "encrypted": self.encrypted, "path": self.path}  # fmt: skip


class SigningKey:
    """A private key in hand, with the public key it belongs to."""

    def __init__(self, info: KeyInfo, private: Ed25519PrivateKey) -> None:
        self.info = info
        self._private = private

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def alg(self) -> str:
        return self.info.alg

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._private.sign(message)).decode()


class Signer(Protocol):
    """What an office signs with: the keys its caller holds."""

    def keys(self, name: str | None = None) -> list[KeyInfo]: ...

    def signing_key(self, key_id: str) -> SigningKey | None: ...


class Keyring:
    """The caller's own keys: a folder (0700, each key 0600), or in memory if `folder` is None.

    Keys are loaded only when a signature needs them; a passphrase-protected key asks `ask`
    (the terminal's prompt) or reads $ZHIFA_PASSPHRASE.
    """

    def __init__(self, folder: Path | None = None, ask: Ask | None = None) -> None:
        self.folder = folder
        self.ask = ask
        self._memory: dict[str, tuple[KeyInfo, Ed25519PrivateKey]] = {}
        self._loaded: dict[str, SigningKey] = {}

    @classmethod
    def from_env(cls, ask: Ask | None = None) -> Keyring:
        return cls(keys_dir(), ask)

    # -- making keys --------------------------------------------------------------------------
    def generate(self, name: str, passphrase: str | None = None) -> KeyInfo:
        """A new key pair for `name`: kept in memory, or written owner-only to the folder."""
        from workflow.events import utc_now

        if not name.strip():
            raise BadInputError("a key needs its holder's name")
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        private = Ed25519PrivateKey.generate()
        info = KeyInfo(name, public_text(private.public_key()), utc_now(), bool(passphrase))
        if self.folder is None:
            self._memory[info.id] = (info, private)
            return info
        return self._write(info, private, passphrase)

    def _write(self, info: KeyInfo, private: Ed25519PrivateKey, passphrase: str | None) -> KeyInfo:
        from cryptography.hazmat.primitives import serialization

        from workflow.files import private_dir, write_private

        assert self.folder is not None
        private_dir(self.folder)
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        path = self.folder / f"{info.id[:32]}.key"
        meta = {"name": info.name, "public_key": info.public_key, "created_at": info.created_at,
                "encrypted": info.encrypted}  # fmt: skip
        write_private(path, pem)
        write_private(path.with_suffix(".json"), json.dumps(meta, ensure_ascii=False).encode())
        return KeyInfo(info.name, info.public_key, info.created_at, info.encrypted, str(path))

    # -- what it holds --------------------------------------------------------------------------
    def keys(self, name: str | None = None) -> list[KeyInfo]:
        """The keys held, newest first (only `name`'s, if given)."""
        found = [info for info, _ in self._memory.values()] + self._on_disk()
        found.sort(key=lambda k: k.created_at, reverse=True)
        return [k for k in found if name is None or k.name == name]

    def _on_disk(self) -> list[KeyInfo]:
        if self.folder is None or not self.folder.is_dir():
            return []
        found = []
        for meta in sorted(self.folder.glob("*.json")):
            try:
                raw = json.loads(meta.read_bytes()[:MAX_KEY_FILE])
                public = normal_public(str(raw["public_key"]))
                found.append(KeyInfo(str(raw["name"]), public, str(raw["created_at"]),
                                     bool(raw.get("encrypted")), str(meta.with_suffix(".key"))))  # fmt: skip
            except (OSError, ValueError, KeyError, TypeError, BadInputError):
                continue  # not one of ours: left alone
        return found

    def signing_key(self, key_id: str) -> SigningKey | None:
        """The private key with this id, loaded (asking for its passphrase), or None."""
        if key_id in self._loaded:
            return self._loaded[key_id]
        if key_id in self._memory:
            info, private = self._memory[key_id]
            self._loaded[key_id] = SigningKey(info, private)
            return self._loaded[key_id]
        found = next((k for k in self._on_disk() if k.id == key_id), None)
        if found is None:
            return None
        self._loaded[key_id] = SigningKey(found, self._load(found))
        return self._loaded[key_id]

    def _load(self, info: KeyInfo) -> Ed25519PrivateKey:
        refuse_exposed(Path(info.path))
        pem = Path(info.path).read_bytes()[:MAX_KEY_FILE]
        passphrase = None
        if info.encrypted:
            passphrase = os.environ.get(PASSPHRASE_ENV) or (
                self.ask(f"{info.name} 的密钥口令 passphrase for {info.name}'s key") if self.ask else None
            )
            if not passphrase:
                raise BadInputError(f"{info.name} 的密钥受口令保护 the key is passphrase-protected: "
                                    f"give it on a terminal or in ${PASSPHRASE_ENV}")  # fmt: skip
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            key = serialization.load_pem_private_key(
                pem, passphrase.encode() if passphrase else None
            )
        except (ValueError, TypeError):
            raise BadInputError(f"{info.name} 的密钥无法打开 cannot open the key {info.path}: "
                                "wrong passphrase or damaged file") from None  # fmt: skip
        if not isinstance(key, Ed25519PrivateKey) or public_text(key.public_key()) != info.public_key:
            raise WorkflowError(f"{info.path}: not the {ED25519} key its description names")
        return key


def refuse_exposed(path: Path) -> None:
    """A private key others on the machine can read may already be someone else's: it signs
    nothing until its holder makes it owner-only again (as ssh refuses such a key). 电子签名法
    第十三条(二): the signing data must be under the signatory's sole control when signing."""
    if os.name != "posix":
        return
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise BadInputError(
            f"私钥文件可被他人读取，拒绝使用 the private key {path} is readable by others (mode "
            f"{mode:o}): 电子签名法第十三条（二） — the signing key must be under its holder's sole "
            f"control. Make it owner-only (chmod 600 {path}) and consider a new key "
            "(zhifa key init, then staff key) if others may have copied it")


def trusted_key_id(text: str) -> str:
    """The key id a `--trust-key` names: a public key (`ed25519:…`), a file holding one, or its
    id in hex (at least 16 characters, as zhifa prints it); BadInputError otherwise."""
    from pathlib import Path

    given = text.strip()
    path = Path(given)
    if not given.startswith(f"{ED25519}:") and len(given) < 200 and path.is_file():
        given = path.read_text(encoding="utf-8", errors="replace").strip()[:200]
    if given.startswith(f"{ED25519}:"):
        parse_public(given)
        return key_id(given)
    hexed = given.lower().rstrip("…").rstrip(".")
    if len(hexed) >= 16 and all(c in "0123456789abcdef" for c in hexed):
        return hexed
    raise BadInputError(f"--trust-key {text[:60]!r}: 不是公钥或公钥编号 not a public key (ed25519:…), "
                        "a file with one, or a key id (16+ hex characters)")  # fmt: skip
