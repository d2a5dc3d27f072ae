package vn.ndx.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that holds every exchange with a gateway against {@link ApiContract}; calls to any
 * other port (a service's management port, Prometheus) pass unchecked. Only text answers are read, which is
 * every answer the tests take.
 */
final class CheckedHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final ApiContract contract;
    private final Set<Integer> gatewayPorts;

    CheckedHttpClient(HttpClient delegate, ApiContract contract, Set<Integer> gatewayPorts) {
        this.delegate = delegate;
        this.contract = contract;
        this.gatewayPorts = gatewayPorts;
    }

    /** Checks calls to the e2e platform's gateways, TLS or not, first instance or second. */
    static HttpClient forPlatform(HttpClient delegate) {
        int plain = Platform.PORTS.get("gateway");
        int tls = Platform.PORTS.get("gateway-tls");
        return new CheckedHttpClient(delegate, ApiContract.shared(), Set.of(plain, tls, plain + 100, tls + 100));
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        HttpResponse<T> response = delegate.send(request, handler);
        check(request, response);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(request, handler).thenApply(response -> check(request, response));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, handler, pushPromiseHandler).thenApply(response -> check(request, response));
    }

    private <T> HttpResponse<T> check(HttpRequest request, HttpResponse<T> response) {
        if (gatewayPorts.contains(request.uri().getPort()) && (response.body() == null || response.body() instanceof String)) {
            // what drifts is kept, and read once at the end of a run (ApiContract.violations)
            contract.check(request.method(), request.uri(), request.headers().map(), body(request),
                    response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), (String) response.body());
        }
        return response;
    }

    /** What a request sent, read again from its publisher (the tests' publishers are strings and byte arrays). */
    private static String body(HttpRequest request) {
        if (request.bodyPublisher().isEmpty() || request.bodyPublisher().get().contentLength() == 0) {
            return null;
        }
        var collected = new ByteArrayOutputStream();
        var done = new CompletableFuture<Void>();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                collected.writeBytes(bytes);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not read a request's body again", e);
        }
        return collected.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
