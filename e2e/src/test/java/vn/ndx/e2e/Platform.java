package vn.ndx.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform as {@code deploy/run} starts it, on its own ports and state directory so that a test run
 * never touches a platform a developer has running on the default ones.
 */
final class Platform {

    static final Path ROOT = Path.of(System.getProperty("ndx.root", "..")).toAbsolutePath().normalize();
    static final Path RUN_DIR = ROOT.resolve("e2e/target/platform");

    /** Part name to port: the parts {@code deploy/run up} starts. */
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    static {
        PORTS.put("gateway", 18080);
        PORTS.put("gateway-tls", 18443);
        PORTS.put("gateway-management", 19180);
        PORTS.put("registry-management", 19181);
        PORTS.put("exchange-management", 19182);
        PORTS.put("audit-management", 19183);
        PORTS.put("registry", 18081);
        PORTS.put("exchange", 18082);
        PORTS.put("audit", 18083);
        PORTS.put("kafka", 19092);
        PORTS.put("kafka-controller", 19093);
        PORTS.put("postgres", 15432);
        PORTS.put("demo-provider", 18090);
        PORTS.put("kafka-metrics", 19404);
        PORTS.put("prometheus", 19090);
    }

    private Platform() {
    }

    static String gateway() {
        return "http://127.0.0.1:" + PORTS.get("gateway");
    }

    static String audit() {
        return "http://127.0.0.1:" + PORTS.get("audit");
    }

    static Map<String, String> environment() {
        var env = new HashMap<String, String>();
        env.put("NDX_RUN_DIR", RUN_DIR.toString());
        env.put("GATEWAY_PORT", PORTS.get("gateway").toString());
        env.put("GATEWAY_TLS_PORT", PORTS.get("gateway-tls").toString());
        env.put("GATEWAY_MANAGEMENT_PORT", PORTS.get("gateway-management").toString());
        env.put("REGISTRY_MANAGEMENT_PORT", PORTS.get("registry-management").toString());
        env.put("EXCHANGE_MANAGEMENT_PORT", PORTS.get("exchange-management").toString());
        env.put("AUDIT_MANAGEMENT_PORT", PORTS.get("audit-management").toString());
        env.put("REGISTRY_PORT", PORTS.get("registry").toString());
        env.put("EXCHANGE_PORT", PORTS.get("exchange").toString());
        env.put("AUDIT_PORT", PORTS.get("audit").toString());
        env.put("KAFKA_PORT", PORTS.get("kafka").toString());
        env.put("KAFKA_CONTROLLER_PORT", PORTS.get("kafka-controller").toString());
        env.put("POSTGRES_PORT", PORTS.get("postgres").toString());
        env.put("DEMO_PROVIDER_PORT", PORTS.get("demo-provider").toString());
        env.put("KAFKA_METRICS_PORT", PORTS.get("kafka-metrics").toString());
        env.put("PROMETHEUS_PORT", PORTS.get("prometheus").toString());
        env.put("PROMETHEUS_SCRAPE_INTERVAL", PrometheusLive.SCRAPE_INTERVAL.toSeconds() + "s");
        env.put("PROMETHEUS_RULES", PrometheusLive.prepareRules().toString());
        // the documented walkthroughs go through the HTTPS front door, trusting the run's own authority
        env.put("GATEWAY", "https://localhost:" + PORTS.get("gateway-tls"));
        env.put("AUDIT", audit());
        return env;
    }

    /** Runs a command from the repository root with the platform's environment; returns exit code and output. */
    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment());
        Path log = Files.createTempFile("ndx-e2e", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout
                    + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("$ " + String.join(" ", command) + "\n" + output);
        return new Result(process.exitValue(), output);
    }

    static Map<String, String> demoClients() throws IOException {
        var clients = new HashMap<String, String>();
        for (String line : Files.readAllLines(RUN_DIR.resolve("demo-clients.env"))) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("#")) {
                clients.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        return clients;
    }

    /** Pids recorded by {@code deploy/run}, read before {@code down} removes them. */
    static List<Long> recordedPids() throws IOException {
        var pids = new ArrayList<Long>();
        Path dir = RUN_DIR.resolve("pids");
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    pids.add(Long.parseLong(Files.readString(file).trim()));
                }
            }
        }
        return pids;
    }

    static boolean listening(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    record Result(int exitCode, String output) {
    }
}
