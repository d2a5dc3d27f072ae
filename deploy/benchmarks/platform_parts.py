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
AUDIT_MANAGEMENT = os.environ.get("AUDIT_MANAGEMENT", "http://127.0.0.1:9083")
GATEWAY_TLS = os.environ.get("GATEWAY_TLS", "https://127.0.0.1:8443")
POSTGRES_PORT = int(os.environ.get("POSTGRES_PORT", "5432"))
REPEAT = int(os.environ.get("REPEAT", "3"))
DURATION = int(os.environ.get("DURATION", "10"))
TAX = "000.00.18.G12"
H29 = "000.00.00.H29"
H41 = "000.00.00.H41"
CHANNEL = "business-registration"
TWO_CORES = (os.cpu_count() or 1) >= 2
JAVA = os.environ.get("JAVA") or (os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java")
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
    return _offsets("-1") - _offsets("-2")


def server_pids():
    """Every process of the platform and of the benchmark (nginx, the bare gateway)."""
    pids = []
    for directory in (os.path.join(RUN, "pids"), BENCH):
        for name in os.listdir(directory) if os.path.isdir(directory) else []:
            if name.endswith(".pid"):
                with open(os.path.join(directory, name), encoding="utf-8") as f:
                    pids.append(f.read().strip())
    return pids


def pin_servers():
    """Every server onto CPU 0 (a restarted one starts on every CPU): the figures are what one core does."""
    if TWO_CORES:
        for pid in server_pids():
            subprocess.run(["taskset", "-apc", "0", pid], capture_output=True)


def unpin_servers():
    """Back onto every CPU, for the parts that share the machine as it comes."""
    for pid in server_pids():
        subprocess.run(["taskset", "-apc", f"0-{(os.cpu_count() or 1) - 1}", pid], capture_output=True)


def load(command):
    """A load generator's command line, on CPU 1 when the servers have CPU 0."""
    return ["taskset", "-c", "1", *command] if TWO_CORES else list(command)


def server_ticks():
    """Busy and total ticks of the servers' CPU (CPU 0 when pinned, else all)."""
    cpu = "cpu0" if TWO_CORES else "cpu"
    with open("/proc/stat", encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if fields[0] == cpu:
                v = [int(x) for x in fields[1:9]]
                return v[0] + v[1] + v[2] + v[5] + v[6], v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6]
    raise SystemExit("no CPU line in /proc/stat")


def busy_since(ticks):
    """Percent of the servers' CPU busy since `ticks` (from server_ticks)."""
    busy, total = server_ticks()
    return round(100 * (busy - ticks[0]) / (total - ticks[1])) if total > ticks[1] else 0


def operator_get(path):
    """Audit's answer, asked through the gateway as the platform's operator (audit answers nobody else)."""
    return call("GET", path, token("platform-operator"))


def today():
    """The statistics' day: Vietnamese calendar days."""
    return subprocess.run(["date", "+%F"], env={**os.environ, "TZ": "Asia/Ho_Chi_Minh"}, capture_output=True,
                          text=True, check=True).stdout.strip()


def audit_total_today():
    """Transactions audit has counted today."""
    day = today()
    days = operator_get(f"/stats/daily?from={day}&to={day}")
    return int(days[0]["total"]) if days else 0


def audit_records():
    """Accepted records audit has counted today."""
    day = today()
    rows = operator_get(f"/stats/breakdown?from={day}&to={day}&by=outcome&kind=RECORD")
    return sum(int(row["total"]) for row in rows if row.get("outcome") == "OK")


def kafka_java(*args):
    return [JAVA, f"-Dlog4j2.configurationFile={ROOT}/deploy/kafka/log4j2.properties", "-cp", f"{RUN}/kafka/libs/*", *args]


def records_end():
    """The sum of the records topic's end offsets: records ever written to it."""
    return _offsets("-1")


def _offsets(time_spec):
    out = subprocess.run(kafka_java("org.apache.kafka.tools.GetOffsetShell", "--bootstrap-server", BOOTSTRAP,
                                    "--command-config", KAFKA_ADMIN, "--topic", "ndx.records", "--time", time_spec),
                         capture_output=True, text=True).stdout
    return sum(int(line.split(":")[2]) for line in out.splitlines() if re.fullmatch(r"ndx\.records:\d+:\d+", line))


class Cost:
    """CPU-seconds each process spends during a part, per 1,000 transactions audit counts meanwhile, and its
    resident memory at the end; one row per process in cost.csv, replacing the part's earlier rows."""
    PARTS = ("kafka", "postgres", "registry", "gateway", "exchange", "audit")

    def __init__(self, part):
        self.part = part
        self.before = self.snapshot()
        self.transactions = audit_total_today()

    @staticmethod
    def snapshot():
        tick = os.sysconf("SC_CLK_TCK")
        found = {}
        for part in Cost.PARTS:
            try:
                pid = pid_of(part)
                with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/status", encoding="utf-8") as f:
                    rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
            except (OSError, ValueError, StopIteration):
                continue
            ticks = int(fields[11]) + int(fields[12])
            if part == "postgres":  # its work is done by the backends it forks: theirs, and those that ended
                ticks += int(fields[13]) + int(fields[14]) + Cost.children_ticks(pid)
            found[part] = (ticks / tick, rss / 1024)
        return found

    @staticmethod
    def children_ticks(parent):
        total = 0
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == parent:
                    total += int(fields[11]) + int(fields[12])
        return total

    def end(self):
        time.sleep(5)  # audit catches up
        transactions = audit_total_today() - self.transactions
        path = os.path.join(RESULTS, "cost.csv")
        header = "part,process,cpu_seconds,rss_mb,transactions,cpu_seconds_per_1000"
        kept = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                kept = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("part,")
                        and line.split(",")[0] != self.part]
        rows = []
        for process, (cpu, rss) in self.snapshot().items():
            spent = cpu - self.before.get(process, (0, 0))[0]
            rows.append(f"{self.part},{process},{spent:.2f},{rss:.0f},{transactions},"
                        f"{spent * 1000 / transactions if transactions > 0 else 0:.3f}")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join([header, *kept, *rows]) + "\n")
        for row in rows:
            say(row)


def drain(channel=CHANNEL, client="h41-one-stop-portal"):
    """Pulls 500 at a time and acknowledges each page until the inbox is empty; returns the records drained."""
    bearer, drained, failures = token(client), 0, 0
    while True:
        try:
            page = call("GET", f"/inbox/{channel}?max=500", bearer)["records"]
            if not page:
                return drained
            call("POST", f"/inbox/{channel}/ack", bearer, {"transactionIds": [r["transactionId"] for r in page]})
            drained += len(page)
        except OSError as e:
            # a busy exchange may refuse a pull for a moment; a token may expire during a long drain
            failures += 1
            if failures > 30:
                raise SystemExit(f"the inbox could not be drained: {e}")
            time.sleep(2)
            bearer = token(client)


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
