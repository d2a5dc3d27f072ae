package vn.ndx.registry.access;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import vn.ndx.registry.model.AccessRequest;

/**
 * What the platform's operators watch of access requests (the console): how many wait and the longest
 * waits, and how long a grant takes, the median over the approvals of the last {@value #WINDOW_DAYS} days.
 * Officials waiting for access rights is a known complaint: this is its figure.
 *
 * @param oldestPendingSince when the longest-waiting request was made; null when none waits
 * @param waiting            the longest-waiting requests, oldest first, at most {@value #LONGEST}
 * @param medianSecondsToGrant null when nothing was approved in the window
 */
record AccessRequestSummary(int pending, @Nullable Instant oldestPendingSince, List<Waiting> waiting, int approved,
                            int refused, @Nullable Long medianSecondsToGrant) {

    static final int WINDOW_DAYS = 90;
    static final int LONGEST = 10;

    /** A request still waiting for its provider's decision, as the console lists it. */
    record Waiting(String id, String consumerAgency, String consumerSystem, String providerAgency, String providerSystem,
                   String service, String purpose, Instant requestedAt) {
    }

    static AccessRequestSummary of(List<AccessRequest> requests, Instant now) {
        List<AccessRequest> pending = requests.stream().filter(AccessRequest::pending)
                .sorted(Comparator.comparing(AccessRequest::requestedAt)).toList();
        Instant since = now.minus(Duration.ofDays(WINDOW_DAYS));
        List<AccessRequest> decided = requests.stream()
                .filter(r -> r.decidedAt() != null && r.decidedAt().isAfter(since)).toList();
        long[] toGrant = decided.stream().filter(r -> r.state() == AccessRequest.State.APPROVED)
                .mapToLong(r -> Duration.between(r.requestedAt(), r.decidedAt()).toSeconds()).sorted().toArray();
        Long median = toGrant.length == 0 ? null
                : toGrant.length % 2 == 1 ? toGrant[toGrant.length / 2]
                : (toGrant[toGrant.length / 2 - 1] + toGrant[toGrant.length / 2]) / 2;
        return new AccessRequestSummary(pending.size(), pending.isEmpty() ? null : pending.get(0).requestedAt(),
                pending.stream().limit(LONGEST).map(r -> new Waiting(r.id(), r.consumerAgency(), r.consumerSystem(),
                        r.providerAgency(), r.providerSystem(), r.service(), r.purpose(), r.requestedAt())).toList(),
                toGrant.length, (int) decided.stream().filter(r -> r.state() == AccessRequest.State.REFUSED).count(), median);
    }
}
