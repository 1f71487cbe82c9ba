"""The import benchmark: a 100,000-row realistic customer CSV into a fresh database, as
processes.

The file is what a rep or lead really brings (issue 14): company name, main contact,
phone, email, industry, annual revenue, grade and city. salesbench (validating every
cell, matching duplicates, contacts and their phones and emails, one transaction, a batch
for undo) against `sqlite-utils insert --csv` of the same file, with the raw `sqlite3
.import` beside them as the floor. Targets (issue 14): at most half of sqlite-utils's
time, and a peak resident memory under 250 MB.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

SALESBENCH = [sys.executable, "-m", "salesbench"]
INDUSTRIES = ["家具", "Retail", "建材", "Software", "Logistics", "食品", "Machinery"]
CITIES = ["上海", "北京", "深圳", "München", "São Paulo", "Zürich", "成都", "Lyon"]
GIVEN = ["芳", "伟", "Anna", "José", "Ming", "Léa", "强", "Sam"]
FAMILY = ["王", "李", "Müller", "García", "陈", "Dubois", "张", "Lee"]
HEADER = ["name", "contact", "phone", "email", "industry", "annual revenue", "grade", "city"]
INIT = ["--name", "Bench Rep", "--email", "bench@example.com"]
RATIO_TARGET = 0.5
MEMORY_TARGET_MB = 250

# The floor of salesbench's own work: the rows `import customers` writes for this file
# (a customer, its contact, the contact's phone and email, the city as an address), into
# a database `salesbench init` made (the same tables, indexes, checks and foreign keys),
# by the csv module and sqlite3 with no checks at all. Whatever
# salesbench does beyond this is reading, checking and matching; this much is writing.
SAME_ROWS = r"""
import csv, os, sqlite3, sys
db, path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA foreign_keys=ON")
conn.execute("PRAGMA cache_size=-16384")  # as salesbench's bulk writer
rep = conn.execute("SELECT id FROM rep").fetchone()[0]
stamp = "2026-12-01 14:00:00.000000"
def new_id():  # random, as salesbench's: an id's first 8 characters name the record
    return os.urandom(16).hex()
batch = new_id()
conn.execute("BEGIN")
conn.execute(
    "INSERT INTO import_batch (id, kind, source, format, mode, on_conflict, counts, stamp,"
    " created_at, updated_at) VALUES (?, 'customers', ?, 'csv', 'create', 'skip', '{}', ?, ?, ?)",
    (batch, path, stamp, stamp, stamp),
)
customers, contacts, points, addresses = [], [], [], []
with open(path, newline="", encoding="utf-8") as handle:
    lines = csv.reader(handle)
    next(lines)
    for name, person, phone, email, industry, amount, grade, city in lines:
        customer, contact = new_id(), new_id()
        cents = int(float(amount.replace(",", "")) * 100)
        customers.append((customer, name, industry, grade, cents, rep, stamp, stamp, batch))
        contacts.append((contact, customer, person, phone, email, stamp, stamp, batch))
        points.append((new_id(), contact, "phone", "mobile", phone, batch, stamp, stamp))
        points.append((new_id(), contact, "email", "work", email, batch, stamp, stamp))
        addresses.append((new_id(), customer, city, batch, stamp, stamp))
conn.executemany(
    "INSERT INTO customer (id, kind, name, industry, grade, grade_set_by, status,"
    " annual_purchase, owner_id, custom, created_at, updated_at, import_batch_id, currency)"
    " VALUES (?, 'company', ?, ?, ?, 'manual', 'active', ?, ?, '{}', ?, ?, ?, 'CNY')",
    customers,
)
conn.executemany(
    "INSERT INTO contact (id, customer_id, name, phone, email, created_at, updated_at, custom,"
    " import_batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?)",
    contacts,
)
conn.executemany(
    "INSERT INTO contact_point (id, contact_id, kind, label, value, position, import_batch_id,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)",
    points,
)
conn.executemany(
    "INSERT INTO address (id, customer_id, kind, city, position, import_batch_id, created_at,"
    " updated_at) VALUES (?, ?, 'billing', ?, 0, ?, ?, ?)",
    addresses,
)
conn.execute("COMMIT")
"""


def write_csv(path: Path, rows: int, seed: int = 14) -> None:
    """A customer list as a rep brings it: every column filled, Chinese and Western names,
    `+86` phones, amounts with grouping, a grade."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(rows):
            chinese = n % 2 == 0
            name = f"{'华东' if chinese else 'Acme'} {n:06d} {'有限公司' if chinese else 'Ltd'}"
            given, family = rnd.choice(GIVEN), rnd.choice(FAMILY)
            person = f"{family}{given}" if chinese else f"{given} {family}"
            phone = (
                f"+86 138 {n // 10000:04d} {n % 10000:04d}"
                if chinese
                else f"+49 89 {rnd.randint(1000000, 9999999)}"
            )
            amount = f"{rnd.randint(0, 3_000_000):,}.{rnd.randint(0, 99):02d}"
            out.writerow(
                [
                    name,
                    person,
                    phone,
                    f"buyer{n}@company{n % 5000}.example",
                    rnd.choice(INDUSTRIES),
                    amount,
                    rnd.choice("ABC"),
                    rnd.choice(CITIES),
                ]
            )


def _once(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    # wait4 gives this child's own rusage, not the maximum over every child so far
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} … failed ({proc.returncode}): {err[-500:]}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def run(workdir: Path, env: dict[str, str], rows: int, runs: int) -> dict[str, float | None]:
    """Median seconds for salesbench, sqlite-utils, sqlite3 .import and the same rows with
    no checks (SAME_ROWS), each into a fresh db, and salesbench's peak memory; `size_mb`
    is the file's size."""
    source = workdir / f"customers-{rows}.csv"
    write_csv(source, rows)
    times: dict[str, list[float]] = {
        "salesbench": [],
        "sqlite-utils": [],
        "sqlite3": [],
        "same rows": [],
    }
    writer = workdir / "same_rows.py"
    writer.write_text(SAME_ROWS, encoding="utf-8")
    memory: list[float] = []
    sqlite_utils = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
    for i in range(runs):
        ours, same = workdir / f"ours-{i}.db", workdir / f"same-{i}.db"
        for made in (ours, same):
            subprocess.run(
                [*SALESBENCH, "init", "--db", str(made), *INIT],
                env=env,
                check=True,
                capture_output=True,
            )
        command = [*SALESBENCH, "import", "customers", str(source), "--db", str(ours)]
        seconds, peak = _once(command, env)
        times["salesbench"].append(seconds)
        memory.append(peak)
        times["same rows"].append(
            _once([sys.executable, str(writer), str(same), str(source)], env)[0]
        )
        if Path(sqlite_utils).exists():
            theirs = workdir / f"theirs-{i}.db"
            insert = [sqlite_utils, "insert", str(theirs), "customers", str(source), "--csv"]
            times["sqlite-utils"].append(_once(insert, env)[0])
        if shutil.which("sqlite3"):
            floor = workdir / f"floor-{i}.db"
            times["sqlite3"].append(
                _once(["sqlite3", str(floor)], env, stdin=f".import --csv {source} customers\n")[0]
            )
    result: dict[str, float | None] = {
        k: (sorted(v)[len(v) // 2] if v else None) for k, v in times.items()
    }
    result["peak_mb"] = max(memory)
    result["size_mb"] = source.stat().st_size / 1e6
    return result


if __name__ == "__main__":
    # `python scripts/bench_import.py [ROWS]`: the import rows alone, for profiling
    import tempfile

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        print(run(Path(tmp), dict(os.environ), count, 1))
