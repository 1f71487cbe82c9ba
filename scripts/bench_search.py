"""The search box's keystrokes on a demo database, for scripts/bench: each prefix of
what a rep types (l, li, lin, lina; 李, 李娜; a phone fragment; a word of a note; a
text nothing matches) searched as the customer center searches it, and the same
columns of the same file scanned by sqlite3 for the same text (the floor: the rows
a search must look at, with no ranking, pinyin or joins).

    python scripts/bench_search.py DB   # prints JSON: ours and the floor, per keystroke
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time

FLOOR_SQL = [
    "SELECT id FROM customer WHERE name LIKE :p OR number LIKE :p LIMIT 50",
    "SELECT contact_id FROM contact_point WHERE value LIKE :p LIMIT 50",
    "SELECT id FROM contact WHERE name LIKE :p LIMIT 50",
    "SELECT id FROM opportunity WHERE title LIKE :p LIMIT 50",
    "SELECT id FROM activity WHERE summary LIKE :p OR needs LIKE :p OR objections LIKE :p "
    "OR commitments LIKE :p OR next_step_content LIKE :p LIMIT 50",
]


def typed(db: str) -> list[str]:
    """What a rep types, a keystroke at a time, from the demo's own records."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    phone = conn.execute("SELECT value FROM contact_point WHERE kind = 'phone' LIMIT 1").fetchone()
    note = conn.execute(
        "SELECT objections FROM activity WHERE objections IS NOT NULL LIMIT 1"
    ).fetchone()
    conn.close()
    words = ["lina", "ln", "李娜", "zzzz"]
    if phone:
        words.append(phone[0][-9:])  # the last digits, spaced as stored
    if note:
        words.append(note[0][:4])
    return [w[:n] for w in words for n in range(1, len(w) + 1)]


def main(db: str) -> None:
    from salesbench.core.clock import SystemClock
    from salesbench.services.customers import search
    from salesbench.services.session import open_store

    keys = typed(db)
    store = open_store(db)
    clock = SystemClock()
    search(store, "l", clock=clock)  # the imports and the first catch-up, once
    ours = []
    for text in keys:
        start = time.perf_counter()
        search(store, text, clock=clock)
        ours.append(time.perf_counter() - start)
    store.close()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    floor = []
    for text in keys:
        start = time.perf_counter()
        for sql in FLOOR_SQL:
            conn.execute(sql, {"p": f"%{text}%"}).fetchall()
        floor.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "keystrokes": len(keys),
                "median": statistics.median(ours),
                "slowest": max(ours),
                "floor_median": statistics.median(floor),
                "floor_slowest": max(floor),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
