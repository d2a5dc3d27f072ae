package vn.ndx.audit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.contract.testing.GatewayProofs;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures operators ask for: every breakdown adds up, days are Vietnamese days, CSV says what JSON says. */
class StatsIT extends AuditTest {

    static final List<String> CONSUMERS = List.of(H29, H41, "000.00.00.H30");
    static final List<String> PROVIDERS = List.of(TAX, "000.00.00.G17");
    static final List<String> SERVICES = List.of("business-tax-status", "business-registration", "land-parcel");
    static final List<Outcome> OUTCOMES = List.of(Outcome.OK, Outcome.OK, Outcome.PROVIDER_ERROR, Outcome.REFUSED);

    @Test
    void n_transactions_make_n_in_every_breakdown_month_and_day() throws Exception {
        // May 2032 belongs to this test alone; 211 transactions spread unevenly over its days and dimensions
        int n = 211;
        var events = new ArrayList<TransactionEvent>();
        for (int i = 0; i < n; i++) {
            LocalDate day = LocalDate.of(2032, 5, 1 + i % 31);
            events.add(event(UUID.randomUUID().toString(), noonOf(day).plusSeconds(i), i % 3 == 0 ? TransactionKind.RECORD : TransactionKind.QUERY,
                    i % 17 == 0 ? null : CONSUMERS.get(i % CONSUMERS.size()), PROVIDERS.get(i % 5 % PROVIDERS.size()),
                    SERVICES.get(i % 7 % SERVICES.size()), OUTCOMES.get(i % 11 % OUTCOMES.size())));
        }
        for (TransactionEvent event : events) {
            if (event.kind() == TransactionKind.RECORD) {
                sendRecord(event, "{}");
            } else {
                sendEvent(event);
            }
        }
        sendEvent(events.get(5)); // delivered twice: still one
        awaitMonth("2032-05", n);
        String range = "from=2032-05-01&to=2032-05-31";

        long dailySum = 0;
        for (JsonNode day : json("/stats/daily?" + range)) {
            dailySum += day.get("total").asLong();
        }
        assertThat(dailySum).isEqualTo(n);
        assertThat(json("/stats/monthly?from=2032-04&to=2032-06").get(1).get("total").asLong()).isEqualTo(n);

        assertBreakdown(range, "consumer_agency", events, e -> List.of(String.valueOf(e.consumerAgency())), List.of("consumerAgency"));
        assertBreakdown(range, "provider_agency", events, e -> List.of(e.providerAgency()), List.of("providerAgency"));
        assertBreakdown(range, "service", events, e -> List.of(e.providerAgency(), e.service()), List.of("providerAgency", "service"));
        assertBreakdown(range, "kind", events, e -> List.of(e.kind().name()), List.of("kind"));
        assertBreakdown(range, "outcome", events, e -> List.of(e.outcome().name()), List.of("outcome"));

        // narrowed: the outcomes of one service, a per-service success and failure picture
        long taxOk = events.stream().filter(e -> "business-tax-status".equals(e.service()) && e.outcome() == Outcome.OK).count();
        JsonNode ofService = json("/stats/breakdown?" + range + "&by=outcome&service=business-tax-status");
        assertThat(find(ofService, "outcome", "OK").get("total").asLong()).isEqualTo(taxOk);

        // top N: the N largest, largest first
        JsonNode top = json("/stats/breakdown?" + range + "&by=service&top=2");
        JsonNode all = json("/stats/breakdown?" + range + "&by=service");
        assertThat(top).hasSize(2);
        assertThat(top.get(0)).isEqualTo(all.get(0));
        assertThat(top.get(1)).isEqualTo(all.get(1));
        assertThat(top.get(0).get("total").asLong()).isGreaterThanOrEqualTo(top.get(1).get("total").asLong());
    }

    @Test
    void transactions_either_side_of_vietnamese_midnight_land_on_their_days_in_every_view() throws Exception {
        sendEvent(event(UUID.randomUUID().toString(), Instant.parse("2032-06-30T16:59:59.999999Z"), TransactionKind.QUERY));
        sendEvent(event(UUID.randomUUID().toString(), Instant.parse("2032-06-30T17:00:00Z"), TransactionKind.QUERY));
        sendEvent(event(UUID.randomUUID().toString(), Instant.parse("2032-06-30T17:00:00.000001Z"), TransactionKind.RECORD));

        awaitMonth("2032-07", 2);
        JsonNode months = json("/stats/monthly?from=2032-06&to=2032-07");
        assertThat(months.get(0).get("month").asString()).isEqualTo("2032-06");
        assertThat(months.get(0).get("total").asLong()).isEqualTo(1);
        assertThat(months.get(1).get("total").asLong()).isEqualTo(2);
        JsonNode july1 = json("/stats/breakdown?from=2032-07-01&to=2032-07-01&by=kind");
        assertThat(find(july1, "kind", "QUERY").get("total").asLong()).isEqualTo(1);
        assertThat(find(july1, "kind", "RECORD").get("total").asLong()).isEqualTo(1);
        assertThat(json("/transactions?from=2032-06-30&to=2032-06-30").get("items")).hasSize(1);
        assertThat(json("/transactions?from=2032-07-01&to=2032-07-01").get("items")).hasSize(2);
    }

    @Test
    void a_query_parameter_no_endpoint_takes_is_refused_by_name() throws Exception {
        Map<String, String> unknownIn = Map.of("/stats/breakdown?from=2032-08-01&to=2032-08-31&by=service&groupBy=password", "groupBy",
                "/stats/daily?form=2032-08-01&to=2032-08-05", "form", "/transactions?from=2032-08-03&to=2032-08-03&sort=password", "sort");
        for (var asked : unknownIn.entrySet()) {
            var response = http.send(GatewayProofs.signed("audit", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + asked.getKey()))
                    .build()), HttpResponse.BodyHandlers.ofString());
            assertBadRequest(response, asked.getKey());
            assertThat(JSON.readTree(response.body()).get("detail").asString()).as(asked.getKey()).contains("'" + asked.getValue() + "'");
        }
    }

    @Test
    void csv_says_what_json_says() throws Exception {
        LocalDate day = LocalDate.of(2032, 8, 3);
        for (int i = 0; i < 7; i++) {
            sendEvent(event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY, i % 2 == 0 ? H29 : null, TAX,
                    "business-tax-status, \"quoted\"", Outcome.OK));
        }
        awaitTotal(port, day, 7);

        for (String path : List.of("/stats/daily?from=2032-08-01&to=2032-08-05", "/stats/monthly?from=2032-07&to=2032-09",
                "/stats/breakdown?from=2032-08-01&to=2032-08-31&by=service", "/stats/breakdown?from=2032-08-01&to=2032-08-31&by=consumer_agency",
                "/stats/year-on-year?month=2022-01", "/stats/month-to-date?month=2022-01", "/stats/history",
                "/transactions?from=2032-08-03&to=2032-08-03&size=5")) {
            JsonNode json = json(path);
            JsonNode rows = json.isArray() ? json : json.has("items") ? json.get("items") : JSON.createArrayNode().add(json);
            List<CSVRecord> csv = csv(path);
            assertThat(csv).as(path).hasSize(rows.size()).isNotEmpty();
            for (int i = 0; i < rows.size(); i++) {
                CSVRecord record = csv.get(i);
                for (String column : record.getParser().getHeaderNames()) {
                    JsonNode value = rows.get(i).get(column);
                    String text = value == null || value.isNull() ? "" : value.asString();
                    // the one difference: a text cell a spreadsheet would run as a formula is written with a leading '
                    boolean formula = value != null && value.isString() && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0;
                    assertThat(record.get(column)).as(path + " row " + i + " " + column).isEqualTo(formula ? "'" + text : text);
                }
            }
        }
        assertThat(csv("/stats/breakdown?from=2032-08-03&to=2032-08-03&by=service").get(0).get("service"))
                .isEqualTo("business-tax-status, \"quoted\"");
    }

    @Test
    void bad_questions_are_400_problems() throws Exception {
        for (String path : List.of("/stats/breakdown?from=2032-01-02&to=2032-01-01&by=kind", "/stats/breakdown?from=2020-01-01&to=2032-01-01&by=kind",
                "/stats/breakdown?from=2032-01-01&to=2032-01-02&by=weather", "/stats/breakdown?from=2032-01-01&to=2032-01-02",
                "/stats/breakdown?from=2032-01-01&to=2032-01-32&by=kind", "/stats/breakdown?from=2032-01-01&to=2032-01-02&by=kind&top=0",
                "/stats/breakdown?from=2032-01-01&to=2032-01-02&by=kind&outcome=FINE", "/stats/monthly?from=2032-02&to=2032-01",
                "/stats/monthly?from=2000-01&to=2032-01", "/stats/monthly?from=2032-13&to=2033-01", "/stats/monthly?from=2032-01",
                "/stats/year-on-year", "/stats/year-on-year?month=2022-01&year=2022", "/stats/year-on-year?year=22",
                "/stats/month-to-date?month=2999-01", "/stats/month-to-date?month=January", "/stats/daily?from=yesterday&to=today",
                "/transactions?from=2032-01-02&to=2032-01-01", "/transactions?from=2032-01-01&to=2032-01-02&size=501",
                "/transactions?from=2032-01-01&to=2032-01-02&outcome=FINE", "/transactions?from=2000-01-01&to=2032-01-02",
                "/transactions?from=2032-01-01T25:00:00Z&to=2032-01-02", "/audit/verify?from=2032-01-02&to=2032-01-01",
                "/audit/roots?from=2032-01-01", "/audit/entries?afterSeq=-1", "/audit/entries?size=100000")) {
            assertBadRequest(get(port, path), path);
            assertBadRequest(get(port, path, "text/csv"), path + " as CSV");
        }
    }

    private void assertBreakdown(String range, String by, List<TransactionEvent> events, Function<TransactionEvent, List<String>> key,
                                 List<String> fields) throws Exception {
        var expected = new HashMap<List<String>, Long>();
        events.forEach(e -> expected.merge(key.apply(e), 1L, Long::sum));
        var actual = new HashMap<List<String>, Long>();
        long sum = 0;
        for (JsonNode row : json("/stats/breakdown?" + range + "&by=" + by)) {
            var values = new ArrayList<String>();
            fields.forEach(field -> values.add(row.get(field).isNull() ? "null" : row.get(field).asString()));
            actual.put(values, row.get("total").asLong());
            sum += row.get("total").asLong();
        }
        assertThat(sum).as(by).isEqualTo(events.size());
        assertThat(actual).as(by).isEqualTo(expected);
    }

    private static JsonNode find(JsonNode rows, String field, String value) {
        for (JsonNode row : rows) {
            if (value.equals(row.get(field).asString())) {
                return row;
            }
        }
        throw new AssertionError("no row with " + field + " = " + value + " in " + rows);
    }

    private void awaitMonth(String month, long expected) throws Exception {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> json("/stats/monthly?from=" + month + "&to=" + month).get(0).get("total").asLong() >= expected);
        Thread.sleep(500); // a late double count would show now
        assertThat(json("/stats/monthly?from=" + month + "&to=" + month).get(0).get("total").asLong()).isEqualTo(expected);
    }
}
