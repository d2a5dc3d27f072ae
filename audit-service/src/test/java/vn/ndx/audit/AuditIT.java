package vn.ndx.audit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import vn.ndx.contract.RegistryChange;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionKind;
import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Audit counting events from a real broker into its embedded database, read back over HTTP. Each test
 * counts on a day of its own, far in the future, so tests sharing the broker do not disturb each other.
 */
class AuditIT extends AuditTest {

    @Test
    void every_transaction_is_counted_once_on_its_day_whichever_topic_carried_it() throws Exception {
        LocalDate day = LocalDate.of(2031, 1, 1);
        for (int i = 0; i < 40; i++) {
            sendEvent(event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY));
        }
        for (int i = 0; i < 25; i++) {
            sendRecord(event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.RECORD), "{\"payload\":" + i + "}");
        }

        assertThat(awaitTotal(port, day, 65)).isEqualTo(65);
    }

    @Test
    void the_same_transaction_delivered_twice_or_emitted_by_two_services_counts_once() throws Exception {
        LocalDate day = LocalDate.of(2031, 1, 2);
        var twice = event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY);
        sendEvent(twice);
        sendEvent(twice);
        var both = event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.RECORD);
        sendRecord(both, "{}");
        sendEvent(both);
        sendEvent(event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY));

        assertThat(awaitTotal(port, day, 3)).isEqualTo(3);
    }

    @Test
    void vietnamese_midnight_is_17_00_utc() throws Exception {
        sendEvent(event(UUID.randomUUID().toString(), Instant.parse("2031-01-03T16:59:59Z"), TransactionKind.QUERY));
        sendEvent(event(UUID.randomUUID().toString(), Instant.parse("2031-01-03T17:00:00Z"), TransactionKind.QUERY));
        sendEvent(event(UUID.randomUUID().toString(), Instant.parse("2031-01-04T16:59:59.999Z"), TransactionKind.QUERY));

        assertThat(awaitTotal(port, LocalDate.of(2031, 1, 4), 2)).isEqualTo(2);
        var days = JSON.readTree(get(port, "/stats/daily?from=2031-01-03&to=2031-01-05").body());
        assertThat(days).hasSize(3);
        assertThat(days.get(0).get("date").asString()).isEqualTo("2031-01-03");
        assertThat(days.get(0).get("total").asLong()).isEqualTo(1);
        assertThat(days.get(1).get("total").asLong()).isEqualTo(2);
        assertThat(days.get(2).get("total").asLong()).isZero();
    }

    @Test
    void unreadable_events_and_non_json_payloads_do_no_harm() throws Exception {
        LocalDate day = LocalDate.of(2031, 1, 6);
        producer.send(new ProducerRecord<>(Topics.TRANSACTIONS, "garbage", "not json".getBytes(StandardCharsets.UTF_8))).get();
        sendRecord(event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.RECORD), "\u0000 binary, not JSON");
        sendEvent(event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY));

        assertThat(awaitTotal(port, day, 2)).isEqualTo(2);
    }

    @Test
    void a_restarted_audit_resumes_where_it_stopped_without_counting_anything_twice() throws Exception {
        LocalDate day = LocalDate.of(2031, 1, 7);
        String database = TestPostgres.server().newDatabase("audit_restart");
        String group = "ndx-audit-restart-" + UUID.randomUUID(); // audit may join groups ndx-audit* only
        for (int i = 0; i < 30; i++) {
            sendEvent(event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY));
        }
        try (var first = start(database, group)) {
            assertThat(awaitTotal(portOf(first), day, 30)).isEqualTo(30);
        }
        var repeated = event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY);
        sendEvent(repeated);
        sendEvent(repeated);
        try (var second = start(database, group)) {
            assertThat(awaitTotal(portOf(second), day, 31)).isEqualTo(31);
        }
    }

    @Test
    void bad_questions_get_400_problems_and_unknown_paths_404() throws Exception {
        for (String query : new String[] {"", "?from=2031-01-01", "?from=2031-13-01&to=2031-01-02",
                "?from=2031-02-01&to=2031-01-01", "?from=2020-01-01&to=2031-01-01"}) {
            var response = get(port, "/stats/daily" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("bad_request");
        }
        var unknown = get(port, "/nothing/here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("code").asString()).isEqualTo("not_found");
    }

    @Test
    void counting_is_visible_in_metrics() throws Exception {
        LocalDate day = LocalDate.of(2031, 1, 8);
        sendEvent(event(UUID.randomUUID().toString(), noonOf(day), TransactionKind.QUERY));
        awaitTotal(port, day, 1);

        var metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains(
                "ndx_audit_transactions_total{kind=\"QUERY\",outcome=\"OK\",provider_agency=\"000.00.18.G12\"}",
                "ndx_audit_lag_seconds_bucket", "kafka_consumer_fetch_manager_records_lag");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("UP");
        // audit's own port shows no metrics, not even to a caller with the gateway's proof
        assertThat(get(port, "/actuator/prometheus").statusCode()).isEqualTo(404);
    }

    @Test
    void registry_changes_are_kept_once_and_listed_newest_first() throws Exception {
        var first = new RegistryChange(UUID.randomUUID().toString(), Instant.parse("2031-02-01T03:00:00Z"), "h29-admin",
                "system.created", "000.00.00.H29/land-registry", "000.00.00.H29", 7);
        var second = new RegistryChange(UUID.randomUUID().toString(), Instant.parse("2031-02-01T04:00:00Z"), "platform-admin",
                "grant.created", "grant-1", "000.00.18.G12", 8);
        for (var change : List.of(first, second, first)) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY_CHANGES, change.entity(), JSON.writeValueAsBytes(change))).get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() ->
                JSON.readTree(get(port, "/audit/registry-changes?from=2031-02-01&to=2031-02-01").body()).get("items").size() == 2);
        var items = JSON.readTree(get(port, "/audit/registry-changes?from=2031-02-01&to=2031-02-01").body()).get("items");
        assertThat(items.get(0).get("action").asString()).isEqualTo("grant.created");
        assertThat(items.get(1).get("actor").asString()).isEqualTo("h29-admin");
        var ofH29 = JSON.readTree(get(port, "/audit/registry-changes?from=2031-02-01&to=2031-02-01&agency=000.00.00.H29").body());
        assertThat(ofH29.get("items")).hasSize(1);
    }

    // --- helpers

    private static ConfigurableApplicationContext start(String database, String group) {
        var arguments = new java.util.ArrayList<>(List.of("--server.port=0", "--spring.jmx.enabled=false",
                // no management server: these instances are asked on their own port only
                "--management.server.port=-1", "--ndx.gateway-proof.key-file=" + GatewayProofs.keyFile("audit"),
                "--spring.kafka.consumer.group-id=" + group));
        arguments.addAll(KafkaFixture.springArguments("audit"));
        arguments.addAll(TestPostgres.server().springArguments(database));
        return new SpringApplicationBuilder(AuditApplication.class).run(arguments.toArray(String[]::new));
    }

    private static int portOf(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
