package vn.ndx.web.loop;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A background task every service runs the same way: on a daemon thread of its own, every interval after
 * the last run ended, from the application's start to its stop. A run that fails is logged and the next
 * one retries; a run that hangs is visible: {@code ndx_loop_last_run_timestamp_seconds{loop}} stops moving
 * while {@code ndx_loop_interval_seconds{loop}} says how often it should, and the NdxLoopStalled alert
 * compares the two. Subclasses may hand work to the loop's thread ({@link #onLoop}) so that what only the
 * loop touches is never touched concurrently.
 */
public abstract class PeriodicLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicLoop.class);

    private final String name;
    private final Duration interval;
    private volatile @Nullable ScheduledExecutorService thread;
    private volatile long lastRunMillis = System.currentTimeMillis();

    protected PeriodicLoop(String name, Duration interval, MeterRegistry meters) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(name + ": the interval must be positive");
        }
        this.name = name;
        this.interval = interval;
        Gauge.builder("ndx.loop.last.run.timestamp", this, loop -> loop.lastRunMillis / 1_000.0).tag("loop", name)
                .baseUnit("seconds").description("When the background loop last completed a run (or started)").register(meters);
        Gauge.builder("ndx.loop.interval", this, loop -> loop.interval.toMillis() / 1_000.0).tag("loop", name)
                .baseUnit("seconds").description("How long the background loop waits between two runs").register(meters);
    }

    /** One run; an exception ends this run only. */
    protected abstract void runOnce();

    /** Runs {@code task} on the loop's thread, after what it is doing now; nothing once the loop stopped. */
    protected final void onLoop(Runnable task) {
        ScheduledExecutorService current = thread;
        if (current != null && !current.isShutdown()) {
            current.execute(task);
        }
    }

    private void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("{}: a run failed; the next one, in {}, retries", name, interval, e);
        } finally {
            lastRunMillis = System.currentTimeMillis();
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var daemon = new Thread(runnable, name);
            daemon.setDaemon(true);
            return daemon;
        });
        lastRunMillis = System.currentTimeMillis();
        started.scheduleWithFixedDelay(this::run, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        thread = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = thread;
        thread = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
