package vn.ndx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * deploy/images: without a Docker engine the image cannot be built here, so the test checks what a build
 * relies on: each module packages the jar the Dockerfile copies, the build context lets exactly those jars
 * through, and the container runs as an unprivileged user.
 */
class ImagesTest {

    private static final String DOCKERFILE = Repository.read(Repository.path("deploy/images/Dockerfile"));

    @Test
    void every_module_packages_the_jar_the_image_copies() {
        assertThat(DOCKERFILE).contains("COPY ${MODULE}/target/${MODULE}.jar app.jar");
        for (Parts part : Parts.ALL) {
            String pom = Repository.read(Repository.path(part.module() + "/pom.xml"));
            assertThat(pom).as(part.module()).contains("<artifactId>" + part.module() + "</artifactId>")
                    .contains("<finalName>" + part.module() + "</finalName>").contains("spring-boot-maven-plugin");
        }
    }

    @Test
    void the_build_context_holds_the_four_jars_and_nothing_else() {
        List<String> rules = Repository.read(Repository.path("deploy/images/Dockerfile.dockerignore")).lines()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(rules.get(0)).isEqualTo("*");
        assertThat(rules.subList(1, rules.size())).containsExactlyInAnyOrderElementsOf(
                Parts.ALL.stream().map(part -> "!" + part.module() + "/target/" + part.module() + ".jar").toList());
    }

    @Test
    void the_image_runs_the_layered_jar_as_an_unprivileged_user() {
        assertThat(DOCKERFILE).contains("-Djarmode=tools -jar app.jar extract --layers");
        var user = Pattern.compile("(?m)^USER (\\S+)$").matcher(DOCKERFILE);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).isNotIn("root", "0").matches("\\d+");
        assertThat(DOCKERFILE).containsPattern("(?m)^ENTRYPOINT \\[\"java\", .*\"-jar\", \"app.jar\"\\]$");
        // the Kubernetes pods run as the same user
        assertThat(Repository.read(Repository.path("deploy/k8s/services/gateway.yaml"))).contains("runAsUser: " + user.group(1));
    }
}
