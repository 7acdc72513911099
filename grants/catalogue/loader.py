"""Reads, validates and loads the seeded catalogue (`grants/catalogue/catalogue.yaml`).

- `catalogue_read(path)` parses and validates the file into plain, normalised entries; a bad
  entry raises `CatalogueError` naming the entry and the field.
- `catalogue_load(path=…)` upserts policies, priority areas and programmes by code and document
  slots by (programme, code) in one transaction, and reports what it created, updated and left
  unchanged. Nothing is deleted: maintainers' additions survive a re-load.
- `support_measures()` is the non-fiscal support (information for the catalogue pages), read
  from the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction
from django.utils.translation import get_language

from companies.choices import CostKind, TaxCreditRating
from grants.catalogue import rules
from grants.catalogue.rules import (
    MONEY_PLACES,
    RATIO_PLACES,
    cap_valid,
    min_basis_valid,
    ratio_valid,
    repeated,
    within_places,
)
from grants.models import DocumentSlot, Policy, PriorityArea, Programme

DEFAULT_PATH = Path(__file__).with_name("catalogue.yaml")
KINDS = ("policies", "areas", "programmes", "document_slots")
RATINGS = frozenset(r.value for r in TaxCreditRating)
BASIS_KINDS = frozenset(k.value for k in CostKind)


class CatalogueError(ValueError):
    """The catalogue file is not valid; the message names the entry and the field."""


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadReport:
    counts: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    support: int = 0

    def lines(self) -> list[str]:
        labels = {
            "policies": "policies",
            "areas": "priority areas",
            "programmes": "programmes",
            "document_slots": "document slots",
        }
        out = [f"{labels[kind]}: {self.counts[kind]}" for kind in KINDS]
        out.append(f"non-fiscal support entries (information, read from the file): {self.support}")
        return out


@dataclass(frozen=True)
class SupportMeasure:
    code: str
    name_en: str
    name_zh: str
    text_en: str
    text_zh: str
    source: str

    def localised(self, name: str) -> str:
        zh = getattr(self, f"{name}_zh")
        if (get_language() or "").startswith("zh") and zh:
            return zh
        return getattr(self, f"{name}_en") or zh

    @property
    def name(self) -> str:
        return self.localised("name")

    @property
    def text(self) -> str:
        return self.localised("text")


@dataclass
class CatalogueData:
    policies: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    programmes: list[dict[str, Any]]
    document_slots: list[dict[str, Any]]  # one per (programme, slot), with `programme`
    support: list[SupportMeasure]


# --- reading and validating ------------------------------------------------------------------


class _Entry:
    """Field readers for one entry; every error names the entry."""

    def __init__(self, section: str, index: int, raw: Any, allowed: set[str]):
        self.where = f"{section}[{index}]"
        if not isinstance(raw, dict):
            raise CatalogueError(f"{self.where}: expected a mapping, got {type(raw).__name__}")
        self.raw = raw
        code = raw.get("code")
        if code:
            self.where += f" ({code})"
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise CatalogueError(f"{self.where}: unknown field(s) {', '.join(unknown)}")

    def error(self, name: str, message: str) -> CatalogueError:
        return CatalogueError(f"{self.where}: {name}: {message}")

    def text(self, name: str, *, required: bool = False, max_length: int = 500) -> str:
        value = self.raw.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise self.error(name, f"expected text, got {value!r}")
        value = " ".join(value.split()) if "\n" in value else value.strip()
        if required and not value:
            raise self.error(name, "is required")
        if len(value) > max_length:
            raise self.error(name, f"is longer than {max_length} characters")
        return value

    def code(self) -> str:
        value = self.text("code", required=True, max_length=80)
        if not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
            raise self.error("code", f"{value!r} is not a slug (letters, digits, - and _)")
        return value

    def choice(self, name: str, choices: frozenset[str] | set[str]) -> str:
        value = self.text(name, required=True)
        if value not in choices:
            raise self.error(name, f"{value!r} is not one of {', '.join(sorted(choices))}")
        return value

    def boolean(self, name: str) -> bool:
        value = self.raw.get(name)
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, got {value!r}")
        return value

    def date(self, name: str) -> dt.date | None:
        value = self.raw.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.error(name, f"{value!r} is not a date (YYYY-MM-DD) or null")

    def decimal(self, name: str, *, places: int) -> Decimal | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, float | bool):
            raise self.error(name, f'write {value!r} as a quoted string, e.g. "0.30"')
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.error(name, f"{value!r} is not a number")
        if not within_places(number, places):
            raise self.error(name, f"{value!r} has more than {places} decimal places")
        return number

    def integer(self, name: str, *, minimum: int) -> int | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.error(name, f"expected a whole number of at least {minimum}, got {value!r}")
        return value

    def codes(self, name: str, known: set[str] | frozenset[str]) -> list[str]:
        value = self.raw.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(name, f"expected a list of codes, got {value!r}")
        unknown = [v for v in value if v not in known]
        if unknown:
            raise self.error(name, f"unknown code(s) {', '.join(unknown)}")
        if repeated(value):
            raise self.error(name, "lists a code twice")
        return value

    def source(self, sources: dict[str, str]) -> str:
        key = self.text("source")
        if key and key not in sources:
            raise self.error("source", f"{key!r} is not a key of `sources`")
        return sources.get(key, "")[:500]


def _section(data: dict, name: str) -> list:
    value = data.get(name) or []
    if not isinstance(value, list):
        raise CatalogueError(f"{name}: expected a list")
    return value


def _unique(
    entries: list[dict], section: str, key: Callable[[dict], str] = lambda e: e["code"]
) -> None:
    seen = set()
    for entry in entries:
        k = key(entry)
        if k in seen:
            raise CatalogueError(f"{section}: {k} appears twice")
        seen.add(k)


POLICY_FIELDS = {
    "code",
    "tier",
    "title_en",
    "title_zh",
    "issuer",
    "doc_number",
    "issued_on",
    "date_note",
    "source",
}
AREA_FIELDS = {"code", "group", "name_en", "name_zh", "covers_en", "covers_zh", "source"}
PROGRAMME_FIELDS = {*rules.PROGRAMME_FIELDS, "notes_en", "notes_zh", "source"}
SLOT_FIELDS = {"code", "name_en", "name_zh", "required", "programmes"}
SUPPORT_FIELDS = {"code", "name_en", "name_zh", "text_en", "text_zh", "source"}


def _policies(data: dict, sources: dict[str, str]) -> list[dict]:
    tiers = frozenset(t.value for t in Policy.Tier)
    result = []
    for i, raw in enumerate(_section(data, "policies")):
        e = _Entry("policies", i, raw, POLICY_FIELDS)
        result.append(
            {
                "code": e.code(),
                "tier": e.choice("tier", tiers),
                "title_en": e.text("title_en", required=True, max_length=400),
                "title_zh": e.text("title_zh", max_length=400),
                "issuer": e.text("issuer", max_length=300),
                "doc_number": e.text("doc_number", max_length=120),
                "issued_on": e.date("issued_on"),
                "date_note": e.text("date_note", max_length=200),
                "source": e.source(sources),
            }
        )
    _unique(result, "policies")
    return result


def _areas(data: dict, sources: dict[str, str]) -> list[dict]:
    groups = frozenset(g.value for g in PriorityArea.Group)
    result = []
    for i, raw in enumerate(_section(data, "areas")):
        e = _Entry("areas", i, raw, AREA_FIELDS)
        e.source(sources)
        result.append(
            {
                "code": e.code(),
                "group": e.choice("group", groups),
                "name_en": e.text("name_en", required=True, max_length=200),
                "name_zh": e.text("name_zh", max_length=200),
                "covers_en": e.text("covers_en", max_length=2000),
                "covers_zh": e.text("covers_zh", max_length=2000),
                "position": i,
            }
        )
    _unique(result, "areas")
    return result


def _programme(
    e: _Entry, sources: dict[str, str], policy_codes: set[str], area_codes: set[str]
) -> dict:
    ratio = e.decimal("ratio", places=RATIO_PLACES)
    if ratio is None or not ratio_valid(ratio):
        raise e.error("ratio", f"must be more than 0 and at most 1, got {e.raw.get('ratio')!r}")
    cap = e.decimal("cap", places=MONEY_PLACES)
    if cap is not None and not cap_valid(cap):
        raise e.error("cap", f"must be more than 0 (or null for no cap), got {cap}")
    minimum = e.decimal("min_basis_amount", places=MONEY_PLACES)
    if minimum is not None and not min_basis_valid(minimum):
        raise e.error("min_basis_amount", f"must be 0 or more, got {minimum}")
    policy = e.text("policy") or None
    if policy is not None and policy not in policy_codes:
        raise e.error("policy", f"unknown policy {policy!r}")
    return {
        "code": e.code(),
        "name_en": e.text("name_en", required=True, max_length=300),
        "name_zh": e.text("name_zh", max_length=300),
        "policy": policy,
        "basis": e.choice("basis", BASIS_KINDS),
        "ratio": ratio,
        "cap": cap,
        "max_months": e.integer("max_months", minimum=1),
        "areas": e.codes("areas", area_codes),
        "exclude_related_party": e.boolean("exclude_related_party"),
        "requires_shanghai_registration": e.boolean("requires_shanghai_registration"),
        "allowed_tax_ratings": e.codes("allowed_tax_ratings", RATINGS),
        "min_company_age_years": e.integer("min_company_age_years", minimum=0),
        "min_basis_amount": minimum,
        "notes_en": e.text("notes_en", max_length=4000),
        "notes_zh": e.text("notes_zh", max_length=4000),
        "source": e.source(sources),
    }


def _programmes(
    data: dict, sources: dict[str, str], policy_codes: set[str], area_codes: set[str]
) -> list[dict]:
    defaults = data.get("programme_defaults") or {}
    if not isinstance(defaults, dict) or set(defaults) - PROGRAMME_FIELDS:
        raise CatalogueError("programme_defaults: expected a mapping of programme fields")
    result = []
    for i, raw in enumerate(_section(data, "programmes")):
        merged = {**defaults, **raw} if isinstance(raw, dict) else raw
        e = _Entry("programmes", i, merged, PROGRAMME_FIELDS)
        result.append(_programme(e, sources, policy_codes, area_codes))
    _unique(result, "programmes")
    return result


def _slots(data: dict, programme_codes: list[str]) -> list[dict]:
    result = []
    for i, raw in enumerate(_section(data, "document_slots")):
        e = _Entry("document_slots", i, raw, SLOT_FIELDS)
        code = e.code()
        targets = raw.get("programmes")
        if targets == "all":
            targets = programme_codes
        else:
            targets = e.codes("programmes", set(programme_codes))
            if not targets:
                raise e.error("programmes", "name at least one programme, or `all`")
        for programme in targets:
            result.append(
                {
                    "programme": programme,
                    "code": code,
                    "name_en": e.text("name_en", required=True, max_length=200),
                    "name_zh": e.text("name_zh", max_length=200),
                    "required": e.boolean("required"),
                    "position": i,
                }
            )
    _unique(result, "document_slots", key=lambda s: f"{s['programme']}/{s['code']}")
    return result


def _support(data: dict, sources: dict[str, str]) -> list[SupportMeasure]:
    result = []
    for i, raw in enumerate(_section(data, "support")):
        e = _Entry("support", i, raw, SUPPORT_FIELDS)
        result.append(
            SupportMeasure(
                code=e.code(),
                name_en=e.text("name_en", required=True),
                name_zh=e.text("name_zh"),
                text_en=e.text("text_en", max_length=4000),
                text_zh=e.text("text_zh", max_length=4000),
                source=e.source(sources),
            )
        )
    _unique([{"code": s.code} for s in result], "support")
    return result


class _Loader(yaml.CSafeLoader):
    """The C safe loader, reading dates as text: they are checked (and named) per entry."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def _yaml(text: str) -> tuple[dict, dict[str, str]]:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a subclass of the safe loader
    except yaml.YAMLError as exc:
        raise CatalogueError(f"not valid YAML: {exc}")
    if not isinstance(data, dict):
        raise CatalogueError("expected a mapping with policies, areas, programmes, ...")
    sources = data.get("sources") or {}
    if not isinstance(sources, dict):
        raise CatalogueError("sources: expected a mapping of key: text")
    return data, {str(k): " ".join(str(v).split()) for k, v in sources.items()}


def catalogue_parse(text: str) -> CatalogueData:
    """Validate the YAML text of a catalogue; `CatalogueError` names the first bad entry."""
    data, sources = _yaml(text)
    policies = _policies(data, sources)
    areas = _areas(data, sources)
    # A programme may name policies and areas already in the database as well as the file's.
    policy_codes = {p["code"] for p in policies}
    policy_codes |= set(Policy.objects.values_list("code", flat=True))
    area_codes = {a["code"] for a in areas} | set(
        PriorityArea.objects.values_list("code", flat=True)
    )
    programmes = _programmes(data, sources, policy_codes, area_codes)
    slots = _slots(data, [p["code"] for p in programmes])
    return CatalogueData(policies, areas, programmes, slots, _support(data, sources))


def catalogue_read(path: Path = DEFAULT_PATH) -> CatalogueData:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"cannot read {path}: {exc.strerror}")
    try:
        return catalogue_parse(text)
    except CatalogueError as exc:
        raise CatalogueError(f"{Path(path).name}: {exc}")


# --- loading -----------------------------------------------------------------------------------


def _upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    existing: models.Model | None,
    counts: KindCounts,
) -> tuple[models.Model, bool]:
    """Create the row, or save the fields of `values` that differ; (row, whether it changed)."""
    obj = existing
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts.created += 1
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save(update_fields=[*changed, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
        counts.updated += 1
    return obj, bool(changed)


def _upsert_by_code(
    model: type[Policy | PriorityArea], entries: list[dict[str, Any]], counts: KindCounts
) -> dict[str, Any]:
    """Upsert policies or areas by code; returns every one of the model's rows by code."""
    objects = model.objects.in_bulk(field_name="code")
    for entry in entries:
        code = entry["code"]
        values = {k: v for k, v in entry.items() if k != "code"}
        objects[code], _ = _upsert(model, {"code": code}, values, objects.get(code), counts)
    counts.unchanged = len(entries) - counts.created - counts.updated
    return objects


def _load_programmes(
    entries: list[dict[str, Any]],
    policies: dict[str, Policy],
    areas: dict[str, PriorityArea],
    counts: KindCounts,
) -> dict[str, Programme]:
    """Upsert programmes by code with their areas; a change of areas alone is an update."""
    programmes = Programme.objects.prefetch_related("areas").in_bulk(field_name="code")
    for entry in entries:
        code = entry["code"]
        values = {k: v for k, v in entry.items() if k not in ("code", "areas", "policy")}
        values["policy"] = policies[entry["policy"]] if entry["policy"] else None
        existing = programmes.get(code)
        obj, changed = _upsert(Programme, {"code": code}, values, existing, KindCounts())
        wanted = set(entry["areas"])
        have = set() if existing is None else {a.code for a in obj.areas.all()}
        if wanted != have:
            obj.areas.set([areas[c] for c in wanted])
        if existing is None:
            counts.created += 1
        elif changed or wanted != have:
            counts.updated += 1
        else:
            counts.unchanged += 1
        programmes[code] = obj
    return programmes


def _load_slots(
    entries: list[dict[str, Any]],
    programmes: dict[str, Programme],
    codes: list[str],
    counts: KindCounts,
) -> None:
    """Upsert document slots by (programme, code); `codes` are the file's programmes."""
    slots = {
        (s.programme_id, s.code): s for s in DocumentSlot.objects.filter(programme__code__in=codes)
    }
    for entry in entries:
        programme = programmes[entry["programme"]]
        values = {k: v for k, v in entry.items() if k not in ("programme", "code")}
        _upsert(
            DocumentSlot,
            {"programme": programme, "code": entry["code"]},
            values,
            slots.get((programme.pk, entry["code"])),
            counts,
        )
    counts.unchanged = len(entries) - counts.created - counts.updated


@transaction.atomic
def catalogue_load(*, path: Path = DEFAULT_PATH, data: CatalogueData | None = None) -> LoadReport:
    """Upsert the catalogue by code; idempotent. Returns the counts per kind."""
    data = data or catalogue_read(path)
    report = LoadReport(support=len(data.support))
    counts = report.counts
    policies = _upsert_by_code(Policy, data.policies, counts["policies"])
    areas = _upsert_by_code(PriorityArea, data.areas, counts["areas"])
    programmes = _load_programmes(data.programmes, policies, areas, counts["programmes"])
    codes = [entry["code"] for entry in data.programmes]
    _load_slots(data.document_slots, programmes, codes, counts["document_slots"])
    return report


@lru_cache(maxsize=4)
def _support_cached(path: str, mtime_ns: int) -> tuple[SupportMeasure, ...]:
    # Only the `support` section: no database lookups, so pages stay at a fixed query count.
    data, sources = _yaml(Path(path).read_text(encoding="utf-8"))
    return tuple(_support(data, sources))


def support_measures(path: Path = DEFAULT_PATH) -> list[SupportMeasure]:
    """The memo's non-fiscal support, as information for the catalogue pages."""
    path = Path(path)
    return list(_support_cached(str(path), path.stat().st_mtime_ns))
