"""The public website: gather only what may be published, render it, write it atomically.

事前: the enforcing body (config), the 权责清单 (the office's data file), the officers with a
valid certificate (staff register), the flowcharts drawn from the procedure definitions.
事后: each case's current publication as recorded by its `publish` event — already masked
when it was published — with its withdrawal, if any. Annual reports as published.
"""

from __future__ import annotations

import gc
import hashlib
import secrets
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from documents.charts import flow_rows, flowchart
from documents.site import Listed, Lister, render_site, site_pages, template_basis
from rules.model import Case
from rules.policy import Masking
from rules.publicity import FREE_TEXT, public_text
from workflow.errors import ConfigError
from workflow.site_files import (
    MANIFEST,
    MARKER,
    MARKER_TEXT,
    Manifest,
    SiteBuild,
    SitePage,
    fingerprint,
    open_site,
    read_manifest,
    write_pages,
    write_site,
)

__all__ = ["MANIFEST", "MARKER", "MARKER_TEXT", "SiteBuild", "build_site", "load_powers",
           "publish_site", "published_results", "write_site"]  # fmt: skip


def load_powers(path: Path) -> list[dict[str, Any]]:
    """The office's 权责清单 as published (workflow/powers.py validates it)."""
    from workflow.powers import load_powers as load

    return [entry.model_dump() for entry in load(path)]


def public_result(case: Case, masking: Masking) -> dict[str, Any] | None:
    """A case's current publication (as recorded), if any, ready for the site.

    Every free-text field passes the masking again as the site is built (a record published
    before a rule was tightened gets the new rule), and so does a withdrawal's reason, which
    the publisher typed (行政处罚法 Art. 48 asks it to be published)."""
    pub = case.details.get("publication")
    if not pub:
        return None
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
    return record


def published_results(cases: Iterable[Any], masking: Masking) -> list[dict[str, Any]]:
    """Every case's current publication (`public_result`), newest first."""
    found = (public_result(case, masking) for case in cases)
    return _newest_first([r for r in found if r is not None])


def _newest_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=_published_key, reverse=True)


def _published_key(record: Any) -> tuple[str, str]:
    """The order of the results on the site (newest first when reversed)."""
    return (record["published_on"], record["case"])


def _frame(office: Any, today: date) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """The agency, the officers with a valid certificate on `today`, the procedures drawn."""
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
    return agency, officers, procedures


def build_site(
    office: Any,
    duties: str,
    powers: list[dict[str, Any]],
    today: date,
    page_size: int = 20,
    site: dict[str, str] | None = None,
) -> dict[str, bytes]:
    """Every file of the public website, from what may be published only, rendered from
    scratch; `site` holds the footer's identifiers (publicity.site: 主办单位, 网站标识码,
    ICP备案号)."""
    agency, officers, procedures = _frame(office, today)
    results = published_results(office.store.published_cases(), office.policy.masking)
    reports = office.reports()
    return render_site(
        agency, duties, powers, officers, procedures, results, reports, page_size, site
    )


#: the code that shapes the site's pages and records: a change to it renders every page
SITE_CODE = ("documents.site", "documents.charts", "documents.report", "documents.formatting",
             "rules.publicity", "states.vocabulary", "workflow.site", "workflow.site_files")  # fmt: skip


def site_basis(office: Any, page_size: int, site: dict[str, str] | None) -> str:
    """What every page and record depends on: the templates, the code that renders and masks,
    the agency and the footer, the masking, the page size, the database. A manifest of
    another basis is not used."""
    digest = hashlib.sha256(template_basis().encode())
    for name in SITE_CODE:
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(fingerprint("", [dict(office.desk.agency), site, repr(office.policy.masking),
                                   page_size, office.store.safe_url()]).encode())  # fmt: skip
    return digest.hexdigest()


def publish_site(
    office: Any,
    duties: str,
    powers: list[dict[str, Any]],
    today: date,
    out: Path,
    page_size: int = 20,
    site: dict[str, str] | None = None,
    full: bool = False,
) -> SiteBuild:
    """Write the public website to `out`, rendering only the pages whose inputs changed since
    the site there was built (workflow/site_files.py keeps what made each page); `full`:
    render every page (the old files are still linked where the bytes are the same).

    The cyclic garbage collector is paused meanwhile: tens of thousands of records and pages
    are made and none is garbage before the end (each collection would walk them all)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _publish(office, duties, powers, today, out, page_size, site, full)
    finally:
        if collecting:
            gc.enable()


def _publish(
    office: Any,
    duties: str,
    powers: list[dict[str, Any]],
    today: date,
    out: Path,
    page_size: int,
    site: dict[str, str] | None,
    full: bool,
) -> SiteBuild:
    agency, officers, procedures = _frame(office, today)
    reports = office.reports()
    previous = open_site(out)
    basis = site_basis(office, page_size, site)
    key = site_key(office)
    old = read_manifest(previous, basis, key) if previous is not None and not full else None
    results = _results(office, old)
    listed = [Listed(e[1], e[2], e[3]) for e in results.values() if e[2] is not None]
    listed.sort(key=lambda x: _published_key(x.record), reverse=True)
    pages = site_pages(agency, duties, powers, officers, procedures, listed, reports, page_size,
                       site)  # fmt: skip
    todo = [SitePage(p.path, fingerprint(basis, p.inputs), p.render) for p in pages]
    return write_pages(todo, out, old, Manifest(basis, results=results), key)


def site_key(office: Any) -> bytes:
    """The office's own key that seals the website's manifest: made once, kept owner-only in
    its file store (not in the public folder), so a manifest this office did not write —
    edited by hand, or another office's — is not trusted. No file store: no key (a checksum)."""
    from workflow.files import private_dir, write_private

    if getattr(office, "files", None) is None:
        return b""
    path = Path(office.files.root) / "site.key"
    if not path.is_file():
        private_dir(path.parent)
        try:
            write_private(path, secrets.token_hex(32).encode())
        except FileExistsError:  # another build made it meanwhile
            pass
    return path.read_bytes()


def _results(office: Any, old: Manifest | None) -> dict[str, list[Any]]:
    """Every published case's [head digest, record digest, record, list item]: from the old
    manifest where the case's chain head is the one its record was made from (the basis,
    masking included, being the same), else made from its case (record None: nothing)."""
    known = old.results if old is not None else {}
    results: dict[str, list[Any]] = {}
    stale = []
    for case_id, last_hash in office.store.published_heads():
        head = hashlib.sha256(last_hash.encode()).hexdigest()[:32]
        entry = known.get(case_id)
        if isinstance(entry, list) and len(entry) == 4 and entry[0] == head:
            results[case_id] = entry
        else:
            results[case_id] = [head, None, None, None]
            stale.append(case_id)
    masking, lister = office.policy.masking, Lister()
    for case in office.store.published_cases(stale):
        record = public_result(case, masking)
        if record is not None:
            listed = lister(record)
            results[case.id][1:] = [listed.digest, record, listed.item]
    return results
