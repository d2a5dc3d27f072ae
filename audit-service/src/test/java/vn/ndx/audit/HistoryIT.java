package vn.ndx.audit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import vn.ndx.contract.Headers;
import vn.ndx.contract.TransactionKind;
import vn.ndx.contract.testing.GatewayProofs;

import static org.assertj.core.api.Assertions.assertThat;

/** Totals from before the platform: imported, marked, added to totals, never counted twice. */
class HistoryIT extends AuditTest {

    @Test
    void the_ndxp_figures_are_there_from_the_first_start_and_give_the_published_multiple() throws Exception {
        JsonNode yearOnYear = json("/stats/year-on-year?month=2022-01");
        assertThat(yearOnYear.get("total").asLong()).isEqualTo(50_625_591);
        assertThat(yearOnYear.get("previousPeriod").asString()).isEqualTo("2021-01");
        assertThat(yearOnYear.get("previousTotal").asLong()).isEqualTo(2_090_616);
        assertThat(yearOnYear.get("multiple").decimalValue()).isEqualByComparingTo("24.2156"); // "24 times"
        assertThat(yearOnYear.get("imported").asBoolean()).isTrue();

        JsonNode january = json("/stats/month-to-date?month=2022-01");
        assertThat(january.get("total").asLong()).isEqualTo(50_625_591);
        assertThat(january.get("asOf").asString()).isEqualTo("2022-01-28T04:00:00Z"); // 11:00 in Hanoi
        assertThat(january.get("imported").asBoolean()).isTrue();

        JsonNode months = json("/stats/monthly?from=2022-08&to=2022-09");
        assertThat(months.get(0).get("total").asLong()).isZero();
        assertThat(months.get(0).get("imported").asBoolean()).isFalse();
        assertThat(months.get(1).get("total").asLong()).isEqualTo(58_397_139);
        assertThat(months.get(1).get("imported").asBoolean()).isTrue();
    }

    @Test
    void a_caller_without_the_gateways_proof_reads_no_log_and_rewrites_no_history() throws Exception {
        // as an insider on the platform's network would try, straight at audit's port
        var log = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/transactions?from=2022-09-01&to=2022-09-30"))
                .header(Headers.OPERATOR, "platform-operator").build(), HttpResponse.BodyHandlers.ofString());
        assertNotFromGateway(log);
        var rewrite = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats/history"))
                .header("Content-Type", "text/csv").header(Headers.OPERATOR, "platform-operator")
                .POST(HttpRequest.BodyPublishers.ofString("period,total\n2022-09,1\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertNotFromGateway(rewrite);
        // a proof made for reading the statistics does not carry a rewrite of them
        var reading = GatewayProofs.signed("audit", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats/history")).build());
        var replayed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats/history"))
                .header("Content-Type", "text/csv").header(Headers.GATEWAY_PROOF, reading.headers().firstValue(Headers.GATEWAY_PROOF).orElseThrow())
                .POST(HttpRequest.BodyPublishers.ofString("period,total\n2022-09,1\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertNotFromGateway(replayed);

        assertThat(json("/stats/monthly?from=2022-09&to=2022-09").get(0).get("total").asLong()).isEqualTo(58_397_139);
    }

    @Test
    void only_a_platform_administrator_imports_history_and_no_more_than_a_mebibyte() throws Exception {
        // the read-only operator, through the gateway with a genuine proof, cannot rewrite published totals
        assertThat(postCsv("/stats/history", "period,total\n2022-09,1\n", vn.ndx.contract.RegistrySnapshot.Operator.READ_ONLY)
                .statusCode()).isEqualTo(403);
        var huge = postCsv("/stats/history", "period,total\n" + "2017-01-01,1\n".repeat(90_000));
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(413);
        assertThat(JSON.readTree(huge.body()).get("code").asString()).isEqualTo("payload_too_large");
        assertThat(json("/stats/monthly?from=2022-09&to=2022-09").get(0).get("total").asLong()).isEqualTo(58_397_139);
        assertThat(json("/stats/daily?from=2017-01-01&to=2017-01-01").get(0).get("total").asLong()).isZero();
    }

    @Test
    void a_formula_in_an_imported_cell_reaches_no_spreadsheet() throws Exception {
        assertThat(postCsv("/stats/history", "period,total,source\n2016-02,7,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\n"
                + "2016-03,8,@SUM(A1)\n2016-04,9,+1\n2016-05,10,-1\n").statusCode()).isEqualTo(200);
        var csv = http.send(GatewayProofs.signed("audit", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats/history"))
                .header("Accept", "text/csv").build()), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(csv).contains("'=HYPERLINK", "'@SUM(A1)", "'+1", "'-1");
        assertThat(csv.lines()).noneMatch(line -> line.matches(".*,\"?[=+@-].*"));
    }

    private static void assertNotFromGateway(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("not_from_gateway");
    }

    @Test
    void daily_and_monthly_totals_import_from_csv_and_show_as_imported() throws Exception {
        var response = postCsv("/stats/history", """
                period,total,source
                2019-03-01,1200,ledger of the old hub
                2019-03-02,"1,300",ledger of the old hub
                2019-04,45000,monthly report
                """);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("figures").asInt()).isEqualTo(3);

        JsonNode days = json("/stats/daily?from=2019-03-01&to=2019-03-03");
        assertThat(days.get(0).get("total").asLong()).isEqualTo(1200);
        assertThat(days.get(0).get("imported").asBoolean()).isTrue();
        assertThat(days.get(1).get("total").asLong()).isEqualTo(1300);
        assertThat(days.get(2).get("total").asLong()).isZero();
        assertThat(days.get(2).get("imported").asBoolean()).isFalse();
        JsonNode months = json("/stats/monthly?from=2019-03&to=2019-04");
        assertThat(months.get(0).get("total").asLong()).isEqualTo(2500);
        assertThat(months.get(1).get("total").asLong()).isEqualTo(45000);
        assertThat(json("/stats/year-on-year?year=2020").get("previousTotal").asLong()).isEqualTo(47500);

        // a correction replaces the figure
        assertThat(postCsv("/stats/history", "period,total\n2019-04,46000\n").statusCode()).isEqualTo(200);
        assertThat(json("/stats/monthly?from=2019-04&to=2019-04").get(0).get("total").asLong()).isEqualTo(46000);
    }

    @Test
    void an_import_that_would_count_transactions_twice_is_refused_whole() throws Exception {
        LocalDate counted = LocalDate.of(2033, 4, 1);
        sendEvent(event(UUID.randomUUID().toString(), noonOf(counted), TransactionKind.QUERY));
        awaitTotal(port, counted, 1);
        assertThat(postCsv("/stats/history", "period,total\n2018-05,1000\n").statusCode()).isEqualTo(200);

        assertConflict(postCsv("/stats/history", "period,total\n2018-06-01,5\n2018-05-10,7\n"), "a day inside an imported month");
        assertConflict(postCsv("/stats/history", "period,total\n2033-04,5\n"), "a month the platform counted in");
        assertConflict(postCsv("/stats/history", "period,total\n2018-07,5\n2018-07-02,5\n"), "a month and its day in one file");
        assertThat(json("/stats/daily?from=2018-06-01&to=2018-06-01").get(0).get("total").asLong()).as("nothing of a refused file").isZero();
        assertThat(total(port, counted)).isEqualTo(1);

        assertBadRequest(postCsv("/stats/history", "period,total\n2018-13,5\n"), "a bad month");
        assertBadRequest(postCsv("/stats/history", "period,total\n2018-08,-5\n"), "a negative total");
        assertBadRequest(postCsv("/stats/history", "period,total\n2018-08,many\n"), "a total that is no number");
        assertBadRequest(postCsv("/stats/history", "when,count\n2018-08,5\n"), "no period and total columns");
        assertBadRequest(postCsv("/stats/history", "period,total\n"), "no figures");
        assertBadRequest(postCsv("/stats/history", "period,total,as_of\n2018-08,5,yesterday\n"), "a bad as_of");
    }

    private static void assertConflict(java.net.http.HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).get("code").asString()).as(what).isEqualTo("conflict");
    }
}
