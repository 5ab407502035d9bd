"""The public website rebuilt after a change renders only the pages the change touches, and
reads exactly as a site built from scratch (issue 16: `publish site` after one new
publication, at 100,000 cases, rendered every page). A changed template, agency block or
masking renders every page; a site changed by hand is not trusted."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pytest

import documents.site
from rules.policy import Masking
from tests.conftest import STARTER_POWERS, run_steps
from tests.documents.cases import NO_PENALTY
from tests.workflow.test_publicity import individual
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING
from workflow.service import Office
from workflow.site import MANIFEST, SiteBuild, build_site, load_powers, publish_site

TODAY = date(2026, 11, 24)
DUTIES = "依法审计监督"


def site(office: Office, out: Path, full: bool = False, duties: str = DUTIES) -> SiteBuild:
    powers = load_powers(STARTER_POWERS)
    return publish_site(office, duties, powers, TODAY, out, page_size=2, full=full)


def on_disk(folder: Path) -> dict[str, bytes]:
    """The site's files as a visitor gets them (the manifest names inodes: not compared)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST}  # fmt: skip


def from_scratch(office: Office, tmp_path: Path, duties: str = DUTIES) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    site(office, fresh, duties=duties)
    files = on_disk(fresh)
    rendered = build_site(office, duties, load_powers(STARTER_POWERS), TODAY, page_size=2)
    assert {p: b for p, b in files.items() if not p.startswith(".")} == rendered
    return files


def another(office: Office) -> str:
    """One more case decided and served, against another person, not yet published."""
    scenario = individual(NO_PENALTY)
    opening = scenario.steps[0]
    data = {**opening.data, "party": "李四", "party_id": "230202199001011236"}
    scenario = replace(scenario, steps=(replace(opening, data=data), *scenario.steps[1:]))
    return run_steps(office, scenario, until="serve").id


@pytest.fixture
def published(office: Office) -> Office:
    """Three published results (two penalties, one audit) and one case decided, unpublished."""
    for scenario, on in ((individual(), date(2026, 4, 2)), (PENALTY_WITH_HEARING, date(2026, 4, 3)),
                         (AUDIT_WITH_SUPPLEMENT, date(2026, 10, 12))):  # fmt: skip
        office.publish(run_steps(office, scenario, until="serve").id, "刘洋", on)
    return office


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every Jinja render, by template name (a hook on the template, not a timing)."""
    seen: Counter[str] = Counter()
    render = jinja2.Template.render

    def counted(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        seen[str(self.name)] += 1
        return render(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counted)
    return seen


def test_one_more_publication_renders_its_page_and_the_lists_only(
    published: Office, tmp_path: Path, renders: Counter[str]
) -> None:
    out = tmp_path / "site"
    site(published, out)
    renders.clear()
    assert site(published, out).rendered == []  # nothing changed: nothing rendered or read
    assert renders == Counter()
    newest = another(published)
    published.publish(newest, "刘洋", date(2026, 11, 2))
    renders.clear()
    built = site(published, out)
    assert built.rendered == sorted([f"results/{newest}.html", "index.html", "results/index.html",
                                     "results/page-2.html", "results/search.html"])  # fmt: skip
    assert renders == Counter({"result.html.j2": 1, "index.html.j2": 1, "results.html.j2": 2,
                               "search.html.j2": 1,
                               # the new result's entry in the lists, then the home page's four
                               "result_item.html.j2": 1 + 4})  # fmt: skip
    assert len(built.files) == len(on_disk(out)) - 1  # every file but the marker
    assert on_disk(out) == from_scratch(published, tmp_path)


def test_every_step_of_a_publication_rebuilds_as_from_scratch(
    published: Office, tmp_path: Path
) -> None:
    """Published, then revoked and withdrawn (行政处罚法 Art. 48 ¶2: within 3 working days,
    with the reason, published), then the duties changed: after each step the rebuilt site is
    byte for byte the one built into an empty folder."""
    out = tmp_path / "site"
    site(published, out)
    case_id = another(published)
    published.publish(case_id, "刘洋", date(2026, 11, 2))
    site(published, out)
    assert on_disk(out) == from_scratch(published, tmp_path)
    published.do(case_id, "revoke_decision", "赵刚", {"kind": "revoked", "reason": "复议撤销"},
                 date(2026, 11, 9))  # fmt: skip
    published.do(case_id, "withdraw_publication", "刘洋", {"reason": "原决定已被撤销"},
                 date(2026, 11, 10))  # fmt: skip
    built = site(published, out)
    assert f"results/{case_id}.html" in built.rendered
    page = (out / "results" / f"{case_id}.html").read_text("utf-8")
    assert "本条信息已于 2026-11-10 撤回。理由：原决定已被撤销" in page
    assert "已撤回：原决定已被撤销" in (out / "results" / "search.html").read_text("utf-8")
    assert on_disk(out) == from_scratch(published, tmp_path)
    built = site(published, out, duties="依法审计监督，查处违法行为")
    assert built.rendered == ["index.html"]  # the duties are shown on the home page only
    assert on_disk(out) == from_scratch(published, tmp_path, duties="依法审计监督，查处违法行为")


def test_a_changed_template_agency_or_masking_renders_every_page(
    published: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    everything = set(site(published, out).files)
    templates = tmp_path / "templates"
    shutil.copytree(documents.site.SITE_DIR, templates)
    base = templates / "base.html.j2"
    base.write_text(base.read_text("utf-8").replace("行政执法公示平台", "执法公示平台（新版）"), "utf-8")
    monkeypatch.setattr(documents.site, "SITE_DIR", templates)
    built = site(published, out)
    assert built.full
    assert set(built.rendered) == everything
    assert "执法公示平台（新版）" in (out / "results" / "search.html").read_text("utf-8")
    published.desk = replace(published.desk, agency={**published.desk.agency, "phone": "0452-1234567"})
    built = site(published, out)
    assert set(built.rendered) == everything
    assert "0452-1234567" in (out / "results" / "page-2.html").read_text("utf-8")
    published.policy = replace(published.policy, masking=Masking(name="initial"))
    built = site(published, out)  # every record masked again, as a build from scratch does
    assert built.full
    assert set(built.rendered) == everything
    assert on_disk(out) == from_scratch(published, tmp_path)


def test_a_site_changed_by_hand_is_not_trusted(published: Office, tmp_path: Path) -> None:
    out = tmp_path / "site"
    site(published, out)
    pristine = on_disk(out)
    [first, *_] = sorted(p for p in pristine if p.startswith("results/") and p[8:9].isupper())
    (out / first).write_text("<p>改过的页面</p>", "utf-8")  # edited by hand
    (out / "results" / "page-2.html").unlink()  # removed by hand
    built = site(published, out)
    assert built.repaired == sorted([first, "results/page-2.html"])
    assert set(built.rendered) == {first, "results/page-2.html"}
    assert on_disk(out) == pristine
    manifest = out / MANIFEST
    data = bytearray(manifest.read_bytes())
    data[-3] ^= 1  # damaged: the seal no longer matches
    manifest.write_bytes(bytes(data))
    (out / "index.html").write_text("<p>改过的首页</p>", "utf-8")
    built = site(published, out)
    assert built.full
    assert set(built.rendered) == set(built.files)
    assert on_disk(out) == pristine
    # edited by hand with a checksum made anew: a record of the cache says what was never
    # published (an unmasked ID number); not trusted, as the seal needs the office's key
    _, _, body = manifest.read_bytes().partition(b"\n")
    body = body.replace("张某某".encode(), "张三丰 230202198503121238".encode())
    assert "张三丰".encode() in body
    manifest.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    assert site(published, out).full
    assert on_disk(out) == pristine
    manifest.unlink()  # missing
    assert site(published, out).full
    assert on_disk(out) == pristine
    assert not site(published, out).full  # and kept again
    assert site(published, out, full=True).full  # --full: every page, asked for
    assert on_disk(out) == pristine


def test_the_pager_shows_the_first_the_last_and_the_nearby_pages() -> None:
    """Before: every page of the results listed every page number (1,500 links on each of
    1,500 pages at 30,000 results)."""
    from documents.site import pager

    assert pager(1, 1) == [1]
    assert pager(1, 4) == [1, 2, 3, 4]
    assert pager(7, 1500) == [1, None, 5, 6, 7, 8, 9, None, 1500]
    assert pager(1500, 1500) == [1, None, 1498, 1499, 1500]
    assert pager(4, 1500) == [1, 2, 3, 4, 5, 6, None, 1500]


def test_a_large_old_site_is_removed_after_the_command(
    published: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old site of a large build is deleted by a child process once the new one is in
    place: the command does not wait for tens of thousands of unlinks; nothing is left."""
    import time

    import workflow.site_files

    monkeypatch.setattr(workflow.site_files, "DETACH_FROM", 1)
    out = tmp_path / "site"
    site(published, out)
    pristine = on_disk(out)
    site(published, out, full=True)
    assert on_disk(out) == pristine
    def leftovers() -> list[str]:
        return [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]

    for _ in range(200):  # the child finishes in milliseconds here
        if not leftovers():
            break
        time.sleep(0.05)
    assert leftovers() == []
