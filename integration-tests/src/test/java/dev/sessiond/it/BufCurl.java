package dev.sessiond.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The buf CLI's {@code curl}, the way an operator pokes sessiond: gRPC over plaintext HTTP/2,
 * requests and responses as JSON, the schema read from the server's reflection service, so no
 * generated stub is involved. Immutable and thread-safe.
 */
final class BufCurl {

    /** Per call: one call is milliseconds, but the first one pays for JVM warm-up on the server. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;
    private final String baseUrl;

    /** A buf curl aimed at a plaintext server on the loopback interface; {@code binary} from {@link #binary()}. */
    BufCurl(Path binary, int port) {
        this.binary = binary;
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /**
     * The buf binary Maven names in system property {@code sessiond.buf}.
     *
     * @throws AssertionError telling how to install it when it is missing: these tests never skip silently
     */
    static Path binary() {
        String configured = System.getProperty("sessiond.buf");
        if (configured == null || !Files.isExecutable(Path.of(configured))) {
            throw new AssertionError("the buf CLI is missing (system property sessiond.buf = " + configured
                    + "); install it from the project root with: npm install --prefix .tools @bufbuild/buf");
        }
        return Path.of(configured).toAbsolutePath();
    }

    /** {@code buf curl --list-methods}: every method the server's reflection service knows, one per line. */
    Result listMethods() throws IOException, InterruptedException {
        return run("--list-methods", List.of("--list-methods", baseUrl));
    }

    /**
     * Calls a unary method.
     *
     * @param method {@code package.Service/Method}
     * @param request the request message as JSON fields (proto or JSON names)
     * @param headers request metadata as {@code "name: value"}
     */
    Result call(String method, Map<String, ?> request, String... headers) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        for (String header : headers) {
            args.add("-H");
            args.add(header);
        }
        args.add("-d");
        args.add(JSON.writeValueAsString(request));
        args.add(baseUrl + "/" + method);
        return run(method, args);
    }

    private Result run(String what, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "curl", "--protocol", "grpc",
                "--http2-prior-knowledge"));
        command.addAll(args);
        return new Result(what, CompletedProcess.run(new ProcessBuilder(command), CALL_TIMEOUT));
    }

    /**
     * One buf curl run. buf prints the response on stdout and exits 0, or prints the error
     * status as JSON on stderr and exits non-zero.
     *
     * @param what the method called, for failure messages
     */
    record Result(String what, CompletedProcess process) {

        /** The response message. */
        JsonNode response() {
            if (process.exitCode() != 0) {
                throw new AssertionError(what + " failed: " + process.describe());
            }
            return parse(process.stdout());
        }

        /** The error status the call ended with. */
        RpcError error() {
            if (process.exitCode() == 0) {
                throw new AssertionError(what + " succeeded where an error was expected: " + process.describe());
            }
            return RpcError.of(parse(process.stderr()));
        }

        /** Everything buf printed, for checks that something does not appear anywhere. */
        String allOutput() {
            return process.stdout() + process.stderr();
        }

        private JsonNode parse(String text) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(what + ": buf printed no JSON: " + process.describe(), e);
            }
        }
    }
}
