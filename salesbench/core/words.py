"""English nouns counted in messages: "1 deal", "3 deals", "several opportunities"."""

from __future__ import annotations

# the nouns the messages count whose plural is not noun + "s"
_IRREGULAR = {"person": "people", "batch": "batches"}


def plural(noun: str) -> str:
    """The plural of one of the workbench's nouns (opportunity → opportunities)."""
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def count(n: int, noun: str) -> str:
    """`n` and the noun, singular for one: "1 deal", "0 deals", "2 opportunities"."""
    return f"{n:,} {noun if n == 1 else plural(noun)}"


def customers_named(name: str, n: int) -> str:
    """Customers sharing a name, once with their number: "Northwind Home (4 customers)"."""
    from salesbench.core.i18n import n_

    return n_("{name} ({n} customer)", "{name} ({n} customers)", n).format(name=name, n=n)
