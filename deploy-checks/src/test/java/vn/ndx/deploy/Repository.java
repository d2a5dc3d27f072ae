package vn.ndx.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The checkout these checks read: files under deploy/ and docs/, parsed as YAML or JSON. */
final class Repository {

    static final Path ROOT = root();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Repository() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode yaml(Path file) {
        return YAML.readTree(read(file));
    }

    /** Every document of a multi-document YAML file (Kubernetes manifests), empty ones left out. */
    static List<JsonNode> yamlDocuments(Path file) {
        var documents = new ArrayList<JsonNode>();
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(read(file))) {
            while (values.hasNextValue()) {
                JsonNode document = values.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    static JsonNode json(Path file) {
        return JSON.readTree(read(file));
    }

    static List<Path> files(String directory, String suffix) {
        try (Stream<Path> walk = Files.walk(path(directory))) {
            return walk.filter(Files::isRegularFile).filter(file -> file.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        // surefire runs in the module's folder, one level below the root
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("deploy/prometheus")) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no checkout with deploy/prometheus above " + here);
    }
}
