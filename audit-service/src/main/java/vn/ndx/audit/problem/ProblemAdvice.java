package vn.ndx.audit.problem;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;

/** The one place audit turns errors into problem+json. */
@RestControllerAdvice
class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(AuditException.class)
    ResponseEntity<Problem> refused(AuditException e, HttpServletRequest request) {
        return problem(e.code(), e.getMessage(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Problem> other(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse frameworkError) {
            int status = frameworkError.getStatusCode().value();
            ProblemCode code = switch (status) {
                case 404 -> ProblemCode.NOT_FOUND;
                case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
                case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
                default -> status >= 400 && status < 500 ? ProblemCode.BAD_REQUEST : ProblemCode.INTERNAL_ERROR;
            };
            return problem(code, code.title(), request);
        }
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(ProblemCode.INTERNAL_ERROR, "Audit failed to handle the call", request);
    }

    private static ResponseEntity<Problem> problem(ProblemCode code, String detail, HttpServletRequest request) {
        String transactionId = request.getHeader(Headers.TRANSACTION_ID);
        var response = ResponseEntity.status(code.status()).contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE));
        if (transactionId != null) {
            response.header(Headers.TRANSACTION_ID, transactionId);
        }
        return response.body(Problem.of(code, detail, transactionId));
    }
}
