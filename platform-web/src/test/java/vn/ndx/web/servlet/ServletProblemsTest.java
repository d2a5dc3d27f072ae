package vn.ndx.web.servlet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServletProblemsTest {

    @Test
    void a_constraint_s_name_becomes_a_stable_snake_case_code() {
        assertThat(ServletProblems.constraint("NotBlank")).isEqualTo("not_blank");
        assertThat(ServletProblems.constraint("Size")).isEqualTo("size");
        assertThat(ServletProblems.constraint("Pattern")).isEqualTo("pattern");
        assertThat(ServletProblems.constraint(null)).isEqualTo("invalid");
    }
}
