package vn.ndx.exchange;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * A recipient system's webhook on a real HTTP port: answers with {@link #status} after {@link #delay} and keeps
 * what it received.
 */
final class Webhook implements AutoCloseable {

    /** One push as the recipient saw it. */
    record Received(String transactionId, long timestamp, String signature, int delivery, String senderAgency,
                    String senderSystem, String channel, byte[] body, int answered) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    volatile int status = 200;
    /** How long the recipient takes to answer: a push stays in flight meanwhile. */
    volatile java.time.Duration delay = java.time.Duration.ZERO;
    private final HttpServer server;

    Webhook() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var headers = exchange.getRequestHeaders();
                int answer = status;
                received.add(new Received(headers.getFirst("X-Transaction-Id"), Long.parseLong(headers.getFirst("X-Ndx-Timestamp")),
                        headers.getFirst("X-Ndx-Signature"), Integer.parseInt(headers.getFirst("X-Ndx-Delivery")),
                        headers.getFirst("X-Ndx-Sender-Agency"), headers.getFirst("X-Ndx-Sender-System"),
                        headers.getFirst("X-Ndx-Channel"), body, answer));
                Thread.sleep(delay.toMillis());
                exchange.sendResponseHeaders(answer, -1);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/records";
    }

    /** Ids of the records the webhook accepted (2xx), in the order it accepted them. */
    List<String> accepted() {
        synchronized (received) {
            return received.stream().filter(r -> r.answered() / 100 == 2).map(Received::transactionId).toList();
        }
    }

    /** What a recipient computes to check a push, written from docs/exchange.md rather than from the platform's code. */
    static boolean authentic(String secret, Received push) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((push.timestamp() + "\n" + push.transactionId() + "\n" + push.senderAgency() + "\n" + push.senderSystem()
                + "\n" + push.channel() + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] expected = ("v2=" + HexFormat.of().formatHex(mac.doFinal(push.body()))).getBytes(StandardCharsets.US_ASCII);
        for (String entry : push.signature().split(",")) {
            if (MessageDigest.isEqual(expected, entry.trim().getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
