package vn.ndx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus's promtool. The first use installs it through deploy/prometheus/install when missing
 * (a fresh CI machine runs as root with apt); a machine where it still cannot run fails the build rather
 * than skipping the rule tests.
 */
final class Promtool {

    record Result(int exitCode, String output) {
    }

    private static boolean installed;

    private Promtool() {
    }

    static synchronized void ensureInstalled() {
        if (installed) {
            return;
        }
        Result install = run(List.of(Repository.path("deploy/prometheus/install").toString()));
        assertThat(install.exitCode()).as("deploy/prometheus/install failed:%n%s", install.output()).isZero();
        Result version = run(List.of("promtool", "--version"));
        assertThat(version.exitCode()).as("promtool does not run:%n%s", version.output()).isZero();
        installed = true;
    }

    /** promtool with these arguments, in the checkout's root; its exit code and its output. */
    static Result promtool(String... arguments) {
        ensureInstalled();
        var command = new ArrayList<String>();
        command.add("promtool");
        command.addAll(List.of(arguments));
        return run(command);
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(Repository.ROOT.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in 10 minutes");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (command.get(0).equals("promtool")) {
                return new Result(127, "promtool could not be started: " + e.getMessage());
            }
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
