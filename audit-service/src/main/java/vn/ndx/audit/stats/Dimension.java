package vn.ndx.audit.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * What a breakdown groups by. A service is named by its provider agency and its code, since two providers
 * may use the same code. Columns are fixed here, never taken from a request, so no SQL is built from input.
 */
enum Dimension {
    CONSUMER_AGENCY(List.of("consumer_agency"), List.of("consumerAgency")),
    PROVIDER_AGENCY(List.of("provider_agency"), List.of("providerAgency")),
    SERVICE(List.of("provider_agency", "service"), List.of("providerAgency", "service")),
    KIND(List.of("kind"), List.of("kind")),
    OUTCOME(List.of("outcome"), List.of("outcome"));

    final List<String> columns;
    final List<String> fields;

    Dimension(List<String> columns, List<String> fields) {
        this.columns = columns;
        this.fields = fields;
    }

    String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Dimension parse(String value) {
        return Arrays.stream(values()).filter(d -> d.parameter().equals(value)).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemCode.BAD_REQUEST, "by must be one of "
                        + Arrays.stream(values()).map(Dimension::parameter).collect(Collectors.joining(", "))));
    }
}
