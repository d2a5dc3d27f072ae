package vn.ndx.audit.proof;

import java.io.IOException;
import java.time.Instant;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.GatewayProof;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;

/**
 * Refuses, before anything reads it, every call that does not carry the gateway's proof for exactly this
 * call. Health and metrics are on the management port, which this service's own port never serves.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayProofFilter extends OncePerRequestFilter {

    static final String AUDIENCE = "audit";

    private final GatewayProof proofs;
    private final JsonMapper json;

    GatewayProofFilter(GatewayProofProperties properties, JsonMapper json) {
        this.proofs = GatewayProof.fromKeyFile(AUDIENCE, properties.keyFile());
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // the raw, undecoded path: the one the gateway signed
        String path = request.getRequestURI();
        if (proofs.verify(request.getHeader(Headers.GATEWAY_PROOF),
                GatewayProof.Call.of(request.getMethod(), path, request.getQueryString(), request::getHeader),
                Instant.now().getEpochSecond())) {
            chain.doFilter(request, response);
            return;
        }
        String transactionId = request.getHeader(Headers.TRANSACTION_ID);
        byte[] body = json.writeValueAsBytes(Problem.of(ProblemCode.NOT_FROM_GATEWAY,
                "The audit answers the platform's gateway only: call it through the gateway", transactionId));
        response.setStatus(ProblemCode.NOT_FROM_GATEWAY.status());
        response.setContentType(Problem.MEDIA_TYPE);
        if (transactionId != null) {
            response.setHeader(Headers.TRANSACTION_ID, transactionId);
        }
        response.getOutputStream().write(body);
    }
}
