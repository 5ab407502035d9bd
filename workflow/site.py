"""The public website: gather only what may be published, render it, write it atomically.

事前: the enforcing body (config), the 权责清单 (the office's data file), the officers with a
valid certificate (staff register), the flowcharts drawn from the procedure definitions.
事后: each case's current publication as recorded by its `publish` event — already masked
when it was published — with its withdrawal, if any. Annual reports as published.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from documents.charts import flowchart
from documents.site import render_site
from rules.policy import Masking
from rules.publicity import FREE_TEXT, public_text
from workflow.errors import BadInputError, ConfigError


class Power(BaseModel):
    """One line of the 权责清单."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    kind: str
    basis: str
    responsibility: str = ""


def load_powers(path: Path) -> list[dict[str, Any]]:
    """The office's 权责清单 file (YAML list); a bad entry is reported with its place."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no 权责清单 file at {path}", location="publicity.powers") from None
    except yaml.YAMLError:
        raise ConfigError(f"{path} is not valid YAML", location="publicity.powers") from None
    if not isinstance(raw, list):
        raise ConfigError(f"{path} must hold a list of powers", location="publicity.powers")
    powers = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise ConfigError(
                f"{path}: entry {i + 1} is not a mapping", location=f"publicity.powers[{i}]"
            )
        try:
            powers.append(Power(**entry).model_dump())
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"{path}: entry {i + 1}: {first['msg']}",
                              location=f"publicity.powers[{i}].{key}") from None  # fmt: skip
    return powers


def published_results(cases: list[Any], masking: Masking) -> list[dict[str, Any]]:
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
    office: Any, duties: str, powers: list[dict[str, Any]], today: date, page_size: int = 20
) -> dict[str, bytes]:
    """Every file of the public website, from what may be published only."""
    agency = dict(office.desk.agency)
    officers = [
        {"name": p.name, "cert_no": p.cert_no, "cert_category": p.cert_category or "行政执法",
         "valid_until": p.cert_valid_until.isoformat() if p.cert_valid_until else ""}
        for p in office.staff().values()
        if "officer" in p.roles and p.active and p.certificate_valid_on(today)
    ]  # fmt: skip
    procedures = [
        {"id": pid, "label": m.procedure.label, "svg": flowchart(m.procedure)}
        for pid, m in sorted(office.engine.machines.items())
    ]
    results = published_results(office.cases(), office.policy.masking)
    reports = office.reports()
    return render_site(agency, duties, powers, officers, procedures, results, reports, page_size)


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Replace `out` with exactly these files: built beside it, then swapped in."""
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise BadInputError(f"--out {out} is a file, not a directory")
    if out.exists() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise BadInputError(f"--out {out} holds other files: give an empty or earlier site folder")
    build = out.with_name(f".{out.name}.build-{os.getpid()}")
    shutil.rmtree(build, ignore_errors=True)
    for path, data in files.items():
        target = build / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    build.rename(out)
    shutil.rmtree(old, ignore_errors=True)
