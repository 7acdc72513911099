"""Extension points through which the catalogue and workflow plug into this app.

`companies` must not import `grants`. Where a company or project needs an answer only grants
has (which area codes exist; whether live applications hang on a project), grants registers a
provider here at start-up (`grants.hooks.register`) and this app asks through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

AreaChoices = Callable[[], Iterable[tuple[str, str]]]
DeletionBlocker = Callable[[Any], list[str]]
CompanyTie = Callable[[Any], bool]

_area_choices: AreaChoices | None = None
_deletion_blockers: list[DeletionBlocker] = []
_company_ties: list[CompanyTie] = []


def set_area_choices(provider: AreaChoices) -> None:
    global _area_choices
    _area_choices = provider


def area_choices() -> list[tuple[str, str]]:
    """(code, label) of every priority area a project may name."""
    return list(_area_choices()) if _area_choices else []


def add_deletion_blocker(blocker: DeletionBlocker) -> None:
    if blocker not in _deletion_blockers:
        _deletion_blockers.append(blocker)


def deletion_blockers(obj: Any) -> list[str]:
    """Reasons why a company or project may not be deleted now; empty when it may."""
    reasons: list[str] = []
    for blocker in _deletion_blockers:
        reasons.extend(blocker(obj))
    return reasons


def add_company_tie(tie: CompanyTie) -> None:
    """`tie(project)` is True when records elsewhere (applications) name the project's company."""
    if tie not in _company_ties:
        _company_ties.append(tie)


def tied_to_company(project: Any) -> bool:
    """Whether the project must stay with its company (it may not move to another)."""
    return any(tie(project) for tie in _company_ties)
