package vn.ndx.web.servlet;

import java.io.IOException;
import java.time.Instant;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.GatewayProof;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemException;
import vn.ndx.web.proof.GatewayProofProperties;

/**
 * Refuses, before anything reads it, every call to a servlet service (registry, audit) that does not carry
 * the gateway's proof for exactly this call, made for this service: the proof names its audience, the
 * service's application name. Health and metrics are on the management port, which the service's own port
 * never serves.
 */
public class GatewayProofFilter extends OncePerRequestFilter {

    private final String audience;
    private final GatewayProof proofs;
    private final JsonMapper json;

    public GatewayProofFilter(String audience, GatewayProofProperties properties, JsonMapper json) {
        this.audience = audience;
        this.proofs = GatewayProof.fromKeyFile(audience, properties.keyFile());
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
        // written here, before the dispatcher: the advice that renders every other refusal is not reached
        String transactionId = request.getHeader(Headers.TRANSACTION_ID);
        var refusal = new ProblemException(ProblemCode.NOT_FROM_GATEWAY,
                "The " + audience + " answers the platform's gateway only: call it through the gateway");
        response.setStatus(refusal.code().status());
        response.setContentType(Problem.MEDIA_TYPE);
        if (transactionId != null) {
            response.setHeader(Headers.TRANSACTION_ID, transactionId);
        }
        response.getOutputStream().write(json.writeValueAsBytes(refusal.problem(transactionId)));
    }
}
