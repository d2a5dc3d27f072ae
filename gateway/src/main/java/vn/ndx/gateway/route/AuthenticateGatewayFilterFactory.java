package vn.ndx.gateway.route;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.gateway.auth.AccessTokenVerifier.Result;
import vn.ndx.gateway.auth.AccessTokenVerifier;
import vn.ndx.gateway.auth.InvalidTokens;
import vn.ndx.gateway.auth.PresentedCertificate;
import vn.ndx.gateway.call.Call;
import vn.ndx.gateway.call.Caller;
import vn.ndx.gateway.call.Transaction;
import vn.ndx.gateway.problem.ProblemResponses;
import vn.ndx.gateway.problem.Refusal;
import vn.ndx.gateway.registry.RegistryView;

import static org.springframework.cloud.gateway.support.GatewayToStringStyler.filterToStringCreator;

/**
 * Requires a valid bearer token: of an agency system's client ({@code Authenticate}), of an operator's
 * ({@code Authenticate=OPERATOR}, on the routes to the platform's statistics and operations), or of the
 * citizen portal's ({@code Authenticate=CITIZEN_PORTAL}, on the citizen's data-access report). On success
 * the caller is remembered for the filters after it and, by {@link OutgoingRequestHeaders}, passed on in
 * the platform's identity headers instead of the token.
 */
@Component
public class AuthenticateGatewayFilterFactory extends AbstractGatewayFilterFactory<AuthenticateGatewayFilterFactory.Config> {

    private static final String BEARER = "Bearer ";

    /** Whose tokens a route takes: an agency system's, an operator's, or the citizen portal's. */
    public enum Who { SYSTEM, OPERATOR, CITIZEN_PORTAL }

    public static class Config {
        private Who who = Who.SYSTEM;

        public Who getWho() {
            return who;
        }

        public void setWho(Who who) {
            this.who = who;
        }
    }

    private final RegistryView registry;
    private final AccessTokenVerifier tokens;
    private final ProblemResponses problems;
    private final InvalidTokens invalidTokens;

    AuthenticateGatewayFilterFactory(RegistryView registry, AccessTokenVerifier tokens, ProblemResponses problems,
                                     InvalidTokens invalidTokens) {
        super(Config.class);
        this.registry = registry;
        this.tokens = tokens;
        this.problems = problems;
        this.invalidTokens = invalidTokens;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("who");
    }

    @Override
    public GatewayFilter apply(Config config) {
        Who who = config.getWho();
        return new GatewayFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                return authenticate(exchange, chain, who);
            }

            @Override
            public String toString() {
                return filterToStringCreator(AuthenticateGatewayFilterFactory.this).append("who", who).toString();
            }
        };
    }

    private Mono<Void> authenticate(ServerWebExchange exchange, GatewayFilterChain chain, Who who) {
        var index = registry.current();
        if (index == null) {
            return problems.write(exchange, new Refusal(ProblemCode.SERVICE_UNAVAILABLE, "The gateway is starting; retry shortly"));
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return problems.write(exchange, new Refusal(ProblemCode.TOKEN_MISSING,
                    "Send an access token from POST /oauth2/token as 'Authorization: Bearer <token>'"), challenge(null));
        }
        String token = authorization.substring(BEARER.length()).trim();
        var source = exchange.getRequest().getRemoteAddress();
        if (!tokens.remembers(token)) {
            Duration wait = invalidTokens.wait(source);
            if (!wait.isZero()) {
                var headers = new HttpHeaders();
                headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds())));
                return problems.write(exchange, new Refusal(ProblemCode.RATE_LIMITED,
                        "Too many invalid tokens from your address: retry later with a token from POST /oauth2/token"), headers);
            }
        }
        String presented = PresentedCertificate.thumbprint(exchange.getRequest().getSslInfo());
        Result result = who == Who.SYSTEM ? tokens.verify(token, index, presented) : tokens.verifyOperator(token, index, presented);
        if (result instanceof Result.Rejected rejected) {
            if (rejected.refusal().code() == ProblemCode.TOKEN_INVALID) {
                invalidTokens.refused(source);
            }
            return problems.write(exchange, rejected.refusal(), rejected.refusal().code() == ProblemCode.OUT_OF_SCOPE
                    ? new HttpHeaders() : challenge("invalid_token"));
        }
        if (result instanceof Result.VerifiedOperator operator) {
            // the citizen portal reads citizens' reports and nothing an operator may; an operator no citizen's
            if ((who == Who.CITIZEN_PORTAL) != RegistrySnapshot.Operator.CITIZEN_PORTAL.equals(operator.role())) {
                return problems.write(exchange, new Refusal(ProblemCode.OUT_OF_SCOPE, who == Who.CITIZEN_PORTAL
                        ? "Only the citizen portal asks for a citizen's data-access report" : "Only the platform's operators may call this"));
            }
            HttpMethod method = exchange.getRequest().getMethod();
            if (!RegistrySnapshot.Operator.PLATFORM_ADMIN.equals(operator.role()) && method != HttpMethod.GET && method != HttpMethod.HEAD) {
                // the read-only operator reads statistics and dead letters; rewriting history or redriving is an administrator's
                return problems.write(exchange, new Refusal(ProblemCode.OUT_OF_SCOPE,
                        "A read-only operator may only read (GET): ask a platform administrator"));
            }
            Call.operator(exchange, new Call.Operator(operator.clientId(), operator.role()));
            return chain.filter(exchange);
        }
        Caller caller = ((Result.Verified) result).caller();
        Call.authenticated(exchange, caller);
        Transaction.of(exchange).consumer(caller.agency(), caller.system(), caller.clientId());
        return chain.filter(exchange);
    }

    private static HttpHeaders challenge(@Nullable String error) {
        var headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, error == null ? "Bearer realm=\"ndx\"" : "Bearer realm=\"ndx\", error=\"" + error + "\"");
        return headers;
    }
}
