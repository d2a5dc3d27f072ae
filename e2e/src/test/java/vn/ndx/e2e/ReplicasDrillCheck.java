package vn.ndx.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole drill: {@code deploy/run up --replicas 2 --brokers 3} from a clean state, mixed traffic through
 * both gateways, and one gateway, one exchange, one audit and one broker killed with SIGKILL one after
 * another and started again. Not in the suite (profile {@code drill}, or {@code deploy/bench drill}); its
 * figures go to e2e/target/drill.csv.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasDrillCheck {

    static final Duration PHASE = Duration.ofSeconds(Long.parseLong(System.getProperty("ndx.drill.phase-seconds", "20")));

    @Test
    void with_three_brokers_and_every_part_twice_any_one_process_may_be_killed() throws Exception {
        Platform.run(Duration.ofMinutes(2), "deploy/run", "down");
        deleteState();
        var up = Platform.run(Duration.ofMinutes(10), "deploy/run", "up", "--no-build", "--no-prometheus", "--replicas", "2", "--brokers", "3");
        assertThat(up.exitCode()).as(up.output()).isZero();

        var drill = new ReplicaDrill(List.of(Platform.gateway(), "http://127.0.0.1:" + (Platform.PORTS.get("gateway") + 100)));
        var report = drill.run(List.of("gateway-2", "exchange", "audit-2", "kafka-2"), PHASE, Duration.ofSeconds(5), 6);
        var csv = new StringBuilder("figure,value\n");
        ReplicaDrill.figures(report).forEach((name, value) -> {
            System.out.printf("[drill] %s: %s%n", name, value);
            csv.append('"').append(name).append("\",").append(value).append('\n');
        });
        Files.writeString(Path.of("target", "drill.csv"), csv);
        assertThat(report.problems()).isEmpty();
        assertThat(report.kills()).hasSize(4);
        assertThat(ApiContract.shared().violations()).as("answers under failure are documented answers too").isEmpty();
    }

    @AfterAll
    void down() throws Exception {
        Platform.run(Duration.ofMinutes(2), "deploy/run", "down");
    }

    private static void deleteState() throws Exception {
        if (Files.exists(Platform.RUN_DIR)) {
            try (var paths = Files.walk(Platform.RUN_DIR)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
