package dev.sessiond.benchmark;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paced passes' load generator when {@code h2load} (Debian's {@code nghttp2-client}) is
 * installed: a C program, so the latency it reports is the server's and the wire's, not a
 * second JVM's late sends (the Java driver's send lag reached p99 20–240 ms at 70 % of a
 * validation maximum, on the two cores it shares with the server).
 *
 * <p>Each pass runs {@link #PROCESSES} h2load processes, one HTTP/2 connection each, at an equal
 * share of the rate: h2load sends one request body per process, so each process validates its
 * own token (spread over the operation's requests). Every request is a real gRPC call: a
 * pre-encoded length-prefixed message with the operation's metadata. h2load sees HTTP statuses
 * only, not {@code grpc-status} (a trailer), so outcomes come from the server's own counters
 * ({@code grpc_server_processing_duration_seconds_count} on {@code /metrics}) before and after
 * the measured part; latencies come from h2load's per-request log. Unlike the Java driver,
 * h2load counts latency from when it sent a request, not from when it was due: it sends on time
 * while fewer than {@link #MAX_STREAMS} calls are open on its connection, so only a server far
 * behind would show less than it should.
 */
final class H2load {

    /** h2load processes per pass, each with its own connection and token. */
    static final int PROCESSES = 4;
    /** Streams one h2load connection may have open; more waiting is a server far behind. */
    private static final int MAX_STREAMS = 256;
    private static final Pattern SUMMARY = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");

    private final Path executable;
    private final Path workDir;
    private final int port;
    private final int metricsPort;

    H2load(Path executable, Path workDir, int port, int metricsPort) {
        this.executable = executable;
        this.workDir = workDir;
        this.port = port;
        this.metricsPort = metricsPort;
    }

    /**
     * The h2load a {@code --paced-driver} choice paces with: none for {@code java}, the one on
     * the PATH for {@code auto} (none if missing) and for {@code h2load}.
     *
     * @throws IllegalStateException for {@code h2load} when there is none on the PATH
     */
    static Optional<Path> chosen(String pacedDriver) {
        return switch (pacedDriver) {
            case "java" -> Optional.empty();
            case "h2load" -> Optional.of(find().orElseThrow(() -> new IllegalStateException(
                    "--paced-driver h2load: no h2load on the PATH (Debian: apt install nghttp2-client)")));
            default -> find();
        };
    }

    /** {@code h2load} on the PATH, if there is one. */
    private static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "h2load");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The gRPC wire form of one message: no compression, 4-byte big-endian length, the bytes. */
    static byte[] frame(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    /**
     * One paced pass of {@code op} at {@code rate} calls/s: {@code warmup} unmeasured, then
     * {@code measure}. Each part sends a fixed number of requests and waits for every answer
     * (h2load's timed mode would reset the calls still in flight at its end).
     */
    Load.PassResult paced(Operation.Unary op, double rate, Duration warmup, Duration measure)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        for (int p = 0; p < PROCESSES; p++) {
            Files.write(body(p), frame(op.requests()[p * op.requests().length / PROCESSES]));
        }
        String method = op.method().getFullMethodName();
        run(op, rate, warmup, "warmup");
        Map<String, Long> before = callCounts(method);
        List<Path> outputs = run(op, rate, measure, "measure");
        Map<String, Long> after = callCounts(method);

        Samples latencies = new Samples((int) Math.min(4_000_000, PROCESSES * requestsPerProcess(rate, measure)));
        long httpErrors = 0;
        long failed = 0;
        for (int p = 0; p < PROCESSES; p++) {
            for (String line : Files.readAllLines(log(p), UTF_8)) {
                String[] columns = line.split("\t");
                if (columns.length < 3) {
                    continue;
                }
                if (!columns[1].equals("200")) {
                    httpErrors++;
                    continue;
                }
                latencies.add(Long.parseLong(columns[2]) * 1_000);
            }
            failed += failedRequests(Files.readString(outputs.get(p), UTF_8));
        }
        return result(op, rate, measure, latencies, outcomes(after, before), httpErrors, failed);
    }

    private Path log(int process) {
        return workDir.resolve("h2load-" + process + ".tsv");
    }

    private Path body(int process) {
        return workDir.resolve("h2load-" + process + ".bin");
    }

    private static long requestsPerProcess(double rate, Duration time) {
        return Math.max(1, Math.round(rate / PROCESSES * time.toNanos() / 1e9));
    }

    /** Runs the processes for {@code time} at {@code rate} in all; returns their outputs. */
    private List<Path> run(Operation.Unary op, double rate, Duration time, String part)
            throws IOException, InterruptedException {
        long requests = requestsPerProcess(rate, time);
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int p = 0; p < PROCESSES; p++) {
                Files.deleteIfExists(log(p));
                Path output = workDir.resolve("h2load-" + p + "-" + part + ".out");
                List<String> command = new ArrayList<>(List.of(executable.toString(),
                        "-c", "1", "-m", Integer.toString(MAX_STREAMS), "-n", Long.toString(requests),
                        "--rps", String.format(Locale.ROOT, "%.3f", rate / PROCESSES),
                        "--log-file", log(p).toString(), "-d", body(p).toString(),
                        "-H", "content-type: application/grpc", "-H", "te: trailers"));
                String authorization = op.headers().get(Driver.AUTHORIZATION);
                if (authorization != null) {
                    command.addAll(List.of("-H", "authorization: " + authorization));
                }
                command.add("http://127.0.0.1:" + port + "/" + op.method().getFullMethodName());
                processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start());
                outputs.add(output);
            }
            long limit = time.plusSeconds(60).toMillis();
            for (Process process : processes) {
                if (!process.waitFor(limit, TimeUnit.MILLISECONDS)) {
                    throw new IOException("h2load did not finish within " + limit + " ms");
                }
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        return outputs;
    }

    /** The pass's result: the window's latencies, weighted by the share of expected outcomes the server counted. */
    static Load.PassResult result(Operation.Unary op, double rate, Duration measure, Samples latencies,
            Map<String, Long> serverOutcomes, long httpErrors, long failed) {
        Map<String, Long> outcomes = new TreeMap<>(serverOutcomes);
        if (httpErrors > 0) {
            outcomes.merge("HTTP_ERROR", httpErrors, Long::sum);
        }
        if (failed > 0) {
            outcomes.merge("H2LOAD_FAILED", failed, Long::sum);
        }
        Set<String> expectedKeys = new HashSet<>();
        long all = 0;
        long expected = 0;
        for (Map.Entry<String, Long> e : outcomes.entrySet()) {
            all += e.getValue();
            if (isCode(e.getKey()) && op.expected(new Outcome(Status.Code.valueOf(e.getKey()), "", null))) {
                expectedKeys.add(e.getKey());
                expected += e.getValue();
            }
        }
        double share = all == 0 ? 0 : (double) expected / all;
        long measuredExpected = Math.round(latencies.count() * share);
        double seconds = measure.toNanos() / 1e9;
        return new Load.PassResult(op.name(), "paced, h2load", PROCESSES * MAX_STREAMS, rate, seconds,
                measuredExpected, measuredExpected / seconds, latencies.latency(), outcomes, expectedKeys, Map.of(),
                true, null);
    }

    private static boolean isCode(String key) {
        return Arrays.stream(Status.Code.values()).anyMatch(code -> code.name().equals(key));
    }

    /** Requests h2load counted as failed or errored, from its summary. */
    static long failedRequests(String output) {
        Matcher m = SUMMARY.matcher(output);
        return m.find() ? Long.parseLong(m.group(5)) + Long.parseLong(m.group(6)) : 0;
    }

    /** Per gRPC status code, the calls counted between two scrapes. */
    static Map<String, Long> outcomes(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((code, n) -> {
            long d = n - before.getOrDefault(code, 0L);
            if (d > 0) {
                delta.put(code, d);
            }
        });
        return delta;
    }

    private Map<String, Long> callCounts(String fullMethodName) throws IOException, InterruptedException {
        return ServerMetrics.callCounts(ServerMetrics.scrape(metricsPort), fullMethodName);
    }
}
