package vn.ndx.registry;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import vn.ndx.contract.RegistrySignatures;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.Topics;
import vn.ndx.contract.testing.KafkaFixture;
import vn.ndx.contract.testing.RegistryKeys;
import vn.ndx.contract.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry over real HTTP and a real Kafka broker: tokens, administration, replication to the data plane. */
class RegistryIT extends RunningRegistry {

    @Test
    void a_caller_without_the_gateways_proof_gets_no_token_and_changes_nothing() throws Exception {
        // straight at the registry's port with a genuine secret: the registry answers the gateway only
        String form = "grant_type=client_credentials";
        var direct = http.send(HttpRequest.newBuilder(uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("platform-admin:" + secret("platform-admin")).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(direct, 401, "not_from_gateway");
        long before = version();
        String admin = accessToken("platform-admin");
        var change = http.send(HttpRequest.newBuilder(uri("/admin/agencies")).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"000.00.00.H30\",\"name\":\"Forged\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(change, 401, "not_from_gateway");
        Thread.sleep(300);
        assertThat(version()).as("no registry change").isEqualTo(before);
    }

    @Test
    void every_snapshot_is_signed_with_the_registry_key_the_readers_pin() throws Exception {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var trust = RegistrySignatures.Trust.fromPemFile(RegistryKeys.trustFile());
        int checked = 0;
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partition = new TopicPartition(Topics.REGISTRY, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    var signature = record.headers().lastHeader(RegistrySignatures.SIGNATURE_HEADER);
                    assertThat(signature).as("snapshot at offset " + record.offset()).isNotNull();
                    assertThat(trust.verifies(record.value(), new String(signature.value(), StandardCharsets.US_ASCII), null)).isTrue();
                    byte[] altered = record.value().clone();
                    altered[altered.length / 2] ^= 1;
                    assertThat(trust.verifies(altered, new String(signature.value(), StandardCharsets.US_ASCII), null)).isFalse();
                    checked++;
                }
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void demo_client_gets_a_signed_token_naming_its_agency_and_system() throws Exception {
        var response = tokenRequest("h29-one-stop-portal", secret("h29-one-stop-portal"), "grant_type=client_credentials");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(600);
        SignedJWT jwt = SignedJWT.parse(body.get("access_token").asString());
        var jwks = JWKSet.parse(send(HttpRequest.newBuilder(uri("/oauth2/jwks")).build()).body());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("agency")).isEqualTo("000.00.00.H29");
        assertThat(claims.getStringClaim("system")).isEqualTo("one-stop-portal");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("h29-one-stop-portal");
        assertThat(claims.getIssuer()).isEqualTo("ndx-registry");
        assertThat(claims.getExpirationTime().toInstant()).isBetween(Instant.now().plusSeconds(540), Instant.now().plusSeconds(610));
    }

    @Test
    void wrong_secret_or_unknown_client_is_401_invalid_client() throws Exception {
        for (var response : List.of(
                tokenRequest("h29-one-stop-portal", "wrong", "grant_type=client_credentials"),
                tokenRequest("nobody", "wrong", "grant_type=client_credentials"))) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"ndx\"");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("code").asString()).isEqualTo("invalid_client");
            assertThat(problem.get("error").asString()).isEqualTo("invalid_client");
            assertThat(problem.get("transactionId").asString()).isEqualTo("tx-under-test");
        }
        var noCredentials = send(HttpRequest.newBuilder(uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertThat(noCredentials.statusCode()).isEqualTo(401);
    }

    @Test
    void a_flood_of_wrong_secrets_is_throttled_unchecked_and_counted_while_the_legitimate_client_gets_its_token() throws Exception {
        int free = 5; // wrong secrets of one client from one address checked before it waits (docs/security.md)
        int unauthorized = 0;
        int throttled = 0;
        for (int i = 0; i < 40; i++) {
            var response = tokenRequest("h29-one-stop-portal", "guess-" + i, "grant_type=client_credentials", null, "203.0.113.9");
            if (response.statusCode() == 429) {
                throttled++;
                assertProblem(response, 429, "rate_limited");
                assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isPositive();
            } else {
                assertProblem(response, 401, "invalid_client");
                unauthorized++;
            }
        }
        // a few wrong secrets are checked; the rest are refused before any bcrypt check
        assertThat(unauthorized).isBetween(free + 1, free + 3);
        assertThat(throttled).isGreaterThanOrEqualTo(40 - free - 3);
        // the system itself, from its own address, is not held back by someone failing in its name
        var legitimate = tokenRequest("h29-one-stop-portal", secret("h29-one-stop-portal"), "grant_type=client_credentials", null, "198.51.100.7");
        assertThat(legitimate.statusCode()).as(legitimate.body()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metric(metrics, "ndx_registry_token_failures_total")).isGreaterThanOrEqualTo(unauthorized);
        assertThat(metric(metrics, "ndx_registry_token_throttled_total")).isGreaterThanOrEqualTo(throttled);
    }

    @Test
    void other_grant_types_are_400() throws Exception {
        var response = tokenRequest("h29-one-stop-portal", secret("h29-one-stop-portal"), "grant_type=password");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void the_registry_is_replicated_to_kafka_without_any_secret() throws Exception {
        var props = new Properties();
        props.putAll(KafkaFixture.clientProperties(KafkaFixture.ADMIN));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "registry-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            var partition = new TopicPartition(Topics.REGISTRY, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            String[] last = new String[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> last[0] = record.value());
                return last[0] != null;
            });
            RegistrySnapshot snapshot = JSON.readValue(last[0], RegistrySnapshot.class);
            assertThat(snapshot.agencies()).extracting("code").contains("000.00.00.G12", "000.00.18.G12", "000.00.00.H29", "000.00.00.H41");
            assertThat(snapshot.grants()).isNotEmpty();
            assertThat(snapshot.clients()).extracting("clientId").contains("h29-one-stop-portal", "h41-one-stop-portal")
                    .doesNotContain("platform-admin", "h29-admin");
            assertThat(JWKSet.parse(snapshot.signingKeys()).getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
            for (String secret : secrets().values()) {
                assertThat(last[0]).doesNotContain(secret);
            }
            assertThat(last[0]).doesNotContain("secretHash", "$2a$");
        }
    }

    @Test
    void health_and_metrics_on_the_management_port_only_and_unknown_paths() throws Exception {
        URI management = URI.create("http://127.0.0.1:" + managementPort);
        await().atMost(Duration.ofSeconds(20)).until(() -> http.send(HttpRequest.newBuilder(management.resolve("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("\"UP\""));
        assertThat(http.send(HttpRequest.newBuilder(management.resolve("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // the service's own port shows no metrics, not even to a caller with the gateway's proof
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build()).statusCode()).isEqualTo(404);
        var unknown = send(HttpRequest.newBuilder(uri("/no/such/path")).build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("code").asString()).isEqualTo("not_found");
    }

    // --- administration

    @Test
    void platform_admin_registers_an_agency_under_an_existing_parent_with_a_valid_code() throws Exception {
        String admin = accessToken("platform-admin");
        var created = admin("POST", "/admin/agencies", admin, "{\"code\":\"000.00.05.G12\",\"name\":\"Tổng cục Hải quan\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).isPresent();

        assertProblem(admin("POST", "/admin/agencies", admin, "{\"code\":\"000.00.05.G12\",\"name\":\"again\"}", null), 409, "conflict");
        var orphan = admin("POST", "/admin/agencies", admin, "{\"code\":\"000.00.05.G17\",\"name\":\"no parent\"}", null);
        assertProblem(orphan, 400, "validation_failed");
        assertThat(JSON.readTree(orphan.body()).get("errors").get(0).get("field").asString()).isEqualTo("code");
        assertProblem(admin("POST", "/admin/agencies", admin, "{\"code\":\"000.00.00.Q12\",\"name\":\"bad group\"}", null), 400, "validation_failed");
    }

    @Test
    void an_agency_admin_manages_its_subtree_only() throws Exception {
        String h29 = accessToken("h29-admin");
        var own = admin("POST", "/admin/agencies/000.00.00.H29/systems", h29, "{\"code\":\"land-registry\",\"name\":\"Land\"}", null);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);

        assertProblem(admin("POST", "/admin/agencies/000.00.00.G12/systems", h29, "{\"code\":\"x-system\",\"name\":\"X\"}", null),
                403, "out_of_scope");
        assertProblem(admin("GET", "/admin/agencies/000.00.00.G12", h29, null, null), 403, "out_of_scope");
        assertProblem(admin("POST", "/admin/agencies", h29, "{\"code\":\"000.00.00.H30\",\"name\":\"Hau Giang\"}", null), 403, "out_of_scope");
        var listed = JSON.readTree(admin("GET", "/admin/agencies", h29, null, null).body());
        assertThat(listed.get("items")).extracting(item -> item.get("code").asString()).containsOnly("000.00.00.H29");
        assertProblem(admin("GET", "/admin/agencies", accessToken("h29-one-stop-portal"), null, null), 403, "out_of_scope");
        assertProblem(admin("GET", "/admin/agencies", null, null, null), 401, "token_missing");
    }

    @Test
    void an_agency_administrator_neither_certifies_its_systems_nor_lifts_its_suspension_nor_exceeds_its_caps() throws Exception {
        String h29 = accessToken("h29-admin");
        String platform = accessToken("platform-admin");
        assertThat(admin("POST", "/admin/agencies/000.00.00.H29/systems", h29, "{\"code\":\"self-certified\",\"name\":\"X\"}", null)
                .statusCode()).isEqualTo(201);
        String assessment = "{\"agencyCode\":\"000.00.00.H29\",\"systemCode\":\"self-certified\",\"assessedOn\":\"2026-11-01\","
                + "\"assessor\":\"Sở TT&TT\",\"reference\":\"ATTT-9\"}";
        long before = version();
        // the go-live gate is the security assessor's alone: neither the system's own administrator nor a platform administrator
        assertProblem(admin("POST", "/admin/assessments", h29, assessment, null), 403, "out_of_scope");
        assertProblem(admin("POST", "/admin/assessments", platform, assessment, null), 403, "out_of_scope");
        // its own agency's suspension is not an agency administrator's to change
        var own = admin("GET", "/admin/agencies/000.00.00.H29", h29, null, null);
        assertProblem(admin("PUT", "/admin/agencies/000.00.00.H29", h29, "{\"name\":\"Thành phố Hồ Chí Minh\",\"suspended\":true}",
                own.headers().firstValue("ETag").orElseThrow()), 403, "out_of_scope");
        // nor are limits above the caps of its agency (defaults until a platform administrator sets them)
        String huge = "{\"requestsPerSecond\":100000,\"burst\":100000,\"concurrentCalls\":10000}";
        assertProblem(admin("PUT", "/admin/clients/h29-one-stop-portal/limits", h29, huge, null), 400, "validation_failed");
        assertProblem(admin("PUT", "/admin/agencies/000.00.00.H29/caps", h29, "{\"requestsPerSecond\":100000,\"burst\":100000,"
                + "\"concurrentCalls\":10000}", null), 403, "out_of_scope");
        assertThat(version()).as("nothing changed").isEqualTo(before);

        assertThat(admin("POST", "/admin/assessments", accessToken("platform-assessor"), assessment, null).statusCode()).isEqualTo(201);
        var capped = admin("PUT", "/admin/agencies/000.00.00.H29/caps", platform, "{\"requestsPerSecond\":300,\"burst\":600,"
                + "\"concurrentCalls\":100}", null);
        assertThat(capped.statusCode()).as(capped.body()).isEqualTo(200);
        var over = admin("PUT", "/admin/clients/h29-one-stop-portal/limits", h29, "{\"requestsPerSecond\":301,\"burst\":400,\"concurrentCalls\":100}", null);
        assertProblem(over, 400, "validation_failed");
        assertThat(JSON.readTree(over.body()).get("errors").get(0).get("field").asString()).isEqualTo("requestsPerSecond");
        assertThat(admin("PUT", "/admin/clients/h29-one-stop-portal/limits", h29, "{\"requestsPerSecond\":300,\"burst\":600,"
                + "\"concurrentCalls\":100}", null).statusCode()).isEqualTo(200);
        // a platform administrator sets what it decides
        assertThat(admin("PUT", "/admin/clients/h29-one-stop-portal/limits", platform, "{\"requestsPerSecond\":1000,\"burst\":2000,"
                + "\"concurrentCalls\":100}", null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_suspended_agency_suspends_its_whole_subtree() throws Exception {
        String platform = accessToken("platform-admin");
        String assessor = accessToken("platform-assessor");
        assertThat(admin("POST", "/admin/agencies", platform, "{\"code\":\"000.00.00.H31\",\"name\":\"Bình Dương\"}", null).statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/agencies", platform, "{\"code\":\"000.00.01.H31\",\"name\":\"Sở Y tế\"}", null).statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/agencies/000.00.01.H31/systems", platform, "{\"code\":\"clinic\",\"name\":\"Clinic\"}", null).statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/assessments", assessor, "{\"agencyCode\":\"000.00.01.H31\",\"systemCode\":\"clinic\","
                + "\"assessedOn\":\"2026-11-01\",\"assessor\":\"Sở TT&TT\",\"reference\":\"ATTT-10\"}", null).statusCode()).isEqualTo(201);
        var client = admin("POST", "/admin/clients", platform, "{\"clientId\":\"h31-clinic\",\"agencyCode\":\"000.00.01.H31\",\"systemCode\":\"clinic\"}", null);
        String secret = JSON.readTree(client.body()).get("secret").asString();
        assertThat(tokenRequest("h31-clinic", secret, "grant_type=client_credentials").statusCode()).isEqualTo(200);

        var parent = admin("GET", "/admin/agencies/000.00.00.H31", platform, null, null);
        assertThat(admin("PUT", "/admin/agencies/000.00.00.H31", platform, "{\"name\":\"Bình Dương\",\"suspended\":true}",
                parent.headers().firstValue("ETag").orElseThrow()).statusCode()).isEqualTo(200);

        assertProblem(tokenRequest("h31-clinic", secret, "grant_type=client_credentials"), 403, "agency_suspended");
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().agencies().stream()
                .anyMatch(a -> a.code().equals("000.00.01.H31") && a.suspended()));
    }

    @Test
    void changes_need_the_current_etag() throws Exception {
        String admin = accessToken("platform-admin");
        var read = admin("GET", "/admin/agencies/000.00.00.H41", admin, null, null);
        String etag = read.headers().firstValue("ETag").orElseThrow();
        String change = "{\"name\":\"Tỉnh Nghệ An\",\"suspended\":false}";

        assertProblem(admin("PUT", "/admin/agencies/000.00.00.H41", admin, change, null), 428, "precondition_required");
        assertProblem(admin("PUT", "/admin/agencies/000.00.00.H41", admin, change, "\"stale\""), 412, "precondition_failed");
        var updated = admin("PUT", "/admin/agencies/000.00.00.H41", admin, "{\"name\":\"Tỉnh Nghệ An (cập nhật)\",\"suspended\":false}", etag);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(updated.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(etag));
        assertProblem(admin("PUT", "/admin/agencies/000.00.00.H41", admin, change, etag), 412, "precondition_failed");
    }

    @Test
    void a_provider_moves_its_upstream_with_the_etag_it_read() throws Exception {
        String admin = accessToken("platform-admin");
        // the city's provider runs on its own network, over plain HTTP: a platform administrator allows it
        var allowed = admin("PUT", "/admin/agencies/000.00.00.H29/egress", admin, "{\"plainHttp\":true,\"networks\":[\"10.0.0.0/8\"]}", null);
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().egress().stream()
                .anyMatch(e -> e.agencyCode().equals("000.00.00.H29") && e.plainHttp() && e.networks().equals(List.of("10.0.0.0/8"))));
        String path = "/admin/agencies/000.00.00.H29/systems/one-stop-portal";
        var created = admin("POST", path + "/services", admin,
                "{\"code\":\"citizen-lookup\",\"kind\":\"QUERY\",\"upstreamUrl\":\"http://10.0.0.1:8080\",\"maxBodyBytes\":1000}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var read = admin("GET", path + "/services/citizen-lookup", admin, null, null);
        String etag = read.headers().firstValue("ETag").orElseThrow();
        String move = "{\"upstreamUrl\":\"http://10.0.0.2:8080\",\"timeoutMillis\":3000,\"maxBodyBytes\":2000}";

        assertProblem(admin("PUT", path + "/services/citizen-lookup", admin, move, null), 428, "precondition_required");
        var moved = admin("PUT", path + "/services/citizen-lookup", admin, move, etag);
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(JSON.readTree(moved.body()).get("upstreamUrl").asString()).isEqualTo("http://10.0.0.2:8080");
        assertProblem(admin("PUT", path + "/services/citizen-lookup", admin, move, etag), 412, "precondition_failed");
        assertProblem(admin("PUT", path + "/services/citizen-lookup", admin, "{\"upstreamUrl\":\"ftp://x\",\"maxBodyBytes\":1}",
                moved.headers().firstValue("ETag").orElseThrow()), 400, "validation_failed");
    }

    @Test
    void an_agency_administrator_cannot_aim_a_service_at_the_platform_or_its_network() throws Exception {
        String h29 = accessToken("h29-admin");
        String path = "/admin/agencies/000.00.00.H29/systems/one-stop-portal/services";
        long before = version();
        // audit's port, the management ports, the cloud metadata service, the platform's private network
        for (String url : List.of("http://127.0.0.1:8083", "https://127.0.0.1:8083/transactions", "https://localhost:9083/actuator/prometheus",
                "https://[::1]:8082", "https://169.254.169.254/latest/meta-data", "https://192.168.1.1/", "https://0.0.0.0:8081",
                "https://user:pass@tax.example/")) {
            var refused = admin("POST", path, h29, "{\"code\":\"sneaky\",\"kind\":\"QUERY\",\"upstreamUrl\":\"" + url + "\",\"maxBodyBytes\":1000}", null);
            assertProblem(refused, 400, "validation_failed");
            assertThat(JSON.readTree(refused.body()).get("errors").get(0).get("field").asString()).as(url).isEqualTo("upstreamUrl");
        }
        // plain HTTP, even to a public address, needs a platform administrator's allowance
        assertProblem(admin("POST", "/admin/agencies/000.00.00.H41/systems/one-stop-portal/services", accessToken("platform-admin"),
                "{\"code\":\"plain\",\"kind\":\"QUERY\",\"upstreamUrl\":\"http://203.0.113.10/\",\"maxBodyBytes\":1000}", null),
                400, "validation_failed");
        // and an agency administrator does not give its agency an allowance
        assertProblem(admin("PUT", "/admin/agencies/000.00.00.H29/egress", h29, "{\"plainHttp\":true,\"networks\":[\"127.0.0.0/8\"]}", null),
                403, "out_of_scope");
        assertProblem(admin("PUT", "/admin/agencies/000.00.00.H29/egress", accessToken("platform-admin"),
                "{\"networks\":[\"10.0.0.0/33\",\"tax.example\"]}", null), 400, "validation_failed");
        assertThat(version()).as("nothing changed").isEqualTo(before);
    }

    @Test
    void a_channel_registered_with_a_record_schema_and_retention_carries_them_to_the_data_plane() throws Exception {
        String admin = accessToken("platform-admin");
        String path = "/admin/agencies/000.00.00.H29/systems/one-stop-portal/services";
        long before = version();
        var broken = admin("POST", path, admin, "{\"code\":\"land-records\",\"kind\":\"CHANNEL\",\"maxBodyBytes\":1000,"
                + "\"schema\":{\"type\":\"parcel\",\"required\":\"id\"}}", null);
        assertProblem(broken, 400, "validation_failed");
        assertThat(JSON.readTree(broken.body()).get("errors")).extracting(e -> e.get("field").asString())
                .containsExactlyInAnyOrder("schema/type", "schema/required");
        assertProblem(admin("POST", path, admin, "{\"code\":\"land-records\",\"kind\":\"CHANNEL\",\"maxBodyBytes\":1000,"
                + "\"schema\":{\"$ref\":\"http://example.org/parcel.json\"}}", null), 400, "validation_failed");
        assertProblem(admin("POST", path, admin, "{\"code\":\"land-records\",\"kind\":\"CHANNEL\",\"maxBodyBytes\":1000,"
                + "\"retentionDays\":400}", null), 400, "validation_failed");
        // a pattern no linear-time engine runs (a backreference) would let one record hold the exchange
        assertProblem(admin("POST", path, admin, "{\"code\":\"land-records\",\"kind\":\"CHANNEL\",\"maxBodyBytes\":1000,"
                + "\"schema\":{\"properties\":{\"id\":{\"type\":\"string\",\"pattern\":\"^(a+)\\\\1$\"}}}}", null), 400, "validation_failed");
        assertThat(version()).isEqualTo(before);

        var created = admin("POST", path, admin, "{\"code\":\"land-records\",\"kind\":\"CHANNEL\",\"maxBodyBytes\":1000,"
                + "\"retentionDays\":3,\"schema\":{\"type\":\"object\",\"required\":[\"parcelId\"]}}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var assessed = admin("POST", "/admin/assessments", accessToken("platform-assessor"), "{\"agencyCode\":\"000.00.00.H29\",\"systemCode\":\"one-stop-portal\","
                + "\"serviceCode\":\"land-records\",\"assessedOn\":\"2026-11-01\",\"assessor\":\"Sở TT&TT\",\"reference\":\"ATTT-2\"}", null);
        assertThat(assessed.statusCode()).as(assessed.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().services().stream()
                .anyMatch(service -> service.code().equals("land-records")));
        var replicated = latestSnapshot().services().stream().filter(service -> service.code().equals("land-records")).findFirst().orElseThrow();
        assertThat(replicated.schema()).containsEntry("required", List.of("parcelId"));
        assertThat(replicated.retention()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void a_writer_kafka_fenced_is_replaced_and_changes_are_stored_again() throws Exception {
        var props = new java.util.Properties();
        props.putAll(KafkaFixture.clientProperties("registry")); // a second registry instance, as in a rolling restart
        props.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ndx-registry-writer");
        try (var intruder = new org.apache.kafka.clients.producer.KafkaProducer<>(props,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            intruder.initTransactions(); // bumps the epoch: the registry's producer is fenced from now on
        }
        String admin = accessToken("platform-admin");

        // the first write meets the fence and replaces the producer; at the latest the next one is stored
        int status = 0;
        for (int attempt = 0; attempt < 2 && status != 201; attempt++) {
            status = admin("POST", "/admin/agencies", admin, "{\"code\":\"000.00.09.G12\",\"name\":\"Cục Fencing\"}", null).statusCode();
        }
        assertThat(status).isEqualTo(201);
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().agencies().stream()
                .anyMatch(agency -> agency.code().equals("000.00.09.G12")));
    }

    @Test
    void bad_bodies_are_refused_and_change_nothing() throws Exception {
        String admin = accessToken("platform-admin");
        long before = version();
        assertProblem(admin("POST", "/admin/agencies", admin, "{\"code\": ", null), 400, "malformed_json");
        assertProblem(admin("POST", "/admin/agencies", admin, "{\"code\":\"000.00.06.G12\",\"name\":\"x\",\"extra\":1}", null), 400, "malformed_json");
        assertProblem(admin("POST", "/admin/agencies", admin, "{\"code\":\"'; DROP TABLE agencies; --\",\"name\":\"x\"}", null), 400, "validation_failed");
        var blank = admin("POST", "/admin/agencies", admin, "{\"code\":\"\",\"name\":\"\"}", null);
        assertProblem(blank, 400, "validation_failed");
        assertThat(JSON.readTree(blank.body()).get("errors")).hasSize(2);
        assertProblem(admin("POST", "/admin/agencies", admin, "{\"code\":\"000.00.07.G12\",\"name\":\"" + "x".repeat(1_100_000) + "\"}", null),
                413, "payload_too_large");
        // a grant pattern no gateway could parse would be left out of every gateway's view: refused, its field named
        var unparsable = admin("POST", "/admin/grants", admin, "{\"consumerAgency\":\"000.00.00.H41\",\"consumerSystem\":\"one-stop-portal\","
                + "\"providerAgency\":\"000.00.18.G12\",\"providerSystem\":\"tax-registry\",\"service\":\"business-tax-status\","
                + "\"paths\":[\"/business/*\",\"/{\"],\"reason\":\"test\"}", null);
        assertProblem(unparsable, 400, "validation_failed");
        assertThat(JSON.readTree(unparsable.body()).get("errors").get(0).get("field").asString()).isEqualTo("paths[1]");
        // a misspelt filter would list every agency's grants instead of one's; a parameter on a change is as wrong
        var misspelt = admin("GET", "/admin/grants?agncy=000.00.00.H41", admin, null, null);
        assertProblem(misspelt, 400, "bad_request");
        assertThat(JSON.readTree(misspelt.body()).get("detail").asString()).contains("'agncy'", "agency, page, size");
        assertProblem(admin("POST", "/admin/agencies?dryRun=true", admin, "{\"code\":\"000.00.08.G12\",\"name\":\"x\"}", null),
                400, "bad_request");
        assertThat(admin("GET", "/admin/grants?agency=000.00.00.H41&page=0", admin, null, null).statusCode()).isEqualTo(200);
        assertThat(version()).isEqualTo(before);
    }

    @Test
    void a_new_grant_and_its_revocation_reach_the_data_plane_snapshot() throws Exception {
        String admin = accessToken("platform-admin");
        String body = "{\"consumerAgency\":\"000.00.00.H41\",\"consumerSystem\":\"one-stop-portal\",\"providerAgency\":\"000.00.18.G12\","
                + "\"providerSystem\":\"tax-registry\",\"service\":\"business-tax-status\",\"reason\":\"Nghệ An verifies branches\"";
        long before = version();
        // the demo's tax-status service carries personal data: a grant for it names what it may be used for
        assertProblem(admin("POST", "/admin/grants", admin, body + "}", null), 400, "validation_failed");
        assertProblem(admin("POST", "/admin/grants", admin, body + ",\"purposes\":[\"Marketing!\"]}", null), 400, "validation_failed");
        assertThat(version()).as("nothing stored").isEqualTo(before);
        var created = admin("POST", "/admin/grants", admin, body + ",\"purposes\":[\"business-verification\"]}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().grants().stream()
                .anyMatch(g -> g.consumerAgency().equals("000.00.00.H41") && g.service().equals("business-tax-status")
                        && g.purposes().equals(java.util.List.of("business-verification"))));
        assertThat(latestSnapshot().services().stream().filter(s -> s.code().equals("business-tax-status")).findFirst().orElseThrow()
                .personalData()).isTrue();
        // the citizen portal reaches the data plane as what it is, and as nothing more
        assertThat(latestSnapshot().operators()).anySatisfy(operator -> {
            assertThat(operator.clientId()).isEqualTo("citizen-portal");
            assertThat(operator.role()).isEqualTo("citizen-portal");
            assertThat(operator.platformAdmin()).isFalse();
        });

        assertProblem(admin("DELETE", "/admin/grants/" + id, accessToken("h29-admin"), null, null), 403, "out_of_scope");
        assertThat(admin("DELETE", "/admin/grants/" + id, admin, null, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().grants().stream()
                .noneMatch(g -> g.consumerAgency().equals("000.00.00.H41") && g.service().equals("business-tax-status")));
    }

    @Test
    void a_rotated_secret_keeps_working_until_the_overlap_ends() throws Exception {
        String admin = accessToken("platform-admin");
        var created = admin("POST", "/admin/clients", admin,
                "{\"clientId\":\"h29-rotation-test\",\"agencyCode\":\"000.00.00.H29\",\"systemCode\":\"one-stop-portal\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String first = JSON.readTree(created.body()).get("secret").asString();
        assertThat(tokenRequest("h29-rotation-test", first, "grant_type=client_credentials").statusCode()).isEqualTo(200);

        var rotated = admin("POST", "/admin/clients/h29-rotation-test/secret", admin, "{\"overlap\":\"PT3S\"}", null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String second = JSON.readTree(rotated.body()).get("secret").asString();
        assertThat(tokenRequest("h29-rotation-test", first, "grant_type=client_credentials").statusCode()).isEqualTo(200);
        assertThat(tokenRequest("h29-rotation-test", second, "grant_type=client_credentials").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() ->
                tokenRequest("h29-rotation-test", first, "grant_type=client_credentials").statusCode() == 401);
        assertThat(tokenRequest("h29-rotation-test", second, "grant_type=client_credentials").statusCode()).isEqualTo(200);

        assertThat(admin("DELETE", "/admin/clients/h29-rotation-test", admin, null, null).statusCode()).isEqualTo(204);
        assertThat(tokenRequest("h29-rotation-test", second, "grant_type=client_credentials").statusCode()).isEqualTo(401);
    }

    @Test
    void a_client_bound_to_its_certificate_gets_tokens_only_over_a_connection_that_shows_it() throws Exception {
        String admin = accessToken("platform-admin");
        var created = admin("POST", "/admin/clients", admin,
                "{\"clientId\":\"h29-bound-test\",\"agencyCode\":\"000.00.00.H29\",\"systemCode\":\"one-stop-portal\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = JSON.readTree(created.body()).get("secret").asString();
        var pki = TestPki.create("registry-it");
        TestPki.Issued certificate = pki.client("h29-bound-test", "CN=h29-bound-test");
        TestPki.Issued another = pki.client("h29-another", "CN=h29-bound-test");
        String thumbprint = thumbprint(certificate);

        // nothing but a certificate is taken, and only by an administrator of the client's agency
        long before = version();
        assertProblem(certificate("PUT", "h29-bound-test", accessToken("platform-admin"), "not a certificate"), 400, "validation_failed");
        assertProblem(certificate("PUT", "h41-one-stop-portal", accessToken("h29-admin"), Files.readString(certificate.certificateFile())),
                403, "out_of_scope");
        assertThat(version()).as("no registry change").isEqualTo(before);

        var bound = certificate("PUT", "h29-bound-test", accessToken("h29-admin"), Files.readString(certificate.certificateFile()));
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
        assertThat(JSON.readTree(bound.body()).get("x5t#S256").asString()).isEqualTo(thumbprint);

        // its secret alone, leaked, no longer gets a token: the gateway names the connection's certificate or none
        assertProblem(tokenRequest("h29-bound-test", secret, "grant_type=client_credentials"), 401, "invalid_client");
        assertProblem(tokenRequest("h29-bound-test", secret, "grant_type=client_credentials", thumbprint(another)), 401, "invalid_client");
        var token = tokenRequest("h29-bound-test", secret, "grant_type=client_credentials", thumbprint);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        var claims = SignedJWT.parse(JSON.readTree(token.body()).get("access_token").asString()).getJWTClaimsSet();
        assertThat(claims.getJSONObjectClaim("cnf")).containsEntry("x5t#S256", thumbprint);
        // a client without a certificate keeps its unbound tokens, whatever the connection shows
        var unbound = tokenRequest("h29-one-stop-portal", secret("h29-one-stop-portal"), "grant_type=client_credentials", thumbprint);
        assertThat(SignedJWT.parse(JSON.readTree(unbound.body()).get("access_token").asString()).getJWTClaimsSet().getClaim("cnf")).isNull();

        assertThat(certificate("DELETE", "h29-bound-test", accessToken("h29-admin"), null).statusCode()).isEqualTo(204);
        var released = tokenRequest("h29-bound-test", secret, "grant_type=client_credentials");
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(SignedJWT.parse(JSON.readTree(released.body()).get("access_token").asString()).getJWTClaimsSet().getClaim("cnf")).isNull();
    }

    private HttpResponse<String> certificate(String method, String clientId, String token, String pem) throws Exception {
        var request = HttpRequest.newBuilder(uri("/admin/clients/" + clientId + "/certificate")).header("Authorization", "Bearer " + token)
                .method(method, pem == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(pem));
        if (pem != null) {
            request.header("Content-Type", "application/pem-certificate-chain");
        }
        return send(request.build());
    }

    private static String thumbprint(TestPki.Issued issued) {
        return vn.ndx.contract.CertificateThumbprint.of(issued.certificate());
    }

    @Test
    void key_rotation_rejects_no_token_already_issued() throws Exception {
        String before = accessToken("platform-admin");
        String oldKey = SignedJWT.parse(before).getHeader().getKeyID();

        var rotated = admin("POST", "/admin/keys/rotate", before, null, null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newKey = JSON.readTree(rotated.body()).get("activeKeyId").asString();

        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(admin("GET", "/admin/agencies", before, null, null).statusCode()).isEqualTo(200);
        String after = accessToken("platform-admin");
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKey);
        var published = JWKSet.parse(latestSnapshot().signingKeys());
        assertThat(published.getKeyByKeyId(oldKey)).isNotNull();
        assertThat(published.getKeyByKeyId(newKey)).isNotNull();
        assertThat(published.getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
        assertProblem(admin("POST", "/admin/keys/rotate", accessToken("h29-admin"), null, null), 403, "out_of_scope");
    }

    @Test
    void a_system_carries_traffic_only_after_its_security_assessment() throws Exception {
        String admin = accessToken("h29-admin");
        assertThat(admin("POST", "/admin/agencies/000.00.00.H29/systems", admin,
                "{\"code\":\"health-portal\",\"name\":\"Health\"}", null).statusCode()).isEqualTo(201);
        var client = admin("POST", "/admin/clients", admin,
                "{\"clientId\":\"h29-health-portal\",\"agencyCode\":\"000.00.00.H29\",\"systemCode\":\"health-portal\"}", null);
        String secret = JSON.readTree(client.body()).get("secret").asString();

        var refused = tokenRequest("h29-health-portal", secret, "grant_type=client_credentials");
        assertProblem(refused, 403, "not_live");
        assertThat(latestSnapshot().systems()).noneMatch(s -> s.code().equals("health-portal"));

        var assessed = admin("POST", "/admin/assessments", accessToken("platform-assessor"), "{\"agencyCode\":\"000.00.00.H29\",\"systemCode\":\"health-portal\","
                + "\"assessedOn\":\"2026-11-01\",\"assessor\":\"Sở TT&TT\",\"reference\":\"ATTT-1\"}", null);
        assertThat(assessed.statusCode()).as(assessed.body()).isEqualTo(201);
        assertThat(tokenRequest("h29-health-portal", secret, "grant_type=client_credentials").statusCode()).isEqualTo(200);
        assertThat(latestSnapshot().systems()).anyMatch(s -> s.code().equals("health-portal"));
        assertThat(latestSnapshot().clients()).anyMatch(c -> c.clientId().equals("h29-health-portal"));
    }

    @Test
    void the_catalogue_lists_assessed_services_to_any_authenticated_system() throws Exception {
        String portal = accessToken("h41-one-stop-portal");
        var all = admin("GET", "/catalogue/services?q=tax", portal, null, null);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        JsonNode items = JSON.readTree(all.body()).get("items");
        assertThat(items).anySatisfy(item -> {
            assertThat(item.get("service").asString()).isEqualTo("business-tax-status");
            assertThat(item.get("address").asString()).isEqualTo("/query/000.00.18.G12/tax-registry/business-tax-status");
        });
        assertThat(all.body()).doesNotContain("upstream", "127.0.0.1");
        var channels = JSON.readTree(admin("GET", "/catalogue/services?kind=CHANNEL&agency=000.00.00.H41", portal, null, null).body());
        assertThat(channels.get("items")).allSatisfy(item -> assertThat(item.get("kind").asString()).isEqualTo("CHANNEL"));
        assertProblem(admin("GET", "/catalogue/services", null, null, null), 401, "token_missing");

        // names for codes, agencies and their systems
        var agencies = admin("GET", "/catalogue/agencies", accessToken("platform-operator"), null, null);
        assertThat(agencies.statusCode()).as(agencies.body()).isEqualTo(200);
        assertThat(JSON.readTree(agencies.body())).anySatisfy(agency -> {
            assertThat(agency.get("code").asString()).isEqualTo("000.00.00.H29");
            assertThat(agency.get("name").asString()).isEqualTo("Thành phố Hồ Chí Minh");
            assertThat(agency.get("systems")).anySatisfy(system -> {
                assertThat(system.get("code").asString()).isEqualTo("one-stop-portal");
                assertThat(system.get("name").asString()).startsWith("Cổng dịch vụ công");
            });
        });
        assertProblem(admin("GET", "/catalogue/agencies", null, null, null), 401, "token_missing");
    }

    @Test
    void a_provider_publishes_its_openapi_document_and_consumers_fetch_it_from_the_catalogue() throws Exception {
        String admin = accessToken("platform-admin");
        String path = "/000.00.18.G12/systems/tax-registry/services/business-tax-status/openapi";
        String document = "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"Business tax status\",\"version\":\"1\"},"
                + "\"paths\":{\"/business/{taxCode}\":{\"get\":{\"responses\":{\"200\":{\"description\":\"status\"}}}}}}";
        assertThat(admin("PUT", "/admin/agencies" + path, admin, document, null).statusCode()).isEqualTo(204);
        assertProblem(admin("PUT", "/admin/agencies" + path, admin, "{\"swagger\":\"2.0\"}", null), 400, "validation_failed");
        assertProblem(admin("PUT", "/admin/agencies" + path, accessToken("h29-admin"), document, null), 403, "out_of_scope");

        var fetched = admin("GET", "/catalogue/services/000.00.18.G12/tax-registry/business-tax-status/openapi",
                accessToken("h41-one-stop-portal"), null, null);
        assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
        assertThat(JSON.readTree(fetched.body())).isEqualTo(JSON.readTree(document));
        assertProblem(admin("GET", "/catalogue/services/000.00.00.H41/one-stop-portal/business-registration/openapi",
                accessToken("h41-one-stop-portal"), null, null), 404, "not_found");
    }

    @Test
    void an_exported_registry_imports_back_and_carries_no_secret() throws Exception {
        String admin = accessToken("platform-admin");
        var exported = admin("GET", "/admin/export", admin, null, null);
        assertThat(exported.statusCode()).as(exported.body()).isEqualTo(200);
        assertThat(exported.body()).doesNotContain("$2a$", "hash\":\"");
        for (String secret : secrets().values()) {
            assertThat(exported.body()).doesNotContain(secret);
        }

        var imported = admin("POST", "/admin/import", admin, exported.body(), null);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(tokenRequest("h29-one-stop-portal", secret("h29-one-stop-portal"), "grant_type=client_credentials").statusCode())
                .as("existing secrets survive an import").isEqualTo(200);

        String broken = exported.body().replaceFirst("\"000.00.00.G12\"", "\"000.00.00.G99\"");
        long before = version();
        assertProblem(admin("POST", "/admin/import", admin, broken, null), 400, "validation_failed");
        assertThat(version()).isEqualTo(before);
        assertProblem(admin("GET", "/admin/export", accessToken("h29-admin"), null, null), 403, "out_of_scope");
    }

    @Test
    void client_limits_set_by_an_administrator_reach_the_data_plane() throws Exception {
        String admin = accessToken("h29-admin");
        var changed = admin("PUT", "/admin/clients/h29-one-stop-portal/limits", admin,
                "{\"requestsPerSecond\":50,\"burst\":80,\"concurrentCalls\":20}", null);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().clients().stream()
                .anyMatch(c -> c.clientId().equals("h29-one-stop-portal") && c.limits() != null && c.limits().requestsPerSecond() == 50));
        assertProblem(admin("PUT", "/admin/clients/h29-one-stop-portal/limits", admin,
                "{\"requestsPerSecond\":0,\"burst\":80,\"concurrentCalls\":20}", null), 400, "validation_failed");
        assertProblem(admin("PUT", "/admin/clients/h41-one-stop-portal/limits", admin,
                "{\"requestsPerSecond\":5,\"burst\":5,\"concurrentCalls\":5}", null), 403, "out_of_scope");
    }

    @Test
    void a_client_may_have_other_limits_for_one_registered_service() throws Exception {
        String admin = accessToken("h29-admin");
        String tax = "000.00.18.G12/tax-registry/business-tax-status";
        var changed = admin("PUT", "/admin/clients/h29-one-stop-portal/limits", admin,
                "{\"requestsPerSecond\":50,\"burst\":80,\"concurrentCalls\":20,\"maxBodyBytes\":2048,"
                        + "\"services\":{\"" + tax + "\":{\"requestsPerSecond\":5,\"burst\":5,\"concurrentCalls\":2}}}", null);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> latestSnapshot().clients().stream()
                .anyMatch(c -> c.clientId().equals("h29-one-stop-portal") && c.limits() != null
                        && c.limits().forService(tax).requestsPerSecond() == 5 && Long.valueOf(2048).equals(c.limits().maxBodyBytes())));
        long before = version();
        assertProblem(admin("PUT", "/admin/clients/h29-one-stop-portal/limits", admin,
                "{\"requestsPerSecond\":50,\"burst\":80,\"concurrentCalls\":20,"
                        + "\"services\":{\"000.00.18.G12/tax-registry/no-such-service\":{\"requestsPerSecond\":5,\"burst\":5,\"concurrentCalls\":2}}}",
                null), 400, "validation_failed");
        assertProblem(admin("PUT", "/admin/clients/h29-one-stop-portal/limits", admin,
                "{\"requestsPerSecond\":50,\"burst\":80,\"concurrentCalls\":20,"
                        + "\"services\":{\"not a key\":{\"requestsPerSecond\":5,\"burst\":5,\"concurrentCalls\":2}}}",
                null), 400, "validation_failed");
        assertThat(version()).isEqualTo(before);
    }
}
