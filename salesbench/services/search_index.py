"""Each name's pinyin, kept in `search_key` for the search to look in.

The index is keyed by the names themselves (store/search_keys.py). Whatever wrote a
name (the workbench, an import, a restore, another process, a hand-run SQL), the
next search finds the names the index does not hold yet and spells them before it
looks: one indexed anti-join, and pypinyin only for what is new. The demo spells
its names as it is made, so the first keystroke after it does not pay for ten
thousand names (an import leaves its names to the next search).
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from salesbench.core.search_terms import SEPARATOR, has_han
from salesbench.store.engine import Store

CHUNK = 2_000
KEY_IDS = uuid.UUID("5e2c4b0e-8d1f-4a57-9c3e-2f6b1d7a9e40")  # namespace of the keys' ids
# the version of spell(): a key an older one wrote is spelled again by the next search
SPELLER = 1
# a store searched again within this time looks in the index as it stands: names
# another process wrote meanwhile are still found by their characters, and by their
# pinyin a moment later (the anti-join costs 15-35 ms on the 10,000-customer demo)
RECHECK = timedelta(seconds=5)
_CHECKED: weakref.WeakKeyDictionary[Store, Any] = weakref.WeakKeyDictionary()

# Surnames read otherwise than the character alone (单 is dan, the surname 单 shan):
# a name starting with one is found by both readings. Only these: a character's
# every reading would find 丁丽 by zhengli and 任娜 by ln.
SURNAMES = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha",
    "朴": "piao", "乐": "yue", "覃": "qin", "盖": "ge", "召": "shao", "缪": "miao",
    "种": "chong", "秘": "bi", "翟": "zhai", "员": "yun", "繁": "po", "句": "gou",
    "折": "she", "能": "nai", "柏": "bai", "宓": "fu", "隗": "wei", "冼": "xian",
    "尉": "yu", "阚": "kan", "眭": "sui", "费": "fei", "蕃": "pi", "薄": "bo",
    "长": "chang", "重": "chong", "万": "wan", "沈": "shen", "贾": "jia", "华": "hua",
}  # fmt: skip

# every name a record is found by: customers', contacts' and deals'
_MISSING_SQL = """
SELECT names.n FROM (
    SELECT name AS n FROM customer
    UNION SELECT name FROM contact
    UNION SELECT title FROM opportunity
) AS names
WHERE NOT EXISTS (SELECT 1 FROM search_key k WHERE k.text = names.n AND k.speller = :speller)
"""


def _words(segment: str) -> list[str]:
    """The letters and digits of a piece pypinyin left as it was ("Acme ", " 3M")."""
    out, word = [], []
    for c in segment.lower():
        if c.isascii() and c.isalnum():
            word.append(c)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def spell(text: str) -> tuple[str, str]:
    """The name's readings in pinyin and their initials, each `|`-separated and
    lower case: ("lina", "ln") for 李娜; ("", "") for a name with no Chinese in it."""
    if not has_han(text):
        return "", ""
    from pypinyin import Style, lazy_pinyin

    syllables: list[str] = []  # the reading of the name in its context (重庆: chong qing)
    for piece in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        syllables.extend(_words(piece))
    if not syllables:
        return "", ""
    readings = [syllables]
    surname = SURNAMES.get(text.lstrip()[:1])
    if surname is not None and surname != syllables[0]:
        readings.append([surname, *syllables[1:]])
    spelled: list[str] = []
    initials: list[str] = []
    for reading in readings:
        whole = "".join(reading)
        for one in (whole, whole.replace("v", "u")):  # ü: typed v (lv) or u (lu)
            if one not in spelled:
                spelled.append(one)
        first_letters = "".join(s[0] for s in reading)
        if first_letters not in initials:
            initials.append(first_letters)
    return SEPARATOR.join(spelled)[:4000], SEPARATOR.join(initials)[:2000]


def spell_names(conn: Any, names: Iterable[str], now: Any) -> int:
    """Add the readings of each name the index does not hold yet (or holds as an
    older speller spelled it); another process adding the same name at the same
    moment is not an error (ON CONFLICT)."""
    from salesbench.store.search_keys import SearchKey

    table = SearchKey.__table__  # type: ignore[attr-defined]
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement: Any = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=["text"],
        set_={
            name: statement.excluded[name]
            for name in ("spelled", "initials", "speller", "updated_at")
        },
    )
    rows = []
    for name in dict.fromkeys(n for n in names if n):
        spelled, initials = spell(name)
        rows.append(
            {
                "id": uuid.uuid5(KEY_IDS, name[:500]),  # the same name, the same id
                "text": name[:500],
                "spelled": spelled,
                "initials": initials,
                "speller": SPELLER,
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), CHUNK):
        conn.execute(statement, rows[start : start + CHUNK])
    return len(rows)


def missing_names(session: Any) -> list[str]:
    from sqlalchemy import text

    return [n for (n,) in session.execute(text(_MISSING_SQL), {"speller": SPELLER}) if n]


def catch_up(store: Store, *, clock: Any) -> int:
    """Spell every name no key holds yet; how many were added. A database this
    process may not write to (a read-only copy) is searched as its index stands."""
    from sqlalchemy.exc import OperationalError

    now = clock.now()
    last = _CHECKED.get(store)
    if last is not None and abs(now - last) < RECHECK:
        return 0
    _CHECKED[store] = now
    with store.read() as session:
        names = missing_names(session)
    if not names:
        return 0
    try:
        with store.write(clock) as session:
            return spell_names(session.connection(), names, clock.now())
    except OperationalError:
        return 0
