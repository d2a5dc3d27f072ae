package vn.ndx.registry.problem;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import vn.ndx.contract.ProblemCode;

/**
 * A refusal with its stable code, answered as problem+json by {@link ProblemAdvice}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 error codes</a>, carried as
 * {@code oauthError} on token endpoint errors
 */
public class RegistryException extends RuntimeException {

    private final ProblemCode code;
    private final @Nullable String oauthError;
    private final Map<String, String> fieldErrors;
    private final @Nullable Duration retryAfter;

    public RegistryException(ProblemCode code, String detail, @Nullable String oauthError) {
        this(code, detail, oauthError, Map.of(), null);
    }

    private RegistryException(ProblemCode code, String detail, @Nullable String oauthError, Map<String, String> fieldErrors,
                              @Nullable Duration retryAfter) {
        super(detail, null, false, false);
        this.code = code;
        this.oauthError = oauthError;
        this.fieldErrors = fieldErrors;
        this.retryAfter = retryAfter;
    }

    /** Several request fields, or places in one, that break rules of the registry: each with its message. */
    public static RegistryException invalid(Map<String, String> fieldErrors) {
        return new RegistryException(ProblemCode.VALIDATION_FAILED,
                "The request breaks " + fieldErrors.size() + " rule(s): see errors", null, Map.copyOf(fieldErrors), null);
    }

    /** A request field that breaks a rule of the registry (beyond what Bean Validation checks). */
    public static RegistryException invalid(String field, String message) {
        return new RegistryException(ProblemCode.VALIDATION_FAILED, field + " " + message, null, Map.of(field, message), null);
    }

    public static RegistryException notFound(String what) {
        return new RegistryException(ProblemCode.NOT_FOUND, "No " + what, null);
    }

    public static RegistryException conflict(String detail) {
        return new RegistryException(ProblemCode.CONFLICT, detail, null);
    }

    /** Too many requests: the caller may try again after {@code retryAfter} (the {@code Retry-After} header). */
    public static RegistryException throttled(String detail, Duration retryAfter) {
        return new RegistryException(ProblemCode.RATE_LIMITED, detail, null, Map.of(), retryAfter);
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    public ProblemCode code() {
        return code;
    }

    public @Nullable String oauthError() {
        return oauthError;
    }
}
