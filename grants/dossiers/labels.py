"""Bilingual text for the dossier: every label in English and Simplified Chinese side by side.

The PDF is always bilingual, whatever the reader's language. Its labels are ordinary translated
strings (so translators keep them with the rest of the catalogue); `both()` renders one in each
language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

ENGLISH = "en"
CHINESE = "zh-hans"


@dataclass(frozen=True)
class Bilingual:
    """One text in both languages; renders as "English 中文" in templates."""

    en: str
    zh: str

    def __html__(self) -> str:
        if not self.zh or self.zh == self.en:
            return escape(self.en)
        if not self.en:
            return format_html('<span class="zh">{}</span>', self.zh)
        return format_html(
            '<span class="en" lang="en">{}</span> <span class="zh">{}</span>', self.en, self.zh
        )

    def __str__(self) -> str:
        if not self.zh or self.zh == self.en:
            return self.en
        return f"{self.en} {self.zh}".strip()

    def __bool__(self) -> bool:
        return bool(self.en or self.zh)


def both(value: Any) -> Bilingual:
    """A lazy translation, a choice label or a callable, evaluated in each language."""
    with override(ENGLISH):
        en = str(value() if callable(value) else value)
    with override(CHINESE):
        zh = str(value() if callable(value) else value)
    return Bilingual(en, zh)


def pair(en: str | None, zh: str | None) -> Bilingual:
    """Two stored texts (a company's name and Chinese name, a programme's names)."""
    return Bilingual(en or "", zh or "")


LABELS = {
    "dossier": _("Application dossier"),
    "programme": _("Programme"),
    "policy": _("Policy"),
    "call": _("Call"),
    "deadline": _("Deadline"),
    "company": _("Applicant company"),
    "reference": _("Application reference"),
    "requested_amount": _("Requested amount"),
    "estimate": _("Estimated subsidy"),
    "date": _("Date"),
    "prepared_by": _("Prepared by"),
    "state": _("Status"),
    "submission_ref": _("Submission reference"),
    "contents": _("Contents"),
    "company_profile": _("Company profile"),
    "name": _("Name"),
    "name_zh": _("Chinese name"),
    "uscc": _("Unified social credit code"),
    "district": _("District"),
    "tax_rating": _("Tax credit rating"),
    "established": _("Established on"),
    "employees": _("Employees"),
    "contacts": _("Contacts"),
    "not_recorded": _("Not recorded"),
    "project_summary": _("Project summary"),
    "project_title": _("Project title"),
    "summary": _("Description of the project"),
    "areas": _("Priority areas"),
    "period": _("Project period"),
    "costs": _("Project costs"),
    "description": _("Description"),
    "supplier": _("Supplier"),
    "months": _("Months"),
    "related_party": _("Related party"),
    "amount": _("Amount"),
    "total": _("Total"),
    "yes": _("Yes"),
    "no": _("No"),
    "no_costs": _("The project has no cost lines."),
    "calculation": _("Subsidy calculation"),
    "basis_kind": _("Basis (cost kind)"),
    "ratio": _("Ratio"),
    "cap": _("Cap"),
    "no_cap": _("No cap"),
    "max_months": _("Maximum months counted"),
    "exclude_related": _("Related-party costs excluded"),
    "line": _("Cost line"),
    "counted": _("Counted"),
    "treatment": _("Treatment"),
    "counted_in_full": _("Counted in full"),
    "excluded_related": _("Left out: bought from a related party"),
    "basis": _("Eligible basis"),
    "lines_counted": _("Cost lines counted"),
    "related_excluded": _("Related-party costs left out"),
    "uncapped": _("Ratio × basis"),
    "cap_applied": _("Cap applied"),
    "formula": _("Formula"),
    "eligibility": _("Eligibility"),
    "rule": _("Rule"),
    "result": _("Result"),
    "no_basis_lines": _("The project has no cost lines of this kind."),
    "checklist": _("Document checklist"),
    "document": _("Document"),
    "required": _("Required"),
    "optional": _("Optional"),
    "status": _("Status"),
    "version": _("Version"),
    "file": _("File"),
    "uploaded_by": _("Uploaded by"),
    "uploaded_at": _("Uploaded at"),
    "size": _("Size"),
    "sha256": _("SHA-256"),
    "missing": _("Missing"),
    "uploaded": _("Uploaded"),
    "in_annex": _("Annex"),
    "history": _("Application history"),
    "when": _("When"),
    "who": _("Who"),
    "event": _("Event"),
    "comment": _("Comment"),
    "created": _("Application created"),
    "declaration": _("Declaration and signatures"),
    "declaration_text": _(
        "The applicant declares that the information in this application and its annexes is "
        "true, accurate and complete, that the costs declared have not been funded by another "
        "public programme, and that it accepts verification by the competent authorities. The "
        "applicant bears legal responsibility for any false statement."
    ),
    "company_seal": _("Company seal"),
    "legal_representative": _("Legal representative (signature)"),
    "prepared_by_consultant": _("Prepared by (consultant)"),
    "signature": _("Signature"),
    "annex": _("Annex: uploaded documents"),
    "annex_intro": _(
        "The latest version of each uploaded document follows, in the order of the checklist, "
        "each after a separator page."
    ),
    "no_annex": _("No documents have been uploaded."),
    "annex_included_pages": _("Pages included below"),
    "annex_pages": _("Number of pages"),
    "annex_image": _("The image follows on the next page."),
    "reason": _("Reason"),
    "page": _("Page"),
}


# The engine's words for a match and its rules.
MATCH_STATUS = {
    "eligible": _("Eligible"),
    "incomplete": _("Incomplete: some facts are missing"),
    "ineligible": _("Not eligible"),
}
RULE_RESULT = {"pass": _("Met"), "fail": _("Not met"), "missing": _("Unknown")}


def prorated(amount: str, max_months: int, months: int, share: str) -> Bilingual:
    """How a line longer than the programme's maximum months is counted."""
    return both(
        lambda: (
            gettext("Counted in proportion: %(amount)s × %(max)d / %(months)d months = %(share)s")
            % {"amount": amount, "max": max_months, "months": months, "share": share}
        )
    )


def bilingual_labels() -> dict[str, Bilingual]:
    """Every label of the dossier in both languages (for the template context)."""
    return {key: both(value) for key, value in LABELS.items()}
