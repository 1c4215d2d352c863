package dev.sessiond.benchmark;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server ({@code java -jar sessiond-server.jar}) as its own OS process, started
 * the way an operator starts it: configured by environment variables only, with the JVM's
 * default settings, its output appended to {@code server.log} in its working directory.
 * {@link #close()} stops it with SIGTERM. Not thread-safe.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Above the server's 10 s shutdown grace plus the activity flush. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final int metricsPort;
    private final Path log;
    private final Path java;

    private ServerProcess(Process process, int port, int metricsPort, Path log, Path java) {
        this.process = process;
        this.port = port;
        this.metricsPort = metricsPort;
        this.log = log;
        this.java = java;
    }

    /**
     * Starts the server on a free loopback port and returns once it accepts connections.
     *
     * @param jvmArgs extra JVM flags (only for profiling: the measured server runs with the defaults)
     */
    static ServerProcess start(Path java, Path jar, Path workDir, Map<String, String> settings, List<String> jvmArgs)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port = freeLoopbackPort();
        int metricsPort = freeLoopbackPort();
        Path log = workDir.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SESSIOND_")); // only the settings given here
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.put("SESSIOND_GRPC_PORT", Integer.toString(port));
        env.put("SESSIOND_METRICS_PORT", Integer.toString(metricsPort));
        env.putAll(settings);
        Process process = builder.start();
        process.getOutputStream().close();
        ServerProcess server = new ServerProcess(process, port, metricsPort, log, java);
        try {
            server.awaitListening();
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.kill();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    /** The HTTP port of the server's /metrics. */
    int metricsPort() {
        return metricsPort;
    }

    /** The server's call count and allocation now, from its /metrics. */
    ServerMetrics.Sample metrics() throws IOException, InterruptedException {
        return ServerMetrics.Sample.of(ServerMetrics.scrape(metricsPort));
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory now and at its peak, from {@code /proc/<pid>/status}. */
    Memory memory() throws IOException {
        long rss = -1;
        long hwm = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"), UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kib(line);
            }
        }
        return new Memory(rss / 1024.0, hwm / 1024.0);
    }

    /** Resident set size in MiB: now, and the high-water mark since start. */
    record Memory(double rssMiB, double peakMiB) {}

    private static long kib(String statusLine) {
        String[] parts = statusLine.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    /**
     * Starts a JFR recording with the profiling settings (jcmd JFR.start), and CPU-time samples
     * where the server's JVM has them (Java 25 on Linux): see {@link Profile}.
     */
    void startRecording(String name) throws IOException, InterruptedException {
        try {
            jcmd("JFR.start", "name=" + name, "settings=profile",
                    Profile.CPU_TIME_SAMPLE + "#enabled=true", Profile.CPU_TIME_SAMPLE + "#throttle=5ms");
        } catch (IOException noCpuTimeSamples) {
            jcmd("JFR.start", "name=" + name, "settings=profile");
        }
    }

    /** Stops the recording and writes it to {@code file} (jcmd JFR.stop). */
    void stopRecording(String name, Path file) throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
    }

    private void jcmd(String... args) throws IOException, InterruptedException {
        Path jcmd = java.resolveSibling("jcmd");
        List<String> command = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", args) + " failed: " + out.strip());
        }
    }

    /** The last lines the server printed, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, and waits for the graceful stop (which writes the remembered activity); SIGKILL after 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    private void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("the server exited with code " + process.exitValue() + " before listening on port "
                        + port + "; its log ends with:\n" + tail());
            }
            if (acceptsConnections()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the server did not listen on port " + port + " within " + START_TIMEOUT
                        + "; its log ends with:\n" + tail());
            }
            Thread.sleep(100); // bounded polling: the server gives no start-up signal
        }
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
