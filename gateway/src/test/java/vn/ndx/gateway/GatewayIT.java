package vn.ndx.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import reactor.blockhound.BlockHound;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import vn.ndx.contract.GatewayProof;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Outcome;
import vn.ndx.contract.RegistrySignatures;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Client;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.Grant;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.contract.RegistrySnapshot.Limits;
import vn.ndx.contract.RegistrySnapshot.Operator;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.Topics;
import vn.ndx.contract.TransactionEvent;
import vn.ndx.contract.TransactionKind;
import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;
import vn.ndx.contract.testing.RegistryKeys;
import vn.ndx.contract.testing.TestPki;
import vn.ndx.gateway.listener.PlainHttpListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in front of a real provider and a stand-in exchange (both plain HTTP servers), with a
 * registry snapshot published to a real Kafka broker and every call made over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ndx.gateway.providers.sliding-window-calls=4", "ndx.gateway.providers.minimum-calls=4",
        "ndx.gateway.providers.open-for=2s", "ndx.gateway.providers.half-open-calls=2",
        "ndx.gateway.providers.max-concurrent-calls=3"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIT {

    /** Blocking calls BlockHound saw on event-loop threads during every test of this class. */
    static final List<String> blocked = java.util.Collections.synchronizedList(new ArrayList<>());

    static {
        // named explicitly: the event loops of the server and of the client towards providers
        BlockHound.builder().nonBlockingThreadPredicate(current -> current.or(thread -> thread.getName().startsWith("reactor-http-")))
                // SecureRandom (TLS handshakes, transaction ids) now and then refills its buffer from /dev/urandom,
                // a read that never waits on Linux once the kernel's pool is initialised
                .allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "ensureBufferValid")
                .blockingMethodCallback(method -> blocked.add(method + " on " + Thread.currentThread().getName()
                + " at " + java.util.Arrays.stream(new Throwable().getStackTrace()).skip(2).limit(12).map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(" < ")))).install();
    }

    static final String TAX = "000.00.18.G12";
    static final String H29 = "000.00.00.H29";
    static final String H41 = "000.00.00.H41";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static ECKey signingKey;
    static HttpServer provider;
    static HttpServer exchangeStandIn;
    static final Map<String, Map<String, List<String>>> seenByProvider = new ConcurrentHashMap<>();
    static final Map<String, Map<String, List<String>>> seenByExchange = new ConcurrentHashMap<>();
    /** Where the stand-ins keep the method, raw path and raw query of what they received, beside its headers. */
    static final String REQUEST_LINE = ":request-line";
    static final List<TransactionEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
    static Thread eventReader;
    static volatile boolean failing;
    static volatile boolean reading = true;

    /** The authority the gateway's certificate comes from, as deploy/run makes one; clients trust it alone. */
    static final TestPki PKI = TestPki.create("gateway-it");

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    PlainHttpListener plainHttp;

    @Autowired
    List<HttpHeadersFilter> headerFilters;

    // HTTP/1.1 as most agency systems speak it; HTTP/2 has its own test
    final HttpClient http = HttpClient.newBuilder().sslContext(PKI.trustingContext()).version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        signingKey = new ECKeyGenerator(Curve.P_256).keyID("test-key").generate();
        provider = server(seenByProvider, exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.contains("/slow")) {
                sleep(3_000);
            }
            if (path.contains("/flaky") && failing) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Ndx-Caller-Agency", "spoofed-by-provider");
            exchange.getResponseHeaders().set("X-Powered-By", "PHP/5.4");
            exchange.getResponseHeaders().set("X-Provider-Note", "kept");
            exchange.sendResponseHeaders(path.contains("/missing") ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
        });
        exchangeStandIn = server(seenByExchange, exchange -> {
            byte[] body = "{\"transactionId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, body.length);
            exchange.getResponseBody().write(body);
        });
        publish(snapshot(1, true));
        startReadingEvents();
        KafkaFixture.springProperties("gateway").forEach((key, value) -> registry.add(key, () -> value)); // as itself on Kafka
        TestPki.Issued certificate = PKI.server("gateway");
        registry.add("spring.ssl.bundle.pem.gateway.keystore.certificate", () -> "file:" + certificate.certificateFile());
        registry.add("spring.ssl.bundle.pem.gateway.keystore.private-key", () -> "file:" + certificate.keyFile());
        registry.add("spring.ssl.bundle.pem.gateway.truststore.certificate", () -> "file:" + PKI.caFile());
        registry.add("ndx.gateway.plain-http.port", () -> "0");
        // every test calls from 127.0.0.1, and many present refused tokens on purpose: the flood test finds the limit itself
        registry.add("ndx.gateway.token.invalid-per-source", () -> "60");
        registry.add("management.server.port", () -> "0");
        registry.add("ndx.gateway.exchange-url", () -> "http://127.0.0.1:" + exchangeStandIn.getAddress().getPort());
        registry.add("ndx.gateway.audit-url", () -> "http://127.0.0.1:" + exchangeStandIn.getAddress().getPort());
        registry.add("ndx.gateway.registry-url", () -> "http://127.0.0.1:9");
        String keyFile = java.nio.file.Files.createTempDirectory("gateway-it").resolve("keys.json").toString();
        registry.add("ndx.gateway.assertion.key-file", () -> keyFile);
        registry.add("ndx.gateway.internal-proof.keys-dir", () -> GatewayProofs.keysDir().toString());
        registry.add("ndx.gateway.data-subject.key-file", () -> GatewayProofs.dataSubjectKeyFile().toString());
        registry.add("ndx.registry-trust.file", () -> RegistryKeys.trustFile().toString());
    }

    @AfterAll
    static void stop() {
        reading = false;
        provider.stop(0);
        exchangeStandIn.stop(0);
    }

    @Test
    void query_is_forwarded_to_the_provider_with_a_transaction_id_and_without_the_token() throws Exception {
        var response = await200(get("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567?lang=vi",
                token("h29-one-stop-portal")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("path").asString()).isEqualTo("/tax/business/0301234567");
        String transactionId = response.headers().firstValue("X-Transaction-Id").orElseThrow();
        assertThat(UUID.fromString(transactionId).version()).isEqualTo(7);
        var seen = seenByProvider.get(transactionId);
        assertThat(seen).isNotNull();
        assertThat(seen.get("X-ndx-caller-agency")).containsExactly(H29);
        assertThat(seen).doesNotContainKey("Authorization");
        assertThat(response.headers().firstValue("X-Ndx-Caller-Agency")).isEmpty();
        assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
        assertThat(response.headers().firstValue("X-Provider-Note")).hasValue("kept");
        TransactionEvent event = eventFor(transactionId);
        assertThat(event.kind()).isEqualTo(TransactionKind.QUERY);
        assertThat(event.outcome()).isEqualTo(Outcome.OK);
        assertThat(event.consumerAgency()).isEqualTo(H29);
        assertThat(event.providerAgency()).isEqualTo(TAX);
        assertThat(event.service()).isEqualTo("business-tax-status");
        assertThat(event.emitter()).isEqualTo("gateway");
    }

    @Test
    void the_event_carries_the_sizes_and_sha256_of_both_bodies_never_the_bodies() throws Exception {
        String body = "{\"taxCodes\":[\"0301234567\",\"2900123456\"]}";
        var response = await200(HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/business/batch"))
                .header("Authorization", "Bearer " + token("h29-one-stop-portal")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).isEqualTo(200);

        TransactionEvent event = eventFor(transactionId(response));
        assertThat(event.requestBytes()).isEqualTo(body.length());
        assertThat(event.requestDigest()).isEqualTo(sha256(body));
        assertThat(event.responseBytes()).isEqualTo(response.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(event.responseDigest()).isEqualTo(sha256(response.body()));
        assertThat(JSON.writeValueAsString(event)).doesNotContain("0301234567");
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_call_to_a_personal_data_service_names_a_purpose_its_grant_covers_and_audit_gets_only_the_subjects_digest() throws Exception {
        String token = token("h29-one-stop-portal");
        String path = "/query/" + TAX + "/tax-registry/personal-income/citizens/income";
        String citizen = "079203001234";

        var granted = await200(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header(Headers.PURPOSE, "social-assistance").header(Headers.DATA_SUBJECT, citizen).build());
        assertThat(granted.statusCode()).isEqualTo(200);
        var seen = seenByProvider.get(transactionId(granted));
        assertThat(seen.get("X-ndx-purpose")).containsExactly("social-assistance");
        assertThat(seen.get("X-ndx-data-subject")).as("the provider holds the citizen's data: it learns whose").containsExactly(citizen);
        TransactionEvent event = eventFor(transactionId(granted));
        assertThat(event.purpose()).isEqualTo("social-assistance");
        assertThat(event.subjectDigest()).matches("[0-9a-f]{64}").isNotEqualTo(sha256(citizen));
        assertThat(JSON.writeValueAsString(event)).doesNotContain(citizen);

        var noPurpose = send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).build());
        assertProblem(noPurpose, 400, "purpose_required");
        var otherPurpose = send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header(Headers.PURPOSE, "marketing").build());
        assertProblem(otherPurpose, 400, "purpose_required");
        // granted, but for another part of the service
        var purposeOfAnotherPath = send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header(Headers.PURPOSE, "tax-inspection").build());
        assertProblem(purposeOfAnotherPath, 400, "purpose_required");
        var notANumber = send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header(Headers.PURPOSE, "social-assistance").header(Headers.DATA_SUBJECT, "79203001234").build());
        assertProblem(notANumber, 400, "data_subject_invalid");
        for (var refused : List.of(noPurpose, otherPurpose, purposeOfAnotherPath, notANumber)) {
            assertThat(seenByProvider).as("a refused call reaches no provider").doesNotContainKey(transactionId(refused));
            assertThat(eventFor(transactionId(refused)).outcome()).isEqualTo(refused == notANumber ? Outcome.CLIENT_ERROR : Outcome.REFUSED);
        }

        var again = await200(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header(Headers.PURPOSE, "administrative-procedure").header(Headers.DATA_SUBJECT, citizen).build());
        var other = await200(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header(Headers.PURPOSE, "administrative-procedure").header(Headers.DATA_SUBJECT, "001099000001").build());
        assertThat(eventFor(transactionId(again)).subjectDigest()).as("one citizen, one digest").isEqualTo(event.subjectDigest());
        assertThat(eventFor(transactionId(other)).subjectDigest()).isNotEqualTo(event.subjectDigest());

        // a service without personal data takes neither header, and passes neither on
        var plain = await200(HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567"))
                .header("Authorization", "Bearer " + token).header(Headers.PURPOSE, "anything").header(Headers.DATA_SUBJECT, citizen).build());
        assertThat(seenByProvider.get(transactionId(plain))).doesNotContainKeys("X-ndx-purpose", "X-ndx-data-subject");
        assertThat(eventFor(transactionId(plain)).subjectDigest()).isNull();
    }

    @Test
    void a_record_to_a_personal_data_channel_reaches_the_exchange_with_its_purpose_and_the_digest_never_the_number() throws Exception {
        String token = token("h29-one-stop-portal");
        String citizen = "001099000002";
        var accepted = await200(HttpRequest.newBuilder(uri("/records/" + H41 + "/one-stop-portal/residence-notice"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header(Headers.PURPOSE, "residence-check").header(Headers.DATA_SUBJECT, citizen)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        var refused = send(HttpRequest.newBuilder(uri("/records/" + H41 + "/one-stop-portal/residence-notice"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertProblem(refused, 400, "purpose_required");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var seen = seenByExchange.get(transactionId(accepted));
        assertThat(seen.get("X-ndx-purpose")).containsExactly("residence-check");
        assertThat(seen.get("X-ndx-data-subject-digest")).singleElement().asString().matches("[0-9a-f]{64}");
        assertThat(seen).doesNotContainKey("X-ndx-data-subject");
        assertThat(seen.toString()).doesNotContain(citizen);
    }

    @Test
    void the_citizen_portal_reads_citizens_reports_only_and_operators_may_not() throws Exception {
        String portal = sign(signingKey, "citizen-portal", Instant.now().plusSeconds(300));
        String citizen = "001099000003";
        String report = "/citizen/accesses?from=2026-12-01&to=2026-12-31";

        var asked = await200(HttpRequest.newBuilder(uri(report)).header("Authorization", "Bearer " + portal)
                .header(Headers.DATA_SUBJECT, citizen).build());
        var seen = seenByExchange.get(transactionId(asked)); // the stand-in answers for audit too
        assertThat(seen.get("X-ndx-operator-role")).containsExactly("citizen-portal");
        assertThat(seen.get("X-ndx-data-subject-digest")).singleElement().asString().matches("[0-9a-f]{64}");
        assertThat(seen.toString()).as("audit is asked by digest, never by number").doesNotContain(citizen);

        assertProblem(send(HttpRequest.newBuilder(uri(report)).header("Authorization", "Bearer " + portal).build()),
                400, "data_subject_invalid");
        assertProblem(send(HttpRequest.newBuilder(uri(report)).header("Authorization", "Bearer " + portal)
                .header(Headers.DATA_SUBJECT, "12345").build()), 400, "data_subject_invalid");
        assertProblem(send(HttpRequest.newBuilder(uri(report)).header("Authorization", "Bearer " + token("platform-operator"))
                .header(Headers.DATA_SUBJECT, citizen).build()), 403, "out_of_scope");
        assertProblem(send(HttpRequest.newBuilder(uri(report)).header("Authorization", "Bearer " + token("h29-one-stop-portal"))
                .header(Headers.DATA_SUBJECT, citizen).build()), 403, "out_of_scope");
        assertProblem(send(get("/stats/daily?from=2026-12-01&to=2026-12-31", portal)), 403, "out_of_scope");
        assertProblem(send(get("/transactions?from=2026-12-01&to=2026-12-31", portal)), 403, "out_of_scope");
    }

    @Test
    void the_api_reference_page_and_everything_it_loads_are_served_without_a_token() throws Exception {
        var shortAddress = send(HttpRequest.newBuilder(uri("/docs/api")).build());
        assertThat(shortAddress.statusCode()).isEqualTo(302);
        assertThat(shortAddress.headers().firstValue("Location")).hasValue("/docs/api/index.html");
        var page = send(HttpRequest.newBuilder(uri("/docs/api/index.html")).build());
        assertThat(page.statusCode()).isEqualTo(200);
        var loads = java.util.regex.Pattern.compile("(?:src|href)=\"([^\"]+\\.(?:js|css))\"").matcher(page.body()).results()
                .map(match -> match.group(1)).toList();
        assertThat(loads).as("Swagger UI's script and style, and the page's own script").hasSizeGreaterThanOrEqualTo(3);
        for (String load : loads) {
            var loaded = send(HttpRequest.newBuilder(uri(load.startsWith("/") ? load : "/docs/api/" + load)).build());
            assertThat(loaded.statusCode()).as(load).isEqualTo(200);
        }
    }

    @Test
    void a_system_written_for_x_road_calls_the_same_service_unchanged() throws Exception {
        String token = token("h29-one-stop-portal");
        var request = HttpRequest.newBuilder(uri("/r1/VN/GOV/" + TAX + "/tax-registry/business-tax-status/business/0301234567"))
                .header("Authorization", "Bearer " + token).header("X-Road-Client", "VN/GOV/" + H29 + "/one-stop-portal").build();
        var response = await200(request);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("path").asString()).isEqualTo("/tax/business/0301234567");
        assertThat(response.headers().firstValue("X-Road-Id")).isEqualTo(response.headers().firstValue("X-Transaction-Id"));
        assertThat(eventFor(transactionId(response)).service()).isEqualTo("business-tax-status");

        var impostor = send(HttpRequest.newBuilder(uri("/r1/VN/GOV/" + TAX + "/tax-registry/business-tax-status/business/1"))
                .header("Authorization", "Bearer " + token).header("X-Road-Client", "VN/GOV/" + H41 + "/one-stop-portal").build());
        assertProblem(impostor, 400, "bad_request");

        var outsideGrant = send(HttpRequest.newBuilder(uri("/r1/VN/GOV/" + TAX + "/tax-registry/business-tax-status/owners/1"))
                .header("Authorization", "Bearer " + token).header("X-Road-Client", "VN/GOV/" + H29 + "/one-stop-portal").build());
        assertProblem(outsideGrant, 403, "no_grant");
        assertThat(outsideGrant.headers().firstValue("X-Road-Id")).isEqualTo(outsideGrant.headers().firstValue("X-Transaction-Id"));
    }

    /** Each of these copies every header of every call: only the platform's own and the protocol's are left (RedundantHeaderFilters). */
    @Test
    void the_headers_of_a_call_pass_through_the_platforms_filter_and_the_protocols_only() {
        assertThat(headerFilters).extracting(filter -> filter.getClass().getSimpleName()).containsExactlyInAnyOrder(
                "OutgoingRequestHeaders", "AnswerHeaders", "RemoveHopByHopHeadersFilter", "TransferEncodingNormalizationHeadersFilter");
    }

    @Test
    void the_provider_verifies_who_calls_from_the_platform_assertion_and_never_sees_forged_identity() throws Exception {
        var request = HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567"))
                .header("Authorization", "Bearer " + token("h29-one-stop-portal"))
                .header("X-Ndx-Caller-Agency", "000.00.00.H41").header("X-Ndx-Assertion", "forged")
                .header("X-Forwarded-For", "10.1.2.3").header("X-Forwarded-Host", "internal.example").header("X-Real-IP", "10.1.2.3")
                .header("Forwarded", "for=10.1.2.3;host=internal.example").header("X-HTTP-Method-Override", "DELETE").header("X-Method-Override", "DELETE")
                .header("Metadata-Flavor", "Google").header("Metadata", "true").build();
        var seen = seenByProvider.get(transactionId(await200(request)));

        assertThat(seen.get("X-ndx-caller-agency")).containsExactly(H29);
        assertThat(seen).doesNotContainKeys("X-forwarded-for", "Forwarded", "X-forwarded-host", "X-real-ip", "X-http-method-override",
                "X-method-override", "Metadata-flavor", "Metadata");
        assertThat(seen).as("a provider never holds a proof an internal service accepts").doesNotContainKey("X-ndx-gateway-proof");
        // what a provider does: check the assertion with the keys the gateway publishes
        var keys = JWKSet.parse(send(HttpRequest.newBuilder(uri("/platform/jwks")).build()).body());
        var assertion = SignedJWT.parse(seen.get("X-ndx-assertion").get(0));
        var key = (ECKey) keys.getKeyByKeyId(assertion.getHeader().getKeyID());
        assertThat(key.isPrivate()).isFalse();
        assertThat(assertion.verify(new ECDSAVerifier(key))).isTrue();
        var claims = assertion.getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(TAX + "/tax-registry/business-tax-status");
        assertThat(claims.getStringClaim("agency")).isEqualTo(H29);
        assertThat(claims.getStringClaim("system")).isEqualTo("one-stop-portal");
        assertThat(claims.getSubject()).isEqualTo("h29-one-stop-portal");
        assertThat(claims.getExpirationTime()).isAfter(new Date());
        // a forged assertion does not verify
        assertThat(SignedJWT.parse(sign(new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate(), "h29-one-stop-portal",
                Instant.now().plusSeconds(60))).verify(new ECDSAVerifier(key))).isFalse();
    }

    @Test
    void a_client_supplied_transaction_id_is_replaced() throws Exception {
        var request = HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/business/1"))
                .header("Authorization", "Bearer " + token("h29-one-stop-portal"))
                .header("X-Transaction-Id", "chosen-by-client").build();
        var response = await200(request);

        assertThat(response.headers().allValues("X-Transaction-Id")).hasSize(1)
                .first().isNotEqualTo("chosen-by-client");
    }

    @Test
    void provider_answer_comes_back_unchanged_even_when_it_is_an_error() throws Exception {
        var response = http.send(get("/query/" + TAX + "/tax-registry/business-tax-status/missing/1",
                token("h29-one-stop-portal")), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"path\":\"/tax/missing/1\"}");
        assertThat(eventFor(transactionId(response)).outcome()).isEqualTo(Outcome.CLIENT_ERROR);
    }

    @Test
    void call_without_token_is_refused_with_401_problem_and_counted() throws Exception {
        var response = send(HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/x")).build());

        assertProblem(response, 401, "token_missing");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(eventFor(transactionId(response)).outcome()).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void forged_expired_or_malformed_tokens_are_refused_with_401() throws Exception {
        var otherKey = new ECKeyGenerator(Curve.P_256).keyID("test-key").generate();
        String path = "/query/" + TAX + "/tax-registry/business-tax-status/x";

        assertProblem(send(get(path, sign(otherKey, "h29-one-stop-portal", Instant.now().plusSeconds(60)))), 401, "token_invalid");
        assertProblem(send(get(path, sign(signingKey, "h29-one-stop-portal", Instant.now().minusSeconds(120)))), 401, "token_invalid");
        assertProblem(send(get(path, "not.a.jwt")), 401, "token_invalid");
        assertProblem(send(get(path, sign(signingKey, "unknown-client", Instant.now().plusSeconds(60)))), 401, "token_invalid");
    }

    @Test
    void a_client_revoked_in_the_registry_is_refused_at_once_though_its_token_was_already_verified() throws Exception {
        String token = token("h29-revoked-later");
        String path = "/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567";
        assertThat(await200(get(path, token)).statusCode()).isEqualTo(200);
        assertThat(send(get(path, token)).statusCode()).as("served from the verified-token memory").isEqualTo(200);

        publish(snapshot(2, false));

        await().atMost(Duration.ofSeconds(10)).until(() -> send(get(path, token)).statusCode() == 401);
        assertProblem(send(get(path, token)), 401, "token_invalid");
    }

    @Test
    @Order(Integer.MAX_VALUE - 2) // it holds this test's own address back for a while
    void a_source_flooding_forged_tokens_waits_while_a_token_already_verified_from_it_goes_on_working() throws Exception {
        String path = "/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567";
        String valid = token("h29-one-stop-portal");
        assertThat(await200(get(path, valid)).statusCode()).isEqualTo(200);
        var forger = new ECKeyGenerator(Curve.P_256).keyID(signingKey.getKeyID()).generate();
        HttpResponse<String> throttled = null;
        int refused = 0;
        for (int i = 0; i < 200 && throttled == null; i++) {
            var response = send(get(path, sign(forger, "h29-one-stop-portal", Instant.now().plusSeconds(300))));
            if (response.statusCode() == 429) {
                throttled = response;
            } else {
                assertProblem(response, 401, "token_invalid");
                refused++;
            }
        }
        assertThat(throttled).as("the flood is held back").isNotNull();
        assertThat(refused).isLessThanOrEqualTo(61);
        assertProblem(throttled, 429, "rate_limited");
        long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isPositive();
        // the token verified before goes on working from the same address
        assertThat(send(get(path, valid)).statusCode()).isEqualTo(200);
        // and once the wait is over, a new token is verified again
        Thread.sleep(retryAfter * 1000 + 200);
        assertThat(send(get(path, token("h29-one-stop-portal"))).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(Integer.MAX_VALUE - 1) // last of the changes: it moves the view far ahead
    void an_entry_the_gateway_cannot_use_is_left_out_and_counted_and_the_rest_of_the_snapshot_applies() throws Exception {
        String h41 = token("h41-one-stop-portal");
        String busy = "/query/" + TAX + "/tax-registry/busy-service/business/1";
        assertProblem(send(get(busy, h41)), 403, "no_grant");
        // an agency administrator's grant pattern "/{", and a service of a kind only a newer registry knows,
        // published with a grant that must take effect all the same
        var base = snapshot(1_000, false);
        var grants = new ArrayList<>(base.grants());
        grants.add(new Grant(H41, "one-stop-portal", TAX, "tax-registry", "business-tax-status", List.of(), List.of("/{")));
        grants.add(new Grant(H41, "one-stop-portal", TAX, "tax-registry", "busy-service", List.of("GET"), List.of()));
        var tree = (tools.jackson.databind.node.ObjectNode) JSON.valueToTree(new RegistrySnapshot(base.version(), base.publishedAt(),
                base.agencies(), base.systems(), base.services(), grants, base.clients(), base.signingKeys(), base.operators(), base.egress()));
        tree.withArray("services").addObject().put("agencyCode", TAX).put("systemCode", "tax-registry").put("code", "stream")
                .put("kind", "STREAM").put("maxBodyBytes", 1_000);
        double grantsBefore = rejectedEntries("grant");
        double servicesBefore = rejectedEntries("service");
        publishRaw(JSON.writeValueAsString(tree));

        await().atMost(Duration.ofSeconds(10)).until(() -> send(get(busy, h41)).statusCode() == 200);
        // the unusable grant is left out: it grants nothing
        assertProblem(send(get("/query/" + TAX + "/tax-registry/business-tax-status/business/1", h41)), 403, "no_grant");
        assertThat(rejectedEntries("grant")).isGreaterThan(grantsBefore);
        assertThat(rejectedEntries("service")).isGreaterThan(servicesBefore);
        assertThat(send(HttpRequest.newBuilder(management("/actuator/health")).build()).statusCode()).isEqualTo(200);
    }

    private double rejectedEntries(String kind) throws Exception {
        var metrics = send(HttpRequest.newBuilder(management("/actuator/prometheus")).build()).body();
        var line = java.util.regex.Pattern.compile("^ndx_registry_entries_rejected_total\\{kind=\"" + kind + "\"\\} (\\S+)$",
                java.util.regex.Pattern.MULTILINE).matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    @Test
    void a_path_that_could_reach_beyond_the_grant_is_refused_before_any_grant_check() throws Exception {
        // the grant covers /business/**: each of these would pass it as written and mean something else upstream
        String token = token("h29-one-stop-portal");
        String base = "/query/" + TAX + "/tax-registry/business-tax-status/business/";
        for (String path : List.of("..%2F..%2Fhealth", "x/../../../health", "./x", "%2e%2e/%2E%2e/health", ".%2E/health", "%2e/x",
                "x%5C..%5Chealth", "x%00", "x%0d%0aX-Injected:1", "%252e%252e/health", "x;jsessionid=1", "x%3Bv=1", "x%2fy")) {
            var response = send(get(base + path, token));
            assertProblem(response, 400, "invalid_path");
            assertThat(seenByProvider.get(transactionId(response))).as(path + " reached the provider").isNull();
        }
        // the same through the X-Road address, and plain paths still pass
        assertProblem(send(HttpRequest.newBuilder(uri("/r1/VN/GOV/" + TAX + "/tax-registry/business-tax-status/business/..%2Fx"))
                .header("Authorization", "Bearer " + token).header("X-Road-Client", "VN/GOV/" + H29 + "/one-stop-portal").build()),
                400, "invalid_path");
        assertThat(await200(get(base + "0301234567.json", token)).statusCode()).isEqualTo(200);
        assertThat(await200(get(base + "x~y_z-1%20a", token)).statusCode()).isEqualTo(200);
    }

    @Test
    void oversized_headers_and_request_lines_are_answered_with_a_problem_over_http_1_1_and_http_2() throws Exception {
        String token = token("h29-one-stop-portal");
        String path = "/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567";
        var h2 = HttpClient.newBuilder().sslContext(PKI.trustingContext()).version(HttpClient.Version.HTTP_2).build();
        for (HttpClient client : List.of(http, h2)) {
            var bigHeader = client.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                    .header("X-Padding", "a".repeat(20_000)).build(), BodyHandlers.ofString());
            assertProblem(bigHeader, 431, "headers_too_large");
            var longLine = client.send(get(path + "x".repeat(20_000), token), BodyHandlers.ofString());
            assertProblem(longLine, 414, "uri_too_long");
            assertThat(seenByProvider.get(transactionId(longLine))).isNull();
            // the same client goes on: a refused request costs it nothing but a new connection
            assertThat(client.send(get(path, token), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        var plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plainHttp.port() + path))
                .header("Authorization", "Bearer " + token).header("X-Padding", "a".repeat(20_000)).build();
        assertProblem(http.send(plain, BodyHandlers.ofString()), 431, "headers_too_large");
    }

    @Test
    void an_address_the_platform_may_not_reach_for_the_provider_is_never_connected_to() throws Exception {
        double before = metric("ndx_gateway_egress_refused_total");
        var response = send(get("/query/" + H41 + "/one-stop-portal/sneaky/business/0301234567", token("h29-one-stop-portal")));
        assertProblem(response, 503, "provider_unavailable");
        assertThat(seenByProvider.get(transactionId(response))).as("the provider on this machine was reached").isNull();
        assertThat(metric("ndx_gateway_egress_refused_total")).isGreaterThan(before);
        // the tax registry's provider, on the same machine but allowed, is reached as ever
        assertThat(await200(get("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567", token("h29-one-stop-portal")))
                .statusCode()).isEqualTo(200);
    }

    private double metric(String name) throws Exception {
        return send(HttpRequest.newBuilder(management("/actuator/prometheus")).build()).body().lines()
                .filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void a_snapshot_the_registry_did_not_sign_is_ignored_and_counted() throws Exception {
        // anyone who can write to ndx.registry: an empty registry at the highest version would freeze every gateway
        String path = "/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567";
        String token = token("h29-one-stop-portal");
        assertThat(await200(get(path, token)).statusCode()).isEqualTo(200);
        double before = rejectedSnapshots();
        String forged = JSON.writeValueAsString(new RegistrySnapshot(Long.MAX_VALUE, Instant.now(), List.of(), List.of(),
                List.of(), List.of(), List.of(), "{\"keys\":[]}"));
        var strangerKey = RegistryKeys.writeKeyFile(java.nio.file.Files.createTempDirectory("stranger").resolve("key"), RegistryKeys.stranger());
        var byStranger = new ProducerRecord<>(Topics.REGISTRY, "registry", forged);
        byStranger.headers().add(RegistrySignatures.SIGNATURE_HEADER, RegistrySignatures.Signer.fromKeyFiles(strangerKey, null)
                .sign(forged.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
        // the registry's genuine signature of another snapshot, moved onto the forgery
        var genuine = RegistryKeys.signedSnapshot(JSON.writeValueAsString(snapshot(2, false)));
        var moved = new ProducerRecord<>(Topics.REGISTRY, "registry", forged);
        moved.headers().add(genuine.headers().lastHeader(RegistrySignatures.SIGNATURE_HEADER));
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY, "registry", forged)).get();
            producer.send(byStranger).get();
            producer.send(moved).get();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> rejectedSnapshots() >= before + 3);
        assertThat(rejectedSnapshots()).isEqualTo(before + 3);
        assertThat(send(get(path, token)).statusCode()).as("the registry's own view still serves").isEqualTo(200);
    }

    private double rejectedSnapshots() throws Exception {
        return send(HttpRequest.newBuilder(management("/actuator/prometheus")).build()).body().lines()
                .filter(line -> line.startsWith("ndx_registry_snapshots_rejected_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void system_without_grant_is_refused_with_403() throws Exception {
        var response = send(get("/query/" + TAX + "/tax-registry/business-tax-status/business/1", token("h41-one-stop-portal")));

        assertProblem(response, 403, "no_grant");
        var event = eventFor(transactionId(response));
        assertThat(event.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(event.consumerAgency()).isEqualTo(H41);
        assertThat(event.problemCode()).isEqualTo("no_grant");
    }

    @Test
    void a_method_or_path_outside_the_grant_is_refused_with_403() throws Exception {
        String token = token("h29-one-stop-portal");
        await200(get("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567", token));

        var otherPath = send(get("/query/" + TAX + "/tax-registry/business-tax-status/owners/0301234567", token));
        assertProblem(otherPath, 403, "no_grant");
        var otherMethod = send(HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/business/1"))
                .header("Authorization", "Bearer " + token).DELETE().build());
        assertProblem(otherMethod, 403, "no_grant");
        assertThat(JSON.readTree(otherMethod.body()).get("detail").asString()).contains("DELETE");
    }

    @Test
    void unknown_targets_are_404_and_never_reach_the_statistics_by_name() throws Exception {
        String token = token("h29-one-stop-portal");
        var unknownAgency = send(get("/query/999.99.99.G99/tax-registry/business-tax-status/x", token));
        assertProblem(unknownAgency, 404, "unknown_agency");
        assertThat(eventFor(transactionId(unknownAgency)).providerAgency()).isNull();
        assertProblem(send(get("/query/" + TAX + "/nope/business-tax-status/x", token)), 404, "unknown_system");
        assertProblem(send(get("/query/" + TAX + "/tax-registry/nope/x", token)), 404, "unknown_service");
    }

    @Test
    void unknown_route_is_404_problem_with_transaction_id() throws Exception {
        var response = send(HttpRequest.newBuilder(uri("/no/such/route")).build());

        assertProblem(response, 404, "not_found");
    }

    @Test
    void body_over_the_service_limit_is_413() throws Exception {
        var request = HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/business"))
                .header("Authorization", "Bearer " + token("h29-one-stop-portal"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5_000])).build();

        assertProblem(send(request), 413, "payload_too_large");

        // the same body without a declared length is stopped while it streams
        var chunked = HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/business"))
                .header("Authorization", "Bearer " + token("h29-one-stop-portal"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[5_000]))).build();
        assertProblem(send(chunked), 413, "payload_too_large");
    }

    @Test
    void slow_provider_gets_504_and_unreachable_provider_503() throws Exception {
        String token = token("h29-one-stop-portal");
        var slow = send(get("/query/" + TAX + "/tax-registry/slow-service/slow", token));
        assertProblem(slow, 504, "provider_timeout");
        assertThat(eventFor(transactionId(slow)).outcome()).isEqualTo(Outcome.TIMEOUT);

        var down = send(get("/query/" + TAX + "/tax-registry/closed-service/x", token));
        assertProblem(down, 503, "provider_unavailable");
        assertThat(eventFor(transactionId(down)).outcome()).isEqualTo(Outcome.PROVIDER_ERROR);
    }

    @Test
    void a_call_that_never_reached_its_provider_is_repeated_once_only_when_that_is_safe() throws Exception {
        String token = token("h29-one-stop-portal");
        String path = "/query/" + TAX + "/tax-registry/closed-service/x";
        double before = retries("closed-service");

        assertProblem(send(get(path, token)), 503, "provider_unavailable");
        assertThat(retries("closed-service")).isEqualTo(before + 1);
        // a POST may have effects: never repeated by the platform
        assertProblem(send(post(path, token, "{}")), 503, "provider_unavailable");
        assertThat(retries("closed-service")).isEqualTo(before + 1);
    }

    private double retries(String service) throws Exception {
        return send(HttpRequest.newBuilder(management("/actuator/prometheus")).build()).body().lines()
                .filter(line -> line.startsWith("ndx_gateway_provider_retries_total{") && line.contains("service=\"" + service + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void a_failing_provider_gets_its_circuit_opened_then_recovers() throws Exception {
        String token = token("h29-one-stop-portal");
        String path = "/query/" + TAX + "/tax-registry/flaky-service/flaky";
        await200(get(path, token));
        failing = true;
        HttpResponse<String> open = null;
        int failures = 0;
        while (open == null && failures < 6) {
            var response = send(get(path, token));
            if (response.statusCode() == 503) {
                open = response;
            } else {
                assertThat(response.statusCode()).as("the provider's own 500 passes through").isEqualTo(500);
                failures++;
            }
        }
        // a window of 4 calls, half of them failed: the circuit opens on the failure that tips it
        assertThat(failures).isBetween(2, 4);
        assertProblem(open, 503, "circuit_open");
        assertThat(open.headers().firstValue("Retry-After")).isPresent();
        assertThat(eventFor(transactionId(open)).outcome()).isEqualTo(Outcome.CIRCUIT_OPEN);

        failing = false;
        Thread.sleep(2_200);
        assertThat(send(get(path, token)).statusCode()).isEqualTo(200);
        assertThat(send(get(path, token)).statusCode()).isEqualTo(200);
        assertThat(send(get(path, token)).statusCode()).as("closed again").isEqualTo(200);
        var metrics = send(HttpRequest.newBuilder(management("/actuator/prometheus")).build()).body();
        assertThat(metrics).contains("resilience4j_circuitbreaker_state", "000.00.18.G12/tax-registry/flaky-service");
    }

    @Test
    void calls_beyond_a_providers_concurrency_limit_are_refused_at_once() throws Exception {
        String token = token("h29-one-stop-portal");
        var calls = new ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 5; i++) {
            calls.add(http.sendAsync(get("/query/" + TAX + "/tax-registry/busy-service/slow/" + i, token),
                    HttpResponse.BodyHandlers.ofString()));
        }
        var statuses = calls.stream().map(java.util.concurrent.CompletableFuture::join).map(HttpResponse::statusCode).toList();

        assertThat(statuses).contains(503).filteredOn(status -> status == 504).hasSizeLessThanOrEqualTo(3);
        var busy = calls.stream().map(java.util.concurrent.CompletableFuture::join).filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
        assertProblem(busy, 503, "provider_busy");
    }

    @Test
    void a_clients_limits_for_one_service_override_its_own_and_count_apart() throws Exception {
        String token = token("h29-overridden");
        String ownLimits = "/query/" + TAX + "/tax-registry/slow-service/x";
        String overridden = "/query/" + TAX + "/tax-registry/business-tax-status/x";
        String body = "{\"note\":\"" + "x".repeat(400) + "\"}";

        // the client's own limits cap bodies at 100 bytes, below the service's 1,000
        assertProblem(send(post(ownLimits, token, body)), 413, "payload_too_large");
        // its override for business-tax-status does not, and allows a burst of two calls a second
        assertThat(await200(post(overridden, token, body)).statusCode()).isEqualTo(200);
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < 3; i++) {
            statuses.add(send(get(overridden, token)).statusCode());
        }
        assertThat(statuses).contains(429);
        // calls to other services still draw on the client's own bucket, untouched by the override's
        assertThat(send(get(ownLimits, token)).statusCode()).isEqualTo(200);
    }

    @Test
    void a_client_over_its_rate_gets_429_with_retry_after_then_recovers() throws Exception {
        String token = token("h29-limited");
        String path = "/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567";
        await200(get(path, token));
        var statuses = new ArrayList<Integer>();
        HttpResponse<String> limited = null;
        for (int i = 0; i < 6 && limited == null; i++) {
            var response = send(get(path, token));
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertThat(response.headers().firstValue("RateLimit-Limit")).hasValue("2");
            }
        }
        assertThat(limited).as("statuses %s", statuses).isNotNull();
        assertProblem(limited, 429, "rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(eventFor(transactionId(limited)).outcome()).isEqualTo(Outcome.REFUSED);

        Thread.sleep(1_100);
        assertThat(send(get(path, token)).statusCode()).isEqualTo(200);
    }

    @Test
    void operator_routes_take_operators_only_and_name_the_operator_instead_of_forwarding_the_token() throws Exception {
        for (String path : List.of("/stats/daily?from=2026-11-01&to=2026-11-02", "/transactions?agency=" + H29,
                "/audit/verify?from=2026-11-01&to=2026-11-02", "/operations/dead-letters")) {
            var answered = send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token("platform-operator"))
                    .header(Headers.OPERATOR, "spoofed").build());
            assertThat(answered.statusCode()).as(path).isEqualTo(202);
            var seen = seenByExchange.get(transactionId(answered));
            assertThat(seen.get("X-ndx-operator")).as(path).containsExactly("platform-operator");
            assertThat(seen.get("X-ndx-operator-role")).as(path).containsExactly("operator");
            assertThat(provenFor(path.startsWith("/operations") ? "exchange" : "audit", seen)).as(path).isTrue();
            assertThat(provenFor(path.startsWith("/operations") ? "audit" : "exchange", seen)).as("proof for one service only").isFalse();
            assertThat(seen).as(path).doesNotContainKey("Authorization").doesNotContainKey("X-ndx-caller-agency");

            assertProblem(send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token("h29-one-stop-portal")).build()),
                    403, "out_of_scope");
            assertProblem(send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token("retired-operator")).build()),
                    401, "token_invalid");
            assertProblem(send(HttpRequest.newBuilder(uri(path)).build()), 401, "token_missing");
        }
        // the read-only operator only reads: rewriting published history or redriving is a platform administrator's
        for (String path : List.of("/stats/history", "/operations/dead-letters/redrive")) {
            assertProblem(send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token("platform-operator"))
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("period,total\n2022-09,1\n")).build()),
                    403, "out_of_scope");
            var asAdmin = send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token("platform-admin"))
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("period,total\n2022-09,1\n")).build());
            assertThat(asAdmin.statusCode()).as(path).isEqualTo(202);
            assertThat(seenByExchange.get(transactionId(asAdmin)).get("X-ndx-operator-role")).containsExactly("platform-admin");
        }
        // the console's page is served by the gateway, its short address leads there
        var console = send(HttpRequest.newBuilder(uri("/console")).build());
        assertThat(console.statusCode()).isEqualTo(302);
        assertThat(console.headers().firstValue("Location")).hasValue("/console/index.html");
        var page = send(HttpRequest.newBuilder(uri("/console/index.html")).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        // and an operator is no agency system: it cannot query or send
        assertProblem(send(HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/business/1"))
                .header("Authorization", "Bearer " + token("platform-operator")).build()), 401, "token_invalid");
    }

    @Test
    void the_openapi_document_is_served_without_a_token_as_yaml_and_as_the_same_json() throws Exception {
        var yaml = send(HttpRequest.newBuilder(uri("/openapi/ndx.yaml")).build());
        var json = send(HttpRequest.newBuilder(uri("/openapi/ndx.json")).build());

        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/yaml");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode fromYaml = YAMLMapper.builder().build().readTree(yaml.body());
        assertThat(JSON.readTree(json.body())).isEqualTo(fromYaml);
        assertThat(fromYaml.path("openapi").asString()).isEqualTo("3.1.0");
        assertThat(fromYaml.path("paths").has("/query/{agency}/{system}/{service}/{path}")).isTrue();
    }

    @Test
    void record_goes_to_the_exchange_with_the_caller_identity_and_the_exchange_emits_its_event() throws Exception {
        var request = HttpRequest.newBuilder(uri("/records/" + H41 + "/one-stop-portal/business-registration"))
                .header("Authorization", "Bearer " + token("h29-one-stop-portal"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"taxCode\":\"0301234567\"}")).build();
        var response = await200(request);

        assertThat(response.statusCode()).isEqualTo(202);
        var seen = seenByExchange.get(transactionId(response));
        assertThat(seen.get("X-ndx-caller-system")).containsExactly("one-stop-portal");
        assertThat(seen.get("X-ndx-caller-agency")).containsExactly(H29);
        assertThat(seen).containsKey("X-ndx-started-at");
        assertThat(provenFor("exchange", seen)).as("the exchange can check that the gateway made this call").isTrue();

        var refused = send(HttpRequest.newBuilder(uri("/records/" + H41 + "/one-stop-portal/business-registration"))
                .header("Authorization", "Bearer " + token("h41-one-stop-portal"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertProblem(refused, 403, "no_grant");
        assertThat(eventFor(transactionId(refused)).kind()).isEqualTo(TransactionKind.RECORD);
        // an answer from the exchange means the exchange emitted the event: the gateway adds none
        Thread.sleep(500);
        assertThat(events).noneMatch(event -> event.transactionId().equals(transactionId(response)));
    }

    @Test
    void token_requests_while_the_registry_is_down_get_503_problem() throws Exception {
        // the test runs no registry: the gateway's token route points at a closed port
        var response = send(HttpRequest.newBuilder(uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());

        assertProblem(response, 503, "service_unavailable");
    }

    @Test
    void metrics_and_health_are_exposed() throws Exception {
        await200(get("/query/" + TAX + "/tax-registry/business-tax-status/business/1", token("h29-one-stop-portal")));
        send(HttpRequest.newBuilder(uri("/query/" + TAX + "/tax-registry/business-tax-status/x")).build());
        await().atMost(Duration.ofSeconds(20)).until(() ->
                send(HttpRequest.newBuilder(management("/actuator/health")).build()).statusCode() == 200);
        var metrics = send(HttpRequest.newBuilder(management("/actuator/prometheus")).build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "ndx_registry_view_age_seconds",
                "ndx_gateway_latency_seconds_bucket", "ndx_gateway_refusals_total{code=\"token_missing\"}");
        assertThat(metrics.body()).containsPattern("ndx_gateway_transactions_total\\{kind=\"QUERY\",outcome=\"OK\",provider_agency=\"000.00.18.G12\",service=\"business-tax-status\",status_class=\"2xx\"\\}");
        assertThat(metrics.body()).contains("ndx_gateway_consumer_transactions_total{consumer_agency=\"" + H29 + "\",kind=\"QUERY\"}");
        // fixed buckets: a bounded number of series per label set
        assertThat(metrics.body().lines().filter(line -> line.startsWith("ndx_gateway_latency_seconds_bucket{")
                && line.contains("provider_agency=\"000.00.18.G12\"") && line.contains("outcome=\"OK\"") && line.contains("kind=\"QUERY\""))).hasSize(15);
    }

    @Test
    void the_public_ports_show_no_metrics_or_health_only_the_management_port_does() throws Exception {
        var tls = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build());
        assertProblem(tls, 404, "not_found");
        var plain = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plainHttp.port() + "/actuator/prometheus")).build());
        assertProblem(plain, 404, "not_found");
        assertThat(send(HttpRequest.newBuilder(management("/actuator/prometheus")).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void the_front_door_speaks_tls_1_2_and_1_3_with_http_2_and_refuses_older_tls() throws Exception {
        // HTTP/2 over TLS, negotiated by ALPN, with the certificate the test authority issued
        var h2 = HttpClient.newBuilder().sslContext(PKI.trustingContext()).version(HttpClient.Version.HTTP_2).build();
        var answer = h2.send(get("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567", token("h29-one-stop-portal")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);

        assertThat(negotiated("TLSv1.3")).isEqualTo("TLSv1.3");
        assertThat(negotiated("TLSv1.2")).isEqualTo("TLSv1.2");
        byte[] refusal = answerToTls11Hello();
        assertThat(refusal[0]).as("a TLS alert, not a server hello").isEqualTo((byte) 0x15);
        assertThat(refusal[6]).as("alert: protocol_version").isEqualTo((byte) 70);

        // a client that does not trust the platform's authority (here: the JDK's public ones) gets no connection
        var stranger = HttpClient.newHttpClient();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stranger.send(HttpRequest.newBuilder(uri("/oauth2/jwks")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        // plain HTTP on the TLS port is not answered
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/oauth2/jwks")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void the_plain_port_listens_on_loopback_only() throws Exception {
        assertThat(plainHttp.port()).isPositive();
        var local = send(get("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567", token("h29-one-stop-portal")));
        assertThat(local.statusCode()).isEqualTo(200);
        // from any address of this machine but loopback, nothing listens there
        var addresses = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface -> NetworkInterface.inetAddresses()).filter(address -> !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress()).toList();
        org.junit.jupiter.api.Assumptions.assumeFalse(addresses.isEmpty(), "this machine has no address but loopback");
        for (var address : addresses) {
            try (var socket = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, plainHttp.port()), 1000))
                        .as("plain HTTP reachable at " + address).isInstanceOf(java.net.ConnectException.class);
            }
        }
    }

    @Test
    void a_token_bound_to_a_client_certificate_works_only_over_a_connection_that_shows_it() throws Exception {
        TestPki.Issued portal = PKI.client("h29-portal", "CN=h29-one-stop-portal");
        TestPki.Issued other = PKI.client("h29-other", "CN=h29-one-stop-portal");
        String bound = signBound(signingKey, "h29-one-stop-portal", vn.ndx.contract.CertificateThumbprint.of(portal.certificate()));
        var query = get("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567", bound);

        var withIt = HttpClient.newBuilder().sslContext(PKI.presenting(portal)).version(HttpClient.Version.HTTP_1_1).build();
        assertThat(withIt.send(query, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // the same token, stolen: without the certificate, with another one, or over the plain port
        assertProblem(send(query), 401, "token_invalid");
        var withAnother = HttpClient.newBuilder().sslContext(PKI.presenting(other)).version(HttpClient.Version.HTTP_1_1).build();
        assertProblem(withAnother.send(query, HttpResponse.BodyHandlers.ofString()), 401, "token_invalid");
        assertProblem(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plainHttp.port()
                + "/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567")).header("Authorization", "Bearer " + bound).build()),
                401, "token_invalid");
        // and once accepted over its certificate, the remembered token is still checked against the connection
        assertThat(withIt.send(query, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertProblem(send(query), 401, "token_invalid");
    }

    private static String signBound(ECKey key, String clientId, String thumbprint) throws Exception {
        var claims = new JWTClaimsSet.Builder().issuer("ndx-registry").subject(clientId).claim("client_id", clientId)
                .claim("cnf", Map.of("x5t#S256", thumbprint)).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .issueTime(new Date()).build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** The protocol a TLS handshake with the front door settles on when the client offers only {@code protocol}. */
    private String negotiated(String protocol) throws Exception {
        try (var socket = (javax.net.ssl.SSLSocket) PKI.trustingContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }

    /**
     * The first TLS record the front door answers to a client that offers TLS 1.1 at most. Written out by
     * hand: the JDK's own client refuses to offer TLS 1.1 at all, which would prove nothing about the server.
     */
    private byte[] answerToTls11Hello() throws Exception {
        var body = new java.io.ByteArrayOutputStream();
        body.write(new byte[] {0x03, 0x02}); // client_version TLS 1.1
        body.write(new byte[32]); // random
        body.write(0); // no session id
        // ECDHE-ECDSA/RSA with AES-CBC-SHA, the suites a TLS 1.1 client offers
        body.write(new byte[] {0x00, 0x06, (byte) 0xc0, 0x09, (byte) 0xc0, 0x13, 0x00, 0x2f});
        body.write(new byte[] {0x01, 0x00}); // null compression only
        byte[] extensions = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
                0x00, 0x0b, 0x00, 0x02, 0x01, 0x00}; // ec_point_formats: uncompressed
        body.write(new byte[] {0x00, (byte) extensions.length});
        body.write(extensions);
        byte[] hello = body.toByteArray();
        var record = new java.io.ByteArrayOutputStream();
        record.write(new byte[] {0x16, 0x03, 0x01, (byte) ((hello.length + 4) >> 8), (byte) (hello.length + 4)});
        record.write(new byte[] {0x01, 0x00, (byte) (hello.length >> 8), (byte) hello.length});
        record.write(hello);
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(record.toByteArray());
            socket.getOutputStream().flush();
            return socket.getInputStream().readNBytes(7);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void nothing_on_the_request_path_blocked_an_event_loop_in_any_test_of_this_class() throws Exception {
        await200(get("/query/" + TAX + "/tax-registry/business-tax-status/business/0301234567", token("h29-one-stop-portal")));
        var seenInTests = List.copyOf(blocked);

        // the detector itself works: a sleep on a thread named like an event loop is seen
        var probe = new Thread(() -> sleep(1), "reactor-http-probe");
        probe.start();
        probe.join();
        assertThat(blocked).as("BlockHound is installed and reporting").hasSizeGreaterThan(seenInTests.size());

        assertThat(seenInTests).as("blocking calls on event loops").isEmpty();
    }

    // --- helpers

    private HttpResponse<String> await200(HttpRequest request) {
        // the registry view arrives from Kafka just after the context starts
        var holder = new HttpResponse[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            holder[0] = send(request);
            return holder[0].statusCode() != 503;
        });
        @SuppressWarnings("unchecked")
        HttpResponse<String> response = holder[0];
        return response;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest post(String path, String token, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).build();
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + port + path);
    }

    private URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    private static String transactionId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Transaction-Id").orElseThrow();
    }

    private void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("transactionId").asString()).isEqualTo(transactionId(response));
        assertThat(response.body()).doesNotContain("Exception", "127.0.0.1", "localhost");
    }

    private static TransactionEvent eventFor(String transactionId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> e.transactionId().equals(transactionId)));
        var matching = events.stream().filter(e -> e.transactionId().equals(transactionId)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private static String token(String clientId) throws Exception {
        return sign(signingKey, clientId, Instant.now().plusSeconds(300));
    }

    private static String sign(ECKey key, String clientId, Instant expiry) throws Exception {
        var claims = new JWTClaimsSet.Builder().issuer("ndx-registry").subject(clientId)
                .claim("client_id", clientId).expirationTime(Date.from(expiry)).issueTime(new Date()).build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static RegistrySnapshot snapshot(long version, boolean laterRevokedEnabled) {
        String providerUrl = "http://127.0.0.1:" + provider.getAddress().getPort() + "/tax";
        return new RegistrySnapshot(version, Instant.now(),
                List.of(new Agency(TAX, "General Department of Taxation", false), new Agency(H29, "Ho Chi Minh City", false),
                        new Agency(H41, "Nghe An", false)),
                List.of(new InformationSystem(TAX, "tax-registry", "Tax registry"),
                        new InformationSystem(H29, "one-stop-portal", "Portal"), new InformationSystem(H41, "one-stop-portal", "Portal")),
                List.of(new Service(TAX, "tax-registry", "business-tax-status", Service.Kind.QUERY, providerUrl, Duration.ofSeconds(1), 1_000),
                        new Service(TAX, "tax-registry", "closed-service", Service.Kind.QUERY, "http://127.0.0.1:9", Duration.ofSeconds(1), 1_000),
                        new Service(TAX, "tax-registry", "flaky-service", Service.Kind.QUERY, providerUrl, Duration.ofSeconds(1), 1_000),
                        new Service(TAX, "tax-registry", "busy-service", Service.Kind.QUERY, providerUrl, Duration.ofSeconds(1), 1_000),
                        new Service(TAX, "tax-registry", "slow-service", Service.Kind.QUERY, providerUrl, Duration.ofSeconds(1), 1_000),
                        new Service(H41, "one-stop-portal", "business-registration", Service.Kind.CHANNEL, null, null, 10_000),
                        // citizens' personal data: every call names a purpose its grant covers
                        new Service(TAX, "tax-registry", "personal-income", Service.Kind.QUERY, providerUrl, Duration.ofSeconds(1), 1_000,
                                null, null, true),
                        new Service(H41, "one-stop-portal", "residence-notice", Service.Kind.CHANNEL, null, null, 10_000, null, null, true),
                        // a service aimed at the gateway's own machine by a name: the registry refuses it today, but a
                        // name may resolve elsewhere tomorrow, and a stored entry may predate the check
                        new Service(H41, "one-stop-portal", "sneaky", Service.Kind.QUERY,
                                "http://localhost:" + provider.getAddress().getPort() + "/tax", Duration.ofSeconds(1), 1_000)),
                List.of(new Grant(H29, "one-stop-portal", TAX, "tax-registry", "business-tax-status", List.of("GET", "POST"), List.of("/business/**", "/slow", "/missing/*", "/x")),
                        new Grant(H29, "one-stop-portal", TAX, "tax-registry", "closed-service", List.of(), List.of()),
                        new Grant(H29, "one-stop-portal", TAX, "tax-registry", "flaky-service", List.of(), List.of()),
                        new Grant(H29, "one-stop-portal", TAX, "tax-registry", "busy-service", List.of(), List.of()),
                        new Grant(H29, "one-stop-portal", TAX, "tax-registry", "slow-service", List.of(), List.of()),
                        new Grant(H29, "one-stop-portal", H41, "one-stop-portal", "business-registration", List.of(), List.of()),
                        new Grant(H29, "one-stop-portal", H41, "one-stop-portal", "sneaky", List.of(), List.of()),
                        new Grant(H29, "one-stop-portal", TAX, "tax-registry", "personal-income", List.of("GET"), List.of("/citizens/*"),
                                List.of("administrative-procedure", "social-assistance")),
                        // a second grant for the same service: another purpose, on another path only
                        new Grant(H29, "one-stop-portal", TAX, "tax-registry", "personal-income", List.of("GET"), List.of("/statements/*"),
                                List.of("tax-inspection")),
                        new Grant(H29, "one-stop-portal", H41, "one-stop-portal", "residence-notice", List.of(), List.of(),
                                List.of("residence-check"))),
                List.of(new Client("h29-one-stop-portal", H29, "one-stop-portal", true, null),
                        new Client("h41-one-stop-portal", H41, "one-stop-portal", true, new Limits(1_000, 1_000, 100)),
                        new Client("h29-limited", H29, "one-stop-portal", true, new Limits(2, 3, 10)),
                        new Client("h29-overridden", H29, "one-stop-portal", true, new Limits(1_000, 1_000, 100, 100L,
                                Map.of(Limits.serviceKey(TAX, "tax-registry", "business-tax-status"), new Limits(1, 2, 10)))),
                        new Client("h29-revoked-later", H29, "one-stop-portal", laterRevokedEnabled, null)),
                new JWKSet(signingKey.toPublicJWK()).toString(true),
                List.of(new Operator("platform-operator", true), new Operator("retired-operator", false),
                        new Operator("platform-admin", true, true), Operator.citizenPortal("citizen-portal", true)),
                // the tax registry's provider runs on this machine over plain HTTP; Nghe An may use plain HTTP, on public addresses
                List.of(new Egress(TAX, true, List.of("127.0.0.0/8")), new Egress(H41, true, List.of())));
    }

    private static void publish(RegistrySnapshot snapshot) {
        publishRaw(JSON.writeValueAsString(snapshot));
    }

    /** A snapshot as the registry signs and publishes it, whatever it holds. */
    private static void publishRaw(String snapshot) {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(RegistryKeys.signedSnapshot(snapshot)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void startReadingEvents() {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        eventReader = new Thread(() -> {
            try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topics.TRANSACTIONS));
                while (reading) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(JSON.readValue(r.value(), TransactionEvent.class)));
                }
            }
        }, "event-reader");
        eventReader.setDaemon(true);
        eventReader.start();
    }

    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** Whether what a stand-in received carries the gateway's valid proof for exactly that call to {@code service}. */
    private static boolean provenFor(String service, Map<String, List<String>> seen) {
        List<String> line = seen.get(REQUEST_LINE);
        java.util.function.Function<String, String> header = name -> seen.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
        var call = GatewayProof.Call.of(line.get(0), line.get(1), "null".equals(line.get(2)) ? null : line.get(2), header);
        return GatewayProof.fromKeyFile(service, GatewayProofs.keyFile(service))
                .verify(header.apply(Headers.GATEWAY_PROOF), call, Instant.now().getEpochSecond());
    }

    private static HttpServer server(Map<String, Map<String, List<String>>> seen, Handler handler) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String id = exchange.getRequestHeaders().getFirst("X-Transaction-Id");
                if (id != null) {
                    var headers = new java.util.HashMap<>(exchange.getRequestHeaders());
                    headers.put(REQUEST_LINE, List.of(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            String.valueOf(exchange.getRequestURI().getRawQuery())));
                    seen.put(id, Map.copyOf(headers));
                }
                handler.handle(exchange);
            }
        });
        server.start();
        return server;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
