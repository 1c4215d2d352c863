package dev.sessiond.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** GETs on a server's operations port (/metrics, /healthz, /readyz) at 127.0.0.1. */
final class OpsHttp {

    /** A response: status code and body. */
    record Response(int status, String body) {}

    private OpsHttp() {}

    static Response get(int port, String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
                    .toURL().openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(10_000);
            int status = connection.getResponseCode();
            InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            connection.disconnect();
            return new Response(status, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
