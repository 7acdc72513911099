"""Issue #6: a 10-page dossier with Chinese text (no annex).

- Median time of the whole generation (read the application, render the template, lay out and
  write the PDF): under 2.5 s.
- Against WeasyPrint rendering the same HTML string by itself (`HTML(string=…).write_pdf()`),
  measured side by side, interleaved, in this run: within 1.3×.
- Peak memory of a render, in a fresh process (resource.getrusage max RSS, so the C libraries'
  memory counts): under 400 MB.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bench.core import Context, Result

ISSUE = "#6"
BASE_DIR = Path(__file__).resolve().parent.parent

SUMMARY_ZH = (
    "本项目面向长三角制造业企业，建设基于多模态大模型的工业视觉质检平台，覆盖数据采集、"
    "样本标注、模型训练、推理部署与持续运维的全流程。平台依托自建智能算力集群和租赁算力，"
    "实现缺陷检测准确率不低于百分之九十九，单条产线检测效率提升三倍以上。"
)
SUMMARY_EN = (
    "The project builds an industrial visual-inspection platform on a multimodal large model "
    "for manufacturers in the Yangtze River Delta, from data collection to deployment."
)


def _make_application():
    from django.utils import timezone

    from grants.models import ApplicationComment, TransitionLog
    from tests.factories import (
        ApplicationFactory,
        CompanyFactory,
        CostLineFactory,
        DocumentSlotFactory,
        MembershipFactory,
        OrganisationFactory,
        PriorityAreaFactory,
        ProgrammeFactory,
        ProjectFactory,
        UserFactory,
    )

    org = OrganisationFactory(name="外滩申报咨询有限公司 Bund Grants Consulting")
    consultant = MembershipFactory(
        user=UserFactory(username="bench_dossier_consultant"), organisation=org
    ).user
    company = CompanyFactory(
        organisation=org,
        name="Lujiazui Vision Technology Ltd",
        name_zh="上海陆家嘴视觉科技有限公司",
    )
    PriorityAreaFactory(code="large_models", name_en="Large-model stack", name_zh="大模型")
    PriorityAreaFactory(code="manufacturing", name_en="Manufacturing", name_zh="智能制造")
    project = ProjectFactory(
        company=company,
        title="多模态工业质检大模型平台 Multimodal inspection model platform",
        summary="\n\n".join([SUMMARY_ZH * 3, SUMMARY_EN] * 2),
    )
    for n in range(8):
        CostLineFactory(
            project=project,
            kind="compute_lease" if n % 3 else "rd_investment",
            amount=Decimal("150000.00") + n * 1000,
            months=6 + n % 24,
            supplier=f"上海智算服务有限公司第{n + 1}分公司",
            description=f"GPU 算力租赁合同 第{n + 1}期 (H800 cluster lease, phase {n + 1})",
            related_party=n % 11 == 0,
        )
    programme = ProgrammeFactory(
        code="bench_compute_lease",
        name_en="AI computing-power lease subsidy",
        name_zh="算力租赁补贴（算力券）",
        basis="compute_lease",
        ratio=Decimal("1.00"),
        cap=None,
        max_months=12,
        exclude_related_party=True,
    )
    for position, (en, zh) in enumerate(
        [("Business licence", "营业执照"), ("Contract", "合同"), ("Invoices", "发票")]
    ):
        DocumentSlotFactory(programme=programme, name_en=en, name_zh=zh, position=position)
    application = ApplicationFactory(
        project=project, programme=programme, created_by=consultant, assignee=consultant
    )
    at = timezone.now() - timedelta(days=30)
    for n in range(8):
        TransitionLog.objects.create(
            application=application,
            transition="start" if n % 2 == 0 else "return_for_changes",
            from_state="draft" if n % 2 == 0 else "internal_review",
            to_state="preparing",
            actor=consultant,
            at=at + timedelta(hours=n),
            comment=f"第{n + 1}轮修改：补充算力租赁合同与发票，核对关联方交易。",
        )
        ApplicationComment.objects.create(
            application=application,
            author=consultant,
            body="请企业补充二〇二五年度审计报告及算力租赁付款凭证。",
            created_at=at + timedelta(hours=n, minutes=30),
        )
    return application


MEMORY_SCRIPT = """
import os, resource, sys
import django
django.setup()
from grants.dossiers.build import build_dossier
built = build_dossier(int(sys.argv[1]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, built.pages)
"""


def _peak_memory_mb(application_id: int) -> tuple[int, int]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(application_id)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def run(ctx: Context) -> list[Result]:
    import weasyprint
    from django.utils import timezone

    from grants.dossiers.build import build_dossier, load_application, render_html

    application = _make_application()
    html, _context = render_html(load_application(application.pk), generated_at=timezone.now())
    repeat = 3 if ctx.quick else 9

    ours, plain, pages = [], [], 0
    build_dossier(application.pk)  # warm-up: fontconfig's first scan, template loading
    weasyprint.HTML(string=html).write_pdf()
    for _ in range(repeat):  # interleaved, so both see the same machine load
        gc.collect()
        start = time.perf_counter()
        pages = build_dossier(application.pk).pages
        ours.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf()
        plain.append(time.perf_counter() - start)
    ours_s, plain_s = statistics.median(ours), statistics.median(plain)
    ratio = ours_s / plain_s
    peak_mb, memory_pages = _peak_memory_mb(application.pk)
    return [
        Result(
            ISSUE,
            "dossier generation, Chinese dossier of 10+ pages, no annex (median)",
            ours_s * 1000,
            "ms",
            "< 2,500 ms",
            ours_s < 2.5 and pages >= 10,
            f"{pages} pages; data read, template, layout and PDF; {repeat} runs",
        ),
        Result(
            ISSUE,
            "dossier generation vs WeasyPrint alone on the same HTML",
            ratio,
            "×",
            "≤ 1.3×",
            ratio <= 1.3,
            f"ours {ours_s * 1000:.0f} ms, WeasyPrint alone {plain_s * 1000:.0f} ms (medians)",
        ),
        Result(
            ISSUE,
            "dossier render peak memory (fresh process, max RSS)",
            peak_mb,
            "MB",
            "< 400 MB",
            peak_mb < 400,
            f"whole process incl. Python and Django; {memory_pages} pages",
        ),
    ]
