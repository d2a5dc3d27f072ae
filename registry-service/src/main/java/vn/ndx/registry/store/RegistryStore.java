package vn.ndx.registry.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.registry.store.RegistryData.StoredClient;

/**
 * The registry kept in one JSON file, written atomically. On first start it is seeded from the demo
 * registry ({@code demo-registry.json}): every demo client gets a fresh random secret, stored only as a
 * bcrypt hash here and handed to the operator once in the demo clients file.
 */
@Component
public class RegistryStore {

    private static final Logger log = LoggerFactory.getLogger(RegistryStore.class);
    private static final String DEMO_PROVIDER_PLACEHOLDER = "${demo-provider-url}";

    private final Path file;
    private final JsonMapper json;
    private final RegistryData data;

    RegistryStore(RegistryProperties properties, JsonMapper json, PasswordEncoder passwords) {
        this.file = properties.stateDir().resolve("registry.json");
        this.json = json;
        this.data = Files.exists(file) ? load() : seed(properties, passwords);
    }

    public RegistryData current() {
        return data;
    }

    public Optional<StoredClient> client(String clientId) {
        return data.clients().stream().filter(client -> client.clientId().equals(clientId)).findFirst();
    }

    private RegistryData load() {
        try {
            return json.readValue(file.toFile(), RegistryData.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot read the registry file " + file + ": fix or remove it", e);
        }
    }

    private RegistryData seed(RegistryProperties properties, PasswordEncoder passwords) {
        RegistryData demo;
        try (InputStream in = RegistryStore.class.getResourceAsStream("/demo-registry.json")) {
            demo = json.readValue(in, RegistryData.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var secrets = new LinkedHashMap<String, String>();
        var clients = new ArrayList<StoredClient>();
        for (StoredClient client : demo.clients()) {
            String secret = newSecret();
            secrets.put(client.clientId(), secret);
            clients.add(new StoredClient(client.clientId(), client.agencyCode(), client.systemCode(), true, passwords.encode(secret)));
        }
        List<Service> services = demo.services().stream().map(service -> DEMO_PROVIDER_PLACEHOLDER.equals(service.upstreamUrl())
                ? new Service(service.agencyCode(), service.systemCode(), service.code(), service.kind(),
                        properties.demo().providerUrl().toString(), service.timeout(), service.maxBodyBytes())
                : service).toList();
        var seeded = new RegistryData(System.currentTimeMillis(), demo.agencies(), demo.systems(), services, demo.grants(), clients);
        write(file, json.writeValueAsBytes(seeded));
        write(properties.demoClients(), demoClientsFile(secrets));
        log.info("Seeded the demo registry; demo client secrets are in {}", properties.demoClients());
        return seeded;
    }

    private static byte[] demoClientsFile(Map<String, String> secrets) {
        var text = new StringBuilder("# Demo client credentials, generated at first start: client_id=secret\n");
        secrets.forEach((id, secret) -> text.append(id).append('=').append(secret).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes a file readable by its owner only, atomically: a crash leaves the old file or the new one. */
    static void write(Path target, byte[] content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's protection must do
            }
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }
}
