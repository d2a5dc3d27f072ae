package vn.ndx.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import org.jspecify.annotations.Nullable;

/**
 * The whole registry as replicated to the data plane over {@link Topics#REGISTRY}: one consistent view,
 * replaced atomically. A national registry (hundreds of agencies, thousands of grants) is well under a
 * megabyte, so a snapshot beats per-entity replication in simplicity and consistency.
 *
 * @param version    increases with every change; a reader ignores an older snapshot than the one it holds
 * @param signingKeys public JSON Web Key Set the registry signs access tokens with (never private parts)
 * @param operators   clients that may watch and operate the whole platform through the gateway
 */
public record RegistrySnapshot(
        long version,
        Instant publishedAt,
        List<Agency> agencies,
        List<InformationSystem> systems,
        List<Service> services,
        List<Grant> grants,
        List<Client> clients,
        String signingKeys,
        List<Operator> operators,
        List<Egress> egress) {

    public RegistrySnapshot {
        operators = operators == null ? List.of() : List.copyOf(operators); // absent from snapshots before operators
        egress = egress == null ? List.of() : List.copyOf(egress);
    }

    /** A snapshot without egress allowances: every agency reaches public HTTPS addresses only. */
    public RegistrySnapshot(long version, Instant publishedAt, List<Agency> agencies, List<InformationSystem> systems,
                            List<Service> services, List<Grant> grants, List<Client> clients, String signingKeys,
                            List<Operator> operators) {
        this(version, publishedAt, agencies, systems, services, grants, clients, signingKeys, operators, List.of());
    }

    /**
     * What a platform administrator allows the platform to reach on an agency's behalf beyond public HTTPS
     * addresses ({@link EgressRules}): plain HTTP, and restricted networks (loopback, private ranges ...) in
     * CIDR notation, e.g. {@code 10.20.0.0/16}. The registry publishes one for every agency an allowance
     * holds for, its own or its nearest ancestor's.
     */
    public record Egress(String agencyCode, boolean plainHttp, List<String> networks) {

        public Egress {
            networks = networks == null ? List.of() : List.copyOf(networks);
            networks.forEach(Cidr::parse); // an entry with a network no reader can use is refused whole
        }

        public boolean covers(java.net.InetAddress address) {
            return networks.stream().anyMatch(network -> Cidr.parse(network).contains(address));
        }
    }

    /** The allowance that holds for an agency's calls and pushes, or null: public HTTPS addresses only. */
    public @org.jspecify.annotations.Nullable Egress egressOf(String agencyCode) {
        return egress.stream().filter(e -> e.agencyCode().equals(agencyCode)).findFirst().orElse(null);
    }

    /** A snapshot without operators: the data plane serves agency systems only. */
    public RegistrySnapshot(long version, Instant publishedAt, List<Agency> agencies, List<InformationSystem> systems,
                            List<Service> services, List<Grant> grants, List<Client> clients, String signingKeys) {
        this(version, publishedAt, agencies, systems, services, grants, clients, signingKeys, List.of(), List.of());
    }

    /**
     * A client of the platform's operators (its administrators, and read-only operators): it may read the
     * statistics, the transaction log and dead letters of every agency, and redrive dead letters. Or the
     * national public-service portal's client ({@code citizenPortal}), which reads one citizen's data-access
     * report at a time and nothing an operator may.
     */
    public record Operator(String clientId, boolean enabled, boolean platformAdmin, boolean citizenPortal) {

        /** The role of an operator who may also change things: import history, redrive dead letters. */
        public static final String PLATFORM_ADMIN = "platform-admin";
        /** The role of an operator who may only read. */
        public static final String READ_ONLY = "operator";
        /** The role of the portal that asks for citizens' data-access reports. */
        public static final String CITIZEN_PORTAL = "citizen-portal";

        /** A read-only operator. */
        public Operator(String clientId, boolean enabled) {
            this(clientId, enabled, false, false);
        }

        /** An operator, read-only or a platform administrator. */
        public Operator(String clientId, boolean enabled, boolean platformAdmin) {
            this(clientId, enabled, platformAdmin, false);
        }

        public static Operator citizenPortal(String clientId, boolean enabled) {
            return new Operator(clientId, enabled, false, true);
        }

        public String role() {
            return citizenPortal ? CITIZEN_PORTAL : platformAdmin ? PLATFORM_ADMIN : READ_ONLY;
        }
    }

    /** An agency by its electronic identifier code (QCVN 102:2016, {@code NNN.NN.NN.XNN}). */
    public record Agency(String code, String name, boolean suspended) {
    }

    /** An information system of an agency; its code is unique within the agency. */
    public record InformationSystem(String agencyCode, String code, String name) {
    }

    /**
     * A service provided by a system: a synchronous QUERY (forwarded to {@code upstreamUrl}) or an
     * asynchronous CHANNEL (records delivered to the providing system's inbox, or pushed to its
     * {@code upstreamUrl} when it has one).
     *
     * @param schema    for a CHANNEL, the JSON Schema (draft 2020-12) every record must match; null for none
     * @param retention for a CHANNEL, how long a record waits in the inbox unacknowledged before it expires;
     *                  null for the exchange's default
     * @param personalData the service carries citizens' personal data: every call names its purpose, one of
     *                     the purposes its grant names ({@link Headers#PURPOSE}), and may name its data subject
     */
    public record Service(String agencyCode, String systemCode, String code, Kind kind,
                          @Nullable String upstreamUrl, @Nullable Duration timeout, long maxBodyBytes,
                          @Nullable Map<String, Object> schema, @Nullable Duration retention,
                          // absent from documents written before it existed (stored registries, exports, the demo
                          // registry's channel): false, as Jackson 3 refuses a missing primitive by default
                          @JsonSetter(nulls = Nulls.AS_EMPTY) boolean personalData) {
        public enum Kind { QUERY, CHANNEL }

        /** A service without a record schema or its own retention: every QUERY, and the simplest CHANNEL. */
        public Service(String agencyCode, String systemCode, String code, Kind kind,
                       @Nullable String upstreamUrl, @Nullable Duration timeout, long maxBodyBytes) {
            this(agencyCode, systemCode, code, kind, upstreamUrl, timeout, maxBodyBytes, null, null, false);
        }

        /** A service that carries no personal data. */
        public Service(String agencyCode, String systemCode, String code, Kind kind,
                       @Nullable String upstreamUrl, @Nullable Duration timeout, long maxBodyBytes,
                       @Nullable Map<String, Object> schema, @Nullable Duration retention) {
            this(agencyCode, systemCode, code, kind, upstreamUrl, timeout, maxBodyBytes, schema, retention, false);
        }

        public ServiceAddress address() {
            return new ServiceAddress(agencyCode, systemCode, code);
        }
    }

    /**
     * A consumer system may call (QUERY) or send to (CHANNEL) a provider's service; for a QUERY, only with
     * these HTTP methods and on paths (below the service) matching these patterns, e.g. {@code /business/*}
     * (Spring path patterns). Empty lists mean any.
     *
     * @param purposes what the consumer may use a {@link Service#personalData() personal-data} service for
     *                 (codes such as {@code tax-verification}); a call to such a service names one of them.
     *                 Empty: no purpose, so no call to a personal-data service
     */
    public record Grant(String consumerAgency, String consumerSystem,
                        String providerAgency, String providerSystem, String service,
                        List<String> methods, List<String> paths, List<String> purposes) {
        public Grant {
            methods = methods == null ? List.of() : List.copyOf(methods);
            paths = paths == null ? List.of() : List.copyOf(paths);
            purposes = purposes == null ? List.of() : List.copyOf(purposes);
        }

        /** A grant that names no purpose. */
        public Grant(String consumerAgency, String consumerSystem, String providerAgency, String providerSystem,
                     String service, List<String> methods, List<String> paths) {
            this(consumerAgency, consumerSystem, providerAgency, providerSystem, service, methods, paths, List.of());
        }
    }

    /**
     * OAuth2 client credentials bound to one system (the secret never leaves the registry), with the limits
     * the gateway enforces on its calls; null limits mean the gateway's defaults.
     */
    public record Client(String clientId, String agencyCode, String systemCode, boolean enabled, @Nullable Limits limits) {
    }

    /**
     * A client's limits, per gateway instance.
     *
     * @param requestsPerSecond sustained rate
     * @param burst             calls allowed at once above the rate, from a full bucket
     * @param concurrentCalls   calls in flight at once
     * @param maxBodyBytes      largest request body, below the service's own limit; null for the service's
     * @param services          overrides for calls to one service, keyed {@code agency/system/service}: such
     *                          calls count against their own bucket instead of the client's
     */
    public record Limits(int requestsPerSecond, int burst, int concurrentCalls, @Nullable Long maxBodyBytes,
                         Map<String, Limits> services) {
        public Limits {
            services = services == null ? Map.of() : Map.copyOf(services);
        }

        public Limits(int requestsPerSecond, int burst, int concurrentCalls) {
            this(requestsPerSecond, burst, concurrentCalls, null, Map.of());
        }

        public static String serviceKey(String agency, String system, String service) {
            return new ServiceAddress(agency, system, service).toString();
        }

        /** The limits for calls to one service: its override where there is one, otherwise these. */
        public Limits forService(@Nullable String serviceKey) {
            Limits override = serviceKey == null ? null : services.get(serviceKey);
            return override == null ? this : override;
        }

        /** The largest body a call to a service that takes {@code serviceMax} may carry under these limits. */
        public long bodyLimit(long serviceMax) {
            return maxBodyBytes == null ? serviceMax : Math.min(serviceMax, maxBodyBytes);
        }
    }
}
