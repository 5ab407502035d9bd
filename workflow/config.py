"""config.yaml: the agency's settings, loaded once, typed, failing fast with the key path.

YAML is read with `safe_load`; the file holds data only (style.md §6).
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from documents.fonts import DEFAULT_FONTS
from rules.calendar import WorkingCalendar
from rules.policy import CatalogEntry, HearingThresholds, Masking, Periods, Policy
from workflow.errors import ConfigError
from workflow.powers import powers_by_id

CONFIG_NAME = "config.yaml"
DEFAULT_DB = "sqlite:///zhifa.db"
#: What `zhifa init` writes for an agency detail it was not given: notices and the public
#: site refuse to print it (they name the key to fill).
PLACEHOLDER = "【待填写】"
MAX_YAML = 1 << 20  # bytes of config.yaml or powers.yaml


class _Loader(yaml.SafeLoader):
    """safe_load, but dates stay text so that the typed settings check them with a key path,
    and anchors/aliases are refused (settings need none; a few can expand to billions)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
#: libyaml's parser, where installed (several times faster on a large discretion.yaml); used
#: only for text without `&` or `*`, which can then hold no anchor or alias
_CLoader: Any = None
if hasattr(yaml, "CSafeLoader"):

    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same as _Loader (dates as text), composed in C."""

    _CLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _parse_yaml(text: str) -> Any:
    """`_Loader`'s result; libyaml's parser when the text can hold no alias (an error is
    reported by the Python parser, word for word as it always was)."""
    if _CLoader is not None and "&" not in text and "*" not in text:
        try:
            return yaml.load(text, Loader=_CLoader)  # noqa: S506 - a CSafeLoader subclass
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgencySettings(_Strict):
    name: str = "铁锋区审计局"
    short_name: str = Field("铁审", min_length=1, max_length=8)
    address: str = "铁锋区政府路1号"
    phone: str = "0452-0000000"
    head: str = ""
    review_organ: str = "铁锋区人民政府"
    court: str = "铁锋区人民法院"
    #: where fines are paid (行政处罚法 Art. 67: 指定银行 or electronic payment)
    payment_bank: str = "本机关指定的银行或者通过电子支付系统"


class DatabaseSettings(_Strict):
    url: str = DEFAULT_DB


class HearingSettings(_Strict):
    unit_fine: Decimal = Field(Decimal("100000"), ge=0)
    individual_fine: Decimal = Field(Decimal("10000"), ge=0)
    confiscation: Decimal = Field(Decimal("100000"), ge=0)


class PeriodSettings(_Strict):
    statement_window_days: int = Field(3, ge=1, le=30)
    review_limit_days: int = Field(5, ge=1, le=60)
    review_extension_days: int = Field(5, ge=0, le=60)
    archive_limit_days: int = Field(30, ge=1, le=365)
    audit_comply_days: int = Field(90, ge=1, le=365)
    summary_filing_days: int = Field(5, ge=1, le=30)
    #: `--on` more working days before today than this needs a head's approval (补录审批)
    backdate_working_days: int = Field(5, ge=0, le=3650)
    #: `verify` warns when the latest checkpoint is older than this many days (本局规定)
    checkpoint_days: int = Field(30, ge=1, le=366)


class CatalogSettings(_Strict):
    name: str
    procedures: list[str] = []
    fields: list[str] = []
    penalty_kinds: list[str] = []
    party_types: list[str] = []
    min_amount: Decimal | None = Field(None, ge=0)


class CalendarSettings(_Strict):
    extra_holidays: list[date] = []
    extra_workdays: list[date] = []
    official_years: list[int] = []


class FontSettings(_Strict):
    """The print fonts by role, first installed wins; without any, a CJK font stands in and
    export says so (GB/T 9704-2012 §5.2: body 仿宋, title 小标宋, headings 黑体)."""

    body: list[str] = Field(default_factory=lambda: list(DEFAULT_FONTS["body"]), min_length=1)
    title: list[str] = Field(default_factory=lambda: list(DEFAULT_FONTS["title"]), min_length=1)
    heading: list[str] = Field(default_factory=lambda: list(DEFAULT_FONTS["heading"]), min_length=1)


class DocumentSettings(_Strict):
    """Notices: an office's own templates (a directory, relative to config.yaml), codes and
    print fonts."""

    templates: str | None = None
    codes: dict[str, str] = {}
    fonts: FontSettings = FontSettings()

    @field_validator("codes")
    @classmethod
    def _known_distinct_codes(cls, codes: dict[str, str]) -> dict[str, str]:
        from rules.notices import NUMBER_CODES

        unknown = sorted(set(codes) - set(NUMBER_CODES))
        if unknown:
            raise ValueError(
                f"unknown notice kind(s) {', '.join(unknown)}; known: {', '.join(NUMBER_CODES)}"
            )
        merged = {**NUMBER_CODES, **codes}
        if any(not c.strip() for c in merged.values()):
            raise ValueError("a code must not be empty")
        seen: dict[str, str] = {}
        for kind, code in merged.items():
            if code in seen:
                raise ValueError(
                    f"{kind} and {seen[code]} share the code {code!r}: numbers would collide"
                )
            seen[code] = kind
        return codes

    def all_codes(self) -> dict[str, str]:
        from rules.notices import NUMBER_CODES

        return {**NUMBER_CODES, **self.codes}


class FileSettings(_Strict):
    """Evidence and audio-visual files: a folder (relative to config.yaml), by content hash."""

    dir: str = Field("files", min_length=1)


class MaskingSettings(_Strict):
    """How an individual party appears in anything published (rules/publicity.py)."""

    name: Literal["surname", "initial", "hide"] = "surname"
    id_number: Literal["hide"] = "hide"
    phone: Literal["hide"] = "hide"
    address: Literal["hide"] = "hide"


class SiteSettings(_Strict):
    """The public website's footer: 主办单位 (default: the agency), 网站标识码 and ICP备案号
    (政府网站发展指引, 国办发〔2017〕47号: every government site shows them); all optional."""

    organizer: str = ""
    identifier: str = ""
    icp: str = ""


class PublicitySettings(_Strict):
    """事前公示: the duties text and the 权责清单 data file (relative to config.yaml)."""

    duties: str = "依法对本级各部门、各单位的财政收支、财务收支及有关经济活动进行审计监督，依法查处违反国家规定的财政收支、财务收支行为。"
    powers: str = "powers.yaml"
    #: 裁量基准 (行政处罚法 Art. 34: published too), next to the 权责清单
    discretion: str = "discretion.yaml"
    masking: MaskingSettings = MaskingSettings()
    site: SiteSettings = SiteSettings()


class Settings(_Strict):
    agency: AgencySettings = AgencySettings()  # type: ignore[call-arg]
    database: DatabaseSettings = DatabaseSettings()
    hearing_thresholds: HearingSettings = HearingSettings()  # type: ignore[call-arg]
    periods: PeriodSettings = PeriodSettings()  # type: ignore[call-arg]
    review_catalog: list[CatalogSettings] = []
    #: 执法领域: the values a case's `field` and a catalog entry's `fields` may take
    enforcement_fields: list[str] = []
    calendar: CalendarSettings = CalendarSettings()
    documents: DocumentSettings = DocumentSettings()
    files: FileSettings = FileSettings()  # type: ignore[call-arg]
    publicity: PublicitySettings = PublicitySettings()
    #: the directory config.yaml lives in; relative SQLite paths are taken from here
    base_dir: Path = Path(".")
    #: an office's settings, read from its config.yaml: checks passed are remembered in its
    #: folder (workflow/checked.py); settings made in code remember nothing
    _office: bool = PrivateAttr(False)

    def database_url(self) -> str:
        """The database URL: ZHIFA_DATABASE_URL overrides config; SQLite paths are office-relative."""
        url = os.environ.get("ZHIFA_DATABASE_URL") or self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
            url = prefix + str((self.base_dir / url[len(prefix) :]).resolve())
        return url

    def files_dir(self) -> Path:
        return (self.base_dir / self.files.dir).resolve()

    def templates_dir(self) -> Path | None:
        folder = self.documents.templates
        return (self.base_dir / folder).resolve() if folder else None

    def policy(self) -> Policy:
        from workflow.checked import Checked
        from workflow.discretion import load_benchmarks

        checked = Checked(self.base_dir if self._office else None)

        cal = self.calendar
        powers = powers_by_id(self.powers_file())
        return Policy(
            hearing=HearingThresholds(**self.hearing_thresholds.model_dump()),
            periods=Periods(**self.periods.model_dump()),
            catalog=tuple(
                CatalogEntry(
                    name=c.name,
                    procedures=tuple(c.procedures),
                    fields=tuple(c.fields),
                    penalty_kinds=tuple(c.penalty_kinds),
                    party_types=tuple(c.party_types),
                    min_amount=c.min_amount,
                )
                for c in self.review_catalog
            ),
            fields=tuple(self.enforcement_fields),
            calendar=WorkingCalendar(cal.extra_holidays, cal.extra_workdays, cal.official_years),
            agency=self.agency.name,
            masking=Masking(**self.publicity.masking.model_dump()),
            powers=powers,
            benchmarks=load_benchmarks(self.discretion_file(), powers, checked),
        )

    def powers_file(self) -> Path:
        return self.base_dir / self.publicity.powers

    def discretion_file(self) -> Path:
        return self.base_dir / self.publicity.discretion

    def placeholders(self) -> list[str]:
        """Agency keys still holding the placeholder `zhifa init` wrote (to be filled in)."""
        return [f"agency.{k}" for k, v in self.agency.model_dump().items() if PLACEHOLDER in str(v)]


def parse_settings(raw: Any, base_dir: Path, origin: str = CONFIG_NAME) -> Settings:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin} must hold a mapping of settings", location="(top)")
    try:
        settings = Settings(**raw, base_dir=base_dir)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{first['msg']} (in {origin})", location=location) from None
    except TypeError as exc:
        raise ConfigError(f"{exc} (in {origin})") from None
    from states.catalog import PROCEDURES
    from states.validation import catalog_problems

    problems = catalog_problems([c.model_dump() for c in settings.review_catalog], PROCEDURES,
                                settings.enforcement_fields)  # fmt: skip
    if problems:
        raise ConfigError(f"{'; '.join(problems)} (in {origin})", location="review_catalog")
    return settings


def load_yaml(path: Path, location: str = "") -> Any:
    """A YAML data file of at most 1 MB, UTF-8, without aliases; a ConfigError otherwise."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_YAML + 1)
    except FileNotFoundError:
        raise ConfigError(f"没有配置文件 no config file at {path}", location=location) from None
    except OSError as exc:
        raise ConfigError(f"无法读取 cannot read {path}: {exc.strerror}", location=location) from None
    if len(data) > MAX_YAML:
        raise ConfigError(f"{path}: 超过 1 MB 上限 larger than {MAX_YAML:,} bytes", location)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path} 不是 UTF-8 文本 is not UTF-8 text (byte {exc.start})", location
        ) from None
    try:
        return _parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        problem = getattr(exc, "problem", None)
        message = f"{path} 不是有效的 YAML is not valid YAML" + (f": {problem}" if problem else "")
        raise ConfigError(message, location=location or where) from None
    except RecursionError:
        raise ConfigError(f"{path}: 嵌套过深 nested too deep", location=location) from None


def load_settings(path: Path) -> Settings:
    """Read and validate one config.yaml."""
    raw = load_yaml(path)
    settings = parse_settings(raw, path.parent.resolve(), str(path))
    settings._office = True
    return settings


def find_config(explicit: str | None, start: Path | None = None) -> Path:
    """--config, else ZHIFA_CONFIG, else config.yaml here or in the nearest parent."""
    chosen = explicit or os.environ.get("ZHIFA_CONFIG")
    if chosen:
        path = Path(chosen)
        if path.is_dir():
            path = path / CONFIG_NAME
        if not path.is_file():
            raise ConfigError(f"没有配置文件 no config file at {path}")
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"找不到办公室配置 no {CONFIG_NAME} in {here} or any parent; "
        "run `zhifa init` or pass --config"
    )


def render_config(agency: str, short_name: str, db_url: str = DEFAULT_DB,
                  details: dict[str, str] | None = None,
                  catalog: list[dict[str, Any]] | None = None) -> str:  # fmt: skip
    """A new office's config.yaml: its own agency block (what it was not given is a
    placeholder to fill, never another agency's), the starter review catalog, every default
    written out to be edited."""
    block = dict.fromkeys(("address", "phone", "review_organ", "court"), PLACEHOLDER)
    block.update({k: v for k, v in (details or {}).items() if v})
    settings = Settings(agency=AgencySettings(name=agency, short_name=short_name, **block),
                        review_catalog=[CatalogSettings(**c) for c in catalog or []])  # fmt: skip
    data = settings.model_dump(mode="json", exclude={"base_dir"})
    data["database"]["url"] = db_url
    header = (
        '# zhifa office settings. Data only; see README.md "Configuration".\n'
        "# A bad value is reported with its key path when any command starts.\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
