import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole NDXP working day through the platform, compressed in time as fast as it takes it: provinces'
 * one-stop portals query ministries' registries and send records to each other, hour by hour along the
 * curve of a Vietnamese working day, with a small share of calls refused (no grant) and failing (a
 * provider that is down). Meanwhile each province's portal pulls and acknowledges the records sent to it,
 * as a connected system does. At the end the audit's total for the day must have grown by exactly what was
 * sent. Run by {@code deploy/bench day}; arguments: gateway URL, audit URL, run directory, transactions.
 */
public class NationalDay {

    /** Share of a working day's transactions in each hour (Asia/Ho_Chi_Minh), from office-hours traffic. */
    static final double[] CURVE = {0.4, 0.3, 0.2, 0.2, 0.3, 0.6, 1.5, 4.0, 8.5, 10.5, 10.0, 8.0,
            4.5, 6.5, 9.0, 9.5, 8.0, 5.0, 2.5, 1.6, 1.2, 1.0, 0.8, 0.4};
    static final int PROVINCES = 34;
    static final String[] MINISTRIES = {"000.00.00.G01", "000.00.00.G02", "000.00.00.G03", "000.00.00.G04", "000.00.00.G05"};
    static final String DOWN_PROVIDER = "000.00.00.G06"; // registered, granted, and never up
    static final int BATCH = 50;
    static final double RECORD_SHARE = 0.25;
    static final int CONCURRENCY = 64;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    final String gateway;
    final String audit;
    final Path run;
    final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Client id and secret of each province's portal, for new tokens before the old expire (10 minutes). */
    final Map<String, String[]> credentials = new ConcurrentHashMap<>();
    final LongAdder received = new LongAdder();
    final LongAdder acceptedRecords = new LongAdder();
    volatile boolean sending = true;
    final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    final LongAdder sent = new LongAdder();
    final Map<Long, LongAdder> perSecond = new ConcurrentHashMap<>();
    final AtomicLong unexpected = new AtomicLong();

    NationalDay(String gateway, String audit, Path run) {
        this.gateway = gateway;
        this.audit = audit;
        this.run = run;
    }

    public static void main(String[] args) throws Exception {
        var day = new NationalDay(args[0], args[1], Path.of(args[2]));
        long transactions = args.length > 3 ? Long.parseLong(args[3]) : 2_800_000;
        day.register();
        var refresh = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "token-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresh.scheduleWithFixedDelay(day::refreshTokens, 4, 4, java.util.concurrent.TimeUnit.MINUTES);
        var recipients = new ArrayList<Thread>();
        for (int i = 0; i < PROVINCES; i++) {
            String province = province(i);
            var thread = new Thread(() -> day.receive(province), "recipient-" + province);
            thread.setDaemon(true);
            thread.start();
            recipients.add(thread);
        }
        day.replay(transactions, recipients);
    }

    // --- the registry of a small country: 34 provinces, 5 ministries' registries, one provider down

    static String province(int i) {
        return String.format("000.00.00.H%02d", 50 + i); // clear of the demo's H29 and H41
    }

    void register() throws Exception {
        String admin = token("platform-admin", secret("platform-admin"));
        for (String ministry : concat(MINISTRIES, DOWN_PROVIDER)) {
            admin("POST", "/admin/agencies", admin, "{\"code\":\"" + ministry + "\",\"name\":\"Bộ " + ministry + "\"}");
            admin("POST", "/admin/agencies/" + ministry + "/systems", admin, "{\"code\":\"registry\",\"name\":\"Registry\"}");
            String upstream = ministry.equals(DOWN_PROVIDER) ? "http://127.0.0.1:9" : "http://127.0.0.1:9001";
            admin("POST", "/admin/agencies/" + ministry + "/systems/registry/services", admin,
                    "{\"code\":\"lookup\",\"kind\":\"QUERY\",\"upstreamUrl\":\"" + upstream + "\",\"timeoutMillis\":2000,\"maxBodyBytes\":100000}");
            admin("POST", "/admin/assessments", admin, assessment(ministry, "registry", null));
            admin("POST", "/admin/assessments", admin, assessment(ministry, "registry", "lookup"));
        }
        var clients = new LinkedHashMap<String, String>();
        Path stored = run.resolve("national-day-clients.env");
        if (Files.exists(stored)) {
            for (String line : Files.readAllLines(stored)) {
                clients.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        for (int i = 0; i < PROVINCES; i++) {
            String province = province(i);
            admin("POST", "/admin/agencies", admin, "{\"code\":\"" + province + "\",\"name\":\"Tỉnh " + province + "\"}");
            admin("POST", "/admin/agencies/" + province + "/systems", admin, "{\"code\":\"portal\",\"name\":\"One-stop portal\"}");
            admin("POST", "/admin/agencies/" + province + "/systems/portal/services", admin,
                    "{\"code\":\"dossiers\",\"kind\":\"CHANNEL\",\"maxBodyBytes\":1048576,\"retentionDays\":7}");
            admin("POST", "/admin/assessments", admin, assessment(province, "portal", null));
            admin("POST", "/admin/assessments", admin, assessment(province, "portal", "dossiers"));
            String client = "national-day-" + province.substring(10).toLowerCase();
            if (!clients.containsKey(client)) {
                var created = admin("POST", "/admin/clients", admin,
                        "{\"clientId\":\"" + client + "\",\"agencyCode\":\"" + province + "\",\"systemCode\":\"portal\"}");
                if (!created.contains("\"secret\"")) { // made by an earlier run that did not keep its secret
                    created = admin("POST", "/admin/clients/" + client + "/secret", admin, "{}");
                }
                clients.put(client, field(created, "secret"));
                Files.writeString(stored, client + "=" + clients.get(client) + "\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            admin("PUT", "/admin/clients/" + client + "/limits", admin, "{\"requestsPerSecond\":100000,\"burst\":100000,\"concurrentCalls\":10000}");
        }
        for (int i = 0; i < PROVINCES; i++) {
            String province = province(i);
            // every province may query every ministry, the one that is down too, and send to its neighbour;
            // the last ministry's grant is left out for even provinces: their calls there are refused
            for (String ministry : concat(MINISTRIES, DOWN_PROVIDER)) {
                if (!(ministry.equals(MINISTRIES[MINISTRIES.length - 1]) && i % 2 == 0)) {
                    admin("POST", "/admin/grants", admin, grant(province, "portal", ministry, "registry", "lookup"));
                }
            }
            admin("POST", "/admin/grants", admin, grant(province, "portal", province((i + 1) % PROVINCES), "portal", "dossiers"));
        }
        for (int i = 0; i < PROVINCES; i++) {
            String client = "national-day-" + province(i).substring(10).toLowerCase();
            credentials.put(province(i), new String[] {client, clients.get(client)});
        }
        refreshTokens();
        Thread.sleep(3_000); // the registry's snapshot reaches the gateway
    }

    // --- the day

    void refreshTokens() {
        credentials.forEach((province, client) -> {
            try {
                tokens.put(province, token(client[0], client[1]));
            } catch (IOException | RuntimeException e) {
                System.out.println("[day] token of " + province + " not renewed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A province's portal taking its records: long polls, acknowledging each batch, until the day is sent and its inbox empty. */
    void receive(String province) {
        Pattern ids = Pattern.compile("\"transactionId\":\"([^\"]+)\"");
        while (true) {
            try {
                var pulled = http.send(HttpRequest.newBuilder(URI.create(gateway + "/inbox/dossiers?max=500&waitSeconds=2"))
                        .header("Authorization", "Bearer " + tokens.get(province)).build(), HttpResponse.BodyHandlers.ofString());
                if (pulled.statusCode() != 200) {
                    Thread.sleep(1_000);
                    continue;
                }
                var taken = new ArrayList<String>();
                for (Matcher id = ids.matcher(pulled.body()); id.find(); ) {
                    taken.add('"' + id.group(1) + '"');
                }
                if (taken.isEmpty()) {
                    if (!sending) {
                        return;
                    }
                    continue;
                }
                var ack = http.send(post("/inbox/dossiers/ack", province, "{\"transactionIds\":" + taken + "}"), HttpResponse.BodyHandlers.discarding());
                if (ack.statusCode() == 200) {
                    received.add(taken.size());
                }
            } catch (IOException e) {
                System.out.println("[day] " + province + " could not pull: " + e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void replay(long transactions, List<Thread> recipients) throws Exception {
        long before = auditTotal();
        var random = new Random(20260424);
        var slots = new Semaphore(CONCURRENCY);
        var payload = "{\"taxCode\":\"0301234567\",\"name\":\"Hồ sơ liên thông\",\"branch\":\"" + "x".repeat(700) + "\"}";
        var batch = new StringBuilder("{\"records\":[");
        for (int r = 0; r < BATCH; r++) {
            batch.append(r == 0 ? "" : ",").append("{\"payload\":").append(payload).append('}');
        }
        String batchBody = batch.append("]}").toString();
        long started = System.nanoTime();
        double total = 0;
        for (double share : CURVE) {
            total += share;
        }
        long planned = 0;
        for (int hour = 0; hour < 24; hour++) {
            long inHour = Math.round(transactions * CURVE[hour] / total);
            if (hour == 23) {
                inHour = transactions - planned;
            }
            planned += inHour;
            long hourStart = System.nanoTime();
            long done = 0;
            while (done < inHour) {
                int i = random.nextInt(PROVINCES);
                String province = province(i);
                double kind = random.nextDouble();
                HttpRequest request;
                long count;
                String expect;
                // a quarter of the transactions are records: one call in ~150 is a batch of 50
                if (kind < RECORD_SHARE / (RECORD_SHARE + (1 - RECORD_SHARE) * BATCH) && inHour - done >= BATCH) {
                    // records, in batches as a province's portal sends its dossiers: each record a transaction
                    request = post("/records/" + province((i + 1) % PROVINCES) + "/portal/dossiers/batch", province, batchBody);
                    count = BATCH;
                    expect = "200";
                } else {
                    double which = random.nextDouble();
                    String ministry;
                    if (which < 0.005) {
                        ministry = DOWN_PROVIDER; // failing: 503
                        expect = "503";
                    } else if (which < 0.015 && i % 2 == 0) {
                        ministry = MINISTRIES[MINISTRIES.length - 1]; // refused: no grant, 403
                        expect = "403";
                    } else {
                        ministry = MINISTRIES[random.nextInt(MINISTRIES.length - 1)];
                        expect = "200";
                    }
                    request = HttpRequest.newBuilder(URI.create(gateway + "/query/" + ministry + "/registry/lookup/citizen/" + random.nextInt(1_000_000)))
                            .header("Authorization", "Bearer " + tokens.get(province)).build();
                    count = 1;
                }
                slots.acquire();
                done += count;
                String expected = expect;
                boolean batched = count > 1;
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                    slots.release();
                    String status = error != null ? "error" : String.valueOf(response.statusCode());
                    // a batch the exchange answered holds a transaction per record; one refused whole is one
                    long counted = batched && "200".equals(status) ? BATCH : 1;
                    if (batched && "200".equals(status)) {
                        acceptedRecords.add(BATCH);
                    }
                    sent.add(counted);
                    outcomes.computeIfAbsent(status, s -> new LongAdder()).add(counted);
                    perSecond.computeIfAbsent((System.nanoTime() - started) / 1_000_000_000L, s -> new LongAdder()).add(counted);
                    if (!status.equals(expected)) {
                        unexpected.addAndGet(counted);
                    }
                });
            }
            System.out.printf("[day] hour %02d: %,d transactions in %.1f s%n", hour, inHour, (System.nanoTime() - hourStart) / 1e9);
        }
        slots.acquire(CONCURRENCY);
        double seconds = (System.nanoTime() - started) / 1e9;
        long peak = perSecond.values().stream().mapToLong(LongAdder::sum).max().orElse(0);
        System.out.printf("[day] %,d transactions in %.1f s (%.0f a second on average, peak %,d in one second)%n",
                sent.sum(), seconds, sent.sum() / seconds, peak);
        System.out.printf("[day] answers by status (transactions): %s; unexpected: %,d%n", outcomes, unexpected.get());
        sending = false;
        for (Thread recipient : recipients) {
            recipient.join(Duration.ofMinutes(10).toMillis());
        }
        System.out.printf("[day] recipients pulled and acknowledged %,d records (%,d accepted in this run, earlier leftovers too) %.1f s after the start%n",
                received.sum(), accepted(), (System.nanoTime() - started) / 1e9);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long counted = auditTotal() - before;
        while (counted < sent.sum() && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            counted = auditTotal() - before;
        }
        Thread.sleep(3_000);
        counted = auditTotal() - before;
        System.out.printf("[day] audit counted %,d for the day, %s what was sent (%,d); wall time to counted: %.1f s%n",
                counted, counted == sent.sum() ? "exactly" : "NOT", sent.sum(), (System.nanoTime() - started) / 1e9);
        Files.writeString(run.resolve("national-day.csv"), String.format("transactions,seconds,peak_per_second,unexpected,audit_counted%n%d,%.1f,%d,%d,%d%n",
                sent.sum(), seconds, peak, unexpected.get(), counted));
        if (counted != sent.sum()) {
            System.exit(1);
        }
    }

    /** Records answered 200 in a batch, each its own transaction. */
    long accepted() {
        return acceptedRecords.sum();
    }

    // --- HTTP

    HttpRequest post(String path, String province, String body) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).header("Authorization", "Bearer " + tokens.get(province))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    String admin(String method, String path, String token, String json) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300 && response.statusCode() != 409) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    String token(String clientId, String secret) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        return field(response.body(), "access_token");
    }

    String secret(String clientId) throws IOException {
        for (String line : Files.readAllLines(run.resolve("demo-clients.env"))) {
            if (line.startsWith(clientId + "=")) {
                return line.substring(clientId.length() + 1);
            }
        }
        throw new IllegalStateException("no secret for " + clientId);
    }

    long auditTotal() throws IOException, InterruptedException {
        String today = LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh")).toString();
        var body = http.send(HttpRequest.newBuilder(URI.create(audit + "/stats/daily?from=" + today + "&to=" + today)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher total = Pattern.compile("\"total\":(\\d+)").matcher(body);
        return total.find() ? Long.parseLong(total.group(1)) : 0;
    }

    static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!value.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return value.group(1);
    }

    /** A security assessment of a system, or of one of its services: nothing carries traffic before it. */
    static String assessment(String agency, String system, String service) {
        return "{\"agencyCode\":\"" + agency + "\",\"systemCode\":\"" + system + "\""
                + (service == null ? "" : ",\"serviceCode\":\"" + service + "\"")
                + ",\"assessedOn\":\"2026-11-01\",\"assessor\":\"benchmark\",\"reference\":\"DAY-1\"}";
    }

    static String grant(String consumer, String consumerSystem, String provider, String providerSystem, String service) {
        return "{\"consumerAgency\":\"" + consumer + "\",\"consumerSystem\":\"" + consumerSystem + "\",\"providerAgency\":\"" + provider
                + "\",\"providerSystem\":\"" + providerSystem + "\",\"service\":\"" + service + "\",\"reason\":\"national day benchmark\"}";
    }

    static String[] concat(String[] first, String last) {
        var all = new ArrayList<>(List.of(first));
        all.add(last);
        return all.toArray(String[]::new);
    }
}
