"""load_catalogue: every fact of catalogue.md, upserted by code, idempotent, validated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from grants.catalogue.loader import DEFAULT_PATH, CatalogueError, catalogue_load, support_measures
from grants.models import DocumentSlot, Policy, PriorityArea, Programme

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("load_catalogue", *args, stdout=out)
    return out.getvalue()


def test_the_first_run_creates_everything_and_prints_counts():
    output = run()
    assert "policies: 20 created, 0 updated, 0 unchanged" in output
    assert "priority areas: 12 created, 0 updated, 0 unchanged" in output
    assert "programmes: 8 created, 0 updated, 0 unchanged" in output
    assert "document slots: 40 created, 0 updated, 0 unchanged" in output
    assert Policy.objects.count() == 20
    assert PriorityArea.objects.count() == 12
    assert Programme.objects.count() == 8
    assert DocumentSlot.objects.count() == 40


def test_a_second_run_changes_nothing():
    run()
    before = {p.code: p.updated_at for p in Programme.objects.all()}
    output = run()
    assert "policies: 0 created, 0 updated, 20 unchanged" in output
    assert "priority areas: 0 created, 0 updated, 12 unchanged" in output
    assert "programmes: 0 created, 0 updated, 8 unchanged" in output
    assert "document slots: 0 created, 0 updated, 40 unchanged" in output
    assert {p.code: p.updated_at for p in Programme.objects.all()} == before


def test_a_corrected_value_is_updated_in_place(tmp_path):
    run()
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    edited = text.replace('ratio: "0.05"', 'ratio: "0.06"').replace(
        "name_zh: 营业执照", "name_zh: 营业执照（副本）"
    )
    edited = edited.replace("doc_number: 沪府办发〔2024〕27号", "doc_number: 沪府办发〔2024〕28号")
    path = tmp_path / "catalogue.yaml"
    path.write_text(edited, encoding="utf-8")
    robot = Programme.objects.get(code="robot_deployment")
    output = run("--file", str(path))
    assert "policies: 0 created, 1 updated, 19 unchanged" in output
    assert "programmes: 0 created, 1 updated, 7 unchanged" in output
    assert "document slots: 0 created, 8 updated, 32 unchanged" in output
    robot_after = Programme.objects.get(code="robot_deployment")
    assert robot_after.pk == robot.pk
    assert robot_after.ratio == Decimal("0.06")
    assert Policy.objects.get(code="sh-model-shaping").doc_number == "沪府办发〔2024〕28号"


def test_maintainers_additions_survive_a_reload():
    run()
    programme = Programme.objects.get(code="model_voucher")
    DocumentSlot.objects.create(programme=programme, code="extra", name_en="Extra", position=99)
    run()
    assert programme.document_slots.filter(code="extra").exists()


def test_the_policies_of_catalogue_md_are_there_with_unknowns_empty():
    catalogue_load()
    national = Policy.objects.get(code="cn-ai-plus-2025")
    assert national.tier == "national"
    assert national.title_zh == '国务院关于深入实施"人工智能+"行动的意见'
    assert national.issuer == "State Council"
    assert national.doc_number == "国发〔2025〕11号"
    assert national.issued_on == dt.date(2025, 8, 21)
    assert "published 08-26" in national.date_note
    assert national.source

    regulations = Policy.objects.get(code="sh-ai-regulations")
    assert regulations.doc_number == "announcement 〔十五届〕第一二七号"
    assert regulations.issued_on == dt.date(2022, 9, 22)
    assert regulations.date_note == "adopted 2022-09-22, in force 2022-10-01"

    large_models = Policy.objects.get(code="sh-large-models-2023")
    assert large_models.doc_number == ""
    assert large_models.issued_on is None  # only "2023 (announced 07-08)"
    assert large_models.date_note == "2023 (announced 07-08)"

    unknown = Policy.objects.get(code="sh-producer-services-measures")
    assert unknown.tier == "vertical"
    assert (unknown.title_zh, unknown.issuer, unknown.doc_number) == ("", "", "")
    assert unknown.issued_on is None and unknown.date_note == ""

    terminals = Policy.objects.get(code="sh-smart-terminals")
    assert terminals.issuer == "SHEITC"
    assert terminals.issued_on is None
    assert terminals.date_note == "2025-10-13 (year probable)"

    platforms = Policy.objects.get(code="sh-producer-platforms")
    assert platforms.title_zh == "关于促进本市生产性互联网服务平台高质量发展的若干意见"
    assert platforms.issuer == ""

    applications = Policy.objects.get(code="sh-ai-applications")
    assert applications.issued_on == dt.date(2025, 7, 28)
    assert applications.issuer == "SHEITC (市经济信息化委)"

    notice = Policy.objects.get(code="sh-ai-plus-call-2025")
    assert notice.tier == "call_notice"
    assert (notice.issuer, notice.doc_number, notice.issued_on) == ("", "", None)
    assert notice.date_note == "September 2025"

    tiers = {tier: Policy.objects.filter(tier=tier).count() for tier in Policy.Tier.values}
    assert tiers == {"national": 1, "top_level": 7, "vertical": 11, "call_notice": 1}


def test_the_twelve_areas_in_both_languages():
    catalogue_load()
    assert list(PriorityArea.objects.order_by("position").values_list("code", flat=True)) == [
        "large_models",
        "computing_power",
        "data_corpora",
        "manufacturing",
        "finance",
        "healthcare",
        "education",
        "urban_governance",
        "autonomous_driving",
        "embodied_ai",
        "ai_for_science",
        "online_economy",
    ]
    assert PriorityArea.objects.filter(group="foundation").count() == 3
    embodied = PriorityArea.objects.get(code="embodied_ai")
    assert (embodied.name_en, embodied.name_zh) == ("Embodied AI", "具身智能")
    assert "humanoid robots" in embodied.covers_en
    assert embodied.covers_zh
    assert all(a.name_zh and a.covers_zh for a in PriorityArea.objects.all())


PROGRAMMES = {
    # code: (basis, ratio, cap, max_months, exclude_related_party, name_zh)
    "critical_tech": ("rd_investment", "0.30", "50000000", None, False, "基础理论与关键技术攻关"),
    "compute_lease": ("compute_lease", "1.00", None, 12, False, "算力租赁补贴（算力券）"),
    "model_voucher": ("model_service", "0.50", "5000000", None, True, "模型券"),
    "corpus_voucher": ("corpus_purchase", "0.30", "5000000", None, True, "语料券"),
    "demo_scenario": ("scenario_investment", "0.20", "10000000", None, False, "标杆示范应用场景"),
    "first_software": ("software_contract", "0.30", "20000000", None, False, "首版次高端软件"),
    "service_platform": (
        "platform_investment",
        "0.50",
        "20000000",
        None,
        False,
        "产业创新服务平台",
    ),
    "robot_deployment": (
        "robot_deployment",
        "0.05",
        "5000000",
        None,
        False,
        "具身机器人规模化应用",
    ),
}


@pytest.mark.parametrize("code", sorted(PROGRAMMES))
def test_the_eight_programmes_with_their_figures(code):
    catalogue_load()
    basis, ratio, cap, max_months, exclude, name_zh = PROGRAMMES[code]
    programme = Programme.objects.get(code=code)
    assert programme.basis == basis
    assert programme.ratio == Decimal(ratio)
    assert programme.cap == (Decimal(cap) if cap else None)
    assert programme.max_months == max_months
    assert programme.exclude_related_party is exclude
    assert programme.name_zh == name_zh
    assert programme.requires_shanghai_registration is True
    assert programme.allowed_tax_ratings == ["A", "B", "M"]
    assert list(programme.areas.all()) == []  # any area
    assert programme.min_company_age_years is None
    assert programme.min_basis_amount is None
    assert programme.policy.code == "sh-ai-applications"
    assert programme.source


def test_compute_lease_notes_the_city_and_district_share():
    catalogue_load()
    notes = Programme.objects.get(code="compute_lease").notes_en
    assert "city + district together" in notes.lower()
    assert "30%" in notes


SLOTS = {
    "critical_tech": {"project_plan", "audited_financials", "investment_evidence"},
    "demo_scenario": {"project_plan", "audited_financials", "investment_evidence"},
    "service_platform": {"project_plan", "audited_financials", "investment_evidence"},
    "compute_lease": {"contract", "invoices", "payment_proof"},
    "model_voucher": {"contract", "invoices", "payment_proof"},
    "corpus_voucher": {"contract", "invoices", "payment_proof"},
    "first_software": {"contract", "invoices", "software_copyright", "test_report"},
    "robot_deployment": {"contract", "invoices"},
}


@pytest.mark.parametrize("code", sorted(SLOTS))
def test_each_programme_requires_its_documents(code):
    catalogue_load()
    slots = DocumentSlot.objects.filter(programme__code=code)
    assert {s.code for s in slots} == SLOTS[code] | {"business_licence", "credit_commitment"}
    assert all(s.required for s in slots)
    assert slots.get(code="business_licence").name_zh == "营业执照"


def test_the_non_fiscal_support_is_information_from_the_file():
    measures = {m.code: m for m in support_measures()}
    assert set(measures) == {"talent", "finance", "data", "standards", "infrastructure"}
    assert "hukou" in measures["talent"].text_en.lower()
    assert "housing" in measures["talent"].text_en.lower()
    assert "pilot platforms" in measures["infrastructure"].text_en
    assert all(m.name_zh and m.text_zh for m in measures.values())


BAD = [
    ('ratio: "0.30"\n    cap: "50000000"', 'ratio: "1.30"\n    cap: "50000000"', "ratio"),
    ('ratio: "0.50"\n    cap: "5000000"', 'ratio: "0"\n    cap: "5000000"', "ratio"),
    ('cap: "10000000"', 'cap: "-1"', "cap"),
    ("basis: robot_deployment", "basis: robots", "basis"),
    ("max_months: 12", "max_months: 0", "max_months"),
    ("    tier: national", "    tier: federal", "tier"),
    ("issued_on: 2024-12-20", "issued_on: 2024-13-40", "issued_on"),
    ("allowed_tax_ratings: [A, B, M]", "allowed_tax_ratings: [A, X]", "allowed_tax_ratings"),
    (
        "programme_defaults:\n  policy: sh-ai-applications",
        "programme_defaults:\n  policy: nope",
        "policy",
    ),
    ("programmes: [first_software]", "programmes: [second_software]", "programmes"),
    ("    name_zh: 模型券\n", "    name_zh: 模型券\n    colour: blue\n", "colour"),
]


@pytest.mark.parametrize(("old", "new", "field"), BAD)
def test_a_bad_file_is_refused_with_the_entry_and_nothing_is_loaded(tmp_path, old, new, field):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "catalogue.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("--file", str(path))
    assert field in str(error.value)
    assert "catalogue.yaml" in str(error.value)
    assert Programme.objects.count() == 0


def test_a_duplicate_code_is_refused(tmp_path):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    path = tmp_path / "catalogue.yaml"
    path.write_text(text.replace("code: sh-robotics", "code: sh-medical-ai"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="sh-medical-ai appears twice"):
        catalogue_load(path=path)


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="cannot read"):
        run("--file", str(Path("/nonexistent/catalogue.yaml")))


def test_invalid_yaml_is_a_clear_error(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("policies: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid YAML"):
        run("--file", str(path))
