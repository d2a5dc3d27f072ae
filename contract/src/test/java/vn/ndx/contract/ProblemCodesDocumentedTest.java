package vn.ndx.contract;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Agencies branch on problem codes: every code a client can get is in docs/problems.md, as it travels. */
class ProblemCodesDocumentedTest {

    @Test
    void every_problem_code_is_documented_with_its_status_and_outcome() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "problems.md"));

        for (ProblemCode code : ProblemCode.values()) {
            assertThat(docs).as(code.code()).contains("| `" + code.code() + "` | " + code.status() + " | " + code.title()
                    + " | " + code.outcome() + " |");
        }
    }
}
