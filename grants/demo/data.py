"""The demo organisation as data: who works there, its clients, their projects, the demo calls.

Nothing here touches the database; `grants.demo.seed` makes it through the services, and plays
the applications of `grants.demo.plans`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from companies.validators import uscc_check_character

ORGANISATION = "Bund Grants Consulting 外滩申报咨询"
PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo password (bench/bench_load.py uses it)
EMAIL_DOMAIN = "bund-grants.example"

# --- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    role: str  # admin | consultant | client
    first_name: str
    last_name: str = ""
    email: str = ""
    language: str = ""  # "" = the browser's language
    company: str = ""  # key of the client's company


# Created in this order: the first consultant has the lowest primary key of the consultants
# (bench/bench_load.py signs in as that one) and is the assignee of most applications.
STAFF = (
    Person("admin", "admin", "Lei", "Wang", f"wang.lei@{EMAIL_DOMAIN}"),
    Person("consultant", "consultant", "Mei", "Lin", f"lin.mei@{EMAIL_DOMAIN}", "en"),
    Person("consultant2", "consultant", "Jun", "Zhao", f"zhao.jun@{EMAIL_DOMAIN}", "zh-hans"),
)
CLIENTS = (
    Person(
        "client1",
        "client",
        "陈静",
        email="chen.jing@zj-compute.example",
        language="zh-hans",
        company="zj",
    ),
    Person("client2", "client", "Fang", "Wang", "wang.fang@xh-corpus.example", "en", "xh"),
    Person(
        "client3",
        "client",
        "周敏",
        email="zhou.min@lg-robotics.example",
        language="zh-hans",
        company="lg",
    ),
    Person("client4", "client", "Na", "Li", "li.na@zizhu-imaging.example", "", "zz"),
    Person(
        "client5",
        "client",
        "孙浩",
        email="sun.hao@yp-galaxy.example",
        language="zh-hans",
        company="yp",
    ),
)

# --- client companies -------------------------------------------------------------------------


def uscc(division: str, organisation_code: str) -> str:
    """A unified social credit code: 9 (registered with market regulation), 1 (enterprise), the
    six-digit administrative division, the nine-character organisation code, the check character."""
    first17 = f"91{division}{organisation_code}"
    return first17 + uscc_check_character(first17)


@dataclass(frozen=True)
class CompanySpec:
    key: str
    name: str
    name_zh: str
    uscc: str
    district: str
    established_on: dt.date | None
    employees: int | None
    tax_credit_rating: str
    contacts: tuple[dict, ...] = ()

    def data(self) -> dict:
        return {
            "name": self.name,
            "name_zh": self.name_zh,
            "uscc": self.uscc,
            "district": self.district,
            "established_on": self.established_on,
            "employees": self.employees,
            "tax_credit_rating": self.tax_credit_rating,
        }


def contact(name: str, title: str, email: str, phone: str) -> dict:
    return {"name": name, "title": title, "email": email, "phone": phone}


COMPANIES = (
    CompanySpec(
        "zj",
        "Zhangjiang Intelligent Compute Technology Co., Ltd.",
        "上海张江智算科技有限公司",
        uscc("310115", "MA1FL4T2Q"),  # Pudong New Area
        "pudong",
        dt.date(2016, 4, 12),
        320,
        "A",
        (
            contact(
                "陈静 Chen Jing", "财务总监 CFO", "chen.jing@zj-compute.example", "021-5080 1234"
            ),
            contact("刘洋 Liu Yang", "研发总监 Head of R&D", "liu.yang@zj-compute.example", ""),
        ),
    ),
    CompanySpec(
        "xh",
        "Xuhui Corpus Data Services Co., Ltd.",
        "上海徐汇语料数据服务有限公司",
        uscc("310104", "MA1G8C0R3"),  # Xuhui
        "xuhui",
        dt.date(2019, 8, 26),
        85,
        "B",
        (contact("王芳 Wang Fang", "总经理 General manager", "wang.fang@xh-corpus.example", ""),),
    ),
    CompanySpec(
        "lg",
        "Lingang Embodied Robotics Co., Ltd.",
        "上海临港具身智能机器人有限公司",
        uscc("310115", "MA7CKN5E1"),  # Pudong New Area (Lingang)
        "pudong",
        dt.date(2023, 2, 15),
        48,
        "M",  # a new taxpayer: rated M
        (
            contact(
                "周敏 Zhou Min", "运营总监 COO", "zhou.min@lg-robotics.example", "021-6828 0099"
            ),
        ),
    ),
    CompanySpec(
        "zz",
        "Zizhu Medical Imaging AI Co., Ltd.",
        "上海紫竹医疗影像智能有限公司",
        uscc("310112", "MA1JB6W8N"),  # Minhang (Zizhu science park)
        "minhang",
        dt.date(2015, 11, 3),
        140,
        "A",
        (contact("李娜 Li Na", "项目经理 Project manager", "li.na@zizhu-imaging.example", ""),),
    ),
    CompanySpec(
        # A new client whose record is not finished: no tax credit rating, founding date or
        # headcount yet, so every match is "incomplete" until the consultant fills them in.
        "yp",
        "Yangpu Galaxy Software Co., Ltd.",
        "上海杨浦星河软件有限公司",
        uscc("310110", "MA1K2R9D6"),  # Yangpu
        "yangpu",
        None,
        None,
        "",
        (contact("孙浩 Sun Hao", "创始人 Founder", "sun.hao@yp-galaxy.example", ""),),
    ),
)

# --- projects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cost:
    kind: str
    amount: Decimal
    description: str
    supplier: str = ""
    months: int | None = None
    related_party: bool = False

    def data(self) -> dict:
        return {
            "kind": self.kind,
            "amount": self.amount,
            "months": self.months,
            "supplier": self.supplier,
            "related_party": self.related_party,
            "description": self.description,
        }


@dataclass(frozen=True)
class ProjectSpec:
    key: str
    company: str
    title: str
    summary: str
    areas: tuple[str, ...]
    started_days_ago: int
    runs_days: int
    costs: tuple[Cost, ...]


def rmb(value: str) -> Decimal:
    return Decimal(value)


PROJECTS = (
    ProjectSpec(
        "zj_inspect",
        "zj",
        "Industrial defect-inspection foundation model / 工业缺陷检测基础大模型",
        "A vision foundation model that finds surface defects on steel, glass and battery lines, "
        "trained on the company's own compute cluster.\n面向钢铁、玻璃和电池产线的表面缺陷检测视觉"
        "基础大模型。",
        ("large_models", "manufacturing"),
        300,
        730,
        (
            Cost(
                "rd_investment",
                rmb("9200000"),
                "算法团队人员费用及测试设备 Algorithm team and test equipment",
            ),
            Cost(
                "compute_lease",
                rmb("4320000"),
                "GPU 集群租赁 18 个月 GPU cluster lease, 18 months",
                "临港智算中心 Lingang Computing Centre",
                months=18,
            ),
            Cost(
                "model_service",
                rmb("1600000"),
                "关联公司模型 API 调用 Model API from an affiliate",
                "张江模型云（关联方）Zhangjiang Model Cloud",
                related_party=True,
            ),
            Cost(
                "model_service",
                rmb("800000"),
                "视觉语言模型 API Vision-language model API",
                "黄浦大模型科技 Huangpu Large Model Tech",
            ),
        ),
    ),
    ProjectSpec(
        "zj_platform",
        "zj",
        "Intelligent-compute scheduling platform / 智能算力调度平台",
        "An open platform that schedules training jobs across three data centres for 40 "
        "member companies.\n为园区 40 家企业提供跨三个数据中心调度训练任务的公共服务平台。",
        ("computing_power",),
        200,
        540,
        (
            Cost(
                "platform_investment",
                rmb("6400000"),
                "调度软件与运营中心 Scheduler and operations centre",
            ),
            Cost(
                "software_contract",
                rmb("1500000"),
                "首版调度软件销售合同 First-version scheduler licence sold",
                "上海某三甲医院 A Shanghai hospital",
            ),
        ),
    ),
    ProjectSpec(
        "xh_corpus",
        "xh",
        "Chinese legal-text corpus / 中文法律文本语料库",
        "A cleaned, licensed corpus of court decisions and regulations for legal large models.\n"
        "面向法律大模型的裁判文书与法规高质量语料库。",
        ("data_corpora", "large_models"),
        240,
        365,
        (
            Cost(
                "corpus_purchase",
                rmb("2400000"),
                "裁判文书语料采购 Court-decision corpus",
                "上海数据交易所挂牌供应商 Listed vendor, Shanghai Data Exchange",
            ),
            Cost(
                "corpus_purchase",
                rmb("600000"),
                "法规语料（关联方）Regulation corpus from an affiliate",
                "徐汇法律信息（关联方）Xuhui Legal Information",
                related_party=True,
            ),
            Cost("rd_investment", rmb("1800000"), "清洗与标注团队 Cleaning and annotation team"),
            Cost(
                "compute_lease",
                rmb("480000"),
                "训练算力 6 个月 Training compute, 6 months",
                "临港智算中心 Lingang Computing Centre",
                months=6,
            ),
        ),
    ),
    ProjectSpec(
        "lg_humanoid",
        "lg",
        "Humanoid robots for warehouse picking / 仓储拣选人形机器人规模化应用",
        "160 humanoid robots picking parcels in three Lingang warehouses.\n在临港三座仓库部署 "
        "160 台人形机器人进行包裹拣选。",
        ("embodied_ai", "manufacturing"),
        150,
        600,
        (
            Cost(
                "robot_deployment",
                rmb("18000000"),
                "160 台人形机器人采购合同 160 humanoid robots",
                "临港机器人制造 Lingang Robot Works",
            ),
            Cost(
                "scenario_investment", rmb("5000000"), "仓储场景改造 Warehouse scenario build-out"
            ),
            Cost(
                "model_service",
                rmb("900000"),
                "具身大模型服务 Embodied model service",
                "浦东具身智能研究院 Pudong Embodied AI Institute",
            ),
        ),
    ),
    ProjectSpec(
        "zz_lung",
        "zz",
        "Lung-nodule CT screening model / 肺结节 CT 智能筛查模型",
        "A screening model for lung nodules on low-dose CT, piloted in four district hospitals.\n"
        "在四家区级医院试点的低剂量 CT 肺结节智能筛查模型。",
        ("healthcare", "large_models"),
        180,
        540,
        (
            Cost(
                "model_service",
                rmb("1200000"),
                "医疗大模型微调服务 Medical model fine-tuning",
                "徐汇医学人工智能 Xuhui Medical AI",
            ),
            Cost(
                "corpus_purchase",
                rmb("900000"),
                "标注 CT 影像数据 Annotated CT images",
                "上海数据交易所挂牌供应商 Listed vendor, Shanghai Data Exchange",
            ),
            Cost(
                "compute_lease",
                rmb("960000"),
                "推理与训练算力 12 个月 Compute, 12 months",
                "临港智算中心 Lingang Computing Centre",
                months=12,
            ),
            Cost(
                "software_contract",
                rmb("3000000"),
                "首版筛查软件销售合同 First-version screening software sold",
                "闵行区卫健委 Minhang Health Commission",
            ),
        ),
    ),
    ProjectSpec(
        "yp_chatbot",
        "yp",
        "Government-service Q&A assistant / 政务服务智能问答助手",
        "A question-answering assistant for the district's one-stop service centre.\n面向区政务"
        "服务中心的智能问答助手。",
        ("urban_governance", "large_models"),
        60,
        365,
        (
            Cost(
                "model_service",
                rmb("600000"),
                "大模型 API 调用 Large-model API",
                "黄浦大模型科技 Huangpu Large Model Tech",
            ),
            Cost(
                "software_contract",
                rmb("2000000"),
                "政务问答系统合同 Q&A system contract",
                "杨浦区政务服务中心 Yangpu service centre",
            ),
            Cost(
                "compute_lease",
                rmb("360000"),
                "算力租赁 24 个月 Compute lease, 24 months",
                "临港智算中心 Lingang Computing Centre",
                months=24,
            ),
        ),
    ),
)

# --- demo calls -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallSpec:
    programme: str
    title_zh: str
    title_en: str
    opens_in_days: int  # negative: opened that many days ago
    closes_in_days: int

    @property
    def title(self) -> str:
        return f"{self.title_zh} · {self.title_en}"


# Open calls close in 3, 10, 25, 45 and 60 days; one call is upcoming, one has closed.
CALLS = (
    CallSpec(
        "robot_deployment", "具身机器人规模化应用 2026", "Embodied-robot deployment 2026", -25, 3
    ),
    CallSpec("model_voucher", "模型券 2026 年第一批", "Model vouchers 2026, round 1", -30, 10),
    CallSpec("corpus_voucher", "语料券 2026 年第一批", "Corpus vouchers 2026, round 1", -20, 25),
    CallSpec("critical_tech", "关键技术攻关 2026 年度", "Critical technologies 2026", -60, 25),
    CallSpec("compute_lease", "算力券 2026 年第二批", "Compute vouchers 2026, round 2", -40, 45),
    CallSpec("service_platform", "产业创新服务平台 2026", "Service platforms 2026", -10, 60),
    CallSpec("demo_scenario", "标杆示范应用场景 2026", "Benchmark scenarios 2026", 14, 75),
    CallSpec(
        "first_software", "首版次高端软件 2025 年第二批", "First-version software 2025", -120, -15
    ),
)
CALL_OPENS_AT = dt.time(9, 0)
CALL_CLOSES_AT = dt.time(17, 0)
