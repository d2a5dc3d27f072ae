package vn.ndx.contract;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class AgencyCodeTest {

    static final Set<Character> GROUPS = Set.of('G', 'H');

    @ParameterizedTest(name = "{0} is valid")
    @CsvSource({"000.00.00.G12", "000.00.18.G12", "000.00.00.H29", "000.00.00.H41", "000.01.18.G12", "123.01.18.G12", "000.00.00.G22"})
    void valid_codes(String code) {
        assertThat(AgencyCode.problem(code, GROUPS)).isEmpty();
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "000.00.00.Q12 | unknown group letter",
            "000.00.00.g12 | NNN.NN.NN.XNN",
            "00.00.00.G12 | NNN.NN.NN.XNN",
            "0000.00.00.G12 | NNN.NN.NN.XNN",
            "000.00.0.G12 | NNN.NN.NN.XNN",
            "000.00.00.G1 | NNN.NN.NN.XNN",
            "000.00.00.G123 | NNN.NN.NN.XNN",
            "000.00.00.G00 | level 1",
            "000.01.00.G12 | under a used level",
            "001.00.18.G12 | under a used level",
            "G12.18.01 | NNN.NN.NN.XNN",
            "'; DROP TABLE agencies; -- | NNN.NN.NN.XNN",
            "<script>alert(1)</script> | NNN.NN.NN.XNN",
            "\" \" | NNN.NN.NN.XNN"})
    void invalid_codes(String code, String why) {
        assertThat(AgencyCode.problem(code, GROUPS)).hasValueSatisfying(problem -> assertThat(problem).contains(why));
    }

    @ParameterizedTest(name = "the parent of {0} is {1}")
    @CsvSource({"000.00.18.G12, 000.00.00.G12", "000.01.18.G12, 000.00.18.G12", "123.01.18.G12, 000.01.18.G12"})
    void parent_is_the_code_with_its_deepest_level_zeroed(String code, String parent) {
        assertThat(AgencyCode.parent(code)).hasValue(parent);
    }

    @ParameterizedTest(name = "{0} has no parent")
    @CsvSource({"000.00.00.G12", "000.00.00.H29"})
    void level_one_agencies_have_no_parent(String code) {
        assertThat(AgencyCode.parent(code)).isEmpty();
    }

    @ParameterizedTest(name = "{0} within {1}: {2}")
    @CsvSource({"000.00.18.G12, 000.00.00.G12, true", "000.01.18.G12, 000.00.00.G12, true", "000.00.00.G12, 000.00.00.G12, true",
            "000.00.00.G12, 000.00.00.H29, false", "000.00.00.G12, 000.00.18.G12, false", "000.00.18.H29, 000.00.00.G12, false"})
    void subtree_membership(String code, String ancestor, boolean within) {
        assertThat(AgencyCode.within(code, ancestor)).isEqualTo(within);
    }

    @ParameterizedTest(name = "{0} uses {1}")
    @CsvSource({"000.00.00.G12, G12", "000.00.18.G12, 18.G12", "000.01.18.G12, 01.18.G12", "123.01.18.G12, 123.01.18.G12"})
    void used_levels_are_those_after_the_zero_groups_on_the_left(String code, String used) {
        assertThat(AgencyCode.usedLevels(code)).isEqualTo(used);
    }

    /** A store's suffix match and the walk through parents must never disagree: each says who is in a subtree. */
    @ParameterizedTest(name = "{0} within {1}: by suffix as by parents")
    @CsvSource({"000.00.18.G12, 000.00.00.G12", "000.01.18.G12, 000.00.00.G12", "123.01.18.G12, 000.00.18.G12",
            "123.01.18.G12, 000.01.18.G12", "123.01.18.G12, 123.01.18.G12", "000.00.00.G12, 000.00.00.H29",
            "000.00.00.G12, 000.00.18.G12", "000.00.18.H29, 000.00.00.G12", "000.00.18.G12, 000.00.00.G22",
            "000.01.18.G12, 000.02.18.G12", "000.00.81.G12, 000.00.18.G12"})
    void suffix_of_used_levels_agrees_with_subtree_membership(String code, String ancestor) {
        boolean bySuffix = code.equals(ancestor) || code.endsWith("." + AgencyCode.usedLevels(ancestor));
        assertThat(bySuffix).isEqualTo(AgencyCode.within(code, ancestor));
    }
}
