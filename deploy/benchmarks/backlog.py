#!/usr/bin/env python3
"""deploy/bench backlog: a recipient that stops pulling. BACKLOG records wait in one inbox; then the exchange
is restarted three ways (an orderly stop, kill -9, and an orderly stop with its snapshot deleted, which is a
rebuild from the beginning of the topics as every restart was before snapshots), and the inbox is drained.

Measures the heap per waiting record, each restart's time to healthy and the messages it read to rebuild,
the snapshot's size and write time, and the drain rate; appends one row per repetition to backlog.csv.
Called by deploy/bench with the platform up, the servers pinned and the settings in the environment."""
import csv
import os
import subprocess
import time

from platform_parts import (BENCH, CHANNEL, GATEWAY, H41, REPEAT, RESULTS, SNAPSHOT, drain, load, metric, metrics, pid_of,
                            records_on_topic, restart_exchange, say, token)

BACKLOG = int(os.environ.get("BACKLOG", "200000"))
COLUMNS = ["part", "rep", "records_waiting", "records_on_topic", "heap_bytes_per_record", "payload_cache_mb",
           "restart_seconds", "restart_after_kill_seconds", "restart_without_snapshot_seconds",
           "read_after_stop", "read_after_kill", "read_without_snapshot", "snapshot_mb", "snapshot_write_ms",
           "drain_records_per_second"]


def waiting():
    return int(metric(metrics(), "ndx_exchange_inbox_backlog", H41))


def heap_used_bytes():
    """The exchange's live heap: what a full collection leaves (survivors, eden, old)."""
    pid = str(pid_of("exchange"))
    subprocess.run(["jcmd", pid, "GC.run"], check=True, capture_output=True)
    out = subprocess.run(["jstat", "-gc", pid], check=True, capture_output=True, text=True).stdout.splitlines()
    values = dict(zip(out[0].split(), out[1].split()))
    return int(sum(float(values[k]) for k in ("S0U", "S1U", "EU", "OU")) * 1024)


def send_backlog():
    """BACKLOG records in batches of 100, from the load generator's CPU."""
    command = ["hey", "-n", str(BACKLOG // 100), "-c", "8", "-m", "POST", "-T", "application/json",
               "-D", os.path.join(BENCH, "batch.json"), "-H", f"Authorization: Bearer {token('h29-one-stop-portal')}",
               f"{GATEWAY}/records/{H41}/one-stop-portal/{CHANNEL}/batch"]
    subprocess.run(load(command), check=True, capture_output=True)


def main():
    path = os.path.join(RESULTS, "backlog.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(COLUMNS)
    for rep in range(1, REPEAT + 1):
        drain()
        idle, idle_cache = heap_used_bytes(), metric(metrics(), "ndx_exchange_payload_cache_bytes")
        send_backlog()
        deadline = time.monotonic() + 60  # the gauge follows the index every 15 s
        while waiting() < BACKLOG and time.monotonic() < deadline:
            time.sleep(2)
        full, full_cache = heap_used_bytes(), metric(metrics(), "ndx_exchange_payload_cache_bytes")
        after_stop, read_after_stop = restart_exchange("stop")
        snapshot_mb = os.path.getsize(SNAPSHOT) / 2**20 if os.path.exists(SNAPSHOT) else 0
        after_kill, read_after_kill = restart_exchange("kill")
        without, read_without = restart_exchange("without-snapshot")
        text = metrics()
        writes = metric(text, "ndx_exchange_snapshot_write_seconds_count")
        write_ms = 1000 * metric(text, "ndx_exchange_snapshot_write_seconds_sum") / writes if writes else 0
        on_topic = records_on_topic()
        started = time.monotonic()
        drained = drain()
        rate = drained / (time.monotonic() - started)
        row = ["backlog", rep, BACKLOG, on_topic, round(((full - idle) - (full_cache - idle_cache)) / BACKLOG),
               round(full_cache / 2**20), f"{after_stop:.1f}", f"{after_kill:.1f}", f"{without:.1f}",
               read_after_stop, read_after_kill, read_without, f"{snapshot_mb:.1f}", f"{write_ms:.0f}", round(rate)]
        with open(path, "a", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerow(row)
        say(",".join(str(v) for v in row))


if __name__ == "__main__":
    main()
