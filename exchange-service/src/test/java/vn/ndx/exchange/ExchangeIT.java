package vn.ndx.exchange;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;
import vn.ndx.contract.testing.RegistryKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The exchange over real HTTP, called as the gateway calls it, on a real Kafka broker. */
@org.springframework.test.annotation.DirtiesContext // its push deliverer must not outlive the class
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ndx.exchange.inbox.visibility-timeout=PT1S", "ndx.exchange.push.max-attempts=3",
                "ndx.exchange.retention.sweep-interval=PT0.2S", "ndx.exchange.gauge-interval=PT0.5S",
                "ndx.exchange.push.first-backoff=PT0.05S", "ndx.exchange.push.max-backoff=PT0.2S", "management.server.port=0"})
class ExchangeIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String H29 = "000.00.00.H29";
    static final String H41 = "000.00.00.H41";
    static final String CHANNEL = "/records/" + H41 + "/one-stop-portal/business-registration";
    static final String PUSHED = "/records/" + H41 + "/one-stop-portal/dossier-push";
    static final String REFUSED = "/records/" + H41 + "/one-stop-portal/notice-push";
    static Webhook dossiers;
    static Webhook notices;
    static final List<ConsumerRecord<String, byte[]>> seen = Collections.synchronizedList(new ArrayList<>());
    static volatile boolean reading = true;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    final HttpClient http = HttpClient.newHttpClient();

    static String pushKeyFile;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        dossiers = new Webhook();
        notices = new Webhook();
        notices.status = 500;
        publishRegistry();
        pushKeyFile = java.nio.file.Files.createTempDirectory("exchange-it").resolve("push-key").toString();
        registry.add("ndx.exchange.push.key-file", () -> pushKeyFile);
        readTopics();
        KafkaFixture.springProperties("exchange").forEach((key, value) -> registry.add(key, () -> value)); // as itself on Kafka
        registry.add("ndx.gateway-proof.key-file", () -> GatewayProofs.keyFile("exchange"));
        registry.add("ndx.registry-trust.file", () -> RegistryKeys.trustFile().toString());
    }

    @AfterAll
    static void stopReading() {
        reading = false;
        dossiers.close();
        notices.close();
    }

    @BeforeEach
    void healthy() {
        await().atMost(Duration.ofSeconds(30)).until(() -> management("/actuator/health").statusCode() == 200);
        drain(H41);
    }

    @Test
    void accepted_record_is_on_kafka_with_its_event_and_the_body_unchanged() throws Exception {
        String body = "{\"taxCode\":\"0301234567\", \"note\":\"Sài Gòn\"}";
        var response = submit(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = JSON.readTree(response.body()).get("transactionId").asString();
        assertThat(response.headers().firstValue(Headers.TRANSACTION_ID)).hasValue(id);
        var record = await().atMost(Duration.ofSeconds(10)).until(() -> find(Topics.RECORDS, id), r -> r != null);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(record.key()).isEqualTo(H29 + "/one-stop-portal>" + H41 + "/one-stop-portal/business-registration");
        var event = JSON.readValue(record.headers().lastHeader(Headers.TRANSACTION_EVENT).value(), TransactionEvent.class);
        assertThat(event.outcome()).isEqualTo(Outcome.OK);
        assertThat(event.consumerAgency()).isEqualTo(H29);
        assertThat(event.providerAgency()).isEqualTo(H41);
        assertThat(event.service()).isEqualTo("business-registration");
        assertThat(event.emitter()).isEqualTo("exchange");
        assertThat(find(Topics.TRANSACTIONS, id)).isNull();
    }

    @Test
    void a_caller_that_reaches_the_port_without_the_gateways_proof_is_refused_and_changes_nothing() throws Exception {
        // as an insider on the platform's network would try: identity headers of the sender's choosing,
        // an agency that does not exist, a chosen transaction id on a past day
        String forgedId = UUID.randomUUID().toString();
        var forged = HttpRequest.newBuilder(uri(CHANNEL)).header(Headers.CALLER_AGENCY, "000.00.00.H99")
                .header(Headers.CALLER_SYSTEM, "one-stop-portal").header(Headers.CALLER_CLIENT, "x")
                .header(Headers.TRANSACTION_ID, forgedId).header(Headers.TRANSACTION_STARTED_AT, "2021-03-03T00:00:00Z")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"forged\":true}")).build();
        assertProblem(http.send(forged, HttpResponse.BodyHandlers.ofString()), 401, "not_from_gateway");

        // Nghệ An's push secret and inbox, with its identity but no proof
        var secret = HttpRequest.newBuilder(uri("/inbox/business-registration/push-secret")).headers(identity(H41)).build();
        assertProblem(http.send(secret, HttpResponse.BodyHandlers.ofString()), 401, "not_from_gateway");
        var inbox = HttpRequest.newBuilder(uri("/inbox/business-registration?max=10")).headers(identity(H41)).build();
        assertProblem(http.send(inbox, HttpResponse.BodyHandlers.ofString()), 401, "not_from_gateway");
        var operations = HttpRequest.newBuilder(uri("/operations/dead-letters?max=10")).header(Headers.OPERATOR, "platform-operator")
                .header(Headers.TRANSACTION_ID, UUID.randomUUID().toString()).build();
        assertProblem(http.send(operations, HttpResponse.BodyHandlers.ofString()), 401, "not_from_gateway");

        // a proof the gateway made for one call lends nothing to another: other caller, other path, expired
        var proven = GatewayProofs.signed("exchange", HttpRequest.newBuilder(uri(CHANNEL)).headers(identity(H29))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        String proof = proven.headers().firstValue(Headers.GATEWAY_PROOF).orElseThrow();
        var otherCaller = HttpRequest.newBuilder(proven, (name, value) -> !name.equalsIgnoreCase(Headers.CALLER_AGENCY))
                .header(Headers.CALLER_AGENCY, "000.00.18.G12").build();
        assertProblem(http.send(otherCaller, HttpResponse.BodyHandlers.ofString()), 401, "not_from_gateway");
        var otherPath = HttpRequest.newBuilder(uri("/inbox/business-registration?max=10")).headers(identity(H29))
                .header(Headers.GATEWAY_PROOF, proof).build();
        assertProblem(http.send(otherPath, HttpResponse.BodyHandlers.ofString()), 401, "not_from_gateway");
        var expired = HttpRequest.newBuilder(proven, (name, value) -> !name.equalsIgnoreCase(Headers.GATEWAY_PROOF))
                .header(Headers.GATEWAY_PROOF, "v1.1000000000." + proof.substring(proof.lastIndexOf('.') + 1)).build();
        assertProblem(http.send(expired, HttpResponse.BodyHandlers.ofString()), 401, "not_from_gateway");

        Thread.sleep(500);
        assertThat(find(Topics.RECORDS, forgedId)).as("no record stored").isNull();
        assertThat(find(Topics.TRANSACTIONS, forgedId)).as("no transaction counted").isNull();
        assertThat(pull(H41, 500)).as("nothing delivered").isEmpty();
        // the same call with the gateway's proof is accepted
        assertThat(http.send(proven, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
    }

    @Test
    void recipient_pulls_acknowledges_and_gets_unacknowledged_records_again_after_the_visibility_timeout() throws Exception {
        String first = id(submit("{\"n\":1}"));
        String second = id(submit("{\"n\":2}"));

        var pulled = await().atMost(Duration.ofSeconds(10)).until(() -> pull(H41, 10), records -> records.size() == 2);
        assertThat(pulled).extracting(r -> r.get("transactionId").asString()).containsExactly(first, second);
        assertThat(pulled.get(0).get("payload")).isEqualTo(JSON.readTree("{\"n\":1}"));
        assertThat(pulled.get(0).get("sender").get("agency").asString()).isEqualTo(H29);
        assertThat(pull(H41, 10)).as("in flight").isEmpty();

        var ack = post("/inbox/business-registration/ack", H41, "{\"transactionIds\":[\"" + first + "\"]}");
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(JSON.readTree(ack.body()).get("acknowledged").asInt()).isEqualTo(1);

        var again = new ArrayList<String>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pull(H41, 500).forEach(r -> again.add(r.get("transactionId").asString()));
            return again.contains(second);
        });
        assertThat(again).doesNotContain(first);
    }

    @Test
    void a_thousand_records_from_one_sender_arrive_in_submission_order() throws Exception {
        var sent = new ArrayList<String>();
        for (int i = 0; i < 1_000; i++) {
            sent.add(id(submit("{\"sequence\":" + i + "}")));
        }
        var received = new ArrayList<String>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var records = pull(H41, 500);
            records.forEach(r -> received.add(r.get("transactionId").asString()));
            acknowledge(records);
            return received.size() >= 1_000;
        });
        assertThat(received).containsExactlyElementsOf(sent);
    }

    @Test
    void a_retried_submission_with_the_same_idempotency_key_stores_one_record() throws Exception {
        String key = UUID.randomUUID().toString();
        var first = submit("{\"dossier\":\"HS-1\"}", key);
        var retry = submit("{\"dossier\":\"HS-1\"}", key);

        assertThat(id(retry)).isEqualTo(id(first));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        Thread.sleep(500);
        assertThat(recordsWithKey(key)).isEqualTo(1);
        // the same key for another record is a sender's bug, refused with nothing stored
        var reused = submit("{\"dossier\":\"HS-2\"}", key);
        assertProblem(reused, 422, "idempotency_key_reused");
        assertProblem(submit("{}", "bad key with spaces"), 400, "bad_request");
        assertThat(recordsWithKey(key)).isEqualTo(1);
        // another sender's key space is its own
        var otherSender = send(HttpRequest.newBuilder(uri(CHANNEL)).headers(identity("000.00.18.G12"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"dossier\":\"HS-9\"}")).build());
        assertThat(id(otherSender)).isNotEqualTo(id(first));
    }

    @Test
    void a_batch_stores_each_record_with_its_own_transaction_and_result_in_order() throws Exception {
        String key = UUID.randomUUID().toString();
        submit("{\"earlier\":true}", key);
        drain(H41);
        String body = "{\"records\":[{\"payload\":{\"n\":1}},{\"payload\":{\"n\":2},\"idempotencyKey\":\"" + UUID.randomUUID()
                + "\"},{\"payload\":{\"n\":3},\"idempotencyKey\":\"" + key + "\"}]}";
        var response = post(CHANNEL + "/batch", H29, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("refused").asInt()).isEqualTo(1);
        JsonNode results = answer.get("results");
        assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(2).get("code").asString()).isEqualTo("idempotency_key_reused");
        String first = results.get(0).get("transactionId").asString();
        String second = results.get(1).get("transactionId").asString();
        assertThat(first).isNotEqualTo(second);
        var pulled = await().atMost(Duration.ofSeconds(10)).until(() -> pull(H41, 10), records -> records.size() >= 2);
        assertThat(pulled).extracting(r -> r.get("transactionId").asString()).containsExactly(first, second);
        assertThat(pulled.get(1).get("payload")).isEqualTo(JSON.readTree("{\"n\":2}"));
        // every record is a transaction of its own, the refused one too
        await().atMost(Duration.ofSeconds(10)).until(() -> find(Topics.RECORDS, first) != null && find(Topics.RECORDS, second) != null
                && find(Topics.TRANSACTIONS, results.get(2).get("transactionId").asString()) != null);
        acknowledge(pulled);

        assertProblem(post(CHANNEL + "/batch", H29, "{\"records\":[]}"), 400, "validation_failed");
        assertProblem(post(CHANNEL + "/batch", H29, "{\"records\":[{\"n\":1}]}"), 400, "validation_failed");
    }

    @Test
    void a_push_address_that_resolves_to_this_machine_is_never_connected_to() throws Exception {
        int before = dossiers.received.size();
        String id = id(post("/records/" + H29 + "/one-stop-portal/sneaky-push", H41, "{\"notice\":1}"));
        await().atMost(Duration.ofSeconds(15)).until(() -> metric("ndx_exchange_egress_refused_total") > 0);
        assertThat(dossiers.received.stream().skip(before)).noneMatch(r -> id.equals(r.transactionId()));
        assertThat(JSON.readTree(get("/records/" + id, H41).body()).get("state").asString()).isNotEqualTo("ACKNOWLEDGED");
    }

    private double metric(String name) throws Exception {
        return management("/actuator/prometheus").body().lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1))).findFirst().orElse(0);
    }

    static final String TAX_DECLARATION_SCHEMA = """
            {"type":"object","required":["taxCode","period","amount"],
             "properties":{"taxCode":{"type":"string","pattern":"^[0-9]{10}$"},"period":{"type":"string","format":"date"},
                           "amount":{"type":"integer","minimum":0},"reference":{"type":"string","pattern":"^(a+)+$"}}}""";

    @Test
    void a_record_made_to_make_a_backtracking_pattern_spin_is_answered_at_once() throws Exception {
        // ^(a+)+$ against 40 a's and a '!': a backtracking engine tries 2^40 ways before it gives up
        String record = "{\"taxCode\":\"0301234567\",\"period\":\"2026-11-01\",\"amount\":1,\"reference\":\"" + "a".repeat(40) + "!\"}";
        var answer = http.sendAsync(GatewayProofs.signed("exchange", HttpRequest.newBuilder(uri("/records/" + H41 + "/one-stop-portal/tax-declaration"))
                .headers(identity(H29)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(record)).build()),
                HttpResponse.BodyHandlers.ofString()).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertProblem(answer, 422, "schema_violation");
        assertThat(JSON.readTree(answer.body()).get("errors")).extracting(e -> e.get("pointer").asString()).containsExactly("/reference");
        // and the exchange is no slower for it
        assertThat(submitTo("/records/" + H41 + "/one-stop-portal/tax-declaration",
                "{\"taxCode\":\"0301234567\",\"period\":\"2026-11-01\",\"amount\":1,\"reference\":\"aaa\"}").statusCode()).isEqualTo(202);
    }

    @Test
    void a_record_that_breaks_its_channels_schema_is_refused_with_every_violation_and_nothing_is_stored() throws Exception {
        String channel = "/records/" + H41 + "/one-stop-portal/tax-declaration";
        var refused = submitTo(channel, "{\"taxCode\":\"12AB\",\"period\":\"2026-13-45\",\"amount\":-5}");

        assertProblem(refused, 422, "schema_violation");
        JsonNode errors = JSON.readTree(refused.body()).get("errors");
        assertThat(errors).extracting(e -> e.get("pointer").asString() + " " + e.get("code").asString())
                .containsExactlyInAnyOrder("/taxCode pattern", "/period format", "/amount minimum");
        assertThat(refused.body()).doesNotContain("12AB");
        String refusedId = refused.headers().firstValue(Headers.TRANSACTION_ID).orElseThrow();
        var missing = submitTo(channel, "{\"taxCode\":\"0301234567\"}");
        assertProblem(missing, 422, "schema_violation");
        assertThat(JSON.readTree(missing.body()).get("errors")).extracting(e -> e.get("code").asString())
                .containsExactly("required", "required"); // period and amount

        String accepted = id(submitTo(channel, "{\"taxCode\":\"0301234567\",\"period\":\"2026-11-01\",\"amount\":1200}"));
        var batch = JSON.readTree(post(channel + "/batch", H29, "{\"records\":[{\"payload\":{\"taxCode\":\"0301234567\","
                + "\"period\":\"2026-10-01\",\"amount\":1}},{\"payload\":{\"taxCode\":1}}]}").body());
        assertThat(batch.get("accepted").asInt()).isEqualTo(1);
        JsonNode bad = batch.get("results").get(1);
        assertThat(bad.get("status").asInt()).isEqualTo(422);
        assertThat(bad.get("code").asString()).isEqualTo("schema_violation");
        assertThat(bad.get("errors")).extracting(e -> e.get("pointer").asString()).contains("/taxCode", "");

        // the valid ones are stored; the refused ones are transactions but never records
        await().atMost(Duration.ofSeconds(10)).until(() -> find(Topics.RECORDS, accepted) != null
                && find(Topics.TRANSACTIONS, refusedId) != null && find(Topics.TRANSACTIONS, bad.get("transactionId").asString()) != null);
        assertThat(find(Topics.RECORDS, refusedId)).isNull();
        assertThat(find(Topics.RECORDS, bad.get("transactionId").asString())).isNull();
        assertThat(eventOf(refused).problemCode()).isEqualTo("schema_violation");
    }

    @Test
    void a_record_nobody_acknowledges_within_its_channels_retention_expires_as_a_transaction_of_its_own() throws Exception {
        String kept = id(submitTo("/records/" + H41 + "/one-stop-portal/short-lived", "{\"notice\":1}"));
        var pulled = await().atMost(Duration.ofSeconds(10)).until(
                () -> JSON.readTree(get("/inbox/short-lived?max=10", H41).body()).get("records"), records -> !records.isEmpty());
        assertThat(pulled).extracting(r -> r.get("transactionId").asString()).containsExactly(kept);

        JsonNode status = await().atMost(Duration.ofSeconds(15)).until(
                () -> JSON.readTree(get("/records/" + kept, H29).body()), s -> "EXPIRED".equals(s.get("state").asString()));
        assertThat(status.get("deliveries").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(get("/inbox/short-lived?max=10", H41).body()).get("records")).isEmpty();
        assertProblem(post("/inbox/short-lived/ack", H41, "{\"transactionIds\":[\"" + kept + "\"]}"), 404, "unknown_record");

        // one expiry transaction, whichever sweep or instance emitted it (a repeat carries the same id)
        List<TransactionEvent> expiries = await().atMost(Duration.ofSeconds(10)).until(() -> expiryEvents("short-lived"), e -> !e.isEmpty());
        assertThat(expiries.stream().map(TransactionEvent::transactionId).distinct()).hasSize(1);
        TransactionEvent event = expiries.get(0);
        assertThat(event.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(event.consumerAgency()).isEqualTo(H29);
        assertThat(event.providerAgency()).isEqualTo(H41);
        assertThat(event.startedAt()).isEqualTo(Instant.parse(status.get("updatedAt").asString()));
    }

    private static List<TransactionEvent> expiryEvents(String channel) {
        synchronized (seen) {
            return seen.stream().filter(r -> r.topic().equals(Topics.TRANSACTIONS))
                    .map(r -> JSON.readValue(r.value(), TransactionEvent.class))
                    .filter(e -> e.kind() == TransactionKind.EXPIRY && channel.equals(e.service())).toList();
        }
    }

    @Test
    void a_long_poll_answers_as_soon_as_a_record_arrives() throws Exception {
        long started = System.nanoTime();
        var waiting = http.sendAsync(GatewayProofs.signed("exchange", HttpRequest.newBuilder(uri("/inbox/business-registration?max=10&waitSeconds=10"))
                .headers(identity(H41)).build()), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        String id = id(submit("{\"urgent\":true}"));
        var response = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("records").get(0).get("transactionId").asString()).isEqualTo(id);
        assertThat(waitedMillis).isLessThan(8_000);
        // an empty inbox answers empty once the wait is over
        drain(H41);
        var empty = get("/inbox/business-registration?waitSeconds=1", H41);
        assertThat(JSON.readTree(empty.body()).get("records").isEmpty()).isTrue();
        assertProblem(get("/inbox/business-registration?waitSeconds=3600", H41), 400, "bad_request");
    }

    @Test
    void sender_and_recipient_follow_a_record_from_accepted_to_acknowledged() throws Exception {
        String id = id(submit("{\"follow\":true}"));
        String path = "/records/" + id;

        var accepted = await().atMost(Duration.ofSeconds(10)).until(() -> get(path, H29), r -> r.statusCode() == 200);
        JsonNode status = JSON.readTree(accepted.body());
        assertThat(status.get("state").asString()).isEqualTo("ACCEPTED");
        assertThat(status.get("recipientAgency").asString()).isEqualTo(H41);
        assertThat(accepted.body()).doesNotContain("follow");
        assertProblem(get(path, "000.00.18.G12"), 404, "unknown_record");
        assertProblem(get("/records/" + UUID.randomUUID(), H29), 404, "unknown_record");

        pull(H41, 500);
        JsonNode delivered = JSON.readTree(get(path, H41).body());
        assertThat(delivered.get("state").asString()).isEqualTo("DELIVERED");
        assertThat(delivered.get("deliveries").asInt()).isEqualTo(1);

        var ack = post("/inbox/business-registration/ack", H41, "{\"transactionIds\":[\"" + id + "\"]}");
        assertThat(JSON.readTree(ack.body()).get("acknowledged").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(get(path, H29).body()).get("state").asString()).isEqualTo("ACKNOWLEDGED");
        // acknowledging again is harmless
        var again = post("/inbox/business-registration/ack", H41, "{\"transactionIds\":[\"" + id + "\"]}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("alreadyAcknowledged").asInt()).isEqualTo(1);
    }

    @Test
    void a_pushed_record_arrives_signed_as_documented_and_its_2xx_acknowledges_it() throws Exception {
        String body = "{\"dossier\":\"P-1\",\"name\":\"Nguyễn Văn A\"}";
        String id = id(submitTo(PUSHED, body));

        var pushed = await().atMost(Duration.ofSeconds(10)).until(
                () -> dossiers.received.stream().filter(r -> id.equals(r.transactionId())).findFirst(), java.util.Optional::isPresent).get();
        assertThat(pushed.text()).isEqualTo(body);
        assertThat(pushed.senderAgency()).isEqualTo(H29);
        assertThat(pushed.delivery()).isEqualTo(1);
        // what the recipient does: its channel's secret from the platform, then HMAC over timestamp, id and body
        var secret = get("/inbox/dossier-push/push-secret", H41);
        assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
        String key = JSON.readTree(secret.body()).get("secret").asString();
        assertThat(pushed.signature()).startsWith("v2=").doesNotContain(",");
        assertThat(Webhook.authentic(key, pushed)).isTrue();
        // every signed part counts: the body, the sender named in the headers, the channel
        assertThat(Webhook.authentic(key, new Webhook.Received(id, pushed.timestamp(), pushed.signature(), 1, H29, "one-stop-portal",
                pushed.channel(), "{}".getBytes(StandardCharsets.UTF_8), 200))).isFalse();
        assertThat(Webhook.authentic(key, new Webhook.Received(id, pushed.timestamp(), pushed.signature(), 1, H41, "one-stop-portal",
                pushed.channel(), pushed.body(), 200))).as("another sender named").isFalse();
        assertThat(Webhook.authentic(key, new Webhook.Received(id, pushed.timestamp(), pushed.signature(), 1, "000.00.00",
                "H29\none-stop-portal", pushed.channel(), pushed.body(), 200))).as("text moved between fields").isFalse();
        assertThat(Webhook.authentic(key, new Webhook.Received(id, pushed.timestamp(), pushed.signature(), 1, H29, "one-stop-portal",
                H41 + "/one-stop-portal/business-registration", pushed.body(), 200))).as("another channel").isFalse();
        assertThat(Math.abs(Instant.now().getEpochSecond() - pushed.timestamp())).isLessThan(60);
        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(get("/records/" + id, H29).body()).get("state").asString(),
                "ACKNOWLEDGED"::equals);
        // the secret is its owner's alone
        assertProblem(get("/inbox/dossier-push/push-secret", H29), 404, "unknown_channel");
        Thread.sleep(300);
        assertThat(dossiers.received.stream().filter(r -> id.equals(r.transactionId()))).as("pushed once").hasSize(1);
    }

    @Test
    void a_recipient_rotates_its_push_secret_and_the_previous_one_signs_only_for_the_grace_it_chose() throws Exception {
        String rotate = "/inbox/dossier-push/push-secret/rotate";
        String first = secret(get("/inbox/dossier-push/push-secret", H41));

        // another system cannot, and a request the exchange cannot read changes nothing
        assertProblem(post(rotate, H29, "{}"), 404, "unknown_channel");
        assertProblem(post(rotate, H41, "{\"previousValidForSeconds\":-1}"), 400, "validation_failed");
        assertProblem(post(rotate, H41, "{\"previousValidForSeconds\":604801}"), 400, "validation_failed");
        assertProblem(post(rotate, H41, "{\"keep\":1}"), 400, "validation_failed");
        assertProblem(post(rotate, H41, "{"), 400, "malformed_json");
        assertThat(secret(get("/inbox/dossier-push/push-secret", H41))).isEqualTo(first);

        var rotated = post(rotate, H41, "{\"previousValidForSeconds\":3600}");
        String second = secret(rotated);
        assertThat(second).isNotEqualTo(first);
        assertThat(JSON.readTree(rotated.body()).get("previousValidUntil").asString()).isNotBlank();
        assertThat(secret(get("/inbox/dossier-push/push-secret", H41))).isEqualTo(second);
        var duringGrace = pushedOf(id(submitTo(PUSHED, "{\"dossier\":\"P-rotated\"}")));
        assertThat(duringGrace.signature().split(",")).hasSize(2);
        assertThat(Webhook.authentic(second, duringGrace)).isTrue();
        assertThat(Webhook.authentic(first, duringGrace)).as("the previous secret, during its grace").isTrue();

        // after a leak: the old secret ends at once
        var leak = post(rotate, H41, "{\"previousValidForSeconds\":0}");
        String third = secret(leak);
        long thirdGeneration = JSON.readTree(leak.body()).get("generation").asLong();
        assertThat(leak.headers().firstValue("Cache-Control")).hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        var afterLeak = pushedOf(id(submitTo(PUSHED, "{\"dossier\":\"P-leaked\"}")));
        assertThat(Webhook.authentic(third, afterLeak)).isTrue();
        assertThat(Webhook.authentic(second, afterLeak)).isFalse();
        assertThat(Webhook.authentic(first, afterLeak)).isFalse();

        // the rotation's place on Kafka, not the secret, is kept, where a restarting instance reads it
        String key = H41 + "/one-stop-portal/dossier-push";
        var stored = await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (seen) {
                return seen.stream().filter(r -> r.topic().equals(Topics.PUSH_SECRETS) && key.equals(r.key()))
                        .reduce((a, b) -> b).orElse(null);
            }
        }, record -> record != null && record.offset() + 1 == thirdGeneration);
        assertThat(new String(stored.value(), StandardCharsets.UTF_8)).doesNotContain(third, second, first);

        // a client rotating in a loop is held back: every exchange reads every rotation at its start
        for (int rotation = 3; rotation <= 5; rotation++) {
            assertThat(secret(post(rotate, H41, "{\"previousValidForSeconds\":0}"))).isNotEqualTo(third);
        }
        var held = post(rotate, H41, "{\"previousValidForSeconds\":0}");
        assertProblem(held, 429, "rate_limited");
        assertThat(held.headers().firstValue("Retry-After")).isPresent();
    }

    private static String secret(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("secret").asString();
    }

    private static Webhook.Received pushedOf(String transactionId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> dossiers.received.stream()
                .filter(r -> transactionId.equals(r.transactionId())).findFirst(), java.util.Optional::isPresent).get();
    }

    @Test
    void a_record_its_recipient_keeps_refusing_becomes_a_dead_letter_until_redriven() throws Exception {
        notices.status = 500;
        String id = id(submitTo(REFUSED, "{\"notice\":1}"));

        var dead = await().atMost(Duration.ofSeconds(15)).until(() -> JSON.readTree(get("/records/" + id, H29).body()),
                status -> "DEAD_LETTERED".equals(status.get("state").asString()));
        assertThat(dead.get("deliveries").asInt()).isEqualTo(3);
        assertThat(dead.get("lastError").asString()).isEqualTo("answered 500");
        var letters = JSON.readTree(get("/inbox/notice-push/dead-letters", H41).body()).get("deadLetters");
        assertThat(letters).extracting(l -> l.get("transactionId").asString()).contains(id);
        long pushes = notices.received.stream().filter(r -> id.equals(r.transactionId())).count();
        Thread.sleep(500);
        assertThat(notices.received.stream().filter(r -> id.equals(r.transactionId()))).as("no more pushes").hasSize((int) pushes);

        assertProblem(post("/inbox/notice-push/dead-letters/redrive", H41, "{\"transactionIds\":[\"" + UUID.randomUUID() + "\"]}"),
                404, "unknown_record");
        notices.status = 204;
        var redrive = post("/inbox/notice-push/dead-letters/redrive", H41, "{\"transactionIds\":[\"" + id + "\"]}");
        assertThat(redrive.statusCode()).as(redrive.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(get("/records/" + id, H29).body()).get("state").asString(),
                "ACKNOWLEDGED"::equals);
        assertThat(notices.accepted()).contains(id);
        assertThat(JSON.readTree(get("/inbox/notice-push/dead-letters", H41).body()).get("deadLetters")).isEmpty();
    }

    @Test
    void operators_see_every_agencys_dead_letters_and_redrive_them() throws Exception {
        notices.status = 500;
        String id = id(submitTo(REFUSED, "{\"notice\":2}"));
        await().atMost(Duration.ofSeconds(15)).until(() -> JSON.readTree(get("/records/" + id, H29).body()).get("state").asString(),
                "DEAD_LETTERED"::equals);

        var channels = JSON.readTree(operator("GET", "/operations/dead-letters", null).body()).get("channels");
        assertThat(channels).anySatisfy(channel -> {
            assertThat(channel.get("agency").asString()).isEqualTo(H41);
            assertThat(channel.get("channel").asString()).isEqualTo("notice-push");
            assertThat(channel.get("deadLetters").asInt()).isPositive();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> management("/actuator/prometheus").body(),
                metrics -> metrics.lines().anyMatch(line -> line.startsWith("ndx_exchange_dead_letters{recipient_agency=\"" + H41 + "\"}")
                        && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= 1));
        var letters = JSON.readTree(operator("GET", "/operations/dead-letters/" + H41 + "/one-stop-portal/notice-push", null).body());
        assertThat(letters.get("deadLetters")).extracting(l -> l.get("transactionId").asString()).contains(id);
        assertThat(letters.toString()).doesNotContain("notice\":2");
        // only through the gateway's operator routes: a system, or no one, is refused
        assertProblem(get("/operations/dead-letters", H41), 403, "out_of_scope");
        assertProblem(post("/operations/dead-letters/redrive", H41, "{\"transactionIds\":[\"" + id + "\"]}"), 403, "out_of_scope");
        assertProblem(operator("POST", "/operations/dead-letters/redrive", "{\"transactionIds\":[\"" + id + "\",\"" + UUID.randomUUID() + "\"]}"),
                404, "unknown_record");
        // the read-only operator reads dead letters but does not send them again
        assertProblem(operator("POST", "/operations/dead-letters/redrive", "{\"transactionIds\":[\"" + id + "\"]}",
                RegistrySnapshot.Operator.READ_ONLY), 403, "out_of_scope");

        notices.status = 204;
        var redrive = operator("POST", "/operations/dead-letters/redrive", "{\"transactionIds\":[\"" + id + "\"]}");
        assertThat(redrive.statusCode()).as(redrive.body()).isEqualTo(200);
        assertThat(JSON.readTree(redrive.body()).get("redriven").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(get("/records/" + id, H29).body()).get("state").asString(),
                "ACKNOWLEDGED"::equals);
    }

    /** A call as the gateway forwards a platform administrator's on its operator routes. */
    private HttpResponse<String> operator(String method, String path, String json) throws Exception {
        return operator(method, path, json, RegistrySnapshot.Operator.PLATFORM_ADMIN);
    }

    private HttpResponse<String> operator(String method, String path, String json, String role) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).header(Headers.OPERATOR, "platform-operator").header(Headers.OPERATOR_ROLE, role)
                .header(Headers.TRANSACTION_ID, UUID.randomUUID().toString())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build());
    }

    @Test
    void a_bad_acknowledgement_is_refused_and_changes_nothing() throws Exception {
        String id = id(submit("{\"ack\":\"bad\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> pull(H41, 10).size() == 1);

        assertProblem(post("/inbox/business-registration/ack", H41, "{\"transactionIds\": "), 400, "malformed_json");
        assertProblem(post("/inbox/business-registration/ack", H41, "{\"ids\":[]}"), 400, "bad_request");
        assertProblem(post("/inbox/business-registration/ack", H41,
                "{\"transactionIds\":[\"" + id + "\",\"" + UUID.randomUUID() + "\"]}"), 404, "unknown_record");
        assertThat(JSON.readTree(get("/records/" + id, H41).body()).get("state").asString()).isEqualTo("DELIVERED");
        // it comes back after the visibility timeout: nothing was acknowledged
        var again = await().atMost(Duration.ofSeconds(10)).until(() -> pull(H41, 10), records -> !records.isEmpty());
        assertThat(again.get(0).get("transactionId").asString()).isEqualTo(id);
        assertThat(again.get(0).get("delivery").asInt()).isEqualTo(2);
        acknowledge(again);
    }

    @Test
    void what_cannot_be_read_from_the_topics_is_skipped_and_counted_and_the_inboxes_go_on() throws Exception {
        String key = H29 + "/one-stop-portal>" + H41 + "/one-stop-portal/business-registration";
        var withoutFields = new ProducerRecord<>(Topics.RECORDS, key, "{\"n\":0}");
        withoutFields.headers().add(Headers.TRANSACTION_EVENT, "{}".getBytes(StandardCharsets.UTF_8));
        var notJson = new ProducerRecord<>(Topics.RECORDS, key, "{\"n\":0}");
        notJson.headers().add(Headers.TRANSACTION_EVENT, "not json".getBytes(StandardCharsets.UTF_8));
        var withoutValue = new ProducerRecord<String, String>(Topics.RECORDS, key, null);
        withoutValue.headers().add(Headers.TRANSACTION_EVENT, JSON.writeValueAsBytes(Map.of("transactionId", UUID.randomUUID().toString(),
                        "consumerAgency", H29, "consumerSystem", "one-stop-portal", "providerAgency", H41,
                        "providerSystem", "one-stop-portal", "service", "business-registration", "requestDigest", "0".repeat(64))))
                .add(Headers.IDEMPOTENCY_KEY, "skipped-whole".getBytes(StandardCharsets.UTF_8));
        produce(withoutFields, notJson, withoutValue,
                new ProducerRecord<>(Topics.RECORD_STATUS, UUID.randomUUID().toString(), "{\"status\":"));

        await().atMost(Duration.ofSeconds(10)).until(() -> management("/actuator/prometheus").body(),
                metrics -> metrics.contains("\nndx_exchange_inbox_unreadable_total 4.0\n"));

        // behind them on the same partition; the skipped record left its idempotency key unclaimed
        var response = submit("{\"n\":1}", "skipped-whole");
        String next = id(response);
        assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();
        var pulled = await().atMost(Duration.ofSeconds(10)).until(() -> pull(H41, 10), records -> !records.isEmpty());
        assertThat(pulled).extracting(r -> r.get("transactionId").asString()).containsExactly(next);
        acknowledge(pulled);
    }

    @Test
    void another_system_cannot_read_the_inbox() throws Exception {
        var response = get("/inbox/business-registration", H29);

        assertProblem(response, 404, "unknown_channel");
    }

    @Test
    void bad_records_are_refused_and_each_refusal_is_one_transaction_event() throws Exception {
        var malformed = submit("{\"taxCode\": ");
        assertProblem(malformed, 400, "malformed_json");
        assertThat(malformed.body()).doesNotContain("taxCode");
        var tooLarge = submit("{\"blob\":\"" + "x".repeat(2_000) + "\"}");
        assertProblem(tooLarge, 413, "payload_too_large");
        var unknown = send(HttpRequest.newBuilder(uri("/records/" + H41 + "/one-stop-portal/nope")).headers(identity(H29))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertProblem(unknown, 404, "unknown_channel");
        var notJson = send(HttpRequest.newBuilder(uri(CHANNEL)).headers(identity(H29))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build());
        assertProblem(notJson, 415, "unsupported_media_type");

        assertThat(eventOf(malformed).outcome()).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(eventOf(tooLarge).outcome()).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(eventOf(unknown).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(eventOf(unknown).service()).isNull();
        assertThat(eventOf(notJson).problemCode()).isEqualTo("unsupported_media_type");
    }

    @Test
    void a_call_that_did_not_come_through_the_gateway_is_refused() throws Exception {
        var response = send(HttpRequest.newBuilder(uri(CHANNEL)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void inboxes_statuses_and_idempotency_keys_survive_a_restart() throws Exception {
        String acknowledged = id(submit("{\"keep\":false}"));
        String key = UUID.randomUUID().toString();
        String waiting = id(submit("{\"keep\":true}", key));
        await().atMost(Duration.ofSeconds(10)).until(() -> pull(H41, 10).size() == 2);
        post("/inbox/business-registration/ack", H41, "{\"transactionIds\":[\"" + acknowledged + "\"]}");

        // a second instance in a JVM of its own, as a restart is: two in one JVM share Reactor Netty's event loops
        try (var restarted = new ExchangeProcess("-Xmx256m", "--ndx.exchange.push.key-file=" + pushKeyFile).start()) {
            var fresh = new ExchangeIT();
            fresh.port = restarted.port;
            assertThat(JSON.readTree(fresh.get("/records/" + acknowledged, H29).body()).get("state").asString()).isEqualTo("ACKNOWLEDGED");
            var retried = fresh.submit("{\"keep\":true}", key);
            assertThat(id(retried)).as("the first submission's id, nothing stored again").isEqualTo(waiting);
            var records = fresh.pull(H41, 500);
            assertThat(records).extracting(r -> r.get("transactionId").asString()).contains(waiting).doesNotContain(acknowledged);
            // the restarted instance leases what it hands out for its default 30 s, and every instance holds a
            // record leased elsewhere: acknowledged here, none comes back in the middle of a later test
            var ids = records.stream().map(r -> "\"" + r.get("transactionId").asString() + "\"").toList();
            assertThat(fresh.post("/inbox/business-registration/ack", H41, "{\"transactionIds\":" + ids + "}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void health_and_metrics_are_exposed() throws Exception {
        assertThat(management("/actuator/health").body()).contains("UP");
        var metrics = management("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ndx_registry_view_age_seconds");
        id(submit("{\"waiting\":true}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> management("/actuator/prometheus").body(),
                body -> body.contains("ndx_exchange_inbox_backlog{recipient_agency=\"" + H41 + "\"}"));
        var cached = java.util.regex.Pattern.compile("(?m)^ndx_exchange_payload_cache_bytes (\\S+)$").matcher(management("/actuator/prometheus").body());
        assertThat(cached.find()).isTrue();
        assertThat(Double.parseDouble(cached.group(1))).as("the waiting record's payload").isPositive();
        drain(H41); // pulls and acknowledges it
        String timed = management("/actuator/prometheus").body();
        var acknowledged = java.util.regex.Pattern.compile("(?m)^ndx_exchange_delivery_seconds_count (\\S+)$").matcher(timed);
        assertThat(acknowledged.find()).isTrue();
        assertThat(Double.parseDouble(acknowledged.group(1))).as("acknowledged records timed").isGreaterThanOrEqualTo(1);
        assertThat(timed).as("fixed buckets up to days").contains("ndx_exchange_delivery_seconds_bucket{le=\"86400.0\"}");
        assertProblem(get("/no/such/path", H29), 404, "not_found");
        // the service's own port shows no metrics, not even to a caller with the gateway's proof
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(404);
    }

    // --- helpers

    private TransactionEvent eventOf(HttpResponse<String> response) {
        String id = response.headers().firstValue(Headers.TRANSACTION_ID).orElseThrow();
        var record = await().atMost(Duration.ofSeconds(10)).until(() -> find(Topics.TRANSACTIONS, id), r -> r != null);
        assertThat(seen.stream().filter(r -> r.topic().equals(Topics.TRANSACTIONS) && id.equals(r.key()))).hasSize(1);
        return JSON.readValue(record.value(), TransactionEvent.class);
    }

    /** Acknowledges everything in the inbox, also what other tests left in flight (it comes back after the visibility timeout). */
    private void drain(String agency) {
        try {
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofMillis(1_200).toNanos()) {
                var records = pull(agency, 500);
                if (!records.isEmpty()) {
                    var ids = records.stream().map(r -> "\"" + r.get("transactionId").asString() + "\"").toList();
                    post("/inbox/business-registration/ack", agency, "{\"transactionIds\":" + ids + "}");
                    quietSince = System.nanoTime();
                } else {
                    Thread.sleep(100);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> pull(String agency, int max) throws Exception {
        var response = get("/inbox/business-registration?max=" + max, agency);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var records = new ArrayList<JsonNode>();
        JSON.readTree(response.body()).get("records").forEach(records::add);
        return records;
    }

    private HttpResponse<String> submit(String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(CHANNEL)).headers(identity(H29)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> submitTo(String channel, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(channel)).headers(identity(H29)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> submit(String json, String idempotencyKey) throws Exception {
        return send(HttpRequest.newBuilder(uri(CHANNEL)).headers(identity(H29)).header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private void acknowledge(List<JsonNode> records) throws Exception {
        if (!records.isEmpty()) {
            var ids = records.stream().map(r -> "\"" + r.get("transactionId").asString() + "\"").toList();
            var ack = post("/inbox/business-registration/ack", H41, "{\"transactionIds\":" + ids + "}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        }
    }

    private static long recordsWithKey(String key) {
        synchronized (seen) {
            return seen.stream().filter(r -> r.topic().equals(Topics.RECORDS)).map(r -> r.headers().lastHeader(Headers.IDEMPOTENCY_KEY))
                    .filter(h -> h != null && key.equals(new String(h.value(), StandardCharsets.UTF_8))).count();
        }
    }

    private HttpResponse<String> post(String path, String agency, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).headers(identity(agency)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> get(String path, String agency) throws Exception {
        var request = HttpRequest.newBuilder(uri(path));
        if (agency != null) {
            request.headers(identity(agency));
        }
        return send(request.build());
    }

    private static String[] identity(String agency) {
        return new String[] {Headers.CALLER_AGENCY, agency, Headers.CALLER_SYSTEM, "one-stop-portal",
                Headers.CALLER_CLIENT, agency.substring(11).toLowerCase() + "-one-stop-portal",
                Headers.TRANSACTION_ID, UUID.randomUUID().toString(), Headers.TRANSACTION_STARTED_AT, Instant.now().toString()};
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("transactionId").asString();
    }

    private void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("transactionId").isNull()).isFalse();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(GatewayProofs.signed("exchange", request), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Health and metrics, on the management port: no proof, no identity. */
    private HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ConsumerRecord<String, byte[]> find(String topic, String transactionId) {
        synchronized (seen) {
            return seen.stream().filter(r -> r.topic().equals(topic) && transactionId.equals(
                    new String(r.headers().lastHeader(Headers.TRANSACTION_ID) == null ? r.key().getBytes(StandardCharsets.UTF_8)
                            : r.headers().lastHeader(Headers.TRANSACTION_ID).value(), StandardCharsets.UTF_8)))
                    .findFirst().orElse(null);
        }
    }

    private static void publishRegistry() {
        var snapshot = new RegistrySnapshot(System.currentTimeMillis(), Instant.now(),
                List.of(new Agency(H29, "Ho Chi Minh City", false), new Agency(H41, "Nghe An", false)),
                List.of(new InformationSystem(H29, "one-stop-portal", "Portal"), new InformationSystem(H41, "one-stop-portal", "Portal")),
                List.of(new Service(H41, "one-stop-portal", "business-registration", Service.Kind.CHANNEL, null, null, 1_024),
                        new Service(H41, "one-stop-portal", "dossier-push", Service.Kind.CHANNEL, dossiers.url(), Duration.ofSeconds(2), 1_024),
                        new Service(H41, "one-stop-portal", "notice-push", Service.Kind.CHANNEL, notices.url(), Duration.ofSeconds(2), 1_024),
                        new Service(H41, "one-stop-portal", "tax-declaration", Service.Kind.CHANNEL, null, null, 4_096,
                                JSON.readValue(TAX_DECLARATION_SCHEMA, new TypeReference<Map<String, Object>>() { }), null),
                        new Service(H41, "one-stop-portal", "short-lived", Service.Kind.CHANNEL, null, null, 1_024, null,
                                Duration.ofSeconds(3)),
                        // the city's push address names this machine: its agency may use plain HTTP, but not loopback
                        new Service(H29, "one-stop-portal", "sneaky-push", Service.Kind.CHANNEL,
                                dossiers.url().replace("127.0.0.1", "localhost"), Duration.ofSeconds(2), 1_024)),
                List.of(), List.of(), "{\"keys\":[]}", List.of(),
                // Nghe An's webhooks run on this machine over plain HTTP, as a platform administrator allowed
                List.of(new Egress(H41, true, List.of("127.0.0.0/8")), new Egress(H29, true, List.of())));
        try {
            produce(RegistryKeys.signedSnapshot(JSON.writeValueAsString(snapshot)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SafeVarargs
    private static void produce(ProducerRecord<String, String>... records) throws Exception {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (var record : records) {
                producer.send(record).get();
            }
        }
    }

    private static void readTopics() {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "exchange-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var reader = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topics.RECORDS, Topics.TRANSACTIONS, Topics.PUSH_SECRETS));
                while (reading) {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                }
            }
        }, "topic-reader");
        reader.setDaemon(true);
        reader.start();
    }
}
