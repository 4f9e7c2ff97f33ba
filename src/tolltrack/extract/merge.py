"""One claim per statement: mentions of the same figure in one article become one claim."""

from __future__ import annotations

from dataclasses import replace

from tolltrack.model import Claim, ClaimantType, Mention, Outcome, Qualifier, VictimType

# Bodies in a morgue are also people killed: headline and quote often say it
# both ways of one figure.
_SAME = {frozenset({Outcome.KILLED, Outcome.BODIES})}


def _compatible(a: Claim, b: Claim) -> bool:
    if a.figure.low != b.figure.low or a.figure.low is None:
        return False
    if a.figure.high is not None and b.figure.high is not None and a.figure.high != b.figure.high:
        return False
    if a.outcome != b.outcome and frozenset({a.outcome, b.outcome}) not in _SAME:
        return False
    if VictimType.UNKNOWN not in (a.victim.type, b.victim.type) and a.victim.type != b.victim.type:
        return False
    if a.victim.country and b.victim.country and a.victim.country != b.victim.country:
        return False
    if a.figure.qualifier is not b.figure.qualifier:
        return False
    if "" not in (_head(a), _head(b)) and _head(a) != _head(b):
        # "a man and his wife" and "two civilians" are two claims of 2 killed.
        return False
    # An outlet restating a source's figure in its own voice is a second claim.
    return (a.claimant.type, a.claimant.code) == (b.claimant.type, b.claimant.code)


def _head(claim: Claim) -> str:
    if claim.victim.type is VictimType.MILITARY:
        # Troops, soldiers, servicemen: one class of victim, many words.
        return "military"
    words = claim.victim.text.lower().split()
    if claim.victim.text == claim.figure.text and words and words[0] not in ("a", "an"):
        return ""  # "six were wounded": no noun to compare
    return words[-1].rstrip("s") if words else ""


def _better(a: Claim, b: Claim) -> Claim:
    """Of two mentions of one claim, the one that says more (a named claimant, a qualifier)."""
    def weight(c: Claim) -> tuple[int, int, int, int]:
        return (c.claimant.type is not ClaimantType.OUTLET,
                c.figure.qualifier is not Qualifier.EXACT,
                c.outcome is Outcome.BODIES,
                c.victim.type is not VictimType.UNKNOWN)
    return a if weight(a) >= weight(b) else b


def merge_claims(claims: list[Claim]) -> list[Claim]:
    """Fold claims of one article that state the same figure of the same outcome.

    Takes claims in article order; returns fewer claims, each with the mentions
    of all it absorbed (in order) and the most informative attributes among them.
    """
    merged: list[Claim] = []
    mentions: list[list[Mention]] = []
    by_low: dict[int | None, list[int]] = {}  # only claims of one figure can merge
    for claim in claims:
        for i in by_low.get(claim.figure.low, []):
            kept = merged[i]
            if _compatible(kept, claim):
                best = _better(kept, claim)
                merged[i] = replace(
                    best, unverified=kept.unverified or claim.unverified,
                    victim=best.victim if best.victim.country else replace(
                        best.victim, country=kept.victim.country or claim.victim.country))
                mentions[i].extend(claim.mentions)
                break
        else:
            by_low.setdefault(claim.figure.low, []).append(len(merged))
            merged.append(claim)
            mentions.append(list(claim.mentions))
    return [replace(claim, mentions=tuple(sorted(set(found), key=lambda m: m.start)))
            for claim, found in zip(merged, mentions, strict=True)]
