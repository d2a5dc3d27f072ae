package vn.ndx.registry.model;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An agency's request for access to another agency's service, made by an administrator of the consumer
 * side and decided by one of the provider side: the provider decides who reads its data, and the request
 * keeps the legal basis and who asked and decided, for the record. An approved request names the grant it
 * created; requests are never deleted.
 *
 * @param purpose    the purpose of use the consumer's calls will name; the grant carries it
 * @param legalBasis why the consumer may have the data (the decree, the procedure)
 * @param methods    for a query service, the HTTP methods asked for (empty: any)
 * @param paths      for a query service, the path patterns below the service asked for (empty: any)
 * @param until      when the access asked for ends (null: until revoked)
 * @param requestedBy the administrator client that asked
 * @param grantId    the grant an approval created
 */
public record AccessRequest(String id, String consumerAgency, String consumerSystem, String providerAgency,
                            String providerSystem, String service, String purpose, String legalBasis,
                            List<String> methods, List<String> paths, @Nullable Instant until, State state,
                            String requestedBy, Instant requestedAt, @Nullable String decidedBy,
                            @Nullable Instant decidedAt, @Nullable String refusalReason, @Nullable String grantId) {

    public enum State {
        PENDING, APPROVED, REFUSED, WITHDRAWN
    }

    public AccessRequest {
        Objects.requireNonNull(id, "an access request has an id");
        Objects.requireNonNull(consumerAgency, "an access request names its consumer agency");
        Objects.requireNonNull(consumerSystem, "an access request names its consumer system");
        Objects.requireNonNull(providerAgency, "an access request names its provider agency");
        Objects.requireNonNull(providerSystem, "an access request names its provider system");
        Objects.requireNonNull(service, "an access request names its service");
        Objects.requireNonNull(purpose, "an access request names its purpose");
        Objects.requireNonNull(legalBasis, "an access request gives its legal basis");
        Objects.requireNonNull(state, "an access request has a state");
        Objects.requireNonNull(requestedBy, "an access request names who asked");
        Objects.requireNonNull(requestedAt, "an access request has the time it was asked");
        methods = methods == null ? List.of() : List.copyOf(methods);
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    /** A new request, waiting for the provider's decision. */
    public static AccessRequest pending(String id, String consumerAgency, String consumerSystem, String providerAgency,
                                        String providerSystem, String service, String purpose, String legalBasis,
                                        List<String> methods, List<String> paths, @Nullable Instant until,
                                        String requestedBy, Instant requestedAt) {
        return new AccessRequest(id, consumerAgency, consumerSystem, providerAgency, providerSystem, service, purpose,
                legalBasis, methods, paths, until, State.PENDING, requestedBy, requestedAt, null, null, null, null);
    }

    public boolean pending() {
        return state == State.PENDING;
    }

    /** For the same consumer system and the same service as {@code other}. */
    public boolean sameAccessAs(AccessRequest other) {
        return consumerAgency.equals(other.consumerAgency) && consumerSystem.equals(other.consumerSystem)
                && providerAgency.equals(other.providerAgency) && providerSystem.equals(other.providerSystem)
                && service.equals(other.service);
    }

    public AccessRequest approved(String by, Instant at, String grant) {
        return decided(State.APPROVED, by, at, null, grant);
    }

    public AccessRequest refused(String by, Instant at, String reason) {
        return decided(State.REFUSED, by, at, reason, null);
    }

    public AccessRequest withdrawn(String by, Instant at) {
        return decided(State.WITHDRAWN, by, at, null, null);
    }

    private AccessRequest decided(State next, String by, Instant at, @Nullable String reason, @Nullable String grant) {
        return new AccessRequest(id, consumerAgency, consumerSystem, providerAgency, providerSystem, service, purpose,
                legalBasis, methods, paths, until, next, requestedBy, requestedAt, by, at, reason, grant);
    }

    /** How long the request waited for its decision; how long it has waited so far while pending. */
    public Duration waited(Instant now) {
        Duration waited = Duration.between(requestedAt, decidedAt == null ? now : decidedAt);
        return waited.isNegative() ? Duration.ZERO : waited;
    }

    /**
     * What an approval with these terms would give beyond what was asked, keyed by field; empty when it
     * gives the same or less. A provider may narrow a request (fewer methods, fewer paths, an earlier end),
     * never widen it: the consumer asked for this much and gave its legal basis for this much.
     *
     * @param methods the methods approved; empty for the same as asked
     * @param paths   the path patterns approved; empty for the same as asked
     * @param until   the end approved; null for the same as asked
     */
    public Map<String, String> wideningOf(List<String> methods, List<String> paths, @Nullable Instant until) {
        var problems = new LinkedHashMap<String, String>();
        if (!this.methods.isEmpty()) {
            for (int i = 0; i < methods.size(); i++) {
                if (!this.methods.contains(methods.get(i))) {
                    problems.put("methods[" + i + "]", "was not asked for: approve some of " + this.methods + " or all of them");
                }
            }
        }
        if (!this.paths.isEmpty()) {
            for (int i = 0; i < paths.size(); i++) {
                if (!this.paths.contains(paths.get(i))) {
                    problems.put("paths[" + i + "]", "was not asked for: approve some of " + this.paths + " or all of them");
                }
            }
        }
        if (this.until != null && until != null && until.isAfter(this.until)) {
            problems.put("until", "is later than the " + this.until + " asked for");
        }
        return problems;
    }
}
