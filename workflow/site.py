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

from documents.charts import flow_rows, flowchart
from documents.site import render_site
from workflow.errors import BadInputError, ConfigError


def load_powers(path: Path) -> list[dict[str, Any]]:
    """The office's 权责清单 as published (workflow/powers.py validates it)."""
    from workflow.powers import load_powers as load

    return [entry.model_dump() for entry in load(path)]


def published_results(cases: list[Any]) -> list[dict[str, Any]]:
    """Every case's current publication (as recorded), newest first."""
    results = []
    for case in cases:
        pub = case.details.get("publication")
        if not pub:
            continue
        record = dict(pub["content"])
        record["published_on"] = pub["on"]
        record["updated_on"] = (pub.get("updated") or {}).get("on", "")
        if pub.get("withdrawn"):
            record["withdrawn"] = {
                "on": pub["withdrawn"]["on"],
                "reason": pub["withdrawn"]["reason"],
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
    results = published_results(office.cases())
    reports = office.reports()
    return render_site(
        agency, duties, powers, officers, procedures, results, reports, page_size, site
    )


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
