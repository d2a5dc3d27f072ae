package vn.ndx.registry.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.registry.RegistryProperties;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryStoreTest {

    final JsonMapper json = JsonMapper.builder().build();
    final BCryptPasswordEncoder passwords = new BCryptPasswordEncoder(4);

    @TempDir
    Path dir;

    RegistryStore open() {
        var properties = new RegistryProperties(dir, null, new RegistryProperties.Token("ndx-registry", Duration.ofMinutes(10)),
                new RegistryProperties.Demo(URI.create("http://127.0.0.1:18090")), Duration.ofMinutes(1));
        return new RegistryStore(properties, json, passwords);
    }

    @Test
    void first_start_seeds_the_demo_registry_and_hands_out_each_secret_once() throws Exception {
        RegistryData data = open().current();

        assertThat(data.agencies()).extracting("code")
                .containsExactly("000.00.00.G12", "000.00.18.G12", "000.00.00.H29", "000.00.00.H41");
        assertThat(data.services()).filteredOn(service -> service.kind() == Service.Kind.QUERY)
                .extracting(Service::upstreamUrl).containsExactly("http://127.0.0.1:18090");
        var secrets = Files.readAllLines(dir.resolve("demo-clients.env")).stream().filter(line -> !line.startsWith("#")).toList();
        assertThat(secrets).hasSize(2).allSatisfy(line -> assertThat(line).matches("[a-z0-9-]+=[A-Za-z0-9_-]{43}"));
        for (String line : secrets) {
            String id = line.substring(0, line.indexOf('='));
            String secret = line.substring(line.indexOf('=') + 1);
            String hash = data.clients().stream().filter(c -> c.clientId().equals(id)).findFirst().orElseThrow().secretHash();
            assertThat(passwords.matches(secret, hash)).isTrue();
            assertThat(Files.readString(dir.resolve("registry.json"))).doesNotContain(secret);
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("demo-clients.env")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void a_later_start_keeps_the_registry_and_the_secrets() throws Exception {
        RegistryData first = open().current();
        String clientsFile = Files.readString(dir.resolve("demo-clients.env"));

        RegistryData second = open().current();

        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(dir.resolve("demo-clients.env"))).isEqualTo(clientsFile);
    }
}
