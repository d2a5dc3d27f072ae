package vn.ndx.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem detail as every service writes it ({@code application/problem+json}), with the
 * stable {@code code} and the {@code transactionId} as extension members; {@code errors} when there is a
 * list of things to fix, and {@code error} where an OAuth2 client expects it (RFC 6749, token endpoint).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code,
                      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String transactionId,
                      List<Error> errors, @JsonProperty("error") @Nullable String oauthError) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(ProblemCode code, String detail, @Nullable String transactionId) {
        return of(code, detail, transactionId, List.of(), null);
    }

    public static Problem of(ProblemCode code, String detail, @Nullable String transactionId, List<Error> errors,
                             @Nullable String oauthError) {
        return new Problem(code.type(), code.title(), code.status(), detail, code.code(), transactionId, errors, oauthError);
    }

    /**
     * One thing to fix: where (a JSON pointer into the body, RFC 6901, or a request field's name), a stable
     * code for what is wrong, and a message for people; never the value found there.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(@Nullable String pointer, @Nullable String field, String code, String message) {

        /** A field of the request: {@code code} says what rule it breaks. */
        public static Error field(String field, String code, String message) {
            return new Error(null, field, code, message);
        }

        /** A place in a JSON body. */
        public static Error at(String pointer, String code, String message) {
            return new Error(pointer, null, code, message);
        }
    }
}
