package vn.ndx.gateway.call;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import vn.ndx.contract.RegistrySnapshot.Limits;
import vn.ndx.contract.RegistrySnapshot.Service;

/**
 * What the route filters learn about a call, read and written through one typed accessor instead of raw
 * exchange attributes. The filters run in {@link #FILTER_ORDER} on every route that has them: each reads
 * only what an earlier one set, and one that finds nothing fails naming the filter its route lacks.
 * {@code RouteOrderTest} keeps application.yml's routes in that order.
 */
public final class Call {

    /**
     * TransactionEvent wraps the whole call; Authenticate sets the caller (or the operator); DataSubject, on
     * lookups, the digest of the citizen looked up; XRoadCompatibility
     * reads the caller; ClientLimit sets the limits that hold; GrantCheck sets the service granted (reading
     * the caller and the limits); ProviderUpstream forwards to that service.
     */
    public static final List<String> FILTER_ORDER = List.of("TransactionEvent", "Authenticate", "DataSubject", "XRoadCompatibility",
            "ClientLimit", "GrantCheck", "ProviderUpstream");

    /** An operator's call: the operator client and its role. */
    public record Operator(String clientId, String role) {
    }

    private static final String CALLER = Call.class.getName() + ".caller";
    private static final String OPERATOR = Call.class.getName() + ".operator";
    private static final String LIMITS = Call.class.getName() + ".limits";
    private static final String SERVICE = Call.class.getName() + ".service";
    private static final String PERSONAL_DATA = Call.class.getName() + ".personalData";

    /**
     * What a call named about personal data, as checked: the purpose of use (null on an operator's or the
     * citizen portal's lookup), and the data subject's identity number with its keyed digest (null when none).
     * The number goes to a query's provider and to no one else; the platform's services get the digest.
     */
    public record PersonalData(@Nullable String purpose, @Nullable String subject, @Nullable String subjectDigest) {
    }

    private Call() {
    }

    public static void authenticated(ServerWebExchange exchange, Caller caller) {
        exchange.getAttributes().put(CALLER, caller);
    }

    public static Caller caller(ServerWebExchange exchange) {
        return required(exchange, CALLER, "caller", "Authenticate");
    }

    public static @Nullable Caller callerIfAny(ServerWebExchange exchange) {
        return exchange.getAttribute(CALLER);
    }

    public static void operator(ServerWebExchange exchange, Operator operator) {
        exchange.getAttributes().put(OPERATOR, operator);
    }

    public static @Nullable Operator operatorIfAny(ServerWebExchange exchange) {
        return exchange.getAttribute(OPERATOR);
    }

    public static void limited(ServerWebExchange exchange, Limits limits) {
        exchange.getAttributes().put(LIMITS, limits);
    }

    /** The limits that hold for this call, for the body limit checked once the service is known. */
    public static Limits limits(ServerWebExchange exchange) {
        return required(exchange, LIMITS, "client's limits", "ClientLimit");
    }

    public static void granted(ServerWebExchange exchange, Service service) {
        exchange.getAttributes().put(SERVICE, service);
    }

    public static Service service(ServerWebExchange exchange) {
        return required(exchange, SERVICE, "service granted", "GrantCheck");
    }

    public static @Nullable Service serviceIfAny(ServerWebExchange exchange) {
        return exchange.getAttribute(SERVICE);
    }

    public static void personalData(ServerWebExchange exchange, PersonalData named) {
        exchange.getAttributes().put(PERSONAL_DATA, named);
    }

    public static @Nullable PersonalData personalDataIfAny(ServerWebExchange exchange) {
        return exchange.getAttribute(PERSONAL_DATA);
    }

    private static <T> T required(ServerWebExchange exchange, String attribute, String what, String setBy) {
        T value = exchange.getAttribute(attribute);
        if (value == null) {
            throw new IllegalStateException("The " + what + " is set by the " + setBy + " filter: this route must list it earlier "
                    + "(order: " + String.join(", ", FILTER_ORDER) + ")");
        }
        return value;
    }
}
