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
        case, register = self.store.load_for_act(case_id)
        day = on or self.clock()
        act = self.engine.action(case.procedure, action)
        auth = self.authorise(register, actor_name, act, day, case_id)
        actor = auth.actor
        ctx = self._context(actor, action, auth.staff)
        self.signing(auth, case, action, day, ctx)
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

    def export_archive(
        self, case_id: str, out: Path, pdf: bool = True, by: str | None = None,
        checkpoint: dict[str, Any] | None = None,
    ) -> Any:  # fmt: skip
        """Write the archived case's bundle (zip) to `out`, its manifest signed by `by` (the
        exporting officer, in post today, with their key) and, given a checkpoint (a loaded
        file), its head tied to it; see workflow/archive.py."""
        from workflow.archive import Extras, Renditions, write_bundle
        from workflow.register import REGISTER

        case = self.case(case_id)
        if case.archived is None:
            raise BadInputError(
                f"{case_id} 尚未归档 is not archived yet (state {case.state}): the bundle is the "
                f"archived case file; archive it first (`zhifa case do {case_id} archive`)"
            )
        out = bundle_path(out, case_id)
        store = self.file_store()
        key = self._exporter_key(by)
        events = self.history(case_id)
        proof = self._proof(case_id, events, checkpoint) if checkpoint is not None else None
        renditions = Renditions.of(self.desk) if pdf else None
        extras = Extras(self.store.chain(REGISTER), key, str(by), proof)
        return write_bundle(
            out, case.to_dict(), events, renditions, store.path, self.store.bundles(), extras
        )

    def _exporter_key(self, by: str | None) -> Any:
        """The exporting officer's key: in post today, registered, held here."""
        from rules.model import Reason
        from workflow.errors import RefusedError
        from workflow.signing import no_key, signing_key

        today = self.clock()
        state = self.register_history().as_of(today)
        entry = state.people.get(by or "")
        if entry is None or not entry.person.active:
            raise RefusedError(None, "archive_export", "-", [Reason(
                "not_in_post", f"{by or '（未指明 --as）'} 不是在岗人员，不能签署卷宗清单", "人员名录管理")])  # fmt: skip
        key = signing_key(self.signer, state, entry.person.name)
        if key is None:
            raise RefusedError(None, "archive_export", "-", [no_key(entry.person.name, today)])
        return key

    def _proof(self, case_id: str, events: list[Event], checkpoint: dict[str, Any]
               ) -> dict[str, Any]:  # fmt: skip
        """This case's leaf in a checkpoint, with its audit path; the checkpoint must hold the
        case at one of its recorded events."""
        from workflow.checkpoint import inclusion, self_check

        wrong = self_check(checkpoint)
        found = inclusion(checkpoint["leaves"], case_id)
        if wrong or found is None:
            raise BadInputError(f"检查点不能用于 {case_id} the checkpoint cannot vouch for this case: "
                                + ("; ".join(wrong) or "it does not hold the case"))  # fmt: skip
        _, seq, digest = found["leaf"]
        if not any(e.seq == seq and e.hash == digest for e in events):
            raise BadInputError(f"检查点中 {case_id} 的记录与本案不符 the checkpoint's leaf for "
                                f"{case_id} (#{seq}) is not an event of this case")  # fmt: skip
        return {"statement": checkpoint["statement"], "signature": checkpoint["signature"], **found}

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
