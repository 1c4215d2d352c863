package dev.sessiond.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Plain HTTP requests to the server's operations port on 127.0.0.1. */
public final class Http {

    /** A response: its status code, content type and body. */
    public record Response(int status, String contentType, String body) {}

    private Http() {}

    public static Response get(int port, String path) {
        return request("GET", port, path, Map.of());
    }

    public static Response request(String method, int port, String path, Map<String, String> headers) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
                    .toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(10_000);
            headers.forEach(connection::setRequestProperty);
            int status = connection.getResponseCode();
            InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            String contentType = connection.getContentType() == null ? "" : connection.getContentType();
            connection.disconnect();
            return new Response(status, contentType, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
