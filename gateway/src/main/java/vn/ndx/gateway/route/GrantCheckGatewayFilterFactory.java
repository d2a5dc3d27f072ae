package vn.ndx.gateway.route;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.gateway.call.Call;
import vn.ndx.gateway.call.Caller;
import vn.ndx.gateway.call.Transaction;
import vn.ndx.gateway.problem.ProblemResponses;
import vn.ndx.gateway.problem.Refusal;
import vn.ndx.gateway.registry.RegistryIndex;
import vn.ndx.gateway.registry.RegistryView;
import vn.ndx.gateway.subject.DataSubjects;

import static org.springframework.cloud.gateway.support.GatewayToStringStyler.filterToStringCreator;

/**
 * Lets a call through only when the registry says the caller may reach the target named in the path
 * ({@code {agency}/{system}/{service}}): the target exists (404 otherwise), neither agency is suspended
 * and the caller's system holds a grant for the service (403 otherwise), a call to a personal-data service
 * names a purpose that grant covers (400 otherwise), and the body fits the service's limit (413). The
 * resolved service is kept for the filters after it.
 */
@Component
public class GrantCheckGatewayFilterFactory extends AbstractGatewayFilterFactory<GrantCheckGatewayFilterFactory.Config> {


    private final RegistryView registry;
    private final ProblemResponses problems;
    private final DataSubjects subjects;

    GrantCheckGatewayFilterFactory(RegistryView registry, ProblemResponses problems, DataSubjects subjects) {
        super(Config.class);
        this.registry = registry;
        this.problems = problems;
        this.subjects = subjects;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("kind");
    }

    @Override
    public GatewayFilter apply(Config config) {
        return new GatewayFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                Decision decision = check(exchange, config.kind);
                if (decision instanceof Refused refused) {
                    return problems.write(exchange, refused.refusal());
                }
                Call.granted(exchange, ((Granted) decision).service());
                return chain.filter(exchange);
            }

            @Override
            public String toString() {
                return filterToStringCreator(GrantCheckGatewayFilterFactory.this).append("kind", config.kind).toString();
            }
        };
    }

    private sealed interface Decision permits Granted, Refused {
    }

    private record Granted(Service service) implements Decision {
    }

    private record Refused(Refusal refusal) implements Decision {
    }

    private Decision check(ServerWebExchange exchange, Service.Kind kind) {
        RegistryIndex index = registry.current();
        Caller caller = Call.caller(exchange);
        Map<String, String> path = ServerWebExchangeUtils.getUriTemplateVariables(exchange);
        String agencyCode = path.getOrDefault("agency", "");
        String systemCode = path.getOrDefault("system", "");
        String serviceCode = path.getOrDefault("service", "");
        var transaction = Transaction.of(exchange);
        if (index == null) {
            return new Refused(new Refusal(ProblemCode.SERVICE_UNAVAILABLE, "The gateway is starting; retry shortly"));
        }
        var callerAgency = index.agency(caller.agency());
        if (callerAgency == null || callerAgency.suspended()) {
            return new Refused(new Refusal(ProblemCode.AGENCY_SUSPENDED, "The calling agency is suspended from the platform"));
        }
        var agency = index.agency(agencyCode);
        if (agency == null) {
            return new Refused(new Refusal(ProblemCode.UNKNOWN_AGENCY, "No agency " + agencyCode + " is registered"));
        }
        transaction.provider(agency.code(), null, null);
        if (!index.hasSystem(agencyCode, systemCode)) {
            return new Refused(new Refusal(ProblemCode.UNKNOWN_SYSTEM, "Agency " + agencyCode + " has no system " + systemCode));
        }
        transaction.provider(agency.code(), systemCode, null);
        Service service = index.service(agencyCode, systemCode, serviceCode);
        if (service == null || service.kind() != kind) {
            return new Refused(new Refusal(kind == Service.Kind.QUERY ? ProblemCode.UNKNOWN_SERVICE : ProblemCode.UNKNOWN_CHANNEL,
                    "System " + agencyCode + "/" + systemCode + " offers no " + kind.name().toLowerCase(java.util.Locale.ROOT)
                            + " " + serviceCode));
        }
        transaction.provider(agency.code(), systemCode, service.code());
        if (agency.suspended()) {
            return new Refused(new Refusal(ProblemCode.AGENCY_SUSPENDED, "Agency " + agencyCode + " is suspended from the platform"));
        }
        if (!index.granted(caller.agency(), caller.system(), service)) {
            return new Refused(new Refusal(ProblemCode.NO_GRANT, "System " + caller.agency() + "/" + caller.system()
                    + " holds no grant for " + new ServiceAddress(agencyCode, systemCode, serviceCode)));
        }
        if (kind == Service.Kind.QUERY) {
            String method = exchange.getRequest().getMethod().name();
            String below = ProviderUpstreamGatewayFilterFactory.pathBelowService(exchange.getRequest().getURI().getRawPath());
            if (!index.granted(caller.agency(), caller.system(), service, method, below)) {
                return new Refused(new Refusal(ProblemCode.NO_GRANT, "Your grant for " + agencyCode + "/" + systemCode + "/"
                        + serviceCode + " does not cover " + method + " on this path"));
            }
        }
        if (service.personalData()) {
            Refusal refusal = personalData(exchange, index, caller, service);
            if (refusal != null) {
                return new Refused(refusal);
            }
        }
        long length = exchange.getRequest().getHeaders().getContentLength();
        long limit = Call.limits(exchange).bodyLimit(service.maxBodyBytes());
        if (length > limit) {
            return new Refused(new Refusal(ProblemCode.PAYLOAD_TOO_LARGE,
                    "The body has " + length + " bytes; this call may carry at most " + limit));
        }
        return new Granted(service);
    }

    /**
     * A call to a personal-data service names a purpose its grant covers, and may name its data subject, a
     * citizen identity number: both are recorded (the subject as a keyed digest only), or the call is refused.
     */
    private @Nullable Refusal personalData(ServerWebExchange exchange, RegistryIndex index, Caller caller, Service service) {
        var headers = exchange.getRequest().getHeaders();
        String purpose = headers.getFirst(Headers.PURPOSE);
        String method = service.kind() == Service.Kind.QUERY ? exchange.getRequest().getMethod().name() : null;
        String below = method == null ? "" : ProviderUpstreamGatewayFilterFactory.pathBelowService(exchange.getRequest().getURI().getRawPath());
        if (purpose == null || purpose.isBlank() || headers.getValuesAsList(Headers.PURPOSE).size() > 1
                || !index.purposeGranted(caller.agency(), caller.system(), service, method, below, purpose)) {
            return new Refusal(ProblemCode.PURPOSE_REQUIRED, service.address() + " carries personal data: name in "
                    + Headers.PURPOSE + " a purpose of use your grant covers");
        }
        Refusal invalidSubject = DataSubjects.refusal(headers);
        if (invalidSubject != null) {
            return invalidSubject;
        }
        String subject = headers.getFirst(Headers.DATA_SUBJECT);
        String digest = subject == null ? null : subjects.digest(subject);
        Call.personalData(exchange, new Call.PersonalData(purpose, subject, digest));
        return null;
    }

    public static class Config {
        private Service.Kind kind = Service.Kind.QUERY;

        public Service.Kind getKind() {
            return kind;
        }

        public void setKind(Service.Kind kind) {
            this.kind = kind;
        }
    }
}
