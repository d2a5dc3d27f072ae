import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for the General Department of Taxation's tax-registry system, the provider of the demo query
 * service business-tax-status. Run as a single source file: java DemoProvider.java [port].
 *
 * GET /business/{taxCode} answers a business's tax status, 404 problem+json for an unknown code;
 * GET /health answers {"status":"UP"}.
 */
public class DemoProvider {

    record Business(String name, String status, String taxAuthority) {
    }

    static final Map<String, Business> BUSINESSES = Map.of(
            "0301234567", new Business("Công ty TNHH Thương mại Sài Gòn Xanh", "ACTIVE", "Cục Thuế TP. Hồ Chí Minh"),
            "2900123456", new Business("Công ty Cổ phần Vật liệu Xây dựng Vinh", "ACTIVE", "Cục Thuế tỉnh Nghệ An"),
            "0312345678", new Business("Công ty TNHH Dịch vụ Vận tải Bến Thành", "SUSPENDED", "Cục Thuế TP. Hồ Chí Minh"),
            "0109876543", new Business("Công ty Cổ phần Công nghệ Hà Thành", "CLOSED", "Cục Thuế TP. Hà Nội"));

    public static void main(String[] args) throws IOException {
        // The JDK's server writes headers and body separately and leaves Nagle's algorithm on: on a kept-alive
        // connection each answer's second segment then waits for the client's delayed ACK, about 40 ms. The
        // gateway keeps provider connections alive, so without this every query through the demo measured
        // that wait, not the platform. Read once, when the server's configuration loads: set before it does.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", DemoProvider::handle);
        server.start();
        System.out.println("Demo tax registry listening on 127.0.0.1:" + port);
    }

    static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            int status;
            if (!"GET".equals(exchange.getRequestMethod())) {
                status = respond(exchange, 405, "application/problem+json",
                        "{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\",\"status\":405}");
            } else if ("/health".equals(path)) {
                status = respond(exchange, 200, "application/json", "{\"status\":\"UP\"}");
            } else if (path.startsWith("/business/") && path.indexOf('/', 10) < 0) {
                status = business(exchange, path.substring("/business/".length()));
            } else {
                status = respond(exchange, 404, "application/problem+json",
                        "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}");
            }
            System.out.println(exchange.getRequestMethod() + " " + path + " " + status);
        }
    }

    static int business(HttpExchange exchange, String taxCode) throws IOException {
        Business business = BUSINESSES.get(taxCode);
        if (business == null) {
            return respond(exchange, 404, "application/problem+json",
                    "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"No business with tax code "
                            + (taxCode.matches("[0-9-]{1,14}") ? taxCode : "given") + "\"}");
        }
        return respond(exchange, 200, "application/json", "{\"taxCode\":\"" + taxCode + "\",\"name\":\"" + business.name()
                + "\",\"status\":\"" + business.status() + "\",\"taxAuthority\":\"" + business.taxAuthority()
                + "\",\"checkedAt\":\"" + Instant.now() + "\"}");
    }

    static int respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + ";charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        return status;
    }
}
