package vn.ndx.contract;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An agency's electronic identifier code per QCVN 102:2016, {@code NNN.NN.NN.XNN}, read right to left:
 * level 1 is a group letter and two digits ({@code G12}, the Ministry of Finance), levels 2 and 3 two
 * digits each, level 4 three digits; unused lower levels are zeros, and a level is used only under a used
 * one. The parent is the code with its deepest used level zeroed: {@code 000.00.18.G12} lies under
 * {@code 000.00.00.G12}.
 */
public final class AgencyCode {

    private static final Pattern FORMAT = Pattern.compile("(\\d{3})\\.(\\d{2})\\.(\\d{2})\\.([A-Z])(\\d{2})");

    private AgencyCode() {
    }

    /** Why a code is not acceptable, or empty when it is (parent existence is checked by the caller). */
    public static Optional<String> problem(String code, Set<Character> groupLetters) {
        var matcher = FORMAT.matcher(code);
        if (!matcher.matches()) {
            return Optional.of("must be written NNN.NN.NN.XNN, e.g. 000.00.18.G12");
        }
        if (!groupLetters.contains(matcher.group(4).charAt(0))) {
            return Optional.of("unknown group letter " + matcher.group(4) + "; known: " + groupLetters);
        }
        if ("00".equals(matcher.group(5))) {
            return Optional.of("level 1 must be numbered 01 to 99 within its group");
        }
        boolean level2 = !"00".equals(matcher.group(3));
        boolean level3 = !"00".equals(matcher.group(2));
        boolean level4 = !"000".equals(matcher.group(1));
        if ((level3 && !level2) || (level4 && !level3)) {
            return Optional.of("a level is used only under a used level");
        }
        return Optional.empty();
    }

    /** The code of the agency directly above, or empty for a level-1 agency. Assumes a valid code. */
    public static Optional<String> parent(String code) {
        String[] levels = code.split("\\.");
        if (!"000".equals(levels[0])) {
            return Optional.of("000." + levels[1] + "." + levels[2] + "." + levels[3]);
        }
        if (!"00".equals(levels[1])) {
            return Optional.of("000.00." + levels[2] + "." + levels[3]);
        }
        if (!"00".equals(levels[2])) {
            return Optional.of("000.00.00." + levels[3]);
        }
        return Optional.empty();
    }

    /**
     * The levels a valid code uses: its groups after the zero groups on its left ({@code 000.00.18.G12} uses
     * {@code 18.G12}). Every agency under it ends with them, which is how a store finds a subtree by suffix
     * ({@code LIKE '%.18.G12'}); {@link #within} is the same rule, walked up through parents.
     */
    public static String usedLevels(String code) {
        String[] levels = code.split("\\.");
        int firstUsed = 0;
        while (firstUsed < 3 && levels[firstUsed].chars().allMatch(c -> c == '0')) {
            firstUsed++;
        }
        return String.join(".", java.util.Arrays.copyOfRange(levels, firstUsed, levels.length));
    }

    /** Whether {@code code} is {@code ancestor} or lies anywhere under it. */
    public static boolean within(String code, String ancestor) {
        Optional<String> current = Optional.of(code);
        while (current.isPresent()) {
            if (current.get().equals(ancestor)) {
                return true;
            }
            current = parent(current.get());
        }
        return false;
    }
}
