"""Year pairing: the same agency's report of the year before, for the cross-year rules."""

from __future__ import annotations

from gkcheck.chinese.normalize import agency_key

__all__ = ["agency_key", "pair"]


def pair(keys: list) -> dict[int, int]:
    """index → index of the same agency's report of the year before (keys: (agency, year) or None).

    With two reports of one agency and year, the first in input order is the one paired.
    """
    first: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        if key is not None:
            first.setdefault(key, i)
    # One year's title may add the city: 洪泽区政府 (2023) and 淮安市洪泽区政府 (2024). Pair
    # when one name ends with the other and no other report of that year could match. Two such
    # names (4 characters or more) share their last 4 characters: only those are compared, so
    # the work does not grow with the square of the batch, nor the index beyond one entry a name.
    by_tail: dict[tuple, list] = {}
    for (name, year), j in first.items():
        if len(name) >= 4:
            by_tail.setdefault((name[-4:], year), []).append((name, j))
    pairs = {}
    for i, k in enumerate(keys):
        if k is None:
            continue
        if (k[0], k[1] - 1) in first:
            pairs[i] = first[(k[0], k[1] - 1)]
            continue
        if len(k[0]) < 4:
            continue
        near = [j for name, j in by_tail.get((k[0][-4:], k[1] - 1), ())
                if name != k[0] and (name.endswith(k[0]) or k[0].endswith(name))]
        if len(near) == 1:
            pairs[i] = near[0]
    return pairs
