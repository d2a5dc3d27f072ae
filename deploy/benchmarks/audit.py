#!/usr/bin/env python3
"""deploy/bench audit: audit's lag from a transaction's start at the gateway to its counting, at half the
platform's best query rate; the rate at which it catches up on 200,000 records accepted while it was stopped;
and the rate at which a second audit, with a schema and consumer group of its own, replays the topics from
their start. Writes audit.csv. Called by deploy/bench with the platform up."""
import csv
import glob
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

from platform_parts import (AUDIT_MANAGEMENT, BENCH, BOOTSTRAP, CHANNEL, DURATION, GATEWAY, H41, JAVA, POSTGRES_PORT, REPEAT, RESULTS, ROOT, RUN, TAX,
                            audit_records, deploy_run, drain, load, pin_servers, records_end, say, token)

REPLAY = int(os.environ.get("REPLAY", "1000000"))  # events a fresh audit counts from the start of the topics, timed
QUERY = f"{GATEWAY}/query/{TAX}/tax-registry/bench-json/business/0301234567"


def prometheus(management):
    with urllib.request.urlopen(f"{management}/actuator/prometheus", timeout=30) as answer:
        return answer.read().decode()


def lag_buckets():
    """Audit's lag histogram: upper bound in seconds to cumulative count."""
    buckets = {}
    for line in prometheus(AUDIT_MANAGEMENT).splitlines():
        if line.startswith("ndx_audit_lag_seconds_bucket"):
            le = line.split('le="', 1)[1].split('"', 1)[0]
            buckets[math.inf if le == "+Inf" else float(le)] = float(line.rsplit(" ", 1)[1])
    return buckets


def quantiles(before, after):
    """p50 and p99 in ms of the events counted in between, interpolated within their buckets; and how many."""
    delta = [(le, after[le] - before.get(le, 0)) for le in sorted(after)]
    total = delta[-1][1]

    def q(p):
        want, previous_le, previous_n = p * total, 0.0, 0.0
        for le, n in delta:
            if n >= want:
                if le == math.inf:
                    return previous_le * 1000
                return (previous_le + (le - previous_le) * (want - previous_n) / max(n - previous_n, 1e-9)) * 1000
            previous_le, previous_n = le, n
        return math.nan
    return q(0.5), q(0.99), int(total)


def counted_at(management):
    """Transactions an audit instance has counted since it started (0 while it does not answer)."""
    try:
        text = prometheus(management)
    except OSError:
        return 0
    return int(sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("ndx_audit_transactions_total")))


def append(values):
    with open(os.path.join(RESULTS, "audit.csv"), "a", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerow(values)
    say(",".join(str(v) for v in values))


def replay_from_start(rep):
    """A second audit with a schema and consumer group of its own reads both topics from offset 0, timed from
    its first count (the JVM's start is not replaying) over the next REPLAY events; its schema is dropped after."""
    directory = os.path.join(BENCH, "audit-replay")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    port, management, stamp = 8093, 8094, int(time.time())
    tls = f"{RUN}/tls"
    schema = f"replay_{stamp}"
    database = f"jdbc:postgresql://127.0.0.1:{POSTGRES_PORT}/ndx_audit"
    credentials = f"{RUN}/audit/database.properties"
    command = [JAVA, "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-jar", f"{RUN}/jars/audit.jar", f"--server.port={port}",
               f"--management.server.port={management}", f"--spring.config.additional-location=file:{credentials}",
               f"--spring.datasource.url={database}?currentSchema={schema}", f"--spring.flyway.schemas={schema}",
               f"--ndx.gateway-proof.key-file={RUN}/keys/gateway-proof/audit.key", f"--spring.kafka.bootstrap-servers={BOOTSTRAP}",
               "--spring.kafka.security.protocol=SSL", "--spring.kafka.ssl.key-store-type=PEM",
               f"--spring.kafka.ssl.key-store-location=file:{tls}/kafka/audit.pem", "--spring.kafka.ssl.trust-store-type=PEM",
               f"--spring.kafka.ssl.trust-store-location=file:{tls}/ca.crt",
               f"--spring.kafka.consumer.group-id=ndx-audit-replay-{stamp}",
               f"--ndx.audit.registry-changes-group=ndx-audit-replay-changes-{stamp}", "--ndx.audit.history.seed="]
    with open(os.path.join(directory, "audit.log"), "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    with open(os.path.join(BENCH, "replay.pid"), "w", encoding="utf-8") as f:
        f.write(str(process.pid))
    try:
        pin_servers()
        url = f"http://127.0.0.1:{management}"
        first, deadline = 0, time.monotonic() + 120
        while first == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
            first = counted_at(url)
        started, count = time.monotonic(), first
        while count < first + REPLAY:
            time.sleep(1)
            count = counted_at(url)
            if time.monotonic() - started > 900:
                raise SystemExit(f"the replay did not count {REPLAY} events in 15 minutes")
        append(["audit", "from-start", rep, "", "", count - first, int((count - first) / (time.monotonic() - started))])
    finally:
        process.kill()
        process.wait()
        os.remove(os.path.join(BENCH, "replay.pid"))
        sql(database, credentials, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def sql(url, credentials, *statements):
    """Statements on audit's database as audit (Sql.java, with the JDBC driver Maven fetched for the build)."""
    drivers = sorted(glob.glob(os.path.expanduser("~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar")))
    if not drivers:
        raise SystemExit("no PostgreSQL JDBC driver in ~/.m2: run mvn -B package first")
    subprocess.run([JAVA, "-cp", drivers[-1], os.path.join(ROOT, "deploy", "benchmarks", "Sql.java"), url, credentials, *statements],
                   check=True)


def main():
    rate = 1000
    latency = os.path.join(RESULTS, "latency.csv")
    if os.path.exists(latency):
        with open(latency, encoding="utf-8") as f:
            rates = [int(float(r["rate"])) for r in csv.DictReader(f) if r["target"] == "platform"]
        rate = rates[0] if rates else rate
    with open(os.path.join(RESULTS, "audit.csv"), "w", encoding="utf-8") as f:
        f.write("part,measure,rep,p50_ms,p99_ms,events,events_per_second\n")
    for rep in range(1, REPEAT + 1):
        # lag: from a transaction's start at the gateway to its counting, at half the platform's load
        before = lag_buckets()
        subprocess.run(load(["hey", "-z", f"{DURATION}s", "-c", "16", "-q", str(rate // 16),
                             "-H", f"Authorization: Bearer {token('h29-one-stop-portal')}", QUERY]), check=True, capture_output=True)
        time.sleep(5)
        p50, p99, events = quantiles(before, lag_buckets())
        append(["audit", "lag", rep, f"{p50:.1f}", f"{p99:.1f}", events, ""])
        # catching up: audit stopped while 200,000 records are accepted, then timed catching up on them
        target = audit_records()
        deploy_run("stop", "audit")
        topic_before = records_end()
        subprocess.run(load(["hey", "-n", "2000", "-c", "8", "-m", "POST", "-T", "application/json", "-D",
                             os.path.join(BENCH, "batch.json"), "-H", f"Authorization: Bearer {token('h29-one-stop-portal')}",
                             f"{GATEWAY}/records/{H41}/one-stop-portal/{CHANNEL}/batch"]), check=True, capture_output=True)
        target += records_end() - topic_before
        deploy_run("start", "audit")
        pin_servers()
        # timed from the first answer after the start (the JVM's start is not counting): what is left, how fast
        first = audit_records()
        started, count = time.monotonic(), first
        if first >= target:
            raise SystemExit("audit caught up before it could be timed: send more records")
        while count < target:
            time.sleep(0.5)
            count = audit_records()
            if time.monotonic() - started > 600:
                raise SystemExit("audit did not catch up in 10 minutes")
        append(["audit", "replay", rep, "", "", target - first, int((target - first) / (time.monotonic() - started))])
        drain()
        replay_from_start(rep)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: the replaying audit is stopped too
    main()
