package vn.ndx.exchange.problem;

import vn.ndx.contract.ProblemCode;

/** A refusal with its stable code, answered as problem+json by {@link ProblemHandler}. */
public class ExchangeException extends RuntimeException {

    private final ProblemCode code;

    public ExchangeException(ProblemCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ProblemCode code() {
        return code;
    }
}
