package vn.ndx.contract;

import java.util.function.Predicate;
import java.util.regex.Matcher;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * The regular expressions of channel schemas ({@code pattern}, {@code patternProperties}), matched by RE2
 * in time linear in the input: a pattern such as {@code ^(a+)+$}, which a backtracking engine takes hours
 * over for a 40-character record, costs microseconds here. Registry and exchange use the same engine, so a
 * pattern the registry accepts is one the exchange can run. What RE2 cannot run in linear time
 * (backreferences, lookaround) is refused when the schema is registered.
 */
public final class LinearPatterns {

    private static final java.util.regex.Pattern UNICODE_ESCAPE = java.util.regex.Pattern.compile("\\\\u([0-9a-fA-F]{4})");

    private LinearPatterns() {
    }

    /** A pattern RE2 cannot run: its message says which and why, in words fit for a problem's detail. */
    public static final class Unsupported extends IllegalArgumentException {

        Unsupported(String pattern, String why) {
            super("the pattern " + pattern + " cannot run in linear time (" + why + "): leave out backreferences and lookaround");
        }
    }

    /**
     * A JSON Schema pattern (ECMA-262, unanchored: it matches when it is found anywhere in the value), as
     * a test of a value.
     *
     * @throws Unsupported when RE2 cannot compile it
     */
    public static Predicate<String> compile(String ecmaPattern) {
        // ECMA-262 writes a code point as \\uXXXX, RE2 as \\x{XXXX}
        String re2 = UNICODE_ESCAPE.matcher(ecmaPattern).replaceAll(match -> Matcher.quoteReplacement("\\x{" + match.group(1) + "}"));
        Pattern pattern;
        try {
            pattern = Pattern.compile(re2);
        } catch (PatternSyntaxException e) {
            throw new Unsupported(ecmaPattern, e.getDescription());
        }
        return value -> pattern.matcher(value).find();
    }
}
