"""One rep at work, for the concurrency test in tests/test_team.py: waits for the
common start, then logs 200 calls with their customer and finishes 50 tasks,
one every fourth call, each in its own transaction as the CLI would. Prints when
its first write began and its last one ended (epoch seconds), so the test can
check that the workers really wrote at the same time.

    python -m tests.team_worker DB_URL CUSTOMER_ID TASK_IDS START_EPOCH
"""

from __future__ import annotations

import sys
import time


def main() -> int:
    url, customer, task_ids, start = sys.argv[1:5]
    from salesbench.core.clock import SystemClock
    from salesbench.services.activities import log_activity
    from salesbench.services.tasks import finish_task
    from salesbench.store.open import open_store

    store = open_store(url)
    tasks = task_ids.split(",")
    clock = SystemClock()
    while time.time() < float(start):
        time.sleep(0.002)
    began = time.time()
    for n in range(200):
        log_activity(
            store, {"channel": "call", "summary": f"call {n}"}, clock=clock, customer_ref=customer
        )
        if n % 4 == 0:
            finish_task(store, tasks[n // 4], "done", clock=clock)
    ended = time.time()
    store.close()
    print(began, ended)
    return 0


if __name__ == "__main__":
    sys.exit(main())
