package vn.ndx.exchange;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import vn.ndx.contract.testing.GatewayProofs;
import vn.ndx.contract.testing.KafkaFixture;
import vn.ndx.contract.testing.RegistryKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The exchange as deploy/run starts it: its packaged jar in a JVM of its own, with the heap given, on the
 * test broker. Its own process, so it can be killed with SIGKILL and run out of memory for real.
 */
final class ExchangeProcess implements AutoCloseable {

    final int port = freePort();
    final int managementPort = freePort();
    private final String heap;
    private final List<String> settings;
    private Process process;

    ExchangeProcess(String heap, String... settings) {
        this.heap = heap;
        this.settings = List.of(settings);
    }

    /** Starts it and waits until it is healthy (every inbox rebuilt from Kafka). */
    ExchangeProcess start() throws Exception {
        File log = Files.createTempFile("exchange-process", ".log").toFile();
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-XX:+ExitOnOutOfMemoryError", "-jar", "target/exchange-service.jar",
                "--server.port=" + port, "--management.server.port=" + managementPort,
                "--ndx.gateway-proof.key-file=" + GatewayProofs.keyFile("exchange"),
                "--ndx.registry-trust.file=" + RegistryKeys.trustFile()));
        command.addAll(KafkaFixture.springArguments("exchange"));
        command.addAll(settings);
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        System.out.println("[exchange-process] " + heap + " on port " + port + ", log " + log);
        var http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(process.isAlive()).as("exchange process, see " + log).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(management("/actuator/health")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (java.io.IOException notYetListening) {
                return false;
            }
        });
        return this;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM: an orderly stop, as deploy/run and Kubernetes stop it. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            assertThat(process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).as("stopped within 40 s").isTrue();
        }
    }

    /** A gauge or counter from the management port's Prometheus text, summed over its labels. */
    double metric(String name) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(management("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or handed over. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Health and metrics, on the management port. */
    URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
