"""Creating a new office folder: config.yaml, the 权责清单, the migrated database, its admin."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import yaml

from workflow.config import CONFIG_NAME, DEFAULT_DB, load_settings, render_config
from workflow.errors import BadInputError
from workflow.files import private_dir, private_sqlite, write_private
from workflow.keys import Signer
from workflow.service import Office
from workflow.store import Store

#: A new office's 权责清单, to be edited: `zhifa publish site` publishes it and the rules
#: hold a draft to it (penalty kinds, 时效).
STARTER_POWERS = Path(__file__).parent / "starter" / "powers.yaml"
#: A new office's 裁量基准 (discretion benchmarks) for the starter powers, to be edited.
STARTER_DISCRETION = Path(__file__).parent / "starter" / "discretion.yaml"
#: The 法制审核目录清单 a new office starts with, written into its config.yaml.
STARTER_CATALOG = Path(__file__).parent / "starter" / "review_catalog.yaml"
#: What `zhifa init` asks for when not given (the agency block of the notices and the site).
AGENCY_DETAILS = {
    "address": "机关地址 agency address",
    "phone": "联系电话 phone",
    "review_organ": "行政复议机关 review organ (e.g. 铁锋区人民政府)",
    "court": "管辖法院 court (e.g. 铁锋区人民法院)",
    "payment_bank": "罚没款缴纳银行 bank where fines are paid",
}


def admin_name(admin: str | None) -> str:
    return admin or getpass.getuser()


def check_new(directory: Path, agency: str, short_name: str, signer: Signer | None,
              admin: str | None) -> str:  # fmt: skip
    """Whether an office may be made here, before anything is asked or written: nothing to
    overwrite, an agency named, and this machine holding the first admin's key (电子签名法
    Art. 13: the register is bound to a key only its holder controls). The admin's name."""
    config = directory / CONFIG_NAME
    if config.exists():
        raise BadInputError(
            f"此处已有办公室，不予覆盖 {config} already exists: an office is already here"
        )
    if (directory / "zhifa.db").exists():
        raise BadInputError(f"数据库已存在，不予覆盖 {directory / 'zhifa.db'} already exists")
    if not agency.strip() or not short_name.strip():
        raise BadInputError("机关名称和简称不能为空 --agency and --short-name must not be empty")
    name = admin_name(admin)
    if signer is None or not signer.keys(name):
        raise BadInputError(f"本机没有 {name} 的签名密钥 no key of {name} here: the first admin is "
                            f"bound to their own key — run `zhifa key init {name}` first")  # fmt: skip
    return name


def create(
    directory: Path,
    agency: str,
    short_name: str,
    admin: str | None,
    details: dict[str, str] | None = None,
    signer: Signer | None = None,
    since: date | None = None,
) -> Path:
    """Write config.yaml, powers.yaml and discretion.yaml, migrate the database, open the staff
    register with its first admin — bound to the admin's own key, which `signer` must hold
    (电子签名法 Art. 13), effective `since` (default today); refuse to overwrite
    (`check_new`). Agency details not given are written as placeholders to fill in.

    Owner-only whatever the umask: the folder (if made here) 0700, config.yaml, powers.yaml,
    discretion.yaml and the SQLite database 0600, the file store 0700 — they hold parties'
    personal data."""
    config = directory / CONFIG_NAME
    name = check_new(directory, agency, short_name, signer, admin)
    private_dir(directory)
    catalog = yaml.safe_load(STARTER_CATALOG.read_text(encoding="utf-8"))
    write_private(config, render_config(agency, short_name, DEFAULT_DB, details, catalog).encode())
    powers = directory / "powers.yaml"
    if not powers.exists():
        write_private(powers, STARTER_POWERS.read_bytes())
    discretion = directory / "discretion.yaml"
    if not discretion.exists():
        write_private(discretion, STARTER_DISCRETION.read_bytes())
    try:
        settings = load_settings(config)
        private_dir(settings.files_dir())
        private_sqlite(settings.database_url())
        store = Store(settings.database_url())
        store.migrate()
        office = Office(store, settings.policy(), clock=lambda: since or date.today(), signer=signer)
        office.open_register(name, since)
        store.dispose()
    except Exception:
        config.unlink(missing_ok=True)
        raise
    return config
