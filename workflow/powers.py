"""The office's 权责清单 (powers.yaml): loaded once, validated with every problem's place.

Each power names what it empowers (its legal basis) and, for a 行政处罚 power, the penalty
kinds its law allows and its 时效 (2 years, 5 where the law says so: 行政处罚法 Art. 36). The
website publishes the list (事前公示); the rules refuse a draft outside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rules.policy import Power
from states.vocabulary import PENALTY_KINDS
from workflow.errors import ConfigError

#: libyaml's safe loader where PyYAML was built with it: the same documents, several times faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PowerEntry(BaseModel):
    """One line of the 权责清单."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1)
    kind: str
    basis: str
    responsibility: str = ""
    penalty_kinds: list[str] = []
    limitation_years: Literal[2, 5] = 2

    @field_validator("penalty_kinds")
    @classmethod
    def _known_kinds(cls, kinds: list[str]) -> list[str]:
        unknown = [k for k in kinds if k not in PENALTY_KINDS]
        if unknown:
            raise ValueError(f"unknown penalty kind(s) {', '.join(unknown)}; "
                             f"known: {', '.join(PENALTY_KINDS)}")  # fmt: skip
        return kinds

    def power(self) -> Power:
        return Power(id=self.id, name=self.name, kind=self.kind, basis=self.basis,
                     penalty_kinds=tuple(self.penalty_kinds),
                     limitation_years=self.limitation_years)  # fmt: skip


def _entries(path: Path) -> list[Any]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506
    except FileNotFoundError:
        raise ConfigError(f"没有权责清单文件 no 权责清单 file at {path}", location="publicity.powers") from None
    except (yaml.YAMLError, UnicodeDecodeError):
        raise ConfigError(f"{path} 不是有效的 YAML is not valid YAML", location="publicity.powers") from None
    if not isinstance(raw, list):
        raise ConfigError(f"{path} 须为权责事项列表 must hold a list of powers", location="publicity.powers")
    return raw


def load_powers(path: Path) -> list[PowerEntry]:
    """The 权责清单 file; every bad entry is reported, each with its place (the first place
    is the error's location)."""
    entries: list[PowerEntry] = []
    problems: list[tuple[str, str]] = []
    for i, entry in enumerate(_entries(path)):
        if not isinstance(entry, dict):
            problems.append((f"publicity.powers[{i}]", f"entry {i + 1} is not a mapping"))
            continue
        try:
            entries.append(PowerEntry(**entry))
        except ValidationError as exc:
            problems += [(f"publicity.powers[{i}].{'.'.join(str(p) for p in e['loc'])}", e["msg"])
                         for e in exc.errors()]  # fmt: skip
    ids = [e.id for e in entries]
    problems += [("publicity.powers", f"id {d} is listed twice")
                 for d in sorted({i for i in ids if ids.count(i) > 1})]  # fmt: skip
    if problems:
        listed = "; ".join(f"{where}: {what}" for where, what in problems)
        raise ConfigError(f"{path}: {listed}", location=problems[0][0])
    return entries


def powers_by_id(path: Path) -> dict[str, Power]:
    """The list as the rules see it; an office without the file has no list yet."""
    if not path.is_file():
        return {}
    return {e.id: e.power() for e in load_powers(path)}
