package vn.ndx.audit.web;

import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/** A query parameter that must be a whole number in a range: 400 bad_request, naming it, otherwise. */
public final class QueryNumbers {

    private QueryNumbers() {
    }

    public static long within(String name, String value, long min, long max) {
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemCode.BAD_REQUEST, name + " must be a whole number from " + min + " to " + max);
    }

    public static int within(String name, String value, int min, int max) {
        return (int) within(name, value, (long) min, (long) max);
    }
}
