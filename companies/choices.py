"""Fixed vocabularies of the companies domain (districts, ratings, cost kinds)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    """Shanghai's 16 districts, or a registration outside Shanghai."""

    HUANGPU = "huangpu", _("Huangpu")
    XUHUI = "xuhui", _("Xuhui")
    CHANGNING = "changning", _("Changning")
    JINGAN = "jingan", _("Jing'an")
    PUTUO = "putuo", _("Putuo")
    HONGKOU = "hongkou", _("Hongkou")
    YANGPU = "yangpu", _("Yangpu")
    MINHANG = "minhang", _("Minhang")
    BAOSHAN = "baoshan", _("Baoshan")
    JIADING = "jiading", _("Jiading")
    PUDONG = "pudong", _("Pudong New Area")
    JINSHAN = "jinshan", _("Jinshan")
    SONGJIANG = "songjiang", _("Songjiang")
    QINGPU = "qingpu", _("Qingpu")
    FENGXIAN = "fengxian", _("Fengxian")
    CHONGMING = "chongming", _("Chongming")
    OUTSIDE = "outside", _("Outside Shanghai")


SHANGHAI_DISTRICTS = frozenset(d.value for d in District if d != District.OUTSIDE)


class TaxCreditRating(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    M = "M", "M"
    C = "C", "C"
    D = "D", "D"


class CostKind(models.TextChoices):
    """What a cost line pays for; each programme funds one kind (its basis)."""

    RD_INVESTMENT = "rd_investment", _("R&D investment")
    COMPUTE_LEASE = "compute_lease", _("Computing-power lease")
    MODEL_SERVICE = "model_service", _("Model service")
    CORPUS_PURCHASE = "corpus_purchase", _("Corpus purchase")
    SCENARIO_INVESTMENT = "scenario_investment", _("Scenario investment")
    SOFTWARE_CONTRACT = "software_contract", _("Software contract")
    PLATFORM_INVESTMENT = "platform_investment", _("Platform investment")
    ROBOT_DEPLOYMENT = "robot_deployment", _("Robot deployment")
