package vn.ndx.contract;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A refusal with its stable code, as every service raises it; each web stack renders it as
 * problem+json in one place. With {@code errors} when there is a list of things to fix, a wait for
 * {@code Retry-After}, and the OAuth2 {@code error} member for the token endpoint.
 */
public class ProblemException extends RuntimeException {

    /** The code of a field error that breaks a rule with no more specific code. */
    public static final String INVALID = "invalid";

    private final ProblemCode code;
    private final List<Problem.Error> errors;
    private final @Nullable Duration retryAfter;
    private final @Nullable String oauthError;

    public ProblemException(ProblemCode code, String detail) {
        this(code, detail, List.of(), null, null);
    }

    /** For the token endpoint: {@code oauthError} is what OAuth2 client libraries read (RFC 6749 5.2). */
    public ProblemException(ProblemCode code, String detail, @Nullable String oauthError) {
        this(code, detail, List.of(), null, oauthError);
    }

    private ProblemException(ProblemCode code, String detail, List<Problem.Error> errors, @Nullable Duration retryAfter,
                             @Nullable String oauthError) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
        this.oauthError = oauthError;
    }

    /** A refusal listing each thing to fix. */
    public static ProblemException withErrors(ProblemCode code, String detail, List<Problem.Error> errors) {
        return new ProblemException(code, detail, errors, null, null);
    }

    /** Several request fields, or places in one, that break rules: each with its message. */
    public static ProblemException invalid(Map<String, String> fieldErrors) {
        return withErrors(ProblemCode.VALIDATION_FAILED, "The request breaks " + fieldErrors.size() + " rule(s): see errors",
                fieldErrors.entrySet().stream().map(error -> Problem.Error.field(error.getKey(), INVALID, error.getValue())).toList());
    }

    /** A request field that breaks a rule. */
    public static ProblemException invalid(String field, String message) {
        return withErrors(ProblemCode.VALIDATION_FAILED, field + " " + message, List.of(Problem.Error.field(field, INVALID, message)));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemCode.NOT_FOUND, "No " + what);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemCode.CONFLICT, detail);
    }

    /** Too many requests: the caller may try again after {@code retryAfter} (the {@code Retry-After} header). */
    public static ProblemException throttled(String detail, Duration retryAfter) {
        return new ProblemException(ProblemCode.RATE_LIMITED, detail, List.of(), retryAfter, null);
    }

    public ProblemCode code() {
        return code;
    }

    public List<Problem.Error> errors() {
        return errors;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    public @Nullable String oauthError() {
        return oauthError;
    }

    /** The body of this refusal for the call with this transaction id. */
    public Problem problem(@Nullable String transactionId) {
        return Problem.of(code, getMessage(), transactionId, errors, oauthError);
    }

    /** {@code Retry-After} in whole seconds, at least 1, or null when there is no wait. */
    public @Nullable String retryAfterSeconds() {
        return retryAfter == null ? null : Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }
}
