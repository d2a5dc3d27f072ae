package vn.ndx.gateway.listener;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.stereotype.Component;

/**
 * Serves the gateway's one request pipeline, unencrypted, on {@link PlainHttpProperties}: the same routes,
 * authentication and limits as the HTTPS port, only without TLS. Started after the main server and
 * stopped before it.
 */
@Component
public class PlainHttpListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PlainHttpListener.class);

    private final PlainHttpProperties properties;
    private final HttpHandler handler;
    private final OversizedRequests oversized;
    private volatile @Nullable WebServer server;

    PlainHttpListener(PlainHttpProperties properties, HttpHandler handler, OversizedRequests oversized) {
        this.properties = properties;
        this.handler = handler;
        this.oversized = oversized;
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        var factory = new NettyReactiveWebServerFactory(properties.port());
        try {
            factory.setAddress(InetAddress.getByName(properties.address()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(PlainHttpProperties.PREFIX + ".address is not an address: " + properties.address(), e);
        }
        factory.addServerCustomizers(oversized::applyWithLimits);
        WebServer started = factory.getWebServer(handler);
        started.start();
        server = started;
        log.info("Plain HTTP on {}:{} (local use only; turn off with {}.enabled=false)", properties.address(), started.getPort(),
                PlainHttpProperties.PREFIX);
    }

    @Override
    public void stop() {
        WebServer running = server;
        if (running != null) {
            running.stop();
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound port, or -1 when the plain port is off. */
    public int port() {
        WebServer running = server;
        return running == null ? -1 : running.getPort();
    }
}
