package vn.ndx.registry.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;

/** The one place the registry turns errors into problem+json, with the transaction id the gateway gave the call. */
@RestControllerAdvice
class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(RegistryException.class)
    ResponseEntity<Map<String, Object>> refused(RegistryException e, HttpServletRequest request) {
        var headers = new HttpHeaders();
        if (e.code() == ProblemCode.INVALID_CLIENT) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"ndx\"");
        }
        if (e.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        return problem(e.code(), e.getMessage(), e.oauthError(), request, headers, e.fieldErrors());
    }

    /** Bean Validation's verdict, field by field. */
    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Map<String, Object>> invalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        var errors = new LinkedHashMap<String, String>();
        e.getBindingResult().getFieldErrors().forEach(error ->
                errors.putIfAbsent(error.getField(), String.valueOf(error.getDefaultMessage())));
        return problem(ProblemCode.VALIDATION_FAILED, "Some fields are not valid", "invalid_request", request,
                new HttpHeaders(), errors);
    }

    /** Malformed JSON, unknown or mistyped fields: where, not what (the detail must not echo the body). */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return problem(ProblemCode.MALFORMED_JSON, "The body is not JSON of the expected shape (unknown fields are refused)",
                "invalid_request", request, new HttpHeaders(), Map.of());
    }

    /** Spring's own errors (no such path, wrong method, unreadable body) keep their status and get our shape. */
    private static ResponseEntity<Map<String, Object>> framework(ErrorResponse e, HttpServletRequest request) {
        HttpStatusCode status = e.getStatusCode();
        ProblemCode code = switch (status.value()) {
            case 404 -> ProblemCode.NOT_FOUND;
            case 405 -> ProblemCode.METHOD_NOT_ALLOWED;
            case 413 -> ProblemCode.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status.is4xxClientError() ? ProblemCode.BAD_REQUEST : ProblemCode.INTERNAL_ERROR;
        };
        return problem(code, code.title(), code == ProblemCode.BAD_REQUEST ? "invalid_request" : null, request,
                new HttpHeaders(), Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse frameworkError) {
            return framework(frameworkError, request);
        }
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(ProblemCode.INTERNAL_ERROR, "The registry failed to handle the call", null, request,
                new HttpHeaders(), Map.of());
    }

    private static ResponseEntity<Map<String, Object>> problem(ProblemCode code, String detail, @Nullable String oauthError,
                                                               HttpServletRequest request, HttpHeaders headers,
                                                               Map<String, String> fieldErrors) {
        String transactionId = request.getHeader(Headers.TRANSACTION_ID);
        Problem problem = Problem.of(code, detail, transactionId);
        var body = new LinkedHashMap<String, Object>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("code", problem.code());
        body.put("transactionId", problem.transactionId());
        if (!fieldErrors.isEmpty()) {
            body.put("errors", fieldErrors.entrySet().stream()
                    .map(error -> Map.of("field", error.getKey(), "message", error.getValue())).toList());
        }
        if (oauthError != null) {
            body.put("error", oauthError); // RFC 6749: what OAuth2 client libraries read
        }
        if (transactionId != null) {
            headers.set(Headers.TRANSACTION_ID, transactionId);
        }
        return ResponseEntity.status(code.status()).headers(headers)
                .contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE)).body(body);
    }
}
