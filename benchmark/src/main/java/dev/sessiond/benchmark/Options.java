package dev.sessiond.benchmark;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's command line. {@code --quick} is the smoke form CI runs: H2 only, 10,000
 * stored sessions, a few seconds per operation; everything else defaults to the full run.
 *
 * @param stores the stores to run against, in order
 * @param storedSessions the stored-session counts, ascending; the first is the one every operation runs at
 * @param apiSessions how many of the stored sessions are opened through the API (their tokens are validated)
 * @param warmup the unmeasured time before each measured pass
 * @param measure the measured time of each operation at its maximum throughput
 * @param paced the measured time of the pass at 70 % of that maximum
 * @param inFlight the most calls in flight at once in a maximum-throughput pass
 * @param connections the HTTP/2 connections the calls are spread over
 * @param floodLogins the most password logins outstanding during the login flood
 * @param pacedDriver what drives the paced passes: {@code auto} (h2load when installed), {@code h2load} or {@code java}
 * @param serverJvmOptions JVM flags for the server; none by default, as {@code bin/sessiond} runs it
 */
record Options(
        boolean quick,
        List<Store.Kind> stores,
        List<Integer> storedSessions,
        int apiSessions,
        Duration warmup,
        Duration measure,
        Duration paced,
        int inFlight,
        int connections,
        int floodLogins,
        String pacedDriver,
        String profiled,
        List<String> serverJvmOptions,
        Path out,
        Path serverJar,
        Path java) {

    static final String USAGE = """
            Usage: bin/benchmark [--quick] [--store h2|postgresql|both] [--profile [PASS]] [options]

              --quick                 smoke form (CI): H2, 10,000 sessions, ~2 s per operation
              --store S               h2, postgresql or both (default: both; PostgreSQL is skipped
                                      with a note when it cannot be reached; --quick: h2)
              --profile [PASS]        record a JFR profile of the server during one pass (its maximum)
                                      and print its top frames; PASS: validate (default), bad-signature,
                                      basic-fields, activity, enum, cycle, sign-in
              --sessions N[,M]        stored-session counts (default: 10000,1000000; --quick: 10000)
              --api-sessions N        sessions opened through the API, whose tokens are validated
                                      (default: 5000; --quick: 1000); the rest are filler rows
              --warmup D              unmeasured warm-up before each pass (default: 3s; --quick: 2s)
              --duration D            measured time per operation (default: 10s; --quick: 2s)
              --paced D               measured time of the pass at 70 % of the maximum (default: 5s; --quick: 1s)
              --in-flight N           calls in flight in a maximum-throughput pass (default: 32)
              --connections N         HTTP/2 connections to the server (default: 4)
              --flood-logins N        most password logins outstanding during the login flood (default: 256)
              --paced-driver D        what drives the passes at 70 %: h2load (Debian nghttp2-client), java
                                      (this JVM), or auto (default: h2load when it is on the PATH)
              --server-jvm-options S  JVM flags for the server, space-separated (bin/benchmark passes
                                      those bin/sessiond runs it with), e.g. "-Xmx256m -XX:+UseSerialGC"
              --out DIR               where report.md, report.json and the run's logs go (default: benchmark/target)
              --server-jar FILE       the packaged server (bin/benchmark passes server/target/sessiond-server.jar)
              --java FILE             the java launcher for the server (default: this JVM's)

            PostgreSQL is found like the tests find it: SESSIOND_TEST_POSTGRES_URL (default
            jdbc:postgresql://127.0.0.1:5432/postgres), SESSIOND_TEST_POSTGRES_USER (default postgres),
            SESSIOND_TEST_POSTGRES_PASSWORD. The benchmark creates its own database there and drops it.
            """;

    Options {
        requireNonNull(stores, "stores");
        requireNonNull(storedSessions, "storedSessions");
        serverJvmOptions = List.copyOf(serverJvmOptions);
        requireNonNull(out, "out");
        requireNonNull(serverJar, "serverJar");
        requireNonNull(java, "java");
        if (stores.isEmpty() || storedSessions.isEmpty()) {
            throw new IllegalArgumentException("at least one store and one stored-session count");
        }
        if (apiSessions < 1 || apiSessions > storedSessions.get(0)) {
            throw new IllegalArgumentException("--api-sessions: " + apiSessions + " (expected: 1.." + storedSessions.get(0) + ")");
        }
        if (inFlight < 1 || connections < 1 || floodLogins < 1) {
            throw new IllegalArgumentException("--in-flight, --connections, --flood-logins: expected >= 1");
        }
    }

    /** Thrown for a bad command line; the message says what was wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(String... args) throws UsageException {
        boolean quick = List.of(args).contains("--quick");
        String store = quick ? "h2" : "both";
        String sessions = quick ? "10000" : "10000,1000000";
        int apiSessions = quick ? 1_000 : 5_000;
        Duration warmup = Duration.ofSeconds(quick ? 2 : 3);
        Duration measure = Duration.ofSeconds(quick ? 2 : 10);
        Duration paced = Duration.ofSeconds(quick ? 1 : 5);
        int inFlight = 32;
        int connections = 4;
        int floodLogins = 256;
        String pacedDriver = "auto";
        String profiled = null;
        List<String> serverJvmOptions = List.of();
        Path out = Path.of("benchmark", "target");
        Path serverJar = null;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> { }
                case "--profile" -> {
                    boolean named = i + 1 < args.length && !args[i + 1].startsWith("--");
                    profiled = pass(arg, named ? args[++i] : "validate");
                }
                case "--store" -> store = value(args, ++i, arg);
                case "--sessions" -> sessions = value(args, ++i, arg);
                case "--api-sessions" -> apiSessions = positive(arg, value(args, ++i, arg));
                case "--warmup" -> warmup = duration(arg, value(args, ++i, arg));
                case "--duration" -> measure = duration(arg, value(args, ++i, arg));
                case "--paced" -> paced = duration(arg, value(args, ++i, arg));
                case "--in-flight" -> inFlight = positive(arg, value(args, ++i, arg));
                case "--connections" -> connections = positive(arg, value(args, ++i, arg));
                case "--flood-logins" -> floodLogins = positive(arg, value(args, ++i, arg));
                case "--paced-driver" -> pacedDriver = pacedDriver(value(args, ++i, arg));
                case "--server-jvm-options" -> {
                    String flags = value(args, ++i, arg).trim();
                    serverJvmOptions = flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
                }
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--server-jar" -> serverJar = Path.of(value(args, ++i, arg));
                case "--java" -> java = Path.of(value(args, ++i, arg));
                default -> throw new UsageException("unknown argument: " + arg);
            }
        }
        if (serverJar == null) {
            throw new UsageException("--server-jar: missing (bin/benchmark builds the server and passes it)");
        }
        try {
            return new Options(quick, stores(store), counts(sessions), apiSessions, warmup, measure, paced, inFlight,
                    connections, floodLogins, pacedDriver, profiled, serverJvmOptions, out, serverJar, java);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static List<Store.Kind> stores(String value) throws UsageException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "h2" -> List.of(Store.Kind.H2);
            case "postgresql", "postgres", "pg" -> List.of(Store.Kind.POSTGRESQL);
            case "both" -> List.of(Store.Kind.H2, Store.Kind.POSTGRESQL);
            default -> throw new UsageException("--store: " + value + " (expected: h2, postgresql or both)");
        };
    }

    private static List<Integer> counts(String value) throws UsageException {
        List<Integer> counts = new ArrayList<>();
        for (String part : value.split(",")) {
            int n = positive("--sessions", part.trim().replace("_", ""));
            if (!counts.isEmpty() && n <= counts.get(counts.size() - 1)) {
                throw new UsageException("--sessions: " + value + " (expected: ascending counts)");
            }
            counts.add(n);
        }
        return List.copyOf(counts);
    }

    private static String value(String[] args, int i, String flag) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(flag + ": missing value");
        }
        return args[i];
    }

    private static String pacedDriver(String value) throws UsageException {
        if (!List.of("auto", "h2load", "java").contains(value)) {
            throw new UsageException("--paced-driver: " + value + " (expected: auto, h2load or java)");
        }
        return value;
    }

    /** A {@code --profile} pass key, checked. */
    private static String pass(String flag, String key) throws UsageException {
        if (!StoreRun.PROFILED_PASSES.containsKey(key)) {
            throw new UsageException(flag + ": " + key + " (expected one of: "
                    + String.join(", ", StoreRun.PROFILED_PASSES.keySet()) + ")");
        }
        return key;
    }

    private static int positive(String flag, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + ": " + value + " (expected: a whole number >= 1)");
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}. */
    static Duration duration(String flag, String value) throws UsageException {
        try {
            if (value.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2))), flag, value);
            }
            if (value.endsWith("s")) {
                return positive(Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1))), flag, value);
            }
            if (value.endsWith("m")) {
                return positive(Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1))), flag, value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + ": " + value + " (expected: a duration such as 500ms, 10s or 2m)");
    }

    private static Duration positive(Duration d, String flag, String value) throws UsageException {
        if (d.isZero() || d.isNegative()) {
            throw new UsageException(flag + ": " + value + " (expected: > 0)");
        }
        return d;
    }
}
