package vn.ndx.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The citizen's data-access report on the running platform: HCMC's portal queries the demo tax-status service
 * (flagged personal data) for several citizens; the citizen portal's report for each holds exactly that
 * citizen's calls; and afterwards no citizen's number is anywhere the platform writes: not in a log, a metric,
 * a Kafka segment, a PostgreSQL file or Prometheus's store.
 */
final class CitizenReportCheck {

    static final String TAX_STATUS = "/query/000.00.18.G12/tax-registry/business-tax-status/business/";
    static final String PURPOSE = "administrative-procedure";
    /** The citizen README.md's walkthrough names: searched for too, never asked about here. */
    static final String README_CITIZEN = "079203001234";

    private final HttpClient http;
    private final String gateway;

    CitizenReportCheck(HttpClient http, String gateway) {
        this.http = http;
        this.gateway = gateway;
    }

    /** Runs the check with HCMC's system token and the citizen portal's token. */
    void run(String h29, String portal, Map<String, String> metricsUrls) throws Exception {
        // three citizens, interleaved, and calls that name none
        List<String> citizens = List.of("079203004321", "001099000777", "048187005555");
        Map<String, List<String>> made = new LinkedHashMap<>();
        citizens.forEach(citizen -> made.put(citizen, new ArrayList<>()));
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < citizens.size(); i++) {
                if (i > round) {
                    continue; // 4, 3 and 2 calls: different counts, so a mix-up shows
                }
                String citizen = citizens.get(i);
                var answer = query(h29, citizen, "0301234567");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                made.get(citizen).add(answer.headers().firstValue("X-Transaction-Id").orElseThrow());
            }
            assertThat(query(h29, null, "0301234567").statusCode()).isEqualTo(200);
        }
        var refused = http.send(HttpRequest.newBuilder(URI.create(gateway + TAX_STATUS + "0301234567"))
                .header("Authorization", "Bearer " + h29).header("X-Ndx-Data-Subject", citizens.get(0)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as("no purpose: " + refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("purpose_required");
        // an attempt refused for want of a purpose named no subject the gateway accepted: it is no access
        String today = LocalDate.now(PlatformIT.VIETNAM).toString();
        String range = "?from=" + LocalDate.now(PlatformIT.VIETNAM).minusDays(1) + "&to=" + today;

        for (String citizen : citizens) {
            List<String> expected = newestFirst(made.get(citizen));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> reported = List.of();
            while (System.nanoTime() < deadline) {
                reported = ids(report(portal, citizen, range, "application/json"));
                if (reported.size() >= expected.size()) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(reported).as("the report of %s", citizen).containsExactlyElementsOf(expected);
            JsonNode first = report(portal, citizen, range, "application/json").get("items").get(0);
            assertThat(first.get("consumerAgency").asString()).isEqualTo("000.00.00.H29");
            assertThat(first.get("service").asString()).isEqualTo("business-tax-status");
            assertThat(first.get("purpose").asString()).isEqualTo(PURPOSE);
            assertThat(first.get("outcome").asString()).isEqualTo("OK");
        }
        var csv = send(portal, citizens.get(1), range, "text/csv");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("transactionId,at,consumerAgency,consumerSystem,providerAgency");
        assertThat(lines.subList(1, lines.size()).stream().map(line -> line.substring(0, line.indexOf(','))).toList())
                .containsExactlyElementsOf(newestFirst(made.get(citizens.get(1))));
        // an agency system may not ask, nor an operator
        assertThat(send(h29, citizens.get(0), range, "application/json").statusCode()).isEqualTo(403);

        assertNowhere(citizens, made.get(citizens.get(0)).get(0), metricsUrls);
    }

    /**
     * Searches every file under the run directory (logs, Kafka's segments, PostgreSQL's data and WAL,
     * Prometheus's store, snapshots) and every metric the services expose for the numbers. A transaction id of
     * the same calls must be found in Kafka's and PostgreSQL's files, so the search is known to read them.
     */
    private void assertNowhere(List<String> citizens, String knownTransactionId, Map<String, String> metricsUrls) throws Exception {
        for (var source : metricsUrls.entrySet()) {
            var metrics = http.send(HttpRequest.newBuilder(URI.create(source.getValue())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            citizens.forEach(citizen -> assertThat(metrics.body()).as(source.getKey() + " metrics").doesNotContain(citizen));
        }
        Thread.sleep(2_000); // logs and segments flushed
        List<Path> roots = new ArrayList<>(List.of(Platform.RUN_DIR));
        Path postgres = Platform.RUN_DIR.resolve("postgres/data");
        if (!Files.isDirectory(postgres)) {
            // as root, deploy/run keeps PostgreSQL's files where its own system user can reach them
            String hash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Platform.RUN_DIR.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            postgres = Path.of("/var/lib/ndx-postgres", hash, "data");
            roots.add(postgres);
        }
        List<byte[]> needles = new ArrayList<>();
        citizens.forEach(citizen -> needles.add(citizen.getBytes(StandardCharsets.US_ASCII)));
        needles.add(README_CITIZEN.getBytes(StandardCharsets.US_ASCII));
        byte[] known = knownTransactionId.getBytes(StandardCharsets.US_ASCII);
        var holdingKnown = new TreeSet<String>();
        var holdingCitizen = new TreeSet<String>();
        long scanned = 0;
        for (Path root : roots) {
            try (var files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    if (file.toString().endsWith(".jar") || file.toString().contains("/postgres/17")) {
                        continue; // the platform's own code and the server's binaries
                    }
                    byte[] content;
                    try (InputStream in = Files.newInputStream(file)) {
                        content = in.readAllBytes();
                    } catch (IOException e) {
                        continue; // a file removed while walking (a rolled segment, a checkpoint)
                    }
                    scanned += content.length;
                    if (indexOf(content, known) >= 0) {
                        holdingKnown.add(root.relativize(file).toString().replaceAll("[0-9]+", "N"));
                    }
                    for (byte[] needle : needles) {
                        if (indexOf(content, needle) >= 0) {
                            holdingCitizen.add(file.toString());
                        }
                    }
                }
            }
        }
        assertThat(holdingCitizen).as("files holding a citizen's number (%d bytes searched)", scanned).isEmpty();
        assertThat(holdingKnown).as("the search reads Kafka's segments and PostgreSQL's files")
                .anySatisfy(path -> assertThat(path).contains("ndx.transactions"))
                .anySatisfy(path -> assertThat(path).matches(".*(pg_wal|base)/.*"));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private HttpResponse<String> query(String token, String citizen, String taxCode) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(gateway + TAX_STATUS + taxCode)).header("Authorization", "Bearer " + token)
                .header("X-Ndx-Purpose", PURPOSE);
        if (citizen != null) {
            request.header("X-Ndx-Data-Subject", citizen);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode report(String token, String citizen, String range, String accept) throws Exception {
        var response = send(token, citizen, range, accept);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PlatformIT.JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String token, String citizen, String range, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway + "/citizen/accesses" + range))
                .header("Authorization", "Bearer " + token).header("X-Ndx-Data-Subject", citizen).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> newestFirst(List<String> made) {
        var reversed = new ArrayList<>(made);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    private static List<String> ids(JsonNode report) {
        return report.get("items").valueStream().map(item -> item.get("transactionId").asString()).toList();
    }
}
