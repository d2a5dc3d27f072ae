package vn.ndx.contract;

/**
 * Stable codes of every error a client of the platform can get, with the HTTP status they travel with.
 * Codes never change once published: agencies' systems branch on them.
 */
public enum ProblemCode {
    NOT_FOUND(404, "No such resource", Outcome.REFUSED),
    METHOD_NOT_ALLOWED(405, "Method not allowed", Outcome.CLIENT_ERROR),
    TOKEN_MISSING(401, "Access token missing", Outcome.REFUSED),
    TOKEN_INVALID(401, "Access token invalid or expired", Outcome.REFUSED),
    NOT_FROM_GATEWAY(401, "Call the platform through its gateway", Outcome.REFUSED),
    INVALID_CLIENT(401, "Client authentication failed", Outcome.REFUSED),
    UNSUPPORTED_GRANT_TYPE(400, "Unsupported grant type", Outcome.CLIENT_ERROR),
    NO_GRANT(403, "No grant for this service", Outcome.REFUSED),
    AGENCY_SUSPENDED(403, "Agency suspended", Outcome.REFUSED),
    UNKNOWN_AGENCY(404, "Unknown agency", Outcome.REFUSED),
    UNKNOWN_SYSTEM(404, "Unknown information system", Outcome.REFUSED),
    UNKNOWN_SERVICE(404, "Unknown service", Outcome.REFUSED),
    UNKNOWN_CHANNEL(404, "Unknown channel", Outcome.REFUSED),
    UNKNOWN_RECORD(404, "Unknown record", Outcome.CLIENT_ERROR),
    SCHEMA_VIOLATION(422, "The record does not match its channel's schema", Outcome.CLIENT_ERROR),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key already used for another record", Outcome.CLIENT_ERROR),
    IDEMPOTENCY_KEY_IN_USE(409, "A submission with this idempotency key is in progress", Outcome.CLIENT_ERROR),
    RATE_LIMITED(429, "Too many requests", Outcome.REFUSED),
    PAYLOAD_TOO_LARGE(413, "Payload too large", Outcome.CLIENT_ERROR),
    URI_TOO_LONG(414, "Request line too long", Outcome.CLIENT_ERROR),
    HEADERS_TOO_LARGE(431, "Request headers too large", Outcome.CLIENT_ERROR),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", Outcome.CLIENT_ERROR),
    MALFORMED_JSON(400, "Malformed JSON", Outcome.CLIENT_ERROR),
    BAD_REQUEST(400, "Bad request", Outcome.CLIENT_ERROR),
    INVALID_PATH(400, "The path could mean another path", Outcome.CLIENT_ERROR),
    VALIDATION_FAILED(400, "The request is not valid", Outcome.CLIENT_ERROR),
    PURPOSE_REQUIRED(400, "Name a purpose of use your grant covers", Outcome.REFUSED),
    DATA_SUBJECT_INVALID(400, "The data subject is not a citizen identity number", Outcome.CLIENT_ERROR),
    NOT_LIVE(403, "Not cleared for traffic: no security assessment recorded", Outcome.REFUSED),
    OUT_OF_SCOPE(403, "Outside your administrative scope", Outcome.REFUSED),
    CONFLICT(409, "Conflicts with what exists", Outcome.CLIENT_ERROR),
    PRECONDITION_FAILED(412, "Changed since you read it", Outcome.CLIENT_ERROR),
    PRECONDITION_REQUIRED(428, "Send If-Match with the ETag you read", Outcome.CLIENT_ERROR),
    PROVIDER_UNAVAILABLE(503, "Provider unavailable", Outcome.PROVIDER_ERROR),
    PROVIDER_TIMEOUT(504, "Provider timed out", Outcome.TIMEOUT),
    CIRCUIT_OPEN(503, "Provider failing: calls paused", Outcome.CIRCUIT_OPEN),
    PROVIDER_BUSY(503, "Provider at its limit of concurrent calls", Outcome.REFUSED),
    SERVICE_UNAVAILABLE(503, "Platform service unavailable", Outcome.PLATFORM_ERROR),
    INTERNAL_ERROR(500, "Internal error", Outcome.PLATFORM_ERROR);

    private final int status;
    private final String title;
    private final Outcome outcome;

    ProblemCode(int status, String title, Outcome outcome) {
        this.status = status;
        this.title = title;
        this.outcome = outcome;
    }

    /**
     * The code of an error the framework raised with only a status (no such path, wrong method, a body
     * too large or of another type): the one mapping every service uses.
     */
    public static ProblemCode fromStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }

    /** How a transaction answered with this problem is counted in the statistics. */
    public Outcome outcome() {
        return outcome;
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
