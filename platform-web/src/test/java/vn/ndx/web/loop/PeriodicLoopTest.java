package vn.ndx.web.loop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeriodicLoopTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void a_failing_run_is_followed_by_the_next_and_each_completed_run_moves_the_timestamp() throws Exception {
        var runs = new AtomicInteger();
        var thirdRun = new CountDownLatch(3);
        var loop = new PeriodicLoop("flaky", Duration.ofMillis(20), meters) {
            @Override
            protected void runOnce() {
                runs.incrementAndGet();
                thirdRun.countDown();
                if (runs.get() == 1) {
                    throw new IllegalStateException("the first run fails");
                }
            }
        };
        double startedAt = meters.get("ndx.loop.last.run.timestamp").tag("loop", "flaky").gauge().value();
        loop.start();
        try {
            assertThat(thirdRun.await(5, TimeUnit.SECONDS)).as("runs after a failed one").isTrue();
            assertThat(loop.isRunning()).isTrue();
        } finally {
            loop.stop();
        }
        assertThat(loop.isRunning()).isFalse();
        assertThat(meters.get("ndx.loop.last.run.timestamp").tag("loop", "flaky").gauge().value()).isGreaterThanOrEqualTo(startedAt);
        assertThat(meters.get("ndx.loop.interval").tag("loop", "flaky").gauge().value()).isEqualTo(0.02);
    }

    @Test
    void work_handed_to_the_loop_runs_on_its_thread() throws Exception {
        var thread = new AtomicReference<String>();
        var done = new CountDownLatch(1);
        var loop = new PeriodicLoop("lanes", Duration.ofHours(1), meters) {
            @Override
            protected void runOnce() {
            }
        };
        loop.start();
        try {
            loop.onLoop(() -> {
                thread.set(Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            loop.stop();
        }
        assertThat(thread.get()).isEqualTo("lanes");
    }
}
