package vn.ndx.exchange.problem;

import java.util.List;

import vn.ndx.contract.ProblemCode;

/**
 * A refusal with its stable code, answered as problem+json by {@link ProblemHandler}; with {@code errors}
 * when there is a list of things to fix (each becomes an entry of the problem's {@code errors} member).
 */
public class ExchangeException extends RuntimeException {

    private final ProblemCode code;
    private final List<?> errors;

    public ExchangeException(ProblemCode code, String detail) {
        this(code, detail, List.of());
    }

    public ExchangeException(ProblemCode code, String detail, List<?> errors) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public ProblemCode code() {
        return code;
    }

    public List<?> errors() {
        return errors;
    }
}
