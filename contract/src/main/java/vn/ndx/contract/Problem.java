package vn.ndx.contract;

import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem detail as every service writes it ({@code application/problem+json}), with the
 * stable {@code code} and the {@code transactionId} as extension members.
 */
public record Problem(String type, String title, int status, String detail, String code,
                      @Nullable String transactionId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ProblemCode code, String detail, @Nullable String transactionId) {
        return new Problem(code.type(), code.title(), code.status(), detail, code.code(), transactionId);
    }
}
