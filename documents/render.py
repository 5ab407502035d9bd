"""The renderer: a case in, a notice out (执法文书).

Templates run in Jinja's immutable sandbox with StrictUndefined: a template cannot call
unsafe code or change the case, and a field it needs that the case lacks is an error naming
the field and the template line, never a blank in a legal document. Party-supplied text is
data: Jinja never evaluates a value, and `finalize` indents every line break inside a value,
so a party's text cannot start a heading or a list of its own in the notice.

A notice's templates form a bundle (the template and every template it extends or
includes); the bundle's hash is recorded with the notice, and its sources are kept, so the
exact text can be rendered again at any later time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from documents.formatting import date_cn, money, money_capitals
from rules.notices import NOTICE_LABELS

if TYPE_CHECKING:  # Jinja is imported by what renders or checks a template, not by every command
    import jinja2

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEXT_SUFFIX = ".md.j2"
PAGE_TEMPLATE = "page.html.j2"
#: Templates an office may override besides one per notice kind.
SHARED_TEMPLATES = ("_notice.md.j2", PAGE_TEMPLATE)
PARAGRAPH_INDENT = "\u3000\u3000"  # 首行缩进二字


class TemplateError(Exception):
    """A template that cannot be loaded or rendered, with its file and line when known."""

    def __init__(self, message: str, template: str | None = None, line: int | None = None):
        where = f"{template}:{line}: " if template and line else f"{template}: " if template else ""
        super().__init__(f"{where}{message}")
        self.template = template
        self.line = line


def template_name(kind: str) -> str:
    return f"{kind}{TEXT_SUFFIX}"




def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _as_data(value: Any) -> Any:
    """Every value printed by a template: each line after a break inside it becomes an
    indented paragraph of its own, whatever it starts with (no heading, list or signature)."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        first, *rest = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join([first, *(PARAGRAPH_INDENT + line.lstrip() for line in rest)])
    return value


def make_environment(loader: jinja2.BaseLoader, autoescape: bool = False) -> jinja2.Environment:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        finalize=None if autoescape else _as_data,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(date_cn=date_cn, money=money, capitals=money_capitals)
    return env


def _template_line(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The innermost template frame of a rendering error (Jinja maps it to template lines)."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "<template>" in filename:
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


@dataclass(frozen=True)
class Bundle:
    """The templates one notice is rendered from, by name, and their hash."""

    name: str
    sources: Mapping[str, str]
    sha256: str = field(default="")

    @classmethod
    def of(cls, name: str, sources: Mapping[str, str]) -> Bundle:
        text = json.dumps(dict(sources), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return cls(name, dict(sources), sha256_text(text))


class Templates:
    """The notice templates of an office: built-in, or overridden from a directory."""

    def __init__(self, override_dir: Path | None = None) -> None:
        self.override_dir = override_dir
        if override_dir is not None and not override_dir.is_dir():
            raise TemplateError(f"templates directory {override_dir} does not exist")
        self._bundles: dict[str, Bundle] = {}
        if override_dir is not None:
            self._check_overrides(override_dir)

    def _loader(self) -> jinja2.BaseLoader:
        import jinja2

        folders = [TEMPLATE_DIR] if self.override_dir is None else [self.override_dir, TEMPLATE_DIR]
        return jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders])

    @functools.cached_property
    def env(self) -> jinja2.Environment:
        """The notices' environment, made when a template is first read (the office's own
        templates are checked when the office loads: `_check_overrides`)."""
        return make_environment(self._loader())

    @functools.cached_property
    def html_env(self) -> jinja2.Environment:
        return make_environment(self._loader(), autoescape=True)

    @staticmethod
    def known_names() -> list[str]:
        return [template_name(k) for k in NOTICE_LABELS] + list(SHARED_TEMPLATES)

    def _check_overrides(self, directory: Path) -> None:
        """A broken override is reported when the office loads, with its file and line."""
        import jinja2

        known = self.known_names()
        for path in sorted(directory.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.name not in known:
                raise TemplateError(f"unknown template (known: {', '.join(known)})", str(path))
            try:
                source = path.read_text(encoding="utf-8")
                self.env.parse(source, path.name, str(path))
            except UnicodeDecodeError as exc:
                raise TemplateError(f"not UTF-8 text: {exc.reason}", str(path)) from None
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(exc.message or "syntax error", str(path), exc.lineno) from None
        for kind in NOTICE_LABELS:
            self.bundle(kind)

    def has(self, kind: str) -> bool:
        """A template for this notice kind exists (built in, or in the office's folder): a
        file the loader would find, looked up without loading Jinja (every command's definition
        check asks this of each notice kind)."""
        name = template_name(kind)
        folders = [TEMPLATE_DIR] if self.override_dir is None else [self.override_dir, TEMPLATE_DIR]
        return any((folder / name).is_file() for folder in folders)

    def _source(self, name: str) -> str:
        import jinja2

        try:
            source, _filename, _uptodate = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            raise TemplateError("template not found", name) from None
        return source

    def bundle(self, kind: str) -> Bundle:
        """The kind's template and all it extends, imports or includes."""
        if kind not in self._bundles:
            import jinja2
            from jinja2 import meta

            name = template_name(kind)
            sources: dict[str, str] = {}
            pending = [name]
            while pending:
                current = pending.pop()
                if current in sources:
                    continue
                sources[current] = self._source(current)
                try:
                    ast = self.env.parse(sources[current], current)
                except jinja2.TemplateSyntaxError as exc:
                    raise TemplateError(
                        exc.message or "syntax error", current, exc.lineno
                    ) from None
                for ref in meta.find_referenced_templates(ast):
                    if ref is None:
                        raise TemplateError(
                            "a template may only name other templates literally", current
                        )
                    pending.append(ref)
            self._bundles[kind] = Bundle.of(name, sources)
        return self._bundles[kind]

    def page_source(self) -> str:
        """The print layout's source: kept with exported PDFs so that they can be made again."""
        return self._source(PAGE_TEMPLATE)

    def page(self) -> jinja2.Template:
        import jinja2

        try:
            return self.html_env.get_template(PAGE_TEMPLATE)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(exc.message or "syntax error", PAGE_TEMPLATE, exc.lineno) from None


def page_from_source(source: str) -> jinja2.Template:
    """A print layout compiled from its source alone, as the office's page would be."""
    import jinja2

    env = make_environment(jinja2.DictLoader({PAGE_TEMPLATE: source}), autoescape=True)
    try:
        return env.get_template(PAGE_TEMPLATE)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(exc.message or "syntax error", PAGE_TEMPLATE, exc.lineno) from None


_COMPILED: dict[str, jinja2.Template] = {}


def _compiled(bundle: Bundle) -> jinja2.Template:
    """Each bundle is compiled once per process (verify renders many notices of one bundle)."""
    key = bundle.sha256 or Bundle.of(bundle.name, bundle.sources).sha256
    if key not in _COMPILED:
        import jinja2

        if len(_COMPILED) > 512:
            _COMPILED.clear()
        sources = dict(bundle.sources)

        def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
            # the template's own name as its file name: errors then point at name:line
            return (sources[name], name, lambda: True) if name in sources else None

        env = make_environment(jinja2.FunctionLoader(load))
        _COMPILED[key] = env.get_template(bundle.name)
    return _COMPILED[key]


def render_bundle(bundle: Bundle, context: Mapping[str, Any]) -> str:
    """Render a bundle exactly as recorded: only its own sources are visible."""
    import jinja2

    try:
        text = _compiled(bundle).render(context)
    except jinja2.UndefinedError as exc:
        name, line = _template_line(sys.exc_info()[2])
        raise TemplateError(f"missing field: {exc.message}", name or bundle.name, line) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            exc.message or "syntax error", exc.name or bundle.name, exc.lineno
        ) from None
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        name, line = _template_line(sys.exc_info()[2])
        raise TemplateError(f"{type(exc).__name__}: {exc}", name or bundle.name, line) from None
    return _tidy(text)


def _tidy(text: str) -> str:
    """One canonical text: no trailing spaces, at most one blank line, one final newline."""
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


_LEAVES = frozenset((str, int, float, bool, type(None)))


def plain(value: Any) -> Any:
    """The case as template data: empty values dropped, so a template that needs one fails."""
    kind = type(value)
    if kind in _LEAVES:  # most of a case: checked without the ABC machinery
        return value
    if kind is dict or isinstance(value, Mapping):
        return {k: v if type(v) in _LEAVES else plain(v) for k, v in value.items()
                if v is not None and v != ""}  # fmt: skip
    if isinstance(value, list | tuple):
        return [v if type(v) in _LEAVES else plain(v) for v in value]
    return value
