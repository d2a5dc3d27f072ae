package vn.ndx.gateway.subject;

import java.util.List;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.gateway.call.Call;
import vn.ndx.gateway.problem.ProblemResponses;
import vn.ndx.gateway.problem.Refusal;

import static org.springframework.cloud.gateway.support.GatewayToStringStyler.filterToStringCreator;

/**
 * On the routes that look citizens up in audit (the citizen portal's report, operators' transaction search):
 * takes the identity number from {@link Headers#DATA_SUBJECT}, checks it, and hands audit its keyed digest
 * only ({@link Headers#DATA_SUBJECT_DIGEST}, bound by the gateway's proof). {@code DataSubject=REQUIRED}
 * refuses a call without one.
 */
@Component
public class DataSubjectGatewayFilterFactory extends AbstractGatewayFilterFactory<DataSubjectGatewayFilterFactory.Config> {

    private final DataSubjects subjects;
    private final ProblemResponses problems;

    DataSubjectGatewayFilterFactory(DataSubjects subjects, ProblemResponses problems) {
        super(Config.class);
        this.subjects = subjects;
        this.problems = problems;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("presence");
    }

    @Override
    public GatewayFilter apply(Config config) {
        boolean required = config.getPresence() == Presence.REQUIRED;
        return new GatewayFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
                var headers = exchange.getRequest().getHeaders();
                String subject = headers.getFirst(Headers.DATA_SUBJECT);
                if (subject == null) {
                    return required ? problems.write(exchange, new Refusal(ProblemCode.DATA_SUBJECT_INVALID, "Name the citizen in "
                            + Headers.DATA_SUBJECT + " by the 12 digits of the identity number")) : chain.filter(exchange);
                }
                Refusal invalid = DataSubjects.refusal(headers);
                if (invalid != null) {
                    return problems.write(exchange, invalid);
                }
                Call.personalData(exchange, new Call.PersonalData(null, null, subjects.digest(subject)));
                return chain.filter(exchange);
            }

            @Override
            public String toString() {
                return filterToStringCreator(DataSubjectGatewayFilterFactory.this).append("presence", config.getPresence()).toString();
            }
        };
    }

    /** Whether a route's calls must name a data subject. */
    public enum Presence { OPTIONAL, REQUIRED }

    public static class Config {
        private Presence presence = Presence.OPTIONAL;

        public Presence getPresence() {
            return presence;
        }

        public void setPresence(Presence presence) {
            this.presence = presence;
        }
    }
}
