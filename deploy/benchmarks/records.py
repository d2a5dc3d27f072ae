#!/usr/bin/env python3
"""deploy/bench records: records submitted one by one and in batches of 100 through the gateway, against
Kafka's own ProducerPerformance on the same broker. Each run checks the three numbers that must be equal:
records answered 202, records the topic grew by, and records audit counted. Writes records.csv and the
parts' rows of cost.csv. Called by deploy/bench with the platform up and nginx started."""
import csv
import os
import re
import subprocess
import time

from platform_parts import (BENCH, BOOTSTRAP, CHANNEL, GATEWAY, H41, KAFKA_ADMIN, REPEAT, RESULTS, Cost, audit_records,
                            busy_since, drain, kafka_java, load, pin_servers, records_end, say, server_ticks, token)

RECORD_CALLS = int(os.environ.get("RECORD_CALLS", "20000"))  # single submissions per run; batches: a fiftieth as many calls of 100
COLUMNS = ["part", "target", "rep", "records_per_second", "answers_2xx", "records_on_topic", "audit_count",
           "server_cpu_busy_percent"]


def submit(kind, pinned):
    """The fixed number of calls of this kind (a call cut off at a deadline would store a record unanswered); hey's report."""
    url = f"{GATEWAY}/records/{H41}/one-stop-portal/{CHANNEL}"
    body, workers, calls = os.path.join(BENCH, "record.json"), 64, RECORD_CALLS
    if kind == "batch":
        url, body, workers, calls = url + "/batch", os.path.join(BENCH, "batch.json"), 8, RECORD_CALLS // 50
    command = ["hey", "-n", str(calls), "-c", str(workers), "-m", "POST", "-T", "application/json", "-D", body,
               "-H", f"Authorization: Bearer {token('h29-one-stop-portal')}", url]
    return subprocess.run(load(command) if pinned else command, check=True, capture_output=True, text=True).stdout


def row(*values):
    with open(os.path.join(RESULTS, "records.csv"), "a", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(values)
    say(",".join(str(v) for v in values))


def main():
    # compiled on both cores first, or a freshly started exchange's first runs would measure its compiler
    say("warming up")
    submit("single", False)
    submit("batch", False)
    drain()
    pin_servers()
    with open(os.path.join(RESULTS, "records.csv"), "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(COLUMNS)
    subprocess.run(kafka_java("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", BOOTSTRAP, "--command-config",
                              KAFKA_ADMIN, "--create", "--if-not-exists", "--topic", "bench-producer-perf", "--partitions", "12"),
                   capture_output=True)
    # each kind's cost apart: a batched record and a single submission differ by an order of magnitude
    for kind in ("single", "batch"):
        cost = Cost(f"records-{kind}")
        per = 100 if kind == "batch" else 1
        for rep in range(1, REPEAT + 1):
            topic_before, audit_before, ticks = records_end(), audit_records(), server_ticks()
            out = submit(kind, True)
            busy = busy_since(ticks)
            answered = re.search(r"\[20[02]\]\s+(\d+) responses", out)
            ok = (int(answered.group(1)) if answered else 0) * per
            rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) * per
            topic_delta = records_end() - topic_before
            audit_delta, deadline = audit_records() - audit_before, time.monotonic() + 120
            while audit_delta < ok and time.monotonic() < deadline:
                time.sleep(2)
                audit_delta = audit_records() - audit_before
            row("records", kind, rep, f"{rate:.1f}", ok, topic_delta, audit_delta, busy)
            for section in ("Status code distribution", "Error distribution"):
                if section in out:
                    say("  " + out[out.index(section):].split("\n\n")[0].replace("\n", "\n[bench]   "))
        cost.end()  # the recipient's pulls after it are not the cost of accepting
        drain()
    for rep in range(1, REPEAT + 1):
        ticks = server_ticks()
        out = subprocess.run(load(kafka_java("org.apache.kafka.tools.ProducerPerformance", "--topic", "bench-producer-perf",
                                             "--num-records", "300000", "--record-size", "1024", "--throughput", "-1",
                                             "--producer.config", KAFKA_ADMIN, "--producer-props", f"bootstrap.servers={BOOTSTRAP}",
                                             "acks=all", "enable.idempotence=true")),
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
        busy = busy_since(ticks)
        row("records", "producer-perf", rep, re.search(r"([\d.]+) records/sec", out).group(1), 300000, 300000, "", busy)


if __name__ == "__main__":
    main()
