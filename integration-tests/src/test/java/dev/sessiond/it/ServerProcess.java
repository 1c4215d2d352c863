package dev.sessiond.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The packaged server ({@code java -jar sessiond-server.jar}) run as its own OS process, the way
 * an operator starts it: in a fresh working directory, configured only by environment
 * variables, its standard output and error captured to files there. {@link #close()} stops it
 * with SIGTERM like a service manager would. Not thread-safe.
 */
final class ServerProcess implements AutoCloseable {

    /** Generous: a cold JVM on a busy CI machine migrates the store and hashes the admin password first. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Longer than the server's default 10 s shutdown grace, so a graceful stop is never cut short. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** Starts on fresh ports when a chosen one was taken meanwhile, at most this many in all. */
    private static final int PORT_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final int metricsPort;
    private final String adminPassword;
    private final Path stdoutFile;
    private final Path stderrFile;

    private ServerProcess(Process process, int port, int metricsPort, String adminPassword, Path stdoutFile,
            Path stderrFile) {
        this.process = process;
        this.port = port;
        this.metricsPort = metricsPort;
        this.adminPassword = adminPassword;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    /**
     * Starts the server on a free port with its data in {@code workDir/data} and a random
     * administrator password, and returns once it accepts connections.
     *
     * @throws AssertionError if it exits or does not listen within 60 s; the message holds its output
     *     (a port taken before the server bound it is tried again, on fresh ports)
     */
    static ServerProcess start(Path workDir) throws IOException, InterruptedException {
        return start(workDir, Map.of());
    }

    /**
     * As {@link #start(Path)}, with extra settings that win over the defaults (several replicas
     * share {@code SESSIOND_ADMIN_PASSWORD}, {@code SESSIOND_DB_URL} and {@code SESSIOND_TOKEN_KEY_FILE}).
     */
    static ServerProcess start(Path workDir, Map<String, String> settings) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(workDir, settings);
            } catch (AssertionError e) {
                // A port found free is free only until someone takes it: an outgoing connection (a replica starting
                // beside this one opens its pool) may get the same ephemeral port before the server binds it.
                if (attempt == PORT_ATTEMPTS || e.getMessage() == null
                        || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
                System.err.println("ServerProcess: a port was taken before the server bound it; starting again");
            }
        }
    }

    private static ServerProcess startOnce(Path workDir, Map<String, String> settings)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port = freeLoopbackPort();
        int metricsPort = settings.containsKey("SESSIOND_METRICS_PORT")
                ? Integer.parseInt(settings.get("SESSIOND_METRICS_PORT"))
                : freeLoopbackPortOtherThan(port);
        String adminPassword = settings.getOrDefault("SESSIOND_ADMIN_PASSWORD", randomPassword());
        Path stdoutFile = workDir.resolve("server.stdout.log");
        Path stderrFile = workDir.resolve("server.stderr.log");
        ProcessBuilder builder = command(workDir)
                .redirectOutput(stdoutFile.toFile())
                .redirectError(stderrFile.toFile());
        builder.environment().putAll(Map.of(
                "SESSIOND_GRPC_PORT", Integer.toString(port),
                "SESSIOND_METRICS_PORT", Integer.toString(metricsPort),
                "SESSIOND_DATA_DIR", workDir.resolve("data").toString(),
                "SESSIOND_ADMIN_PASSWORD", adminPassword));
        builder.environment().putAll(settings);
        Process process = builder.start();
        process.getOutputStream().close();
        ServerProcess server = new ServerProcess(process, port, metricsPort, adminPassword, stdoutFile, stderrFile);
        try {
            server.awaitListening();
        } catch (AssertionError | InterruptedException e) {
            server.kill();
            throw e;
        }
        return server;
    }

    /** Runs the server jar with {@code args} and {@code env} until it exits by itself (for --help, bad settings). */
    static CompletedProcess run(Path workDir, Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder builder = command(workDir, args);
        builder.environment().putAll(env);
        return CompletedProcess.run(builder, timeout);
    }

    /** {@code java -jar <server jar> args...} in {@code workDir}, with none of the caller's sessiond settings. */
    private static ProcessBuilder command(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", serverJar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = builder.environment();
        // The server must see only the settings a test gives it, not ones the developer happens to have exported.
        env.keySet().removeIf(name -> name.startsWith("SESSIOND_"));
        // The java launcher announces these on stderr ("Picked up ..."), which is not the server's output.
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        return builder;
    }

    /** The gRPC port the server listens on. */
    int port() {
        return port;
    }

    /** The HTTP port of /metrics, /healthz and /readyz. */
    int metricsPort() {
        return metricsPort;
    }

    /** The password of the bootstrap administrator {@code admin}. */
    String adminPassword() {
        return adminPassword;
    }

    /** What the server printed so far, for failure messages. */
    String output() {
        return "--- server stdout ---\n" + read(stdoutFile) + "--- server stderr ---\n" + read(stderrFile);
    }

    /**
     * Stops the server with SIGTERM and waits for it to finish draining.
     *
     * @throws AssertionError if it had to be killed because it did not stop within 20 s
     */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: the server's shutdown hook drains calls and closes the store
        boolean stopped;
        try {
            stopped = process.waitFor(STOP_TIMEOUT.toMillis(), MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        if (!stopped) {
            kill();
            throw new AssertionError("the server did not stop within " + STOP_TIMEOUT + " of SIGTERM and was killed\n"
                    + output());
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with code " + process.exitValue()
                        + " before it listened on port " + port + "\n" + output());
            }
            if (acceptsConnections(port)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the server did not listen on port " + port + " within " + START_TIMEOUT
                        + "\n" + output());
            }
            Thread.sleep(POLL_INTERVAL); // bounded polling: there is no start-up signal to wait on
        }
    }

    /** Whether the server process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Never leaves a server behind, even when interrupted: it would hold its port and data directory. SIGKILL. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port nothing listens on right now; the server binds it a moment later (a race this small is accepted). */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freeLoopbackPortOtherThan(int taken) throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = freeLoopbackPort();
            if (port != taken) {
                return port;
            }
        }
        throw new IOException("no second free port after 10 attempts");
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String javaBinary() {
        // Maven passes the JDK it builds with; from an IDE, the JDK running the test is as good.
        return System.getProperty("sessiond.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Path serverJar() {
        String configured = System.getProperty("sessiond.server.jar");
        if (configured == null || !Files.isRegularFile(Path.of(configured))) {
            throw new AssertionError("the packaged server jar is missing (system property sessiond.server.jar = "
                    + configured + "); build it and run these tests with: ./mvnw -B verify -pl integration-tests -am");
        }
        return Path.of(configured).toAbsolutePath();
    }

    private static String read(Path file) {
        try {
            // Lenient decoding: a stray byte in the log must not hide the rest of it.
            return Files.exists(file) ? new String(Files.readAllBytes(file), UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
