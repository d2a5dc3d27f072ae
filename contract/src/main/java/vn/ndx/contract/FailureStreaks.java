package vn.ndx.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures in a row per key (an address, a client id from an address), and how long the key must wait
 * before it may try again: nothing for the first {@code free} failures, then 1 s, 2 s, 4 s ... up to
 * {@code longest}. A streak is forgotten after {@code quiet} without a failure. Bounded: beyond
 * {@code maxTracked} keys, forgotten streaks are swept, and if none is, the oldest state is dropped whole
 * rather than grown (an attacker with endless addresses then gains only a fresh start).
 */
public final class FailureStreaks {

    private record Streak(int failures, Instant last, Instant blockedUntil) {
    }

    private final ConcurrentHashMap<String, Streak> streaks = new ConcurrentHashMap<>();
    private final int free;
    private final Duration longest;
    private final Duration quiet;
    private final int maxTracked;
    private final Clock clock;

    public FailureStreaks(int free, Duration longest, Duration quiet, int maxTracked, Clock clock) {
        this.free = free;
        this.longest = longest;
        this.quiet = quiet;
        this.maxTracked = maxTracked;
        this.clock = clock;
    }

    /** How long {@code key} must still wait; zero when it may try. */
    public Duration wait(String key) {
        Streak streak = streaks.get(key);
        Instant now = clock.instant();
        return streak == null || !streak.blockedUntil().isAfter(now) ? Duration.ZERO : Duration.between(now, streak.blockedUntil());
    }

    public void failed(String key) {
        Instant now = clock.instant();
        if (streaks.size() >= maxTracked) {
            streaks.values().removeIf(streak -> streak.last().plus(quiet).isBefore(now));
            if (streaks.size() >= maxTracked) {
                streaks.clear();
            }
        }
        streaks.compute(key, (k, streak) -> {
            int failures = streak == null || streak.last().plus(quiet).isBefore(now) ? 1 : streak.failures() + 1;
            return new Streak(failures, now, failures <= free ? now : now.plus(backoff(failures - free, longest)));
        });
    }

    /** Starts {@code key} afresh. */
    public void forget(String key) {
        streaks.remove(key);
    }

    /** The wait after the {@code over}-th failure beyond the free ones: 1 s, 2 s, 4 s ... at most {@code longest}. */
    public static Duration backoff(int over, Duration longest) {
        return over > 30 ? longest : Duration.ofSeconds(Math.min(1L << (over - 1), longest.toSeconds()));
    }
}
