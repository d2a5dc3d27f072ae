package vn.ndx.registry.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Checks a grant's path patterns with the parser every gateway applies them with, so a pattern a gateway
 * could not use (such as {@code /{}) is refused at the door with its field named, not replicated to the
 * data plane.
 */
public final class GrantPaths {

    private GrantPaths() {
    }

    /** The problems of {@code paths}, keyed {@code <field>[i]}; empty when every pattern parses. */
    public static Map<String, String> problems(String field, List<String> paths) {
        var problems = new LinkedHashMap<String, String>();
        for (int i = 0; i < paths.size(); i++) {
            try {
                PathPatternParser.defaultInstance.parse(paths.get(i));
            } catch (PatternParseException e) {
                problems.put(field + "[" + i + "]", "is not a path pattern: " + e.getMessage()
                        + " (e.g. /business/*, /business/{taxCode}, /business/**)");
            }
        }
        return problems;
    }
}
