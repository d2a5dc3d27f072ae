import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole NDXP working day through the platform, compressed in time as fast as it takes it: provinces'
 * one-stop portals query ministries' registries and send records to each other, hour by hour along the
 * curve of a Vietnamese working day, with a small share of calls refused (no grant) and failing (a
 * provider that is down). Meanwhile each province's portal pulls and acknowledges the records sent to it,
 * as a connected system does. At the end the audit's total for the day must have grown by exactly what was
 * sent. Run by {@code deploy/bench day}; arguments: gateway URL, run directory, transactions.
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
    final String authority;
    final Path run;
    final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Client id and secret of each province's portal, for new tokens before the old expire (10 minutes). */
    final Map<String, String[]> credentials = new ConcurrentHashMap<>();
    final LongAdder received = new LongAdder();
    final LongAdder acceptedRecords = new LongAdder();
    volatile boolean sending = true;
    final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    final LongAdder sent = new LongAdder();
    /** Transactions answered in each second since the start (a day longer than 18 hours lands in the last). */
    final AtomicLongArray perSecond = new AtomicLongArray(65_536);
    final AtomicLong unexpected = new AtomicLong();

    NationalDay(String gateway, Path run) {
        this.gateway = gateway;
        this.authority = URI.create(gateway).getAuthority();
        this.run = run;
    }

    public static void main(String[] args) throws Exception {
        var day = new NationalDay(args[0], Path.of(args[1]));
        long transactions = args.length > 2 ? Long.parseLong(args[2]) : 2_800_000;
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
        // the go-live gate is the security assessor's: platform administrators do not certify systems
        String assessor = token("platform-assessor", secret("platform-assessor"));
        for (String ministry : concat(MINISTRIES, DOWN_PROVIDER)) {
            admin("POST", "/admin/agencies", admin, "{\"code\":\"" + ministry + "\",\"name\":\"Bộ " + ministry + "\"}");
            admin("POST", "/admin/agencies/" + ministry + "/systems", admin, "{\"code\":\"registry\",\"name\":\"Registry\"}");
            // the benchmark's providers answer on this machine over plain HTTP: the platform administrator allows it
            admin("PUT", "/admin/agencies/" + ministry + "/egress", admin, "{\"plainHttp\":true,\"networks\":[\"127.0.0.0/8\"]}");
            String upstream = ministry.equals(DOWN_PROVIDER) ? "http://127.0.0.1:9" : "http://127.0.0.1:9001";
            admin("POST", "/admin/agencies/" + ministry + "/systems/registry/services", admin,
                    "{\"code\":\"lookup\",\"kind\":\"QUERY\",\"upstreamUrl\":\"" + upstream + "\",\"timeoutMillis\":2000,\"maxBodyBytes\":100000}");
            admin("POST", "/admin/assessments", assessor, assessment(ministry, "registry", null));
            admin("POST", "/admin/assessments", assessor, assessment(ministry, "registry", "lookup"));
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
            admin("POST", "/admin/assessments", assessor, assessment(province, "portal", null));
            admin("POST", "/admin/assessments", assessor, assessment(province, "portal", "dossiers"));
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
        int quiet = 0;
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
                    // the exchange indexes accepted records a moment after Kafka has them: done only after
                    // three empty long polls (6 seconds) once the day is sent
                    if (!sending && ++quiet == 3) {
                        return;
                    }
                    continue;
                }
                quiet = 0;
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
        var payload = "{\"taxCode\":\"0301234567\",\"name\":\"Hồ sơ liên thông\",\"branch\":\"" + "x".repeat(700) + "\"}";
        var batch = new StringBuilder("{\"records\":[");
        for (int r = 0; r < BATCH; r++) {
            batch.append(r == 0 ? "" : ",").append("{\"payload\":").append(payload).append('}');
        }
        var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = cpu.getProcessCpuTime();
        var plan = new Plan(transactions, batch.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        var senders = new ArrayList<Thread>();
        for (int c = 0; c < CONCURRENCY; c++) {
            var thread = new Thread(() -> send(plan), "sender-" + c);
            thread.start();
            senders.add(thread);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double seconds = (System.nanoTime() - plan.started) / 1e9;
        double generatorCpu = (cpu.getProcessCpuTime() - cpuBefore) / 1e9;
        long peak = 0;
        for (int s = 0; s < perSecond.length(); s++) {
            peak = Math.max(peak, perSecond.get(s));
        }
        System.out.printf("[day] %,d transactions in %.1f s (%.0f a second on average, peak %,d in one second)%n",
                sent.sum(), seconds, sent.sum() / seconds, peak);
        System.out.printf("[day] answers by status (transactions): %s; unexpected: %,d%n", outcomes, unexpected.get());
        System.out.printf("[day] the generator itself used %.1f CPU-seconds sending it (%.2f of a core)%n", generatorCpu, generatorCpu / seconds);
        sending = false;
        for (Thread recipient : recipients) {
            recipient.join(Duration.ofMinutes(10).toMillis());
        }
        System.out.printf("[day] recipients pulled and acknowledged %,d records (%,d accepted in this run, earlier leftovers too) %.1f s after the start%n",
                received.sum(), accepted(), (System.nanoTime() - plan.started) / 1e9);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long counted = auditTotal() - before;
        while (counted < sent.sum() && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            counted = auditTotal() - before;
        }
        Thread.sleep(3_000);
        counted = auditTotal() - before;
        System.out.printf("[day] audit counted %,d for the day, %s what was sent (%,d); wall time to counted: %.1f s%n",
                counted, counted == sent.sum() ? "exactly" : "NOT", sent.sum(), (System.nanoTime() - plan.started) / 1e9);
        Files.writeString(run.resolve("national-day.csv"), String.format(
                "transactions,seconds,peak_per_second,unexpected,audit_counted,generator_cpu_seconds%n%d,%.1f,%d,%d,%d,%.1f%n",
                sent.sum(), seconds, peak, unexpected.get(), counted, generatorCpu));
        if (counted != sent.sum()) {
            System.exit(1);
        }
    }

    /** One sender: a keep-alive connection to the gateway, taking the day's calls one after another until none are left. */
    void send(Plan plan) {
        var connection = new Connection(URI.create(gateway));
        for (Call call = plan.next(); call != null; call = plan.next()) {
            String status;
            try {
                status = String.valueOf(connection.exchange(call.request));
            } catch (IOException e) {
                connection.close();
                status = "error";
            }
            // a batch the exchange answered holds a transaction per record; one refused whole is one
            boolean acceptedBatch = call.count > 1 && "200".equals(status);
            long counted = acceptedBatch ? call.count : 1;
            if (acceptedBatch) {
                acceptedRecords.add(counted);
            }
            sent.add(counted);
            outcomes.computeIfAbsent(status, s -> new LongAdder()).add(counted);
            perSecond.addAndGet((int) Math.min(perSecond.length() - 1, (System.nanoTime() - plan.started) / 1_000_000_000L), counted);
            if (!status.equals(call.expected)) {
                unexpected.addAndGet(counted);
            }
        }
        connection.close();
    }

    /** A call of the day: the request's bytes, the transactions it carries, and the status it should get. */
    record Call(byte[] request, int count, String expected) {}

    /** The day's calls in order, hour by hour along the curve; senders take the next one as they become free. */
    final class Plan {
        final Random random = new Random(20260424);
        final long transactions;
        final byte[] batchBody;
        final long started = System.nanoTime();
        final double total;
        int hour = -1;
        long planned;
        long inHour;
        long done;
        long hourStart;

        Plan(long transactions, byte[] batchBody) {
            this.transactions = transactions;
            this.batchBody = batchBody;
            double sum = 0;
            for (double share : CURVE) {
                sum += share;
            }
            this.total = sum;
        }

        /** The next call, or null once the whole day has been handed out. */
        synchronized Call next() {
            while (done >= inHour) {
                if (hour == 24) {
                    return null;
                }
                if (hour >= 0) {
                    System.out.printf("[day] hour %02d: %,d transactions in %.1f s%n", hour, inHour, (System.nanoTime() - hourStart) / 1e9);
                }
                if (++hour == 24) {
                    return null;
                }
                inHour = hour == 23 ? transactions - planned : Math.round(transactions * CURVE[hour] / total);
                planned += inHour;
                done = 0;
                hourStart = System.nanoTime();
            }
            int i = random.nextInt(PROVINCES);
            String province = province(i);
            // a quarter of the transactions are records: one call in ~150 is a batch of 50
            if (random.nextDouble() < RECORD_SHARE / (RECORD_SHARE + (1 - RECORD_SHARE) * BATCH) && inHour - done >= BATCH) {
                done += BATCH;
                return new Call(Connection.post(authority, "/records/" + province((i + 1) % PROVINCES) + "/portal/dossiers/batch",
                        tokens.get(province), batchBody), BATCH, "200");
            }
            double which = random.nextDouble();
            String ministry;
            String expect;
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
            done += 1;
            return new Call(Connection.get(authority, "/query/" + ministry + "/registry/lookup/citizen/" + random.nextInt(1_000_000),
                    tokens.get(province)), 1, expect);
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
        // audit answers the gateway only: the operator asks through it
        var body = http.send(HttpRequest.newBuilder(URI.create(gateway + "/stats/daily?from=" + today + "&to=" + today))
                .header("Authorization", "Bearer " + token("platform-operator", secret("platform-operator"))).build(),
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

    /**
     * One keep-alive HTTP/1.1 connection to the gateway, blocking, written by hand: Java's HttpClient took
     * about 0.45 ms of CPU a call, more than the gateway's work for it, and the generator shares the machine
     * with the platform. Reads each answer through and keeps only its status.
     */
    static final class Connection {
        final String host;
        final int port;
        final byte[] buffer = new byte[65_536];
        int position;
        int limit;
        Socket socket;
        OutputStream out;
        InputStream in;

        Connection(URI gateway) {
            this.host = gateway.getHost();
            this.port = gateway.getPort();
        }

        static byte[] get(String authority, String path, String token) {
            return ("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }

        static byte[] post(String authority, String path, String token, byte[] body) {
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            return request;
        }

        /** Sends the request and reads its whole answer; the status code. */
        int exchange(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                out = socket.getOutputStream();
                in = socket.getInputStream();
                position = limit = 0;
            }
            out.write(request);
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String name = header.substring(0, Math.max(0, header.indexOf(':'))).toLowerCase(Locale.ROOT);
                String value = header.substring(header.indexOf(':') + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0; size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) { } // trailers
            } else if (length >= 0) {
                skip(length);
            } else {
                close = true; // the body runs to the end of the connection
            }
            if (close) {
                close();
            }
            return code;
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing a connection that already failed
            }
            socket = null;
        }

        private boolean fill() throws IOException {
            position = 0;
            limit = in.read(buffer);
            if (limit < 0) {
                limit = 0;
                throw new EOFException("the gateway closed the connection");
            }
            return true;
        }

        private String line() throws IOException {
            var line = new StringBuilder();
            while (true) {
                if (position == limit) {
                    fill();
                }
                char c = (char) (buffer[position++] & 0xff);
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append(c);
            }
        }

        private void skip(long bytes) throws IOException {
            while (bytes > 0) {
                if (position == limit) {
                    fill();
                }
                int n = (int) Math.min(bytes, limit - position);
                position += n;
                bytes -= n;
            }
        }
    }

    static String[] concat(String[] first, String last) {
        var all = new ArrayList<>(List.of(first));
        all.add(last);
        return all.toArray(String[]::new);
    }
}
