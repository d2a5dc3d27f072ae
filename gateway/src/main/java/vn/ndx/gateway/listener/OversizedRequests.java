package vn.ndx.gateway.listener;

import java.util.List;
import java.util.Map;

import com.github.f4b6a3.uuid.UuidCreator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.autoconfigure.NettyServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.Headers;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;
import vn.ndx.gateway.problem.ProblemResponses;
import vn.ndx.gateway.problem.Refusal;

/**
 * Answers a request line or headers over the limits ({@code server.netty.max-initial-line-length},
 * {@code server.max-http-request-header-size}) with problem+json, 414 {@code uri_too_long} or 431
 * {@code headers_too_large}, as every other refusal, instead of the bare status Netty writes itself.
 *
 * <p>Over HTTP/1.1 the decoder stops reading at the limit: a handler right after it answers and closes
 * the connection, since the rest of that request cannot be told from the next one. Over HTTP/2 the
 * header block is decoded whole up to a ceiling ({@value #HTTP2_CEILING} times the limits; HPACK lets a few bytes
 * expand to it, before any authentication, so it stays low) and the same
 * limits are checked by this class's web filter, before anything else looks at the request; a block past
 * the ceiling is reset by the HTTP/2 codec with its own bare 431, the cost of bounding what one stream
 * may make the gateway hold.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // right after the transaction id, which the refusal carries
public class OversizedRequests implements WebFilter {

    static final int HTTP2_CEILING = 2;
    private static final String HANDLER = "ndx.oversizedRequests";
    private static final String INSTALLER = "ndx.oversizedRequestsInstaller";

    private final JsonMapper json;
    private final ProblemResponses problems;
    private final int maxHeaderBytes;
    private final int maxLineBytes;

    OversizedRequests(JsonMapper json, ProblemResponses problems, ServerProperties server, NettyServerProperties netty) {
        this.json = json;
        this.problems = problems;
        this.maxHeaderBytes = (int) server.getMaxHttpRequestHeaderSize().toBytes();
        this.maxLineBytes = (int) netty.getMaxInitialLineLength().toBytes();
    }

    /**
     * Added last, after Spring Boot's own customizer: that one sets the HTTP/2 header list limit to the
     * header limit itself, which would leave every oversized HTTP/2 request to the codec's bare answer.
     */
    @Component
    static class LastCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {
        private final OversizedRequests oversized;

        LastCustomizer(OversizedRequests oversized) {
            this.oversized = oversized;
        }

        @Override
        public void customize(NettyReactiveWebServerFactory factory) {
            factory.addServerCustomizers(oversized::apply);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    HttpServer apply(HttpServer server) {
        return server
                .http2Settings(settings -> settings.maxHeaderListSize((long) HTTP2_CEILING * (maxHeaderBytes + maxLineBytes)))
                .doOnChannelInit((observer, channel, address) -> install(channel.pipeline()));
    }

    /** For a server Spring Boot did not configure (the plain port): the same decoder limits, and the answer. */
    public HttpServer applyWithLimits(HttpServer server) {
        return apply(server.httpRequestDecoder(spec -> spec.maxHeaderSize(maxHeaderBytes).maxInitialLineLength(maxLineBytes)));
    }

    private void install(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, HANDLER, new Answer());
        } else if (pipeline.get(NettyPipeline.ReactiveBridge) != null) {
            // TLS: HTTP/1.1 or HTTP/2 is chosen (ALPN) when the handshake completes, and the codec added then
            pipeline.addBefore(NettyPipeline.ReactiveBridge, INSTALLER, new Installer());
        } else {
            pipeline.addLast(INSTALLER, new Installer());
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        // method, target and version, as on an HTTP/1.1 request line
        int line = request.getMethod().name().length() + 1 + request.getURI().getRawPath().length()
                + (request.getURI().getRawQuery() == null ? 0 : 1 + request.getURI().getRawQuery().length()) + 9;
        if (line > maxLineBytes) {
            return problems.write(exchange, new Refusal(ProblemCode.URI_TOO_LONG, tooLong()));
        }
        if (headerBytes(request) > maxHeaderBytes) {
            return problems.write(exchange, new Refusal(ProblemCode.HEADERS_TOO_LARGE, tooLarge()));
        }
        return chain.filter(exchange);
    }

    /**
     * Read from Netty's own headers where there are some: Spring's view of them copies every name into a
     * case-insensitive set first, on every call.
     */
    private static int headerBytes(ServerHttpRequest request) {
        int bytes = 0;
        if (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest netty) {
            var headers = netty.requestHeaders().iteratorCharSequence();
            while (headers.hasNext()) {
                var header = headers.next();
                bytes += header.getKey().length() + header.getValue().length() + 4; // "name: value\r\n"
            }
            return bytes;
        }
        for (Map.Entry<String, List<String>> header : request.getHeaders().headerSet()) {
            for (String value : header.getValue()) {
                bytes += header.getKey().length() + value.length() + 4;
            }
        }
        return bytes;
    }

    private String tooLong() {
        return "The request line is longer than the " + maxLineBytes + " bytes this platform reads";
    }

    private String tooLarge() {
        return "The request headers are larger than the " + maxHeaderBytes + " bytes this platform reads";
    }

    /** Waits for the protocol to be chosen, then puts the answer after the HTTP/1.1 codec, if that was chosen. */
    private final class Installer extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent) {
                ChannelPipeline pipeline = ctx.pipeline();
                if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(HANDLER) == null) {
                    pipeline.addAfter(NettyPipeline.HttpCodec, HANDLER, new Answer());
                }
                pipeline.remove(this);
            }
            super.userEventTriggered(ctx, event);
        }
    }

    /** Answers an HTTP/1.1 request the decoder gave up on, and closes the connection. */
    private final class Answer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof HttpRequest request) || request.decoderResult().isSuccess()) {
                ctx.fireChannelRead(message);
                return;
            }
            Throwable cause = request.decoderResult().cause();
            ReferenceCountUtil.release(message);
            ProblemCode code;
            String detail;
            if (cause instanceof TooLongHttpLineException) {
                code = ProblemCode.URI_TOO_LONG;
                detail = tooLong();
            } else if (cause instanceof TooLongFrameException) {
                code = ProblemCode.HEADERS_TOO_LARGE;
                detail = tooLarge();
            } else {
                code = ProblemCode.BAD_REQUEST;
                detail = "The request is not HTTP this platform can read";
            }
            String transactionId = UuidCreator.getTimeOrderedEpoch().toString();
            byte[] body = json.writeValueAsBytes(Problem.of(code, detail, transactionId));
            var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code.status()),
                    Unpooled.wrappedBuffer(body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(Headers.TRANSACTION_ID, transactionId);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
