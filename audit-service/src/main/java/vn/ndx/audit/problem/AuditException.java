package vn.ndx.audit.problem;

import vn.ndx.contract.ProblemCode;

/** A refusal with its stable code, answered as problem+json by {@link ProblemAdvice}. */
public class AuditException extends RuntimeException {

    private final ProblemCode code;

    public AuditException(ProblemCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ProblemCode code() {
        return code;
    }
}
