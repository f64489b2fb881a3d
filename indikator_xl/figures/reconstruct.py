"""Counts behind a published figure: every count consistent with n and a rounded percent.

The national report prints shares as whole percent. Whether it rounds half up (Excel's
ROUND, SPSS) or half to even (Python's ``round``, some R defaults) is not stated, so a count
k is accepted when ``100 * k / n`` rounds to the printed percent under **either**
convention. The two differ only when ``100 * k / n`` ends in exactly .5, so the accepted
counts are those with ``percent - 0.5 <= 100 * k / n < percent + 0.5``, the upper end
included too when `percent` is even (x.5 goes to the even neighbour under half-even).
All arithmetic is in integers: no floating-point edge cases at the .5 boundary.

Used to rebuild the report's significance stars from its tables (tests/test_report_stars.py,
docs/stjarnor.md) and, in the national merge, year stars from published figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from operator import index


def consistent_counts(n: int, percent: int) -> range:
    """All counts k in 0..n whose share 100·k/n rounds to `percent` (half up or half even).

    Empty when no count of n gives that percent (e.g. n=3, 50 %). Raises ValueError for
    n < 1 or a percent outside 0..100.
    """
    n, percent = index(n), index(percent)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be in 0..100, got {percent}")
    # (2p - 1) n <= 200 k, and 200 k < (2p + 1) n, or <= when p is even (half-even).
    low = max(0, -(-(2 * percent - 1) * n // 200))  # ceiling division
    top = (2 * percent + 1) * n
    high = min(n, (top if percent % 2 == 0 else top - 1) // 200)
    return range(low, high + 1) if low <= high else range(low, low)


def point_estimate(n: int, percent: int) -> int:
    """The consistent count closest to n·percent/100 (the smaller one on a tie).

    Raises ValueError when no count of n is consistent with `percent`.
    """
    counts = consistent_counts(n, percent)
    if not counts:
        raise ValueError(f"no count of n={n} rounds to {percent} %")
    # |100·k − n·p| is 100 × the distance from n·p/100, kept in integers.
    return min(counts, key=lambda k: (abs(100 * k - n * percent), k))


def consistent_splits(n: int, percents: Sequence[int]) -> list[tuple[int, ...]]:
    """All splits of n answers into mutually exclusive categories matching printed percents.

    `percents` are the printed shares of categories that together hold every answer, e.g.
    (negativt, varken eller, positivt); the result lists every tuple of counts, one per
    category, that sums to n and of which each count is in `consistent_counts`. This is
    tighter than the categories one by one: the row has to add up. Empty when the printed
    row is impossible for n.
    """
    n = index(n)
    if not percents:
        raise ValueError("percents must name at least one category")
    ranges = [consistent_counts(n, p) for p in percents]
    last = ranges[-1]
    splits = []
    for head in product(*ranges[:-1]):
        rest = n - sum(head)
        if rest in last:
            splits.append((*head, rest))
    return splits
