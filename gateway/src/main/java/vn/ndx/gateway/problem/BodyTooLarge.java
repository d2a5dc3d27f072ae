package vn.ndx.gateway.problem;

/** A request body sent without a length grew past its service's limit while streaming: answered 413. */
public final class BodyTooLarge extends RuntimeException {

    public BodyTooLarge(long maxBytes) {
        super("body over " + maxBytes + " bytes", null, false, false);
    }
}
