package vn.ndx.contract.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import vn.ndx.contract.Topics;

/**
 * The one real Kafka broker every test in a JVM shares: an in-JVM KRaft broker, secured as the platform's
 * brokers are. Clients authenticate with certificates of the fixture's own authority (mutual TLS on the
 * broker and the controller listener), the StandardAuthorizer allows only what {@code deploy/kafka/acls}
 * grants, and nobody anonymous gets anything. Each part under test connects as itself
 * ({@link #springProperties(String)}), so a missing ACL fails its tests; tests that inspect or feed topics
 * connect as {@link #ADMIN}. Started once per JVM, stopped at JVM exit.
 */
public final class KafkaFixture {

    /** The tooling's principal: a super user, as deploy/run's admin is. */
    public static final String ADMIN = "admin";
    /** A principal with a valid certificate and no ACL at all. */
    public static final String INTRUDER = "intruder";

    private static final String BROKER = "broker";
    private static final TestPki PKI = TestPki.create("kafka-fixture");
    private static final Map<String, Path> KEY_STORES = new ConcurrentHashMap<>();
    private static volatile String bootstrapServers;

    private KafkaFixture() {
    }

    /** Bootstrap servers of the shared broker, starting it on first use. */
    public static String bootstrapServers() {
        if (bootstrapServers == null) {
            synchronized (KafkaFixture.class) {
                if (bootstrapServers == null) {
                    String servers = start();
                    try (var admin = Admin.create(clientProperties(ADMIN, servers))) {
                        createPlatformTopics(admin);
                        createAcls(admin);
                    }
                    bootstrapServers = servers;
                }
            }
        }
        return bootstrapServers;
    }

    /** Kafka client settings for {@code principal} (a part's name, {@link #ADMIN} or {@link #INTRUDER}). */
    public static Map<String, Object> clientProperties(String principal) {
        return clientProperties(principal, bootstrapServers());
    }

    /** The same as Spring Boot properties, for a part under test. */
    public static Map<String, String> springProperties(String principal) {
        var properties = new LinkedHashMap<String, String>();
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers());
        properties.put("spring.kafka.security.protocol", "SSL");
        properties.put("spring.kafka.ssl.key-store-type", "PEM");
        properties.put("spring.kafka.ssl.key-store-location", "file:" + keyStore(principal));
        properties.put("spring.kafka.ssl.trust-store-type", "PEM");
        properties.put("spring.kafka.ssl.trust-store-location", "file:" + PKI.caFile());
        return properties;
    }

    /** {@link #springProperties(String)} as command-line arguments. */
    public static List<String> springArguments(String principal) {
        var arguments = new ArrayList<String>();
        springProperties(principal).forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }

    private static Map<String, Object> clientProperties(String principal, String servers) {
        var properties = new LinkedHashMap<String, Object>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        properties.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
        properties.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keyStore(principal).toString());
        properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, PKI.caFile().toString());
        return properties;
    }

    /** A client certificate with subject CN=principal, as Kafka reads it. */
    private static Path keyStore(String principal) {
        return KEY_STORES.computeIfAbsent(principal, name -> PKI.keyStore(name.equals(BROKER)
                ? PKI.peer(name, "CN=" + name) : PKI.client(name, "CN=" + name)));
    }

    private static String start() {
        var broker = new EmbeddedKafkaKraftBroker(1, 3);
        var properties = new LinkedHashMap<String, String>();
        properties.put("auto.create.topics.enable", "false");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        // the test kit names its listeners EXTERNAL and CONTROLLER and keeps a protocol map given here
        properties.put("listener.security.protocol.map", "EXTERNAL:SSL,CONTROLLER:SSL");
        properties.put("ssl.client.auth", "required");
        properties.put("ssl.keystore.type", "PEM");
        properties.put("ssl.keystore.location", keyStore(BROKER).toString());
        properties.put("ssl.truststore.type", "PEM");
        properties.put("ssl.truststore.location", PKI.caFile().toString());
        properties.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+).*$/$1/,DEFAULT");
        properties.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        properties.put("super.users", "User:" + BROKER + ";User:" + ADMIN);
        properties.put("allow.everyone.if.no.acl.found", "false");
        broker.brokerProperties(properties);
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        System.out.println("[kafka-fixture] in-JVM KRaft broker with mutual TLS and ACLs at " + broker.getBrokersAsString());
        return broker.getBrokersAsString();
    }

    /**
     * The topics as deploy/kafka/topics creates them, smaller: the registry's single partition matters
     * (its readers read partition 0), the others only need more than one to exercise keying.
     */
    private static void createPlatformTopics(Admin admin) {
        await(() -> admin.createTopics(List.of(
                new NewTopic(Topics.REGISTRY, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.REGISTRY_STATE, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.REGISTRY_CHANGES, 3, (short) 1),
                new NewTopic(Topics.TRANSACTIONS, 3, (short) 1),
                new NewTopic(Topics.RECORDS, 3, (short) 1).configs(Map.of("max.message.bytes", "10485760")),
                new NewTopic(Topics.RECORD_STATUS, 3, (short) 1),
                new NewTopic(Topics.PUSH_SECRETS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact", "segment.ms", "3600000")))).all().get());
    }

    /** Exactly the ACLs of deploy/kafka/acls, the file deploy/run applies. */
    private static void createAcls(Admin admin) {
        await(() -> admin.createAcls(acls()).all().get());
    }

    /** deploy/kafka/acls as bindings: one per principal, operation and resource. */
    public static List<AclBinding> acls() {
        var bindings = new ArrayList<AclBinding>();
        for (String line : read(aclFile())) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length != 5) {
                throw new IllegalStateException("deploy/kafka/acls: not five fields: " + line);
            }
            var resource = new ResourcePattern(ResourceType.fromString(fields[2]), fields[4], PatternType.fromString(fields[3]));
            for (String operation : fields[1].split(",")) {
                bindings.add(new AclBinding(resource, new AccessControlEntry("User:" + fields[0], "*",
                        AclOperation.fromString(operation), AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    /** deploy/kafka/acls, found from the module a test runs in or the repository root. */
    private static Path aclFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("deploy/kafka/acls");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException("deploy/kafka/acls not found above " + Path.of("").toAbsolutePath());
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Step {
        void run() throws InterruptedException, ExecutionException;
    }

    private static void await(Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not prepare the test broker", e);
        }
    }
}
