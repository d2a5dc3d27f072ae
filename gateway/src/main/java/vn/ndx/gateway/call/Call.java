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
     * TransactionEvent wraps the whole call; Authenticate sets the caller (or the operator); XRoadCompatibility
     * reads the caller; ClientLimit sets the limits that hold; GrantCheck sets the service granted (reading
     * the caller and the limits); ProviderUpstream forwards to that service.
     */
    public static final List<String> FILTER_ORDER = List.of("TransactionEvent", "Authenticate", "XRoadCompatibility", "ClientLimit",
            "GrantCheck", "ProviderUpstream");

    /** An operator's call: the operator client and its role. */
    public record Operator(String clientId, String role) {
    }

    private static final String CALLER = Call.class.getName() + ".caller";
    private static final String OPERATOR = Call.class.getName() + ".operator";
    private static final String LIMITS = Call.class.getName() + ".limits";
    private static final String SERVICE = Call.class.getName() + ".service";

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

    private static <T> T required(ServerWebExchange exchange, String attribute, String what, String setBy) {
        T value = exchange.getAttribute(attribute);
        if (value == null) {
            throw new IllegalStateException("The " + what + " is set by the " + setBy + " filter: this route must list it earlier "
                    + "(order: " + String.join(", ", FILTER_ORDER) + ")");
        }
        return value;
    }
}
