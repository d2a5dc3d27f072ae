package vn.ndx.gateway.route;

import java.net.InetSocketAddress;
import java.net.URI;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import vn.ndx.contract.Headers;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.gateway.assertion.PlatformAssertions;
import vn.ndx.gateway.auth.PresentedCertificate;
import vn.ndx.gateway.call.Call;
import vn.ndx.gateway.call.Caller;
import vn.ndx.gateway.call.Transaction;
import vn.ndx.gateway.proof.InternalCallProofs;

/**
 * What a provider or a platform service receives, set in the one copy of the headers Spring Cloud
 * Gateway makes when it forwards: the platform's own headers are the platform's alone (whatever the
 * client sent under their names is dropped, as are headers that would make the receiver act on another
 * method, address or metadata service than the gateway checked), the caller's token stays at the gateway once the gateway
 * has checked it (a provider must not be able to replay it), and the gateway adds the transaction id,
 * the caller's identity and, for a query, the signed platform assertion; a call to an internal service
 * names the client certificate the caller's connection showed and carries the gateway's proof that binds them ({@link InternalCallProofs}). Calls the gateway does not
 * authenticate itself (token and administration requests) keep their {@code Authorization} for the registry.
 */
@Component
class OutgoingRequestHeaders implements HttpHeadersFilter {

    static final String ASSERTION = "X-Ndx-Assertion";

    private final PlatformAssertions assertions;
    private final InternalCallProofs proofs;

    OutgoingRequestHeaders(PlatformAssertions assertions, InternalCallProofs proofs) {
        this.assertions = assertions;
        this.proofs = proofs;
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        Caller caller = Call.callerIfAny(exchange);
        Call.Operator operator = Call.operatorIfAny(exchange);
        boolean authenticated = caller != null || operator != null;
        var headers = new HttpHeaders();
        input.forEach((name, values) -> {
            if (!platformOwned(name) && (!authenticated || !HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name))) {
                headers.put(name, values);
            }
        });
        Transaction transaction = Transaction.of(exchange);
        headers.set(Headers.TRANSACTION_ID, transaction.id());
        headers.set(Headers.TRANSACTION_STARTED_AT, transaction.startedAt().toString());
        if (operator != null) {
            headers.set(Headers.OPERATOR, operator.clientId());
            headers.set(Headers.OPERATOR_ROLE, operator.role());
        }
        if (caller != null) {
            headers.set(Headers.CALLER_AGENCY, caller.agency());
            headers.set(Headers.CALLER_SYSTEM, caller.system());
            headers.set(Headers.CALLER_CLIENT, caller.clientId());
            Service service = Call.serviceIfAny(exchange);
            if (service != null && service.kind() == Service.Kind.QUERY) {
                headers.set(ASSERTION, assertions.assertionFor(caller, service.agencyCode(), service.systemCode(), service.code()));
            }
        }
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Call.PersonalData named = Call.personalDataIfAny(exchange);
        if (named != null) {
            if (named.purpose() != null) {
                headers.set(Headers.PURPOSE, named.purpose());
            }
            // a query's provider holds the citizen's data and needs to know whose is asked for; the platform's
            // own services (the exchange for records, audit for lookups) get the digest only
            if (route != null && route.getMetadata().containsKey(InternalCallProofs.ROUTE_METADATA)) {
                if (named.subjectDigest() != null) {
                    headers.set(Headers.DATA_SUBJECT_DIGEST, named.subjectDigest());
                }
            } else if (named.subject() != null) {
                headers.set(Headers.DATA_SUBJECT, named.subject());
            }
        }
        if (InternalCallProofs.leadsTo(route, "registry")) {
            // for the registry alone, which binds a certificate-bound client's token to the certificate its
            // connection showed; records, inboxes and statistics need neither this digest nor the address
            String thumbprint = PresentedCertificate.thumbprint(exchange.getRequest().getSslInfo());
            if (thumbprint != null) {
                headers.set(Headers.CLIENT_CERTIFICATE, thumbprint);
            }
            // and throttles failed token requests by the address the connection came from
            InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
            if (remote != null && remote.getAddress() != null) {
                headers.set(Headers.CLIENT_ADDRESS, remote.getAddress().getHostAddress());
            }
        }
        // last: the proof binds the platform's headers as set above
        URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        if (url != null) {
            String proof = proofs.proofFor(route, url, exchange.getRequest().getMethod().name(), headers);
            if (proof != null) {
                headers.set(Headers.GATEWAY_PROOF, proof);
            }
        }
        return headers;
    }

    private static boolean platformOwned(String name) {
        return name.regionMatches(true, 0, "X-Ndx-", 0, 6) || name.equalsIgnoreCase(Headers.TRANSACTION_ID) || unsafeToForward(name);
    }

    /**
     * Headers a client could use to make a provider or platform service act on something else than the call
     * the gateway checked: another method than the one granted ({@code X-HTTP-Method-Override} and its
     * kin), another client address or host ({@code Forwarded}, {@code X-Forwarded-*}, {@code X-Real-IP}),
     * or a cloud metadata service's answer where the upstream is one ({@code Metadata-Flavor}, {@code Metadata}).
     */
    static boolean unsafeToForward(String name) {
        return name.regionMatches(true, 0, "X-Forwarded-", 0, 12) || UNSAFE.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    private static final java.util.Set<String> UNSAFE = java.util.Set.of("forwarded", "x-real-ip", "x-http-method-override",
            "x-http-method", "x-method-override", "metadata-flavor", "metadata");

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }
}
