import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;

/**
 * Runs SQL statements on audit's database as audit's role (the server's binaries carry no client): {@code java
 * -cp postgresql.jar Sql.java jdbc-url database.properties statement...}, the credentials read from the
 * properties file deploy/run writes for audit.
 */
public class Sql {

    public static void main(String[] args) throws Exception {
        var properties = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of(args[1]))) {
            properties.load(in);
        }
        try (var connection = DriverManager.getConnection(args[0], properties.getProperty("spring.datasource.username"),
                properties.getProperty("spring.datasource.password")); var statement = connection.createStatement()) {
            for (int i = 2; i < args.length; i++) {
                statement.execute(args[i]);
            }
        }
    }
}
