package dev.sessiond.server.ops;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sessiond.server.metrics.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP port (the JDK's built-in server, two threads): {@code /metrics} for
 * Prometheus, {@code /healthz} (liveness: the process answers) and {@code /readyz} (readiness:
 * 200 while {@code grpc.health.v1} reports SERVING, else 503 with the reason). Only GET and
 * HEAD; nothing here needs or reveals a token. Thread-safe.
 */
public final class OpsHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code port} of every interface (0 = any free port).
     *
     * @param beforeScrape runs before each scrape (reads the store gauges)
     * @param readiness the server's current readiness
     */
    public static OpsHttpServer start(int port, Metrics metrics, Runnable beforeScrape, Supplier<Readiness> readiness)
            throws IOException {
        requireNonNull(metrics, "metrics");
        requireNonNull(beforeScrape, "beforeScrape");
        requireNonNull(readiness, "readiness");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sessiond-ops-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> handle(exchange, "/metrics", () -> {
            beforeScrape.run();
            ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
            String contentType = accepts(exchange, "application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
            metrics.scrape(body, contentType);
            return new Response(200, contentType, body.toByteArray());
        }));
        server.createContext("/healthz", exchange -> handle(exchange, "/healthz",
                () -> new Response(200, TEXT, "ok\n".getBytes(StandardCharsets.UTF_8))));
        server.createContext("/readyz", exchange -> handle(exchange, "/readyz", () -> {
            Readiness now = readiness.get();
            String body = (now.ready() ? "ready: " : "not ready: ") + now.detail() + "\n";
            return new Response(now.ready() ? 200 : 503, TEXT, body.getBytes(StandardCharsets.UTF_8));
        }));
        server.createContext("/", exchange -> handle(exchange, "", () -> new Response(404, TEXT,
                "not found (try /metrics, /healthz or /readyz)\n".getBytes(StandardCharsets.UTF_8))));
        server.start();
        return new OpsHttpServer(server, executor);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private record Response(int status, String contentType, byte[] body) {}

    @FunctionalInterface
    private interface Handler {
        Response respond() throws IOException;
    }

    private static void handle(HttpExchange exchange, String path, Handler handler) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Response response;
            if (!path.isEmpty() && !exchange.getRequestURI().getPath().equals(path)) {
                response = new Response(404, TEXT, "not found\n".getBytes(StandardCharsets.UTF_8));
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                response = new Response(405, TEXT, "method not allowed (expected: GET or HEAD)\n"
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                try {
                    response = handler.respond();
                } catch (Exception e) { // Jdbi may throw checked exceptions sneakily
                    log.warn("ops HTTP {} failed: {}", path, e.toString());
                    response = new Response(500, TEXT, "internal error; the server log has the details\n"
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            log.debug("ops HTTP response to {} not sent: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private static boolean accepts(HttpExchange exchange, String mediaType) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains(mediaType);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
