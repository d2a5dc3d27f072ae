package vn.ndx.registry.admin;

import java.util.List;

import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/** One page of a list, in the order of the registry (stable across pages while nothing changes). */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 200;

    public static <T> Page<T> of(List<T> all, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_SIZE) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "page must be 0 or more, size 1 to " + MAX_SIZE);
        }
        int from = (int) Math.min((long) page * size, all.size());
        return new Page<>(all.subList(from, Math.min(from + size, all.size())), page, size, all.size());
    }
}
