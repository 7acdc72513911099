"""What happens to each demo application: its steps, played in order through the workflow.

Each `ApplicationSpec` names the state its steps end in (the seeder checks it). Amounts are
chosen so that every requested amount is within the estimate the matching engine computes for
the project in `grants.demo.data`, and every approved amount within the programme's cap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from grants.demo.data import rmb

# --- applications and their steps ----------------------------------------------------------


@dataclass(frozen=True)
class InDays:
    """A moment `days` from the seeding day, at 17:00 Shanghai time (resolved when seeding)."""

    days: int


@dataclass(frozen=True)
class Upload:
    """Upload these slots as `by`: a new version where one exists. "missing": every required
    slot of the programme that has no upload yet."""

    slots: tuple[str, ...] | str = "missing"
    by: str = "consultant"


@dataclass(frozen=True)
class Move:
    """One workflow transition."""

    name: str
    by: str = "consultant"
    comment: str = ""
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MakeDossier:
    by: str = "consultant"


@dataclass(frozen=True)
class Say:
    """A comment on the application."""

    by: str
    body: str


Step = Upload | Move | MakeDossier | Say

CLIENT_SLOTS = ("business_licence", "credit_commitment")  # what clients upload themselves


def prepared(client: str, *, by: str = "consultant") -> tuple[Step, ...]:
    """Documents in (the client's own first), started, reviewed by the other consultant (the
    four-eyes habit, though the rule is off), dossier generated: ready to submit."""
    reviewer = "consultant2" if by == "consultant" else "consultant"
    return (
        Upload(CLIENT_SLOTS, by=client),
        Upload("missing", by=by),
        Move("start", by=by),
        Move("request_review", by=by),
        Move(
            "approve_review", by=reviewer, comment="核对无误 Checked: figures match the invoices."
        ),
        MakeDossier(by=by),
    )


def submitted(client: str, ref: str, *, by: str = "consultant") -> tuple[Step, ...]:
    return (*prepared(client, by=by), Move("submit", by=by, fields={"submission_ref": ref}))


@dataclass(frozen=True)
class ApplicationSpec:
    key: str
    project: str
    programme: str
    state: str  # where the steps leave it (checked when seeding)
    steps: tuple[Step, ...]
    by: str = "consultant"  # who creates it (and is its assignee)
    requested: Decimal | None = None  # None: the estimate
    upcoming_call: bool = False  # attach the programme's upcoming call instead of the open one


SUPPLEMENT_CORPUS = (
    "评审要求补充每份语料采购合同对应的卖方数据授权证明。The reviewers ask for the seller's "
    "data-licence certificate for each corpus contract."
)
INVOICES_SHORT = (
    "发票合计 ¥4,100,000，租赁合同为 ¥4,320,000，请补充缺少的发票。The invoices add up to "
    "¥4,100,000 but the lease contract is ¥4,320,000: please add the missing invoice."
)

APPLICATIONS = (
    ApplicationSpec(
        "zj_critical",
        "zj_inspect",
        "critical_tech",
        "closed",
        (
            *submitted("client1", "SHEITC-2026-00417"),
            Move("start_review"),
            Move(
                "approve",
                comment="2026 年第一次评审会通过。Approved at the first 2026 review meeting.",
                fields={"approved_amount": rmb("2500000")},
            ),
            Move(
                "disburse",
                comment="首笔拨付 60% First tranche, 60%",
                fields={"amount": rmb("1500000")},
            ),
            Move("disburse", comment="尾款 Final tranche", fields={"amount": rmb("1000000")}),
            Say("client1", "两笔拨款均已到账，谢谢！Both tranches have arrived, thank you!"),
            Move("close", comment="全部拨付，项目结项。Fully paid; closed."),
        ),
        requested=rmb("2700000"),
    ),
    ApplicationSpec(
        "zj_compute",
        "zj_inspect",
        "compute_lease",
        "funded",
        (
            Upload(CLIENT_SLOTS, by="client1"),
            Upload("missing"),
            Move("start"),
            Move("request_review"),
            Move("return_for_changes", by="consultant2", comment=INVOICES_SHORT),
            Upload(("invoices",)),
            Move("request_review"),
            Move("approve_review", by="consultant2"),
            MakeDossier(),
            Move("submit", fields={"submission_ref": "SHEITC-2026-00533"}),
            Move("start_review"),
            Move("approve", fields={"approved_amount": rmb("2400000")}),
            Move(
                "disburse",
                comment="首笔拨付 50% First tranche, 50%",
                fields={"amount": rmb("1200000")},
            ),
        ),
    ),
    ApplicationSpec(
        "zj_model",
        "zj_inspect",
        "model_voucher",
        "under_review",
        (*submitted("client1", "SHEITC-2026-00618"), Move("start_review")),
    ),
    ApplicationSpec(
        "zj_platform",
        "zj_platform",
        "service_platform",
        "ready",
        prepared("client1"),
        requested=rmb("3000000"),
    ),
    ApplicationSpec(
        "xh_corpus",
        "xh_corpus",
        "corpus_voucher",
        "supplement_requested",
        (
            *submitted("client2", "SHEITC-2026-00702", by="consultant2"),
            Move("start_review", by="consultant2"),
            Move(
                "request_supplement",
                by="consultant2",
                comment=SUPPLEMENT_CORPUS,
                fields={"supplement_deadline": InDays(7)},
            ),
            Say(
                "consultant2",
                "Fang, could you upload the licence certificates to the contract "
                "slot this week? 请本周内将授权证明上传至“合同”一栏。",
            ),
        ),
        by="consultant2",
    ),
    ApplicationSpec(
        "xh_compute",
        "xh_corpus",
        "compute_lease",
        "submitted",
        submitted("client2", "SHEITC-2026-00715"),
    ),
    ApplicationSpec(
        "xh_critical",
        "xh_corpus",
        "critical_tech",
        "rejected",
        (
            *submitted("client2", "SHEITC-2026-00431", by="consultant2"),
            Move("start_review", by="consultant2"),
            Move(
                "reject",
                by="consultant2",
                comment="本批次未获立项：评审优先支持经核定研发投入"
                "规模更大的项目。Not selected this round: larger verified R&D investments ranked "
                "first.",
            ),
        ),
        by="consultant2",
    ),
    ApplicationSpec(
        "lg_robot",
        "lg_humanoid",
        "robot_deployment",
        "internal_review",
        (
            Upload(CLIENT_SLOTS, by="client3"),
            Upload("missing"),
            Move("start"),
            Move(
                "request_review",
                comment="申报截止前三天，请尽快复核。Closes in three days: please review soon.",
            ),
        ),
    ),
    ApplicationSpec(
        "lg_model",
        "lg_humanoid",
        "model_voucher",
        "approved",
        (
            *submitted("client3", "SHEITC-2026-00655"),
            Move("start_review"),
            Move(
                "request_supplement",
                comment="请补充第二期合同款的付款凭证。Please add the "
                "payment slip of the second contract instalment.",
                fields={"supplement_deadline": InDays(5)},
            ),
            Upload(("payment_proof",), by="client3"),
            Move("resubmit", comment="已补充付款凭证。Payment slip added."),
            Move("approve", fields={"approved_amount": rmb("400000")}),
        ),
    ),
    ApplicationSpec(
        "lg_scenario",
        "lg_humanoid",
        "demo_scenario",
        "draft",
        (Say("consultant", "Waiting for the 2026 call to open; the plan is drafted."),),
        upcoming_call=True,
    ),
    ApplicationSpec(
        "zz_compute",
        "zz_lung",
        "compute_lease",
        "withdrawn",
        (
            Upload(("contract",), by="consultant2"),
            Move("start", by="consultant2"),
            Move(
                "withdraw",
                by="consultant2",
                comment="客户将算力租赁调整至明年预算。The client "
                "moved the compute lease to next year's budget.",
            ),
        ),
        by="consultant2",
    ),
    ApplicationSpec(
        "zz_model",
        "zz_lung",
        "model_voucher",
        "preparing",
        (
            Upload(("business_licence",), by="client4"),
            Upload(("contract",)),
            Move("start"),
            Say(
                "consultant",
                "Still missing: the credit commitment letter, the invoices and the "
                "payment slip. Na, can your finance team send them?",
            ),
            Say("client4", "Finance will upload them on Friday."),
        ),
    ),
    ApplicationSpec(
        "zz_corpus",
        "zz_lung",
        "corpus_voucher",
        "draft",
        (),
        requested=rmb("250000"),
    ),
)
