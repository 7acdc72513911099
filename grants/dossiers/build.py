"""The dossier: its data (the template context), its layout, and the annex spliced in.

`build_dossier` reads the application once, lays out one HTML document with the renderer
(cover, contents, the sections, and a separator page per uploaded document), then splices the
uploaded PDFs in with pypdf. The layout reserves one empty page for every page of an appended
PDF, so the contents page and the "page n / N" footers count the whole pack; those empty pages
are left out when writing and the uploaded pages take their place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.db.models import TextChoices
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override
from pypdf import PdfReader, PdfWriter

from companies.choices import CostKind, District
from companies.models import CostLine
from core.money import format_money, format_ratio
from grants import matching, selectors
from grants.dossiers import render
from grants.dossiers.annex import EXCLUDED_PAGE_KEYS, PDF, AnnexItem, annex_items
from grants.dossiers.labels import (
    CHINESE,
    ENGLISH,
    LABELS,
    MATCH_STATUS,
    RULE_RESULT,
    Bilingual,
    bilingual_labels,
    both,
    pair,
    prorated,
)
from grants.models import (
    Application,
    ApplicationComment,
    Document,
    PriorityArea,
    Programme,
    TransitionLog,
)
from grants.models.applications import State

TEMPLATE = "grants/dossiers/pdf/dossier.html"
STYLESHEET = "grants/dossier.css"
# (anchor, label key) of each section after the contents page, in order.
SECTIONS = (
    ("company", "company_profile"),
    ("project", "project_summary"),
    ("costs", "costs"),
    ("calculation", "calculation"),
    ("checklist", "checklist"),
    ("history", "history"),
    ("declaration", "declaration"),
    ("annex", "annex"),
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuiltDossier:
    content: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _choice(choices: type[TextChoices], value: str) -> Bilingual:
    try:
        return both(choices(value).label)
    except ValueError:
        return pair(value, value)


def _state(value: str) -> Bilingual:
    return _choice(State, value)


def load_application(application_id: int) -> Application:
    return (
        Application.objects.select_related(
            "organisation",
            "company",
            "project",
            "programme__policy",
            "call",
            "assignee",
            "created_by",
        )
        .prefetch_related("company__contacts", "project__costs")
        .get(pk=application_id)
    )


def _company(application: Application, labels: dict[str, Bilingual]) -> dict:
    company = application.company
    missing = labels["not_recorded"]
    return {
        "name": pair(company.name, company.name_zh),
        "uscc": company.uscc,
        "district": _choice(District, company.district) if company.district else missing,
        "tax_rating": company.tax_credit_rating or missing,
        "established": company.established_on.isoformat() if company.established_on else missing,
        "employees": company.employees if company.employees is not None else missing,
        "contacts": list(company.contacts.all()),
    }


def _project(application: Application, areas: dict[str, PriorityArea]) -> dict:
    project = application.project
    names = []
    for code in project.areas or []:
        area = areas.get(code)
        names.append(pair(area.name_en, area.name_zh) if area else pair(code, code))
    return {
        "title": project.title,
        "summary": project.summary,
        "areas": names,
        "start": project.start_date,
        "end": project.end_date,
    }


def _costs(lines: list) -> dict:
    groups: dict[str, dict] = {}
    for line in lines:
        group = groups.setdefault(
            line.kind, {"kind": _choice(CostKind, line.kind), "lines": [], "subtotal": Decimal(0)}
        )
        group["lines"].append(line)
        group["subtotal"] += line.amount
    ordered = [groups[kind] for kind in CostKind.values if kind in groups]
    ordered += [group for kind, group in groups.items() if kind not in CostKind.values]
    return {"groups": ordered, "total": sum((line.amount for line in lines), Decimal(0))}


def _line_treatment(
    line: CostLine, rules: matching.ProgrammeRules, labels: dict[str, Bilingual]
) -> dict:
    """What the engine does with one cost line: the engine run on that line alone."""
    facts = matching.CostFacts(line.kind, line.amount, line.months, line.related_party)
    basis = matching.eligible_basis(matching.ProjectFacts(costs=(facts,)), rules)
    if basis.related_party_excluded:
        return {"line": line, "treatment": labels["excluded_related"], "counted": Decimal(0)}
    if basis.prorated:
        amount, months, share = basis.prorated[0]
        counted = matching.cents(share.numerator, share.denominator)
        treatment = prorated(
            format_money(amount), rules.max_months or 0, months, format_money(counted)
        )
        return {"line": line, "treatment": treatment, "counted": counted}
    return {"line": line, "treatment": labels["counted_in_full"], "counted": basis.amount}


def _calculation(
    application: Application,
    lines: list,
    areas: dict[str, PriorityArea],
    today: date,
    labels: dict[str, Bilingual],
) -> dict:
    """The subsidy calculation, by the matching engine, worded in both languages."""
    programme = Programme.objects.prefetch_related("areas").get(pk=application.programme_id)
    rules = selectors.programme_rules(programme)
    company = selectors.company_facts(application.company)
    project = selectors.project_facts(application.project, lines)

    def evaluate(language: str, field: str) -> matching.Match:
        names = {code: getattr(area, field) or area.name_en for code, area in areas.items()}
        with override(language):
            return matching.evaluate(company, project, rules, today=today, area_labels=names)

    match = evaluate(ENGLISH, "name_en")
    chinese = evaluate(CHINESE, "name_zh")
    return {
        "basis_kind": _choice(CostKind, rules.basis),
        "ratio": format_ratio(rules.ratio),
        "cap": rules.cap,
        "max_months": rules.max_months,
        "exclude_related": rules.exclude_related_party,
        "lines": [
            _line_treatment(line, rules, labels) for line in lines if line.kind == rules.basis
        ],
        "basis": match.basis,
        "uncapped": match.uncapped_amount,
        "capped": match.capped,
        "estimate": match.estimated_subsidy,
        "formula": both(lambda: matching.explain_formula(match, rules)),
        "status": both(MATCH_STATUS[match.status]),
        "eligible": match.eligible,
        "rules": [
            {
                "result": both(RULE_RESULT[en.result]),
                "passed": en.result == matching.PASS,
                "message": Bilingual(en.message, zh.message),
            }
            for en, zh in zip(match.rules, chinese.rules, strict=True)
        ],
    }


def latest_documents(application: Application) -> tuple[list[dict], list[Document]]:
    """The checklist (slots in order, each with its latest upload) and those uploads, in order."""
    slots = list(application.programme.document_slots.order_by("position", "id"))
    latest: dict[int, Document] = {}
    versions: dict[int, int] = {}
    for document in Document.objects.filter(application=application).select_related(
        "uploaded_by", "slot"
    ):
        versions[document.slot_id] = versions.get(document.slot_id, 0) + 1
        current = latest.get(document.slot_id)
        if current is None or document.version > current.version:
            latest[document.slot_id] = document
    rows = [(slot, slot.required) for slot in slots]
    # Uploads into a slot the programme no longer lists still belong in the pack, at the end.
    listed = {slot.pk for slot in slots}
    rows += [(doc.slot, False) for slot_id, doc in latest.items() if slot_id not in listed]
    checklist = [
        {
            "name": pair(slot.name_en, slot.name_zh),
            "required": required,
            "document": latest.get(slot.pk),
            "versions": versions.get(slot.pk, 0),
        }
        for slot, required in rows
    ]
    return checklist, [row["document"] for row in checklist if row["document"] is not None]


def _history(application: Application) -> list[dict]:
    """Transitions and comments, oldest first."""
    events = [
        {
            "at": log.at,
            "who": log.actor.display_name if log.actor else "",
            "from": _state(log.from_state),
            "to": _state(log.to_state),
            "transition": log.transition,
            "comment": log.comment,
        }
        for log in TransitionLog.objects.filter(application=application).select_related("actor")
    ]
    events += [
        {
            "at": comment.created_at,
            "who": comment.author.display_name if comment.author else "",
            "comment": comment.body,
        }
        for comment in ApplicationComment.objects.filter(application=application).select_related(
            "author"
        )
    ]
    events.sort(key=lambda event: event["at"])
    return events


def metadata_for(application: Application) -> render.Metadata:
    company = application.company
    programme = application.programme
    names = " ".join(filter(None, [company.name, company.name_zh]))
    return render.Metadata(
        title=f"{application.reference} · {programme.name_en} {programme.name_zh}".strip(),
        author=application.organisation.name,
        subject=f"{both(LABELS['dossier'])} — {names}",
        keywords=(application.reference, programme.code, company.uscc),
    )


def dossier_context(application: Application, *, generated_at: datetime) -> dict:
    """Everything the dossier template shows; the template makes no queries."""
    labels = bilingual_labels()
    today = timezone.localdate(generated_at)
    lines = list(application.project.costs.all())
    areas = {area.code: area for area in PriorityArea.objects.all()}
    checklist, documents = latest_documents(application)
    annex = annex_items(documents)
    by_document = {item.document.pk: item for item in annex}
    for row in checklist:
        row["annex"] = by_document.get(row["document"].pk) if row["document"] else None
    programme = application.programme
    policy = programme.policy
    return {
        "L": labels,
        "application": application,
        "programme": pair(programme.name_en, programme.name_zh),
        "policy": pair(policy.title_en, policy.title_zh) if policy else None,
        "company": _company(application, labels),
        "state": _state(application.state),
        "generated_at": timezone.localtime(generated_at),
        "project": _project(application, areas),
        "costs": _costs(lines),
        "calculation": _calculation(application, lines, areas, today, labels),
        "checklist": checklist,
        "history": _history(application),
        "annex": annex,
        "sections": [(anchor, labels[key]) for anchor, key in SECTIONS],
        "stylesheet_url": render.static_file_url(STYLESHEET),
        "metadata": metadata_for(application),
    }


def render_html(application: Application, *, generated_at: datetime) -> tuple[str, dict]:
    """The dossier's HTML and its context (the benchmark renders this HTML by itself too)."""
    # Labels carry both languages; the rest (file sizes, dates) is written the English way.
    with override(ENGLISH):
        context = dossier_context(application, generated_at=generated_at)
        return render_to_string(TEMPLATE, context), context


def splice_annex(document, annex: list[AnnexItem], metadata: render.Metadata) -> bytes:
    """Write the laid-out pack without its placeholder pages, then put the uploads there."""
    placeholder_of = {
        anchor: item for item in annex if item.kind == PDF for anchor in item.placeholder_ids
    }
    kept, insertions = [], []
    for page in document.pages:
        item = next((placeholder_of[a] for a in page.anchors if a in placeholder_of), None)
        if item is None:
            kept.append(page)
        elif not insertions or insertions[-1][1] is not item:
            insertions.append((len(kept), item))
    content = render.write(document, kept)
    if not insertions:
        return content
    writer = PdfWriter(clone_from=PdfReader(BytesIO(content)))
    inserted = 0
    for position, item in insertions:
        writer.merge(
            position + inserted,
            PdfReader(BytesIO(item.pdf)),
            import_outline=False,
            excluded_fields=EXCLUDED_PAGE_KEYS,
        )
        inserted += item.pages
    writer.add_metadata(
        {
            "/Title": metadata.title,
            "/Author": metadata.author,
            "/Subject": metadata.subject,
            "/Keywords": ", ".join(metadata.keywords),
        }
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def build_dossier(
    application_id: int,
    *,
    generated_at: datetime | None = None,
    progress: Progress | None = None,
) -> BuiltDossier:
    """Render the whole pack. `generated_at` is when its data is read: the dossier's time."""
    step = progress or (lambda _name: None)
    generated_at = generated_at or timezone.now()
    step("collecting")
    application = load_application(application_id)
    html, context = render_html(application, generated_at=generated_at)
    step("rendering")
    document = render.layout(html, metadata=context["metadata"])
    if any(item.kind == PDF for item in context["annex"]):
        step("annex")
    content = splice_annex(document, context["annex"], context["metadata"])
    return BuiltDossier(content=content, pages=len(document.pages))
