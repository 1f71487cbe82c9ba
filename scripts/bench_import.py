"""The import benchmark: a 100,000-row customer CSV into a fresh database, as processes.

salesbench (validating every cell, matching duplicates, one transaction, a batch
for undo) against `sqlite-utils insert --csv` of the same file, with the raw
`sqlite3 .import` beside them as the floor. Target (issue 5): ratio at most 1.0
against sqlite-utils; aim 0.5.
"""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

SALESBENCH = [sys.executable, "-m", "salesbench"]
INDUSTRIES = ["家具", "Retail", "建材", "Software", "Logistics", "食品", "Machinery"]
SOURCES = ["trade show", "referral", "website", "cold call", "展会"]


def write_csv(path: Path, rows: int, seed: int = 5) -> None:
    """A customer list as a rep brings it: names, numbers, industries, amounts."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "number", "industry", "size", "source_channel", "annual_purchase"])
        for n in range(rows):
            chinese = n % 2 == 0
            name = f"{'华东' if chinese else 'Acme'} {n:06d} {'有限公司' if chinese else 'Ltd'}"
            amount = f"{rnd.randint(0, 3_000_000)}.{rnd.randint(0, 99):02d}"
            out.writerow(
                [
                    name,
                    f"C-{n:06d}",
                    rnd.choice(INDUSTRIES),
                    rnd.choice(["1-10", "10-50", "50-200"]),
                    rnd.choice(SOURCES),
                    amount,
                ]
            )


def _once(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, input=stdin)
    return time.perf_counter() - start


def run(workdir: Path, env: dict[str, str], rows: int, runs: int) -> dict[str, float | None]:
    """Median seconds for salesbench, sqlite-utils and sqlite3 .import, each into a fresh db."""
    source = workdir / f"customers-{rows}.csv"
    write_csv(source, rows)
    times: dict[str, list[float]] = {"salesbench": [], "sqlite-utils": [], "sqlite3": []}
    sqlite_utils = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
    for i in range(runs):
        ours = workdir / f"ours-{i}.db"
        subprocess.run(
            [
                *SALESBENCH,
                "init",
                "--db",
                str(ours),
                "--name",
                "Bench Rep",
                "--email",
                "bench@example.com",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        times["salesbench"].append(
            _once([*SALESBENCH, "import", "customers", str(source), "--db", str(ours)], env)
        )
        if Path(sqlite_utils).exists():
            theirs = workdir / f"theirs-{i}.db"
            times["sqlite-utils"].append(
                _once([sqlite_utils, "insert", str(theirs), "customers", str(source), "--csv"], env)
            )
        if shutil.which("sqlite3"):
            floor = workdir / f"floor-{i}.db"
            times["sqlite3"].append(
                _once(["sqlite3", str(floor)], env, stdin=f".import --csv {source} customers\n")
            )
    return {k: (sorted(v)[len(v) // 2] if v else None) for k, v in times.items()}
