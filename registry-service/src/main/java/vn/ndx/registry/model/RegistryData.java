package vn.ndx.registry.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import vn.ndx.contract.AgencyCode;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.contract.RegistrySnapshot.Service;

/**
 * The whole registry, as stored on the registry's state topic: what the data plane sees, plus what only
 * the registry may know (secret hashes, grant history, administrators). Immutable: a change makes the next
 * version.
 *
 * @param version        increases with every change, so readers can tell a newer registry from an older one
 * @param accessRequests agencies' requests for access to other agencies' services, pending and decided
 */
public record RegistryData(long version, List<Agency> agencies, List<InformationSystem> systems, List<Service> services,
                           List<StoredGrant> grants, List<StoredClient> clients, List<Assessment> assessments,
                           List<ServiceDocument> documents, List<AgencyCaps> caps, List<Egress> egress,
                           List<AccessRequest> accessRequests) {

    public RegistryData {
        agencies = List.copyOf(agencies);
        systems = List.copyOf(systems);
        services = List.copyOf(services);
        grants = List.copyOf(grants);
        clients = List.copyOf(clients);
        assessments = assessments == null ? List.of() : List.copyOf(assessments);
        documents = documents == null ? List.of() : List.copyOf(documents);
        caps = caps == null ? List.of() : List.copyOf(caps);
        egress = egress == null ? List.of() : List.copyOf(egress);
        accessRequests = accessRequests == null ? List.of() : List.copyOf(accessRequests);
    }

    public RegistryData withVersion(long next) {
        return new RegistryData(next, agencies, systems, services, grants, clients, assessments, documents, caps, egress, accessRequests);
    }

    public RegistryData withAgencies(List<Agency> next) {
        return new RegistryData(version, next, systems, services, grants, clients, assessments, documents, caps, egress, accessRequests);
    }

    public RegistryData withSystems(List<InformationSystem> next) {
        return new RegistryData(version, agencies, next, services, grants, clients, assessments, documents, caps, egress, accessRequests);
    }

    public RegistryData withServices(List<Service> next) {
        return new RegistryData(version, agencies, systems, next, grants, clients, assessments, documents, caps, egress, accessRequests);
    }

    public RegistryData withGrants(List<StoredGrant> next) {
        return new RegistryData(version, agencies, systems, services, next, clients, assessments, documents, caps, egress, accessRequests);
    }

    public RegistryData withClients(List<StoredClient> next) {
        return new RegistryData(version, agencies, systems, services, grants, next, assessments, documents, caps, egress, accessRequests);
    }

    public RegistryData withDocuments(List<ServiceDocument> next) {
        return new RegistryData(version, agencies, systems, services, grants, clients, assessments, next, caps, egress, accessRequests);
    }

    public RegistryData withAccessRequests(List<AccessRequest> next) {
        return new RegistryData(version, agencies, systems, services, grants, clients, assessments, documents, caps, egress, next);
    }

    public Optional<AccessRequest> accessRequest(String id) {
        return accessRequests.stream().filter(request -> request.id().equals(id)).findFirst();
    }

    /** A service's OpenAPI document, as its provider published it for consumers. */
    public record ServiceDocument(String agencyCode, String systemCode, String serviceCode, String openApi, Instant updatedAt) {
    }

    public Optional<ServiceDocument> document(String agencyCode, String systemCode, String serviceCode) {
        return documents.stream().filter(d -> d.agencyCode().equals(agencyCode) && d.systemCode().equals(systemCode)
                && d.serviceCode().equals(serviceCode)).findFirst();
    }

    public RegistryData withEgress(List<Egress> next) {
        return new RegistryData(version, agencies, systems, services, grants, clients, assessments, documents, caps, next, accessRequests);
    }

    /**
     * What a platform administrator allows the platform to reach for the agency beyond public HTTPS addresses:
     * its own allowance, or its nearest ancestor's; null for none.
     */
    public @Nullable Egress egressOf(String agencyCode) {
        return nearest(agencyCode, code -> egress.stream().filter(e -> e.agencyCode().equals(code)).findFirst()).orElse(null);
    }

    /** The first of the agency and its ancestors, nearest first, for which {@code lookup} finds something. */
    private static <T> Optional<T> nearest(String agencyCode, java.util.function.Function<String, Optional<T>> lookup) {
        for (Optional<String> code = Optional.of(agencyCode); code.isPresent(); code = AgencyCode.parent(code.get())) {
            Optional<T> found = lookup.apply(code.get());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    public RegistryData withCaps(List<AgencyCaps> next) {
        return new RegistryData(version, agencies, systems, services, grants, clients, assessments, documents, next, egress, accessRequests);
    }

    /**
     * The most an agency's administrators may let one client of its subtree do, set by a platform
     * administrator: a compromised or careless agency administrator cannot take the platform's capacity.
     */
    public record AgencyCaps(String agencyCode, vn.ndx.contract.RegistrySnapshot.Limits caps) {
    }

    /** The caps of the agency itself or its nearest ancestor that has some; empty when none has. */
    public Optional<vn.ndx.contract.RegistrySnapshot.Limits> capsOf(String agencyCode) {
        return nearest(agencyCode, code -> caps.stream().filter(c -> c.agencyCode().equals(code)).findFirst()).map(AgencyCaps::caps);
    }

    /** Whether the agency or any agency above it is suspended: a suspension holds for the whole subtree. */
    public boolean suspended(String agencyCode) {
        return nearest(agencyCode, code -> agency(code).filter(Agency::suspended)).isPresent();
    }

    public RegistryData withAssessments(List<Assessment> next) {
        return new RegistryData(version, agencies, systems, services, grants, clients, next, documents, caps, egress, accessRequests);
    }

    /**
     * A security assessment concluding that a system, or one service of it, may carry traffic. The national
     * rule: a system not yet concluded safe is not put into use, and a test system holding real data obeys
     * every rule of a production one, so there is no weaker test mode either.
     *
     * @param serviceCode null when the assessment covers the system as a consumer and provider
     */
    public record Assessment(String agencyCode, String systemCode, @Nullable String serviceCode, java.time.LocalDate assessedOn,
                             String assessor, String reference, String recordedBy, Instant recordedAt) {
    }

    /** A system carries traffic once assessed. */
    public boolean live(String agencyCode, String systemCode) {
        return assessments.stream().anyMatch(a -> a.agencyCode().equals(agencyCode) && a.systemCode().equals(systemCode)
                && a.serviceCode() == null);
    }

    /** A service carries traffic once it and its system are assessed. */
    public boolean live(Service service) {
        return live(service.agencyCode(), service.systemCode()) && assessments.stream().anyMatch(a ->
                a.agencyCode().equals(service.agencyCode()) && a.systemCode().equals(service.systemCode())
                        && service.code().equals(a.serviceCode()));
    }

    /**
     * A grant and its history. Revoked grants stay, for the record, with the instant of revocation.
     *
     * @param validFrom  the grant carries traffic from then on (null: at once)
     * @param validUntil and until then (null: until revoked)
     * @param methods    for a query service, the HTTP methods allowed (empty: any)
     * @param paths      for a query service, the path patterns below the service allowed (empty: any)
     * @param purposes   what the consumer may use a personal-data service for; each call names one
     */
    public record StoredGrant(String id, String consumerAgency, String consumerSystem, String providerAgency,
                              String providerSystem, String service, @Nullable Instant validFrom,
                              @Nullable Instant validUntil, String grantedBy, String reason, @Nullable Instant revokedAt,
                              List<String> methods, List<String> paths, List<String> purposes) {

        public StoredGrant {
            methods = methods == null ? List.of() : List.copyOf(methods);
            paths = paths == null ? List.of() : List.copyOf(paths);
            purposes = purposes == null ? List.of() : List.copyOf(purposes);
        }

        public StoredGrant revoked(Instant at) {
            return new StoredGrant(id, consumerAgency, consumerSystem, providerAgency, providerSystem, service, validFrom,
                    validUntil, grantedBy, reason, at, methods, paths, purposes);
        }

        public boolean activeAt(Instant now) {
            return revokedAt == null && (validFrom == null || !now.isBefore(validFrom))
                    && (validUntil == null || now.isBefore(validUntil));
        }
    }

    /**
     * OAuth2 client credentials. A system's client is bound to its agency and system; an administrator's
     * client to the agency whose subtree it manages (none: the whole platform).
     */
    public record StoredClient(String clientId, @Nullable String agencyCode, @Nullable String systemCode,
                               List<String> roles, boolean enabled, List<StoredSecret> secrets,
                               vn.ndx.contract.RegistrySnapshot.@Nullable Limits limits,
                               @Nullable ClientCertificate certificate) {

        public static final String SYSTEM = "system";
        public static final String PLATFORM_ADMIN = "platform-admin";
        public static final String AGENCY_ADMIN = "agency-admin";
        /** Watches and operates the platform (statistics, transaction log, dead letters); administers nothing. */
        public static final String OPERATOR = "operator";
        /**
         * The national public-service portal acting for a citizen it authenticated: reads that citizen's own
         * data-access report and nothing else.
         */
        public static final String CITIZEN_PORTAL = "citizen-portal";
        /**
         * Records security assessments, the go-live gate, and does nothing else: the one who certifies a system
         * is never the one who runs it or administers the registry (separation of duties).
         */
        public static final String SECURITY_ASSESSOR = "security-assessor";

        public StoredClient {
            roles = List.copyOf(roles);
            secrets = List.copyOf(secrets);
        }

        /** What an administrator sees of a client's limits. */
        public record LimitsView(String clientId, vn.ndx.contract.RegistrySnapshot.@Nullable Limits limits) {
        }

        public StoredClient withSecrets(List<StoredSecret> next) {
            return new StoredClient(clientId, agencyCode, systemCode, roles, enabled, next, limits, certificate);
        }

        public StoredClient withEnabled(boolean next) {
            return new StoredClient(clientId, agencyCode, systemCode, roles, next, secrets, limits, certificate);
        }

        public StoredClient withLimits(vn.ndx.contract.RegistrySnapshot.@Nullable Limits next) {
            return new StoredClient(clientId, agencyCode, systemCode, roles, enabled, secrets, next, certificate);
        }

        public StoredClient withCertificate(@Nullable ClientCertificate next) {
            return new StoredClient(clientId, agencyCode, systemCode, roles, enabled, secrets, limits, next);
        }

        public boolean boundToSystem() {
            return roles.contains(SYSTEM) && agencyCode != null && systemCode != null;
        }
    }

    /**
     * The certificate a client is bound to (RFC 8705): it gets tokens only over a connection that shows it,
     * and they name it ({@code cnf.x5t#S256}), so neither its secret nor its tokens work without its key.
     * Subject and expiry are kept for administrators to read; the thumbprint alone decides.
     */
    public record ClientCertificate(@com.fasterxml.jackson.annotation.JsonProperty("x5t#S256") String thumbprint,
                                    String subject, Instant notAfter) {
    }

    /** The bcrypt hash of a secret; a rotated-out secret keeps working until {@code expiresAt}. */
    public record StoredSecret(String hash, Instant createdAt, @Nullable Instant expiresAt) {

        public boolean usableAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }
    }

    public Optional<Agency> agency(String code) {
        return agencies.stream().filter(agency -> agency.code().equals(code)).findFirst();
    }

    public Optional<InformationSystem> system(String agencyCode, String code) {
        return systems.stream().filter(s -> s.agencyCode().equals(agencyCode) && s.code().equals(code)).findFirst();
    }

    public Optional<Service> service(String agencyCode, String systemCode, String code) {
        return services.stream().filter(s -> s.agencyCode().equals(agencyCode) && s.systemCode().equals(systemCode)
                && s.code().equals(code)).findFirst();
    }

    public Optional<StoredGrant> grant(String id) {
        return grants.stream().filter(grant -> grant.id().equals(id)).findFirst();
    }

    public Optional<StoredClient> client(String clientId) {
        return clients.stream().filter(client -> client.clientId().equals(clientId)).findFirst();
    }
}
