package vn.ndx.registry.problem;

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

    public RegistryException(ProblemCode code, String detail, @Nullable String oauthError) {
        super(detail);
        this.code = code;
        this.oauthError = oauthError;
    }

    public ProblemCode code() {
        return code;
    }

    public @Nullable String oauthError() {
        return oauthError;
    }
}
