#!/usr/bin/env python3
"""deploy/bench day: one run of the national day (NationalDay.java), added to the earlier runs' rows of
national-day.csv (the report gives their median), with the part's rows of cost.csv. The load generator shares
the machine with the platform, as it comes. Called by deploy/bench with the platform up."""
import os
import subprocess
import sys

from platform_parts import BENCH, GATEWAY, JAVA, RESULTS, ROOT, RUN, Cost, unpin_servers


def main():
    unpin_servers()
    cost = Cost("day")
    with open(os.path.join(BENCH, "national-day.log"), "w", encoding="utf-8") as log:
        process = subprocess.Popen([JAVA, os.path.join(ROOT, "deploy", "benchmarks", "NationalDay.java"), GATEWAY, RUN,
                                    os.environ.get("TRANSACTIONS", "2800000")], stdout=subprocess.PIPE, text=True)
        for line in process.stdout:
            sys.stdout.write(line)
            log.write(line)
        if process.wait() != 0:
            raise SystemExit("the national day failed")
    cost.end()
    # earlier runs' rows stay; a column added since extends the header (their cells stay empty)
    with open(os.path.join(RUN, "national-day.csv"), encoding="utf-8") as f:
        header, *new = f.read().splitlines()
    # which store audit counted in: the runs before PostgreSQL left the column empty (H2)
    header += ",audit_store"
    new = [row + ",postgresql" for row in new]
    kept = []
    path = os.path.join(RESULTS, "national-day.csv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            kept = f.read().splitlines()[1:]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join([header, *kept, *new]) + "\n")


if __name__ == "__main__":
    main()
