package vn.ndx.registry.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.SecretFiles;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.model.RegistryData.StoredClient;
import vn.ndx.registry.model.RegistryData.StoredSecret;

/**
 * The demo registry ({@code demo-registry.json}, an export document like any other), loaded when the
 * registry starts on an empty cluster. Every demo client gets a fresh random secret, stored only as a
 * bcrypt hash and handed to the operator once in the demo clients file.
 */
@Component
class DemoRegistry {

    private static final String DEMO_PROVIDER_PLACEHOLDER = "${demo-provider-url}";

    private final RegistryProperties properties;
    private final JsonMapper json;
    private final PasswordEncoder passwords;

    DemoRegistry(RegistryProperties properties, JsonMapper json, PasswordEncoder passwords) {
        this.properties = properties;
        this.json = json;
        this.passwords = passwords;
    }

    RegistryData seed() {
        RegistryData demo;
        try (InputStream in = DemoRegistry.class.getResourceAsStream("/demo-registry.json")) {
            demo = json.readValue(in, RegistryData.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        List<StoredClient> clients = new ArrayList<>();
        for (StoredClient client : demo.clients()) {
            String secret = ClientSecrets.generate();
            secrets.put(client.clientId(), secret);
            clients.add(client.withEnabled(true).withSecrets(List.of(new StoredSecret(passwords.encode(secret), Instant.now(), null))));
        }
        List<Service> services = demo.services().stream().map(service -> DEMO_PROVIDER_PLACEHOLDER.equals(service.upstreamUrl())
                ? new Service(service.agencyCode(), service.systemCode(), service.code(), service.kind(),
                        properties.demo().providerUrl().toString(), service.timeout(), service.maxBodyBytes(),
                        service.schema(), service.retention(), service.personalData())
                : service).toList();
        writeOwnerOnly(properties.demoClients(), demoClientsFile(secrets));
        return demo.withVersion(1).withServices(services).withClients(clients);
    }

    private static byte[] demoClientsFile(Map<String, String> secrets) {
        var text = new StringBuilder("# Demo client credentials, generated when the demo registry was loaded: client_id=secret\n");
        secrets.forEach((id, secret) -> text.append(id).append('=').append(secret).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a file readable by its owner only, atomically: a crash leaves the old file or the new one. */
    private static void writeOwnerOnly(Path target, byte[] content) {
        SecretFiles.write(target, content, true);
    }
}
