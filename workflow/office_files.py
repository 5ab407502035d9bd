"""The whole-process record on disk: evidence and audio-visual files, notices written out,
the case file (卷宗目录) and its archive bundle."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from rules.model import Case
from workflow.errors import BadInputError, NotFoundError
from workflow.events import Event
from workflow.files import Progress, check_paths
from workflow.notices import export_name, find, recorded, write_atomic
from workflow.office import OfficeCore
from workflow.verify import Problem

EXPORT_FORMATS = ("pdf", "html", "txt")


class RecordDesk(OfficeCore):
    """Files, notices and the archive."""

    def act_with_files(
        self,
        case_id: str,
        action: str,
        actor_name: str | None,
        paths: list[str],
        data: Mapping[str, Any],
        on: date | None = None,
        progress: Progress | None = None,
    ) -> tuple[Event, Case]:
        """Store the files and record the act, or neither.

        Bad paths are refused before anything is read; the act is then judged with the files'
        names before any byte is copied, so a refused act stores nothing. The files are stored
        (streamed, hashed, deduplicated), then the act is recorded with their hashes.
        """
        sources = check_paths(paths)
        store = self.file_store()
        case, staff = self.store.load_for_act(case_id)
        actor = self.actor(actor_name, staff)
        day = on or self.clock()
        ctx = self._context(actor, action, staff)
        stand_in = [{"name": p.name, "size": max(p.stat().st_size, 1),
                     "media_type": "application/octet-stream", "sha256": "0" * 64}
                    for p in sources]  # fmt: skip
        self.engine.fire(case, action, actor, day, ctx, {**data, "files": stand_in})
        stored = [store.put(p, progress).as_dict() for p in sources]
        return self.do(case_id, action, actor_name, {**data, "files": stored}, day, case.version)

    def _check_files(self, case_id: str, events: list[Event]) -> list[Problem]:
        """Every file an event recorded is still in the store, byte for byte."""
        problems = []
        for e in events:
            files = e.data.get("files") if '"files"' in e.data_json else None
            for f in files if isinstance(files, list) else []:
                if not isinstance(f, dict) or "sha256" not in f:
                    continue
                if self.files is None:
                    problems.append(Problem(case_id, e.seq, "files recorded but no file store"))
                    return problems
                wrong = self.files.problem(f["sha256"], f.get("size"))
                if wrong:
                    problems.append(
                        Problem(
                            case_id, e.seq, f"file {f.get('name')} ({f['sha256'][:12]}…) {wrong}"
                        )
                    )
        return problems

    def case_file(self, case_id: str) -> list[dict[str, Any]]:
        """卷宗目录: every notice and record in order, with numbers, dates and references."""
        from workflow.casefile import index

        return [e.as_dict() for e in index(self.history(case_id), pages=self.desk.pages)]

    def export_archive(self, case_id: str, out: Path, pdf: bool = True) -> Any:
        """Write the archived case's bundle (zip) to `out`; see workflow/archive.py."""
        from workflow.archive import Renditions, write_bundle

        case = self.case(case_id)
        if case.archived is None:
            raise BadInputError(
                f"{case_id} 尚未归档 is not archived yet (state {case.state}): the bundle is the "
                f"archived case file; archive it first (`zhifa case do {case_id} archive`)"
            )
        out = bundle_path(out, case_id)
        store = self.file_store()

        renditions = Renditions.of(self.desk) if pdf else None
        events = self.history(case_id)
        return write_bundle(
            out, case.to_dict(), events, renditions, store.path, self.store.bundles()
        )

    def notices(self, case_id: str) -> list[dict[str, Any]]:
        """Every notice recorded for a case, in the order it was issued."""
        return recorded(self.history(case_id))

    def notice(self, case_id: str, ref: str) -> dict[str, Any]:
        """One recorded notice, by number or kind."""
        return find(self.notices(case_id), case_id, ref)

    def export_notices(
        self, case_id: str, fmt: str, out: Path, ref: str | None = None
    ) -> list[Path]:
        """Write a case's notices (or one) as txt, html or pdf files into `out`."""
        if fmt not in EXPORT_FORMATS:
            raise BadInputError(
                f"没有此格式 unknown format {fmt[:20]!r}（可选 use one of: {', '.join(EXPORT_FORMATS)}）"
            )
        notices = self.notices(case_id)
        chosen = [find(notices, case_id, ref)] if ref else [n for n in notices if "text" in n]
        if ref and "text" not in chosen[0]:
            raise BadInputError(
                f"{ref} 记录时尚未生成文书正文 was recorded before notices were rendered: no text"
            )
        if not chosen:
            raise NotFoundError(f"{case_id} 尚无执法文书 has no rendered notices yet")
        out_folder(out)
        written = []
        for notice in chosen:
            path = out / export_name(case_id, notice, fmt)
            write_atomic(path, self._notice_bytes(notice, fmt))
            written.append(path)
        return written

    def _notice_bytes(self, notice: dict[str, Any], fmt: str) -> bytes:
        if fmt == "txt":
            return str(notice["text"]).encode()
        html = self.desk.html(notice)
        if fmt == "html":
            return html.encode()
        from documents.pdf import FontMissingError, html_to_pdf

        try:
            return html_to_pdf(html)
        except FontMissingError as exc:
            raise BadInputError(f"未生成 PDF not produced: {exc}") from None


def out_folder(out: Path) -> Path:
    """`--out DIR`, as every command takes it (`publish site` too): a folder, made when missing
    in a folder that exists (a mistyped path does not grow a tree); a file there is refused."""
    if out.exists() and not out.is_dir():
        raise BadInputError(f"--out {out} 是文件而不是文件夹 is a file, not a folder")
    if not out.parent.is_dir():
        raise BadInputError(f"--out {out}: 上级文件夹不存在 folder {out.parent} does not exist")
    out.mkdir(exist_ok=True)
    return out


def bundle_path(out: Path, case_id: str) -> Path:
    """`archive export --out`: a path ending in .zip is the bundle itself; any other is a folder
    (made when missing) that gets CASE.zip — as `notice export --out` and `publish site --out`."""
    if out.suffix.lower() == ".zip" and not out.is_dir():
        out_folder(out.parent)
        return out
    return out_folder(out) / f"{case_id}.zip"
