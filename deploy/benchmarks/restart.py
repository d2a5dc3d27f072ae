#!/usr/bin/env python3
"""deploy/bench restart: the exchange's restart as the records topic grows. For each size in RESTART_AT
(default 1, 5 and 10 million records), the topic is filled up to it with records already acknowledged
(FillRecords.java; the exchange stopped meanwhile, then started to read them), and the exchange restarted
REPEAT times after an orderly stop (from the snapshot written at the stop) and once with its snapshot
deleted (every inbox rebuilt from the beginning of the topics). Audit is stopped during this part and
started at its end: it then counts the records filled in. Appends one row per restart to restart.csv."""
import csv
import os
import subprocess
import time

from platform_parts import (BOOTSTRAP, JAVA, KAFKA_ADMIN, REPEAT, RESULTS, ROOT, RUN, SNAPSHOT, deploy_run, metric, metrics,
                            records_on_topic, restart_exchange, say)

SIZES = [int(size) for size in os.environ.get("RESTART_AT", "1000000 5000000 10000000").split()]
COLUMNS = ["part", "records_on_topic", "how", "rep", "seconds", "messages_read", "snapshot_mb", "snapshot_write_ms"]


def fill(count):
    out = subprocess.run([JAVA, "-cp", f"{RUN}/kafka/libs/*", os.path.join(ROOT, "deploy", "benchmarks", "FillRecords.java"),
                          BOOTSTRAP, KAFKA_ADMIN, str(count)], check=True, capture_output=True, text=True).stdout
    say(out.strip())


def main():
    path = os.path.join(RESULTS, "restart.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(COLUMNS)
    deploy_run("stop", "audit")
    try:
        for size in SIZES:
            held = records_on_topic()
            if held < size:
                deploy_run("stop", "exchange")
                fill(size - held)
                started = time.monotonic()
                deploy_run("start", "exchange")
                say(f"the exchange read the {size - held:,} records filled in (and their statuses) in "
                    f"{time.monotonic() - started:.0f} s")
            held = records_on_topic()
            for rep, how in [(rep, "stop") for rep in range(1, REPEAT + 1)] + [(1, "without-snapshot")]:
                seconds, read = restart_exchange(how)
                text = metrics()
                writes = metric(text, "ndx_exchange_snapshot_write_seconds_count")
                write_ms = 1000 * metric(text, "ndx_exchange_snapshot_write_seconds_sum") / writes if writes else 0
                snapshot_mb = os.path.getsize(SNAPSHOT) / 2**20 if os.path.exists(SNAPSHOT) else 0
                row = ["restart", held, how, rep, f"{seconds:.1f}", read, f"{snapshot_mb:.1f}", f"{write_ms:.0f}"]
                with open(path, "a", newline="", encoding="utf-8") as f:
                    csv.writer(f, lineterminator="\n").writerow(row)
                say(",".join(str(v) for v in row))
    finally:
        deploy_run("start", "audit")


if __name__ == "__main__":
    main()
