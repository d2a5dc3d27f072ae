package vn.ndx.web.servlet;

import java.util.ArrayList;
import java.util.LinkedHashSet;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * The one place a servlet service (registry, audit) turns errors into problem+json: its refusals
 * ({@link ProblemException}), Bean Validation's verdicts, unreadable bodies, the framework's own errors,
 * and anything unexpected (logged, never described to the caller). The transaction id is the one the
 * gateway gave the call.
 */
@RestControllerAdvice
public class ServletProblems {

    private static final Logger log = LoggerFactory.getLogger(ServletProblems.class);
    private static final MediaType PROBLEM_JSON = MediaType.parseMediaType(Problem.MEDIA_TYPE);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Problem> refused(ProblemException refusal, HttpServletRequest request) {
        return render(refusal, request);
    }

    /** Bean Validation's verdict, field by field, with the constraint as the code. */
    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Problem> invalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        var seen = new LinkedHashSet<String>();
        var errors = new ArrayList<Problem.Error>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            if (seen.add(error.getField())) {
                errors.add(Problem.Error.field(error.getField(), constraint(error.getCode()), String.valueOf(error.getDefaultMessage())));
            }
        }
        return render(ProblemException.withErrors(ProblemCode.VALIDATION_FAILED, "Some fields are not valid", errors), request);
    }

    /** Malformed JSON, unknown or mistyped fields: where, not what (the detail must not echo the body). */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return render(new ProblemException(ProblemCode.MALFORMED_JSON,
                "The body is not JSON of the expected shape (unknown fields are refused)"), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Problem> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse frameworkError) {
            ProblemCode code = ProblemCode.fromStatus(frameworkError.getStatusCode().value());
            return render(new ProblemException(code, code.title()), request);
        }
        log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return render(new ProblemException(ProblemCode.INTERNAL_ERROR, "The service failed to handle the call"), request);
    }

    /** The answer to a refusal: for a controller's own handler that must add to what every refusal gets. */
    public static ResponseEntity<Problem> render(ProblemException refusal, HttpServletRequest request) {
        String transactionId = request.getHeader(Headers.TRANSACTION_ID);
        var headers = new HttpHeaders();
        if (transactionId != null) {
            headers.set(Headers.TRANSACTION_ID, transactionId);
        }
        if (refusal.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        if (refusal.code() == ProblemCode.INVALID_CLIENT) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"ndx\"");
        }
        return ResponseEntity.status(refusal.code().status()).headers(headers).contentType(PROBLEM_JSON)
                .body(refusal.problem(transactionId));
    }

    /** {@code NotBlank} as {@code not_blank}: a constraint's name as a stable code. */
    static String constraint(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            return ProblemException.INVALID;
        }
        var code = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                code.append('_');
            }
            code.append(Character.toLowerCase(c));
        }
        return code.toString();
    }
}
