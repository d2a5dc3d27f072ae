"""What deploy/bench's measuring parts share: the running platform's settings (from deploy/bench's
environment), its demo clients' tokens, calls through the gateway, the exchange's metrics and process, the
records on the topic, and restarts through deploy/run."""
import base64
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.environ["ROOT"]
RUN = os.environ["RUN"]
BENCH = os.environ["BENCH"]
RESULTS = os.environ["RESULTS"]
GATEWAY = os.environ["GATEWAY"]
EXCHANGE_MANAGEMENT = os.environ["EXCHANGE_MANAGEMENT"]
BOOTSTRAP = os.environ["BOOTSTRAP"]
KAFKA_ADMIN = os.environ["KAFKA_ADMIN"]
REPEAT = int(os.environ.get("REPEAT", "3"))
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
SNAPSHOT = os.path.join(RUN, "exchange", "snapshot", "inboxes.snapshot")


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
    """A call through the gateway; its JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {bearer}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(f"{GATEWAY}{path}", data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def metrics():
    """The exchange's Prometheus text."""
    with urllib.request.urlopen(f"{EXCHANGE_MANAGEMENT}/actuator/prometheus", timeout=30) as answer:
        return answer.read().decode()


def metric(text, name, label=None):
    """A metric's value summed over the series whose labels contain `label`."""
    total = 0.0
    for line in text.splitlines():
        if re.match(rf"{re.escape(name)}[ {{]", line) and (label is None or label in line):
            total += float(line.rsplit(" ", 1)[1])
    return total


def pid_of(part):
    with open(os.path.join(RUN, "pids", f"{part}.pid"), encoding="utf-8") as f:
        return int(f.read().strip())


def records_on_topic():
    """Records the records topic holds now (from its first offset Kafka keeps to its end)."""
    def offsets(time_spec):
        out = subprocess.run([JAVA, f"-Dlog4j2.configurationFile={ROOT}/deploy/kafka/log4j2.properties", "-cp",
                              f"{RUN}/kafka/libs/*", "org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", BOOTSTRAP,
                              "--command-config", KAFKA_ADMIN, "--topic", "ndx.records", "--time", time_spec],
                             capture_output=True, text=True).stdout
        return sum(int(line.split(":")[2]) for line in out.splitlines() if re.fullmatch(r"ndx\.records:\d+:\d+", line))
    return offsets("-1") - offsets("-2")


def pin_servers():
    """Every process of the platform onto CPU 0 again (a restarted one starts on every CPU)."""
    if (os.cpu_count() or 1) < 2:
        return
    for name in os.listdir(os.path.join(RUN, "pids")):
        with open(os.path.join(RUN, "pids", name), encoding="utf-8") as f:
            subprocess.run(["taskset", "-apc", "0", f.read().strip()], capture_output=True)


def deploy_run(*args):
    subprocess.run([f"{ROOT}/deploy/run", *args], check=True, capture_output=True)


def restart_exchange(how):
    """Restarts the exchange after an orderly stop ("stop"), kill -9 ("kill"), or an orderly stop with its
    snapshot deleted ("without-snapshot"); returns seconds from the stop to healthy and the messages it read
    to rebuild its inboxes."""
    started = time.monotonic()
    if how == "kill":
        pid = pid_of("exchange")
        os.kill(pid, signal.SIGKILL)
        while os.path.exists(f"/proc/{pid}"):
            time.sleep(0.05)
    else:
        deploy_run("stop", "exchange")
        if how == "without-snapshot" and os.path.exists(SNAPSHOT):
            os.remove(SNAPSHOT)
    deploy_run("start", "exchange")  # returns once healthy: every inbox rebuilt
    seconds = time.monotonic() - started
    pin_servers()
    # the snapshot of what was rebuilt is written just after: wait for it, so its size and time are this start's
    deadline = time.monotonic() + 60
    while metric(metrics(), "ndx_exchange_snapshot_written_timestamp_seconds") == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    return seconds, int(metric(metrics(), "ndx_exchange_rebuild_read_messages"))
