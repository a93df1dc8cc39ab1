"""Medlemsinsats: how the year's funding is split between the members.

Finsam: the state (through Försäkringskassan) pays half, the region a quarter and the
municipalities together a quarter, split by the year's key (usually population). The state
announces its allocation S; the members match it, so the total is 2·S. Shares are in whole
kronor and are rounded with the largest-remainder method, so they add up to the total exactly
(rounding each share on its own can leave the sum a krona or two off).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from board.models import MemberOrganisation, Membership

from .models import ContributionKey, StateAllocation


def largest_remainder(total: int, weights: list[Decimal]) -> list[int]:
    """Split a whole number `total` in proportion to `weights`; the parts add up to `total`.

    Each part gets the floor of its exact share; the kronor left over go one each to the
    parts with the largest fractions (ties to the earlier part, so the result is stable).
    """
    weight_sum = sum(weights, Decimal(0))
    if total < 0:
        raise ValueError("total must not be negative")
    if not weights or weight_sum <= 0:
        raise ValueError("weights must be positive")
    exact = [Decimal(total) * w / weight_sum for w in weights]
    floors = [int(x.to_integral_value(rounding=ROUND_FLOOR)) for x in exact]
    left = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


@dataclass
class Share:
    name: str
    kind: str
    population: int | None
    amount: int
    percent: Decimal | None = None  # a municipality's share of the municipalities' quarter

    @property
    def is_municipality(self) -> bool:
        return self.kind == MemberOrganisation.Kind.MUNICIPALITY


@dataclass
class ContributionTable:
    year: int
    allocation: int  # the state's allocation S
    shares: list[Share]
    fee_per_mille: Decimal
    fee_proposed_per_mille: Decimal | None

    @property
    def total(self) -> int:
        return sum(s.amount for s in self.shares)

    @property
    def municipalities_total(self) -> int:
        return sum(s.amount for s in self.shares if s.is_municipality)

    @property
    def population_total(self) -> int:
        return sum(s.population or 0 for s in self.shares)

    @property
    def fee_label(self) -> str:
        return per_mille_label(self.fee_per_mille)

    @property
    def fee_proposed_label(self) -> str:
        return per_mille_label(self.fee_proposed_per_mille) if self.fee_proposed_per_mille is not None else ""

    @property
    def nns_fee(self) -> int:
        return nns_fee(self.total, self.fee_per_mille)

    @property
    def nns_fee_proposed(self) -> int | None:
        if self.fee_proposed_per_mille is None:
            return None
        return nns_fee(self.total, self.fee_proposed_per_mille)


def per_mille_label(value: Decimal) -> str:
    """Decimal('3.50') -> '3,5 ‰'."""
    text = f"{value.normalize():f}".replace(".", ",")
    return f"{text}\u00a0‰"


def nns_fee(funding_total: int | Decimal, per_mille: Decimal) -> int:
    """NNS service fee: per mille of the association's total funding, in whole kronor.

    Seed 004: 19 038 000 kr at 2 ‰ is 38 076 kr ("38 000"), at 3,5 ‰ 66 633 kr ("66 600").
    """
    return int((Decimal(funding_total) * per_mille / 1000).quantize(Decimal(1), ROUND_HALF_UP))


def split(
    *,
    allocation: int,
    region: str,
    municipalities: list[tuple[str, int]],
    state: str = "Staten via Försäkringskassan",
) -> list[Share]:
    """State S; region and municipalities share S (a quarter each of 2·S), municipalities by key."""
    if not municipalities:
        raise ValueError("no municipalities in the key")
    # One largest-remainder split of the members' half keeps the whole exact, even when S is odd.
    # Integer weights keep it exact: the region weighs as much as all municipalities together.
    population_total = sum(pop for _, pop in municipalities)
    weights = [Decimal(population_total)] + [Decimal(pop) for _, pop in municipalities]
    parts = largest_remainder(allocation, weights)
    shares = [
        Share(name=state, kind=MemberOrganisation.Kind.FK, population=None, amount=allocation),
        Share(name=region, kind=MemberOrganisation.Kind.REGION, population=None, amount=parts[0]),
    ]
    for (name, population), amount in zip(municipalities, parts[1:], strict=True):
        shares.append(
            Share(
                name=name,
                kind=MemberOrganisation.Kind.MUNICIPALITY,
                population=population,
                amount=amount,
                percent=Decimal(population) * 100 / Decimal(population_total),
            )
        )
    return shares


def contribution_table(organisation_id: int, year: int) -> ContributionTable | None:
    """The medlemsinsats table for a year, or None when the allocation or key is missing."""
    allocation = StateAllocation.objects.filter(organisation_id=organisation_id, year=year).first()
    if allocation is None:
        return None
    keys = list(
        ContributionKey.objects.filter(organisation_id=organisation_id, year=year)
        .select_related("member")
        .order_by("member__name")
    )
    if not keys:
        return None
    region = (
        Membership.objects.filter(organisation_id=organisation_id, member__kind=MemberOrganisation.Kind.REGION)
        .select_related("member")
        .order_by("-start")
        .first()
    )
    shares = split(
        allocation=int(allocation.amount),
        region=region.member.name if region else "Regionen",
        municipalities=[(k.member.name, k.population) for k in keys],
    )
    return ContributionTable(
        year=year,
        allocation=int(allocation.amount),
        shares=shares,
        fee_per_mille=allocation.nns_fee_per_mille,
        fee_proposed_per_mille=allocation.nns_fee_proposed_per_mille,
    )
