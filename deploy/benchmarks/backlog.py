#!/usr/bin/env python3
"""deploy/bench backlog: a recipient that stops pulling. BACKLOG records wait in one inbox; then the exchange
is restarted three ways (an orderly stop, kill -9, and an orderly stop with its snapshot deleted, which is a
rebuild from the beginning of the topics as every restart was before snapshots), and the inbox is drained.

Measures the heap per waiting record, each restart's time to healthy and the messages it read to rebuild,
the snapshot's size and write time, and the drain rate; appends one row per repetition to backlog.csv.
Called by deploy/bench with the platform up, the servers pinned and the settings in the environment."""
import base64
import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.environ["ROOT"]
RUN = os.environ["RUN"]
BENCH = os.environ["BENCH"]
RESULTS = os.environ["RESULTS"]
GATEWAY = os.environ["GATEWAY"]
EXCHANGE_MANAGEMENT = os.environ["EXCHANGE_MANAGEMENT"]
BOOTSTRAP = os.environ["BOOTSTRAP"]
KAFKA_ADMIN = os.environ["KAFKA_ADMIN"]
BACKLOG = int(os.environ.get("BACKLOG", "200000"))
REPEAT = int(os.environ.get("REPEAT", "3"))
H29 = "000.00.00.H29"
H41 = "000.00.00.H41"
CHANNEL = "business-registration"
SNAPSHOT = os.path.join(RUN, "exchange", "snapshot", "inboxes.snapshot")
COLUMNS = ["part", "rep", "records_waiting", "records_on_topic", "heap_bytes_per_record", "payload_cache_mb",
           "restart_seconds", "restart_after_kill_seconds", "restart_without_snapshot_seconds",
           "read_after_stop", "read_after_kill", "read_without_snapshot", "snapshot_mb", "snapshot_write_ms",
           "drain_records_per_second"]


def say(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def secret(client):
    with open(os.path.join(RUN, "demo-clients.env"), encoding="utf-8") as f:
        for line in f:
            name, _, value = line.rstrip("\n").partition("=")
            if name == client:
                return value
    raise SystemExit(f"no secret for {client} in demo-clients.env")


def token(client):
    basic = base64.b64encode(f"{client}:{secret(client)}".encode()).decode()
    request = urllib.request.Request(f"{GATEWAY}/oauth2/token", data=b"grant_type=client_credentials",
                                     headers={"Authorization": f"Basic {basic}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["access_token"]


def call(method, path, bearer, body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {bearer}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(f"{GATEWAY}{path}", data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def metrics():
    with urllib.request.urlopen(f"{EXCHANGE_MANAGEMENT}/actuator/prometheus", timeout=30) as answer:
        return answer.read().decode()


def metric(text, name, label=None):
    """A metric's value summed over the series whose labels contain `label`."""
    total = 0.0
    for line in text.splitlines():
        if re.match(rf"{re.escape(name)}[ {{]", line) and (label is None or label in line):
            total += float(line.rsplit(" ", 1)[1])
    return total


def waiting():
    return int(metric(metrics(), "ndx_exchange_inbox_backlog", H41))


def exchange_pid():
    with open(os.path.join(RUN, "pids", "exchange.pid"), encoding="utf-8") as f:
        return int(f.read().strip())


def heap_used_bytes():
    """The exchange's live heap: what a full collection leaves (survivors, eden, old)."""
    pid = str(exchange_pid())
    subprocess.run(["jcmd", pid, "GC.run"], check=True, capture_output=True)
    out = subprocess.run(["jstat", "-gc", pid], check=True, capture_output=True, text=True).stdout.splitlines()
    values = dict(zip(out[0].split(), out[1].split()))
    return int(sum(float(values[k]) for k in ("S0U", "S1U", "EU", "OU")) * 1024)


def records_on_topic():
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    out = subprocess.run([java, f"-Dlog4j2.configurationFile={ROOT}/deploy/kafka/log4j2.properties", "-cp",
                          f"{RUN}/kafka/libs/*", "org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", BOOTSTRAP,
                          "--command-config", KAFKA_ADMIN, "--topic", "ndx.records"],
                         capture_output=True, text=True).stdout
    return sum(int(line.split(":")[2]) for line in out.splitlines() if re.fullmatch(r"ndx\.records:\d+:\d+", line))


def pin_servers():
    """Every process of the platform onto CPU 0 again: a restarted one starts on every CPU."""
    if (os.cpu_count() or 1) < 2:
        return
    for name in os.listdir(os.path.join(RUN, "pids")):
        with open(os.path.join(RUN, "pids", name), encoding="utf-8") as f:
            subprocess.run(["taskset", "-apc", "0", f.read().strip()], capture_output=True)


def send_backlog():
    """BACKLOG records in batches of 100, from the load generator's CPU."""
    command = ["hey", "-n", str(BACKLOG // 100), "-c", "8", "-m", "POST", "-T", "application/json",
               "-D", os.path.join(BENCH, "batch.json"), "-H", f"Authorization: Bearer {token('h29-one-stop-portal')}",
               f"{GATEWAY}/records/{H41}/one-stop-portal/{CHANNEL}/batch"]
    if (os.cpu_count() or 1) >= 2:
        command = ["taskset", "-c", "1"] + command
    subprocess.run(command, check=True, capture_output=True)


def drain():
    """Pulls 500 at a time and acknowledges each page until the inbox is empty; returns the records drained."""
    bearer, drained, failures = token("h41-one-stop-portal"), 0, 0
    while True:
        try:
            page = call("GET", f"/inbox/{CHANNEL}?max=500", bearer)["records"]
            if not page:
                return drained
            call("POST", f"/inbox/{CHANNEL}/ack", bearer, {"transactionIds": [r["transactionId"] for r in page]})
            drained += len(page)
        except (urllib.error.URLError, OSError) as e:
            # a busy exchange may refuse a pull for a moment; a token may expire during a long drain
            failures += 1
            if failures > 30:
                raise SystemExit(f"the inbox could not be drained: {e}")
            time.sleep(2)
            bearer = token("h41-one-stop-portal")


def restart(how):
    """Restarts the exchange; returns seconds from the stop to healthy, and the messages it read to rebuild."""
    started = time.monotonic()
    if how == "kill":
        pid = exchange_pid()
        os.kill(pid, signal.SIGKILL)
        while os.path.exists(f"/proc/{pid}"):
            time.sleep(0.05)
    else:
        subprocess.run([f"{ROOT}/deploy/run", "stop", "exchange"], check=True, capture_output=True)
        if how == "without-snapshot" and os.path.exists(SNAPSHOT):
            os.remove(SNAPSHOT)
    # returns once healthy: every inbox rebuilt
    subprocess.run([f"{ROOT}/deploy/run", "start", "exchange"], check=True, capture_output=True)
    seconds = time.monotonic() - started
    pin_servers()
    return seconds, int(metric(metrics(), "ndx_exchange_rebuild_read_messages"))


def main():
    path = os.path.join(RESULTS, "backlog.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow(COLUMNS)
    for rep in range(1, REPEAT + 1):
        drain()
        idle, idle_cache = heap_used_bytes(), metric(metrics(), "ndx_exchange_payload_cache_bytes")
        send_backlog()
        deadline = time.monotonic() + 60  # the gauge follows the index every 15 s
        while waiting() < BACKLOG and time.monotonic() < deadline:
            time.sleep(2)
        full, full_cache = heap_used_bytes(), metric(metrics(), "ndx_exchange_payload_cache_bytes")
        after_stop, read_after_stop = restart("stop")
        snapshot_mb = os.path.getsize(SNAPSHOT) / 2**20 if os.path.exists(SNAPSHOT) else 0
        after_kill, read_after_kill = restart("kill")
        without, read_without = restart("without-snapshot")
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
            csv.writer(f).writerow(row)
        say(",".join(str(v) for v in row))


if __name__ == "__main__":
    main()
