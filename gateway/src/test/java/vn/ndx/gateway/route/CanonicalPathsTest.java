package vn.ndx.gateway.route;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalPathsTest {

    @Test
    void plain_paths_mean_one_path_and_pass() {
        for (String path : List.of("/", "/query/000.00.18.G12/tax-registry/s/business/0301234567", "/a.b/..c/...", "/x%20y",
                "/caf%C3%A9", "/50%25", "/50%25x", "/a-b_c~d", "/r1/VN/GOV/x/y/z/")) {
            assertThat(CanonicalPaths.problem(path)).as(path).isNull();
        }
    }

    @Test
    void paths_that_could_mean_another_path_are_named() {
        for (String path : List.of("/a/../b", "/a/./b", "/a/..", "/a/.", "/a/%2e%2E/b", "/a/.%2e", "/a/%2E", "/a%2fb", "/a%2Fb",
                "/a%5cb", "/a\\b", "/a%00", "/a%0A", "/a%7f", "/a%252e%252e", "/a;b=1", "/a%3bb", "/a%", "/a%2", "/a%zz")) {
            assertThat(CanonicalPaths.problem(path)).as(path).isNotNull();
        }
    }
}
