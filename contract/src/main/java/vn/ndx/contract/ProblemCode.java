package vn.ndx.contract;

/**
 * Stable codes of every error a client of the platform can get, with the HTTP status they travel with.
 * Codes never change once published: agencies' systems branch on them.
 */
public enum ProblemCode {
    NOT_FOUND(404, "No such resource"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    TOKEN_MISSING(401, "Access token missing"),
    TOKEN_INVALID(401, "Access token invalid or expired"),
    INVALID_CLIENT(401, "Client authentication failed"),
    UNSUPPORTED_GRANT_TYPE(400, "Unsupported grant type"),
    NO_GRANT(403, "No grant for this service"),
    AGENCY_SUSPENDED(403, "Agency suspended"),
    UNKNOWN_AGENCY(404, "Unknown agency"),
    UNKNOWN_SYSTEM(404, "Unknown information system"),
    UNKNOWN_SERVICE(404, "Unknown service"),
    UNKNOWN_CHANNEL(404, "Unknown channel"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    MALFORMED_JSON(400, "Malformed JSON"),
    BAD_REQUEST(400, "Bad request"),
    PROVIDER_UNAVAILABLE(503, "Provider unavailable"),
    PROVIDER_TIMEOUT(504, "Provider timed out"),
    SERVICE_UNAVAILABLE(503, "Platform service unavailable"),
    INTERNAL_ERROR(500, "Internal error");

    private final int status;
    private final String title;

    ProblemCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The code as it appears on the wire, e.g. {@code no_grant}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The RFC 9457 problem type URI; docs/problems.md describes each one. */
    public String type() {
        return "urn:ndx:problem:" + code();
    }
}
