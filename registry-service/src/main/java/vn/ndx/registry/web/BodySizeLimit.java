package vn.ndx.registry.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;
import vn.ndx.registry.RegistryProperties;

/**
 * Refuses request bodies over the limit with 413 before anything reads them: by their declared length,
 * or, for a body sent without one, as soon as it grows past the limit. Imports of a whole registry get
 * a larger limit than any other call.
 */
@Component
class BodySizeLimit extends OncePerRequestFilter {

    private final long limit;
    private final long importLimit;
    private final JsonMapper json;

    BodySizeLimit(RegistryProperties properties, JsonMapper json) {
        this.limit = properties.maxBody().toBytes();
        this.importLimit = properties.maxImport().toBytes();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long allowed = "/admin/import".equals(request.getRequestURI()) ? importLimit : limit;
        if (request.getContentLengthLong() > allowed) {
            refuse(request, response, allowed);
            return;
        }
        chain.doFilter(new Limited(request, allowed), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long allowed) throws IOException {
        String transactionId = request.getHeader(Headers.TRANSACTION_ID);
        byte[] body = json.writeValueAsBytes(Problem.of(ProblemCode.PAYLOAD_TOO_LARGE,
                "The body may have at most " + DataSize.ofBytes(allowed).toKilobytes() + " KiB", transactionId));
        response.setStatus(ProblemCode.PAYLOAD_TOO_LARGE.status());
        response.setContentType(Problem.MEDIA_TYPE);
        if (transactionId != null) {
            response.setHeader(Headers.TRANSACTION_ID, transactionId);
        }
        response.getOutputStream().write(body);
    }

    /** A request whose body stream fails once it passes the limit (the JSON reader then answers 400). */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long allowed;

        Limited(HttpServletRequest request, long allowed) {
            super(request);
            this.allowed = allowed;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0 && ++read > allowed) {
                        throw new IOException("request body over the limit");
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0 && (read += n) > allowed) {
                        throw new IOException("request body over the limit");
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
