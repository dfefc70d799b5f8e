"""Answer vectors for instrument tests, built from the real instrument data."""

from __future__ import annotations

from tsbplace.instruments import Instrument, installed_instruments


def instrument(instrument_id: str) -> Instrument:
    return next(i for i in installed_instruments() if i.id == instrument_id)


def answers_with_sum(target: Instrument, item_sum: int) -> list[int]:
    """A complete answer vector whose answers add up to ``item_sum``.

    Walks the items in form order, giving each the highest permitted value that still
    leaves a reachable remainder (AUDIT items 9–10 allow only 0, 2, 4; COWS has gaps).
    """
    items = target.items
    reachable: list[set[int]] = [set() for _ in items] + [{0}]
    for index in reversed(range(len(items))):
        reachable[index] = {v + rest for v in items[index].permitted() for rest in reachable[index + 1]}
    if item_sum not in reachable[0]:
        raise ValueError(f"{target.id}: no answers add up to {item_sum}")
    answers, remaining = [], item_sum
    for index, item in enumerate(items):
        value = max(v for v in item.permitted() if remaining - v in reachable[index + 1])
        answers.append(value)
        remaining -= value
    return answers
