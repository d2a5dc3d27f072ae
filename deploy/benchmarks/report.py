#!/usr/bin/env python3
"""docs/performance.md from the raw results of deploy/bench: median and spread of every figure, the
ratios the targets are stated in, the machine and the versions, and an SVG chart drawn from the CSV."""
import csv
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict
from datetime import date


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def median_spread(values):
    values = sorted(values)
    return statistics.median(values), values[0], values[-1]


def fmt(value, digits=0):
    return f"{value:,.{digits}f}"


def cell(values, digits=0):
    m, lo, hi = median_spread(values)
    return f"{fmt(m, digits)} ({fmt(lo, digits)}–{fmt(hi, digits)})"


def command(*args):
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=20)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        f"- CPU: {os.cpu_count()} × {model}; memory {memory:.0f} GiB; {platform.system()} {platform.release()}",
        f"- Java: {command('java', '-version')}",
        f"- nginx: {command('nginx', '-v')}; wrk: {command('wrk', '-v')}; hey: Debian package",
    ]


def bar_chart(series, title, unit, path):
    """A horizontal bar chart (median, with the spread as a line) as plain SVG: no plotting library needed."""
    width, bar, gap, left = 720, 22, 10, 210
    height = 50 + len(series) * (bar + gap)
    top = max(hi for _, _, _, hi in series) or 1
    scale = (width - left - 90) / top
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<text x="10" y="20" font-size="14">{title}</text>']
    for i, (label, m, lo, hi) in enumerate(series):
        y = 40 + i * (bar + gap)
        out.append(f'<text x="10" y="{y + 15}">{label}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{m * scale:.1f}" height="{bar}" fill="#4a78b5"/>')
        out.append(f'<line x1="{left + lo * scale:.1f}" x2="{left + hi * scale:.1f}" y1="{y + bar / 2}" y2="{y + bar / 2}" stroke="#222"/>')
        out.append(f'<text x="{left + hi * scale + 6:.1f}" y="{y + 15}">{fmt(m)} {unit}</text>')
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main(results, target):
    docs = os.path.dirname(target)
    sync = rows(os.path.join(results, "sync.csv"))
    latency = rows(os.path.join(results, "latency.csv"))
    records = rows(os.path.join(results, "records.csv"))
    cost = rows(os.path.join(results, "cost.csv"))
    best_queries = {}
    lines = ["# Performance", "",
             "Measured by `deploy/bench all` against the platform started by `deploy/run up`, on one machine, "
             "in one run; raw results in `deploy/benchmarks/results/*.csv`, this page generated from them by "
             "`deploy/bench report`. Every figure is the median of its repetitions, with the lowest and highest "
             "in brackets. The load generator ran on CPU 1 and every server (platform, Kafka, nginx, the bare "
             "gateway) on CPU 0 (`taskset`): the figures are what one core of server carries.", "",
             f"Generated {date.today()}.", "", "## Machine and versions", ""] + machine() + [""]

    if sync:
        by = defaultdict(list)
        for r in sync:
            by[(r["target"], int(r["connections"]))].append(float(r["requests_per_second"]))
        targets = ["direct", "nginx-proxy", "bare-scg", "platform", "nginx-proxy-tls", "platform-tls"]
        conns = sorted({c for _, c in by})
        lines += ["## Synchronous queries", "",
                  "The same upstream (nginx answering a fixed 84-byte JSON) reached directly, through nginx "
                  "`proxy_pass` with keepalive, through a bare Spring Cloud Gateway route (the gateway's own jar, "
                  "one route, no filters), and through the platform (token check, grant, limits, transaction "
                  "event to Kafka, audit counting it). Both gateways first ran pinned, 10 s at a time, until a run gained "
                  "under 5 % on the one before (a freshly started JVM compiles its hot paths on the server core meanwhile). "
                  "`wrk -t2 -c<connections> -d10s`, calls answered 2xx per second:", "",
                  "| target | " + " | ".join(f"{c} connections" for c in conns) + " |",
                  "|---|" + "---|" * len(conns)]
        for t in targets:
            if any((t, c) in by for c in conns):
                lines.append(f"| {t} | " + " | ".join(cell(by[(t, c)]) if (t, c) in by else "" for c in conns) + " |")
        refused = defaultdict(lambda: [0, 0])
        for r in sync:
            refused[(r["target"], int(r["connections"]))][0] += int(r.get("non_2xx") or 0)
            refused[(r["target"], int(r["connections"]))][1] += int(r.get("requests") or 0)
        for (t, c), (non, total) in sorted(refused.items()):
            if non:
                lines += ["", f"{t} at {c} connections answered {non * 100 / total:.0f} % of its calls with other than 2xx, "
                          "not counted above" + (": the bulkhead of 64 concurrent calls per provider service "
                          "(`ndx.gateway.providers.max-concurrent-calls`) refuses calls beyond what a provider was promised "
                          "with 503 `provider_busy`" if t == "platform" else "") + "."]
        best = {t: max(statistics.median(by[(t, c)]) for c in conns if (t, c) in by) for t in targets if any((t, c) in by for c in conns)}
        best_queries = best
        if "platform" in best and "nginx-proxy" in best:
            lines += ["", f"Best median throughput: platform {fmt(best['platform'])}, nginx proxy {fmt(best['nginx-proxy'])}"
                      + (f", bare gateway {fmt(best['bare-scg'])}" if "bare-scg" in best else "")
                      + f". **Platform / nginx proxy: {best['platform'] / best['nginx-proxy']:.2f}** (target ≥ 0.5)"
                      + (f"; platform / bare gateway: {best['platform'] / best['bare-scg']:.2f}" if "bare-scg" in best else "") + "."]
            if "platform-tls" in best and "nginx-proxy-tls" in best:
                lines += ["", f"Over HTTPS (TLS 1.3, the gateway's certificate on both): platform {fmt(best['platform-tls'])}, "
                          f"nginx proxy {fmt(best['nginx-proxy-tls'])}; **platform HTTPS / HTTP: "
                          f"{best['platform-tls'] / best['platform']:.2f}**, nginx HTTPS / HTTP: "
                          f"{best['nginx-proxy-tls'] / best['nginx-proxy']:.2f}; platform / nginx proxy over HTTPS: "
                          f"{best['platform-tls'] / best['nginx-proxy-tls']:.2f}."]
            series = []
            for t in targets:
                if t in best:
                    c = max((c for c in conns if (t, c) in by), key=lambda c: statistics.median(by[(t, c)]))
                    series.append((f"{t} ({c} conn.)", *median_spread(by[(t, c)])))
            bar_chart(series, "Queries per second at the best connection count (median, spread)", "req/s",
                      os.path.join(docs, "performance-sync.svg"))
            lines += ["", "![Queries per second](performance-sync.svg)"]
    if latency:
        by = defaultdict(lambda: defaultdict(list))
        for r in latency:
            key = (r["part"], r["target"])
            by[key]["p50"].append(float(r["p50_ms"]))
            by[key]["p99"].append(float(r["p99_ms"]))
            by[key]["rate"].append(float(r["rate"]))
        rate = statistics.median(by[("fixed-rate", "platform")]["rate"]) if ("fixed-rate", "platform") in by else 0
        lines += ["", f"Latency at a fixed rate of {fmt(rate)} requests per second, half of the platform's best, in "
                  "milliseconds. Two ways of sending it: `hey -c 16 -q <rate/16> -z 10s`, whose 16 workers tick in step "
                  "and so send bursts of 16 calls at once; and 16 `hey -c 1` processes at a sixteenth of the rate each, "
                  "started apart, so that calls arrive evenly spaced (percentiles over all their calls):", "",
                  "| target | p50, bursts of 16 | p99, bursts of 16 | p50, evenly spaced | p99, evenly spaced |",
                  "|---|---|---|---|---|"]
        for t in ["direct", "nginx-proxy", "platform"]:
            burst, steady = by.get(("fixed-rate", t)), by.get(("steady", t))
            if burst or steady:
                lines.append(f"| {t} | " + " | ".join(cell(m[q], 2) if m else "" for m in (burst, steady) for q in ("p50", "p99")) + " |")
        for part, how in (("fixed-rate", "in bursts of 16"), ("steady", "evenly spaced")):
            if (part, "platform") in by and (part, "direct") in by:
                added = statistics.median(by[(part, "platform")]["p50"]) - statistics.median(by[(part, "direct")]["p50"])
                added99 = statistics.median(by[(part, "platform")]["p99"]) - statistics.median(by[(part, "direct")]["p99"])
                lines += ["", f"**Calls {how}: the platform adds {added:.2f} ms at p50** (target ≤ 2 ms) and {added99:.2f} ms at p99."]
    if records:
        by = defaultdict(list)
        counts = []
        for r in records:
            by[r["target"]].append(float(r["records_per_second"]))
            if r["target"] != "producer-perf":
                counts.append(r)
        lines += ["", "## Records", "",
                  "1 KB records to the demo channel (its JSON Schema checked), acknowledged by Kafka with acks=all "
                  "from an idempotent producer before the 202; single submissions (`hey -c 64`), batches of 100 "
                  "(`hey -c 8`), and Kafka's own `ProducerPerformance` on the same broker with the same record size, "
                  "acks=all and idempotence. Records per second:", "",
                  "| how | records per second |", "|---|---|"]
        for t in ["single", "batch", "producer-perf"]:
            if t in by:
                lines.append(f"| {t} | {cell(by[t])} |")
        if "batch" in by and "producer-perf" in by:
            lines += ["", f"**Batched / ProducerPerformance: {statistics.median(by['batch']) / statistics.median(by['producer-perf']):.2f}** (target ≥ 0.5)."]
        if "single" in by and "platform" in best_queries:
            lines += [f"**Single submissions / the platform's best query rate: "
                      f"{statistics.median(by['single']) / best_queries['platform']:.2f}** (target ≥ 0.8)."]
        shown = [t for t in ["single", "batch", "producer-perf"] if t in by]
        bar_chart([(t, *median_spread(by[t])) for t in shown], "Records per second (median, spread)", "records/s",
                  os.path.join(docs, "performance-records.svg"))
        lines += ["", "![Records per second](performance-records.svg)"]
        per_record = {kind: {r["process"]: float(r["cpu_seconds_per_1000"]) for r in cost
                             if r["part"] == f"records-{kind}"} for kind in ["single", "batch"]}
        if per_record["single"] and per_record["batch"]:
            processes = [p for p in per_record["single"] if per_record["single"][p] >= 0.001 or per_record["batch"].get(p, 0) >= 0.001]
            busy = [float(r["server_cpu_busy_percent"]) for r in counts if r.get("server_cpu_busy_percent")]
            lines += ["", "Where a record's CPU goes: milliseconds of CPU per record accepted, by process (the Cost "
                      "section's figures for these runs)"
                      + (f"; the server core was {min(busy):.0f}" + (f"–{max(busy):.0f}" if max(busy) > min(busy) else "")
                         + " % busy during the runs" if busy else "")
                      + (", so the rates are what these costs allow on one core" if busy and min(busy) >= 90 else "") + ":", "",
                      "| process | single | batched |", "|---|---|---|"]
            for p in processes:
                lines.append(f"| {p} | {per_record['single'][p]:.3f} | {per_record['batch'].get(p, 0):.3f} |")
            single_all, batch_all = sum(per_record["single"].values()), sum(per_record["batch"].values())
            lines.append(f"| all | {single_all:.3f} | {batch_all:.3f} |")
            if "producer-perf" in by:
                budget = 1000 / (0.5 * statistics.median(by["producer-perf"]))
                lines += ["", "Beyond what Kafka's own producer does, the broker serves each record twice, to the "
                          "exchange's inbox index and to audit (which counts the event in the record's header), and "
                          "audit writes the record's row into its hash-chained log. Half of `ProducerPerformance`'s "
                          f"rate would leave {budget:.3f} ms of the core per record; the broker's part alone is "
                          f"{per_record['batch'].get('kafka', 0):.3f} ms. A single submission costs "
                          f"{single_all / batch_all:.0f} times a batched record: a whole call through the gateway and "
                          "the exchange, and Kafka requests carrying one record instead of a hundred."]
        lines += ["", "After each run, three numbers that must be equal: records answered 2xx, records added to the "
                  "topic, records audit counted:", "", "| run | 2xx | on the topic | audit |", "|---|---|---|---|"]
        for r in counts:
            lines.append(f"| {r['target']} #{r['rep']} | {r['answers_2xx']} | {r['records_on_topic']} | {r['audit_count']} |")
    # audit on PostgreSQL (audit.csv) beside the embedded H2 it used before (audit-h2.csv, kept as measured)
    stores = [(name, rows(os.path.join(results, file))) for name, file in
              (("PostgreSQL 17", "audit.csv"), ("H2 (embedded, before)", "audit-h2.csv"))]
    stores = [(name, audit) for name, audit in stores if audit]
    if stores:
        lines += ["", "## Audit", "",
                  "Lag: from a transaction's start at the gateway to its counting, at half the platform's best query rate "
                  "as the sync part run before it measured (`hey -c 16`), from audit's `ndx_audit_lag_seconds` histogram "
                  "(interpolated within its buckets). Catching up: audit stopped while 200,000 records were accepted, then "
                  "started; events counted per second from its first answer until it had counted them all. Replaying from "
                  "the start: a second audit with an empty store and a consumer group of its own reads both topics from "
                  "offset 0; events counted per second over its first million.", "",
                  "| store | lag p50 (ms) | lag p99 (ms) | catching up (events/s) | replaying from the start (events/s) |",
                  "|---|---|---|---|---|"]
        for name, audit in stores:
            lag = [r for r in audit if r["measure"] == "lag"]
            replay = [r for r in audit if r["measure"] == "replay"]
            from_start = [r for r in audit if r["measure"] == "from-start"]
            lines.append(f"| {name} | {cell([float(r['p50_ms']) for r in lag], 1) if lag else '-'} "
                         f"| {cell([float(r['p99_ms']) for r in lag], 1) if lag else '-'} "
                         f"| {cell([float(r['events_per_second']) for r in replay]) if replay else '-'} "
                         f"| {cell([float(r['events_per_second']) for r in from_start]) if from_start else '-'} |")
    drill = rows(os.path.join(results, "drill.csv"))
    if drill:
        runs = sorted({r["run"] for r in drill})
        lines += ["", "## Every part twice: the drill", "",
                  "`deploy/bench drill`: `deploy/run up --replicas 2 --brokers 3`, mixed traffic through both gateways "
                  "(queries; single records and batches of ten to a pulled channel; records to a pushed channel), and a "
                  "gateway, an exchange, an audit and a broker killed with SIGKILL one after another and started again "
                  "(e2e `ReplicasDrillCheck`). Every run checks the books; its figures:", "",
                  "| figure | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs)]
        figures = list(dict.fromkeys(r["figure"] for r in drill))
        for figure in figures:
            values = {r["run"]: r["value"] for r in drill if r["figure"] == figure}
            lines.append(f"| {figure} | " + " | ".join(values.get(run, "") for run in runs) + " |")
    backlog = rows(os.path.join(results, "backlog.csv"))
    if backlog:
        n = backlog[0]["records_waiting"]
        lines += ["", "## A recipient that stops pulling", "",
                  f"{int(n):,} records of 1 KB sent to an inbox nobody pulls; then the exchange restarted three times with them "
                  "waiting (an orderly stop, kill -9, an orderly stop with its snapshot deleted), and the inbox drained by one "
                  "recipient pulling 500 at a time and acknowledging each page (`deploy/benchmarks/backlog.py`).", "",
                  "| measure | value |", "|---|---|",
                  f"| heap per waiting record (after a full GC, minus idle, minus the payload cache) | {cell([float(r['heap_bytes_per_record']) for r in backlog])} bytes |",
                  f"| payloads held in memory meanwhile (the cache's bound) | {cell([float(r['payload_cache_mb']) for r in backlog])} MB |"]
        if "restart_after_kill_seconds" in backlog[0]:
            lines += [
                f"| restart to healthy after an orderly stop, from the snapshot written at the stop | {cell([float(r['restart_seconds']) for r in backlog], 1)} s, "
                f"{cell([float(r['read_after_stop']) for r in backlog])} messages read |",
                f"| restart to healthy after kill -9, from the last snapshot (at most a minute old) | {cell([float(r['restart_after_kill_seconds']) for r in backlog], 1)} s, "
                f"{cell([float(r['read_after_kill']) for r in backlog])} messages read |",
                f"| restart to healthy without a snapshot, every inbox rebuilt from the beginning of the topics | {cell([float(r['restart_without_snapshot_seconds']) for r in backlog], 1)} s, "
                f"{cell([float(r['read_without_snapshot']) for r in backlog])} messages read ({int(backlog[-1]['records_on_topic']):,} records on the topic at the last run) |",
                f"| snapshot: size, and time to write it (the feeder reads nothing meanwhile) | {cell([float(r['snapshot_mb']) for r in backlog], 1)} MB, "
                f"{cell([float(r['snapshot_write_ms']) for r in backlog])} ms |"]
        else:
            lines += [f"| restart to healthy, every inbox rebuilt from the records topic | {cell([float(r['restart_seconds']) for r in backlog], 1)} s "
                      f"({backlog[-1]['records_on_topic']} records on the topic at the last run) |"]
        lines += [f"| drain, records pulled and acknowledged per second | {cell([float(r['drain_records_per_second']) for r in backlog])} |"]
    restart = rows(os.path.join(results, "restart.csv"))
    if restart:
        lines += ["", "## The exchange's restart as the records topic grows", "",
                  "`deploy/bench restart`: the records topic filled with records already acknowledged (and their "
                  "acknowledgements), the exchange restarted after an orderly stop (it reads on from the snapshot written "
                  "at the stop) and once with its snapshot deleted (it reads both topics from the beginning, as every "
                  "restart did before snapshots). Time from the stop command to healthy (an orderly stop takes 3 to 5 s of "
                  "it: calls in flight finish, the snapshot is written, the JVM exits), and the records and statuses read "
                  "to get there.", "",
                  "| records on the topic | restart from the snapshot | messages read | without a snapshot | messages read | snapshot | writing it |",
                  "|---|---|---|---|---|---|---|"]
        for size in sorted({int(r["records_on_topic"]) for r in restart}):
            at = [r for r in restart if int(r["records_on_topic"]) == size]
            fast = [r for r in at if r["how"] == "stop"]
            full = [r for r in at if r["how"] == "without-snapshot"]
            if not fast or not full:
                continue
            lines.append(f"| {size:,} | {cell([float(r['seconds']) for r in fast], 1)} s | {cell([float(r['messages_read']) for r in fast])} "
                         f"| {cell([float(r['seconds']) for r in full], 1)} s | {cell([float(r['messages_read']) for r in full])} "
                         f"| {cell([float(r['snapshot_mb']) for r in fast], 1)} MB | {cell([float(r['snapshot_write_ms']) for r in fast])} ms |")
    day = rows(os.path.join(results, "national-day.csv"))
    if day:
        lines += ["", "## A national day", "", "`deploy/bench day`: the shape of a whole NDXP working day (34 provinces, "
                  "6 ministries' registries, one of them down; a quarter of the transactions records in batches of 50, "
                  "pulled and acknowledged by the recipient provinces meanwhile), as fast as the platform takes it. The "
                  "load generator shares the two cores with the platform (not pinned). The generator's share of a core "
                  "is its own CPU time while sending, over the wall time; the runs without it used Java's HttpClient, "
                  "which cost about 0.8 of a core, the later ones 64 blocking keep-alive connections.", "",
                  "| transactions | wall time (s) | average per second | peak in one second | unexpected answers | audit counted | generator (cores) | audit's store |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in day:
            t, sec = int(r["transactions"]), float(r["seconds"])
            generator = f"{float(r['generator_cpu_seconds']) / sec:.2f}" if r.get("generator_cpu_seconds") else ""
            lines.append(f"| {t:,} | {sec:.1f} | {t / sec:,.0f} | {int(r['peak_per_second']):,} | {int(r['unexpected']):,} "
                         f"| {int(r['audit_counted']):,} | {generator} | {'PostgreSQL' if r.get('audit_store') == 'postgresql' else 'H2'} |")
        # the median of the runs with the current generator and store, once there are any
        full = [r for r in day if int(r["transactions"]) >= 2_800_000]
        full = [r for r in full if r.get("generator_cpu_seconds")] or full
        full = [r for r in full if r.get("audit_store") == "postgresql"] or full
        if full:
            minutes = [float(r["seconds"]) / 60 for r in full]
            sec = statistics.median(minutes) * 60
            over = f"median of {len(full)} runs, {min(minutes):.1f} to {max(minutes):.1f}" if len(full) > 1 else "one run"
            lines += ["", f"**A day of 2.8 million in {sec / 60:.1f} minutes** ({over}; target under 10): "
                      f"{'met' if sec < 600 else 'missed'}."]
    if cost:
        lines += ["", "## Cost", "", "CPU-seconds each process spent during a part, per 1,000 transactions audit counted "
                  "in it, and its resident memory at the end of the part:", "",
                  "| part | process | CPU-s per 1,000 transactions | RSS (MB) |", "|---|---|---|---|"]
        for r in cost:
            lines.append(f"| {r['part']} | {r['process']} | {float(r['cpu_seconds_per_1000']):.3f} | {r['rss_mb']} |")
        totals = defaultdict(float)
        for r in cost:
            totals[r["part"]] += float(r["cpu_seconds_per_1000"])
        lines += [""] + [f"All processes, {part}: {value:.3f} CPU-seconds per 1,000 transactions." for part, value in totals.items()]
    lines += ["", "## Reproduce", "", "```bash", "deploy/run up", "deploy/bench all        # or: sync, records, audit, backlog, report; REPEAT=3 DURATION=10 by default",
              "deploy/bench day        # TRANSACTIONS=2800000 by default", "deploy/bench restart    # RESTART_AT=\"1000000 5000000 10000000\" by default", "```", ""]
    with open(target, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
