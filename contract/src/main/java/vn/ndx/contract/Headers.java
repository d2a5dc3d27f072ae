package vn.ndx.contract;

/** HTTP and Kafka header names shared between services. */
public final class Headers {

    /** The platform's transaction id, a UUIDv7 (sorts by time); set by the gateway on every call. */
    public static final String TRANSACTION_ID = "X-Transaction-Id";

    /** Instant the gateway received the call, ISO-8601; forwarded with the transaction id. */
    public static final String TRANSACTION_STARTED_AT = "X-Ndx-Started-At";

    /**
     * The authenticated caller, as established by the gateway from a verified token. Internal services
     * trust these only on a call that carries a valid {@link #GATEWAY_PROOF} binding them; the gateway
     * strips any a client sends.
     */
    public static final String CALLER_AGENCY = "X-Ndx-Caller-Agency";
    public static final String CALLER_SYSTEM = "X-Ndx-Caller-System";
    public static final String CALLER_CLIENT = "X-Ndx-Caller-Client";
    /** The client id of an operator the gateway authenticated, on operator routes only. */
    public static final String OPERATOR = "X-Ndx-Operator";
    /**
     * What that operator may do: {@link RegistrySnapshot.Operator#PLATFORM_ADMIN} may change things,
     * {@link RegistrySnapshot.Operator#READ_ONLY} may only read.
     */
    public static final String OPERATOR_ROLE = "X-Ndx-Operator-Role";

    /**
     * The {@code x5t#S256} thumbprint (RFC 8705) of the client certificate the caller's TLS connection to the
     * gateway presented, on calls to internal services; absent without one. Bound by the gateway's proof.
     */
    public static final String CLIENT_CERTIFICATE = "X-Ndx-Client-Certificate";

    /**
     * The address the caller's connection to the gateway came from, on calls to internal services: what the
     * registry throttles failed token requests by. The gateway takes it from the connection only, never from
     * a client's {@code X-Forwarded-For}.
     */
    public static final String CLIENT_ADDRESS = "X-Ndx-Client-Address";

    /**
     * What the caller uses a personal-data service's answer for: one of the purposes its grant names, e.g.
     * {@code administrative-procedure}. Required on calls to a {@link RegistrySnapshot.Service#personalData()}
     * service; forwarded to its provider and recorded by audit.
     */
    public static final String PURPOSE = "X-Ndx-Purpose";

    /**
     * Whose personal data the call concerns: a citizen's 12-digit identity number. Forwarded to a query's
     * provider, which holds that citizen's data anyway; the platform keeps only {@link #DATA_SUBJECT_DIGEST}.
     */
    public static final String DATA_SUBJECT = "X-Ndx-Data-Subject";

    /**
     * The gateway's keyed digest of {@link #DATA_SUBJECT} on calls to internal services: they never see the
     * number itself. Bound by the gateway's proof.
     */
    public static final String DATA_SUBJECT_DIGEST = "X-Ndx-Data-Subject-Digest";

    /** The gateway's proof that it made this call to an internal service: {@link GatewayProof}. */
    public static final String GATEWAY_PROOF = "X-Ndx-Gateway-Proof";

    /** Kafka header of an accepted record that carries its {@link TransactionEvent} as JSON. */
    public static final String TRANSACTION_EVENT = "ndx-transaction-event";

    /** Kafka header of a record carrying the {@code Idempotency-Key} its sender gave, if any. */
    public static final String IDEMPOTENCY_KEY = "ndx-idempotency-key";

    /** Kafka header of a record naming its content type. */
    public static final String CONTENT_TYPE = "content-type";

    private Headers() {
    }
}
