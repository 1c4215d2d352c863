package dev.sessiond.benchmark;

import dev.sessiond.proto.v1.EnumSessionsRequest;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc;
import dev.sessiond.proto.v1.SessionInfoLevel;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.UpdateLastActivityRequest;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.proto.v1.ValidateBasicFieldsRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * One store's run, against one server process: seed, baseline, every operation at its maximum
 * and at 70 % of it, the validations in passes alternating with E passes, the login flood,
 * then the larger stored-session counts after a restart. Not thread-safe.
 */
final class StoreRun {

    static final String HEALTH = "Health/Check (E)";
    static final String VALIDATE = "ValidateAndGetSession";
    static final String VALIDATE_BAD = "ValidateAndGetSession, bad signature";
    static final String BASIC = "ValidateBasicFields";
    static final String ACTIVITY = "UpdateLastActivity";
    static final String ENUM = "EnumSessions, first page";
    static final String CYCLE = "open+close cycle";
    static final String SIGN_IN = "OpenSession, password";

    /** The passes {@code --profile} can record, by the key it takes. */
    static final Map<String, String> PROFILED_PASSES = inOrder("validate", VALIDATE, "bad-signature", VALIDATE_BAD,
            "basic-fields", BASIC, "activity", ACTIVITY, "enum", ENUM, "cycle", CYCLE, "sign-in", SIGN_IN);

    /** The share of an operation's maximum at which its latency is judged. */
    static final double PACED_SHARE = 0.70;
    /** Logins offered during the flood, as a multiple of the hashing capacity. */
    static final double FLOOD_FACTOR = 4;
    /** Calls the paced passes may have outstanding before the schedule waits (and the wait counts as latency). */
    private static final int PACED_MAX_IN_FLIGHT = 1024;
    private static final int LOGIN_USERS = 16;
    /** When two one-second passes in a row differ by at most this share, a path counts as compiled. */
    private static final double SETTLED = 0.05;
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
    /** Passes of each validation paired with E passes, and how long each pass runs. */
    static final int PAIRED_ROUNDS = 5;
    static final Duration PAIRED_PASS = Duration.ofSeconds(1);
    /** How long each sign-in pass paired with hash timings runs: ~100 sign-ins on two cores. */
    static final Duration SIGN_IN_PAIRED_PASS = Duration.ofSeconds(2);
    /** Hashes in each timing between those passes: one after another (their median counts), then as many per core side by side. */
    static final int HASHES_PER_TIMING = 5;

    private final Options options;
    private final Store store;
    private final Path workDir;
    private final Consumer<String> log;
    private final Map<String, String> settings = new HashMap<>();
    private final int cores = Runtime.getRuntime().availableProcessors();
    /** What paces single calls at 70 %; empty: the Java driver. */
    private final Optional<Path> h2load;

    StoreRun(Options options, Store store, Path workDir, Consumer<String> log) {
        this.options = options;
        this.store = store;
        this.workDir = workDir;
        this.log = log;
        settings.putAll(store.serverSettings());
        settings.put("SESSIOND_ADMIN_PASSWORD", randomPassword());
        // Sessions (the API's and the fillers) must not expire during a long run, and the reaper must find nothing
        // to do: it would delete rows under the measurement.
        settings.put("SESSIOND_SESSION_IDLE_TIMEOUT", "24h");
        h2load = H2load.chosen(options.pacedDriver());
    }

    Results.StoreResult run() throws Exception {
        int stored = options.storedSessions().get(0);
        Seeder.Fixture fixture;
        try (ServerProcess server = start()) {
            try (Driver driver = new Driver(server.port(), 1)) {
                fixture = Seeder.setUp(driver, settings.get("SESSIOND_ADMIN_PASSWORD"), LOGIN_USERS,
                        options.apiSessions(), log);
            }
        }
        Seeder.fill(store, fixture.holderIds(), stored, log);
        log.accept("timing Argon2id hashes (m=19456 KiB, t=2, p=1) while the server is stopped");
        HashTiming.Timing hashing = HashTiming.measure(cores);
        double hashMillis = hashing.oneMillis();
        log.accept(String.format("one hash: %.1f ms; sign-in capacity %d cores / hash = %.1f logins/s; "
                + "%d hashing side by side: %.1f hashes/s", hashMillis, cores, cores * 1000.0 / hashMillis, cores,
                hashing.sideBySidePerSecond()));

        Results.StoreResult result;
        try (ServerProcess server = start(); Driver driver = new Driver(server.port(), options.connections())) {
            Operations ops = new Operations(driver, fixture);
            log.accept("warming up: every operation but the password logins for " + options.warmup().toMillis() + " ms");
            warmUp(ops, ops.updateLastActivity(), ops.openCloseCycle());
            Measured baseline = maxMeasured(server, ops.health(), options.inFlight());
            // The floor under the operations' p99 at 70 %: the empty RPC at the same share of its own maximum, with the
            // same load generator on the same cores.
            Load.PassResult baselinePaced = paced(server, ops.health(), HEALTH, baseline.pass());
            List<Results.OperationResult> operations = new ArrayList<>();
            operations.add(measure(server, ops.validate(), VALIDATE, String.format("valid tokens of %,d API-opened sessions, "
                    + "round-robin, caller: a service account", fixture.sessions().size()), options.inFlight()));
            operations.add(measure(server, ops.validateBadSignature(), VALIDATE_BAD,
                    "the same tokens with a wrong mac; expected: UNAUTHENTICATED", options.inFlight()));
            operations.add(measure(server, ops.basicFields(), BASIC, "the same tokens; no store access for the token",
                    options.inFlight()));
            List<Results.Paired> paired = new ArrayList<>();
            for (Operation op : List.of(ops.validate(), ops.validateBadSignature(), ops.basicFields())) {
                paired.add(paired(server, ops.health(), op));
            }
            operations.add(measure(server, ops.updateLastActivity(), ACTIVITY, "the same sessions by id; writes through",
                    options.inFlight()));
            operations.add(enumSessions(server, driver, ops, fixture.adminToken()));
            operations.add(measure(server, ops.openCloseCycle(), CYCLE,
                    "SessionServerService.OpenSession (no password) then CloseSession; one cycle = 2 calls",
                    options.inFlight()));
            // Before any password hash: each allocates 19 MiB, and the heap grows with them.
            ServerProcess.Memory memory = server.memory();
            // Argon2 is interpreted until hot; its pass's own warm-up alone left the first quick runs measuring that.
            Load.maxThroughput(ops.signIn(), 2 * cores, Duration.ZERO, options.warmup()).await();
            operations.add(measure(server, ops.signIn(), SIGN_IN,
                    "SessionClientService.OpenSession with a password; " + 2 * cores + " in flight (2 per core)",
                    2 * cores));
            Results.SignInRounds signIns = pairedSignIns(ops.signIn());
            Results.Flood flood = flood(ops, hashMillis);
            Load.PassResult baselineAgain = max(ops.health(), options.inFlight());
            result = new Results.StoreResult(store.kind(), null, stored, fixture.sessions().size(), cores, hashMillis,
                    hashing.sideBySidePerSecond(), baseline.pass(), baselinePaced, baselineAgain, baseline.bytesPerCall(),
                    operations, flood, memory, new ArrayList<>(), paired, signIns);
        }
        if (options.storedSessions().size() > 1) {
            // Every count is measured the same way, after a restart: the first server's validate pass came after other
            // warm-ups and at another time, so comparing a restarted server with it measured the restart as much.
            result.scales().add(scale(stored, fixture));
            for (int larger : options.storedSessions().subList(1, options.storedSessions().size())) {
                Seeder.fill(store, fixture.holderIds(), larger, log);
                result.scales().add(scale(larger, fixture));
            }
        }
        return result;
    }

    private ServerProcess start() throws IOException, InterruptedException {
        List<String> jvmArgs = new ArrayList<>(options.serverJvmOptions());
        if (options.profiled() != null) {
            jvmArgs.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints")); // exact frames
        }
        ServerProcess server = ServerProcess.start(options.java(), options.serverJar(), workDir, settings, jvmArgs);
        log.accept("server started (pid " + server.pid() + ", port " + server.port() + ")");
        return server;
    }

    private Results.Scale scale(int stored, Seeder.Fixture fixture) throws Exception {
        try (ServerProcess server = start(); Driver driver = new Driver(server.port(), options.connections())) {
            Operations ops = new Operations(driver, fixture);
            // A restarted server is as cold as the first one: warmed the same way, or E and validation come out low.
            warmUp(ops);
            Load.PassResult baseline = max(ops.health(), options.inFlight());
            Load.PassResult validate = max(ops.validate(), options.inFlight());
            ServerProcess.Memory memory = server.memory();
            log.accept(String.format("  %,d stored sessions: server resident memory %.0f MiB (peak %.0f MiB)", stored,
                    memory.rssMiB(), memory.peakMiB()));
            return new Results.Scale(stored, baseline, validate, memory);
        }
    }

    /**
     * Every path compiled and every connection open before the first figure, E included: a cold
     * path (class loading, interpreted Argon2) would be measured as the server's cost. Health,
     * the three validations and {@code others} each for the warm-up time, then validation and E
     * until they settle.
     */
    private void warmUp(Operations ops, Operation... others) throws InterruptedException {
        List<Operation> passes = new ArrayList<>(List.of(ops.health(), ops.validate(), ops.validateBadSignature(),
                ops.basicFields()));
        passes.addAll(List.of(others));
        passes.add(ops.health());  // E comes first: the transport it measures must be as warm as the rest
        for (Operation op : passes) {
            Load.maxThroughput(op, options.inFlight(), Duration.ZERO, options.warmup()).await();
        }
        settle(ops.validate());
        settle(ops.health());
    }

    /**
     * Repeats one-second passes of {@code op} until two in a row are within {@link #SETTLED} of each
     * other, for at most {@link #SETTLE_LIMIT}. On two cores shared with the driver, compilation
     * goes on well past a fixed warm-up: --quick runs measured E before the operations at a third
     * of E after them, which flattered every ratio.
     */
    private void settle(Operation op) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        double last = 0;
        int rounds = 0;
        while (System.nanoTime() - deadline < 0) {
            double now = Load.maxThroughput(op, options.inFlight(), Duration.ZERO, Duration.ofSeconds(1)).await()
                    .throughput();
            rounds++;
            if (last > 0 && Math.abs(now / last - 1) <= SETTLED) {
                log.accept(String.format("  %s settled at %,.0f /s after %d s", op.name(), now, rounds));
                return;
            }
            last = now;
        }
        log.accept(String.format("  %s did not settle in %d s (last %,.0f /s)", op.name(), rounds, last));
    }

    /**
     * {@code op}'s ratio to E in {@link #PAIRED_ROUNDS} short passes, each between two E passes
     * (see {@link Results.Paired}), after a warm-up of {@code op}. Without it, the first pass or
     * two after the other operations' passes ran at 0.07–0.49 E in four runs, the rest at
     * 0.73–0.89 E: most likely the validated sessions' cache entries had expired meanwhile (a
     * minute), and the server read them all back at once (with 100 sessions instead of 5,000 the
     * first pass ran at 0.48 E, with 5,000 at 0.08–0.13 E). Until the server re-read sessions in
     * use ahead of their expiry, a round or two of {@code ValidateAndGetSession} still dipped: its
     * --quick rounds come ~50-61 s after the warm-up read every session, and in four runs the
     * rounds that overlapped the minute's end read 0.35-0.65 E, the others 0.76-1.02 E. Each
     * round's store reads, from the server's cache counter, now show whether a round read the
     * store at all.
     */
    private Results.Paired paired(ServerProcess server, Operation health, Operation op)
            throws IOException, InterruptedException {
        Load.maxThroughput(op, options.inFlight(), Duration.ZERO, options.warmup()).await();
        List<Double> ratios = new ArrayList<>();
        List<Results.StoreReads> storeReads = new ArrayList<>();
        double before = pairedPass(health);
        for (int i = 0; i < PAIRED_ROUNDS; i++) {
            ServerMetrics.Sample start = server.metrics();
            double measured = pairedPass(op);
            ServerMetrics.storeReads(start, server.metrics()).ifPresent(storeReads::add);
            double after = pairedPass(health);
            ratios.add(measured / ((before + after) / 2));
            before = after;
        }
        Results.Paired paired = new Results.Paired(op.name(), ratios, storeReads);
        log.accept(String.format("  %-38s paired with E: median %.2f E (%.2f to %.2f in %d rounds)%s", op.name(),
                paired.median(), paired.min(), paired.max(), ratios.size(), Report.storeReads(paired)));
        return paired;
    }

    /**
     * {@link #PAIRED_ROUNDS} passes of the password sign-ins, each between two brief timings of
     * the hashes here in the driver, while the server is idle (see {@link Results.SignInRounds}).
     */
    private Results.SignInRounds pairedSignIns(Operation signIn) throws InterruptedException {
        List<HashTiming.Timing> timings = new ArrayList<>(List.of(HashTiming.briefly(cores, HASHES_PER_TIMING)));
        List<Double> signIns = new ArrayList<>();
        for (int i = 0; i < PAIRED_ROUNDS; i++) {
            signIns.add(Load.maxThroughput(signIn, 2 * cores, Duration.ZERO, SIGN_IN_PAIRED_PASS).await().throughput());
            timings.add(HashTiming.briefly(cores, HASHES_PER_TIMING));
        }
        Results.SignInRounds rounds = new Results.SignInRounds(cores, signIns, timings);
        Results.Paired one = rounds.toOneHash();
        Results.Paired sideBySide = rounds.toSideBySide();
        log.accept(String.format("  %-38s paired with hash timings: median %.2f x cores / hash (%.2f to %.2f in %d "
                + "rounds; one hash %.1f to %.1f ms), %.2f x the cores side by side (%.2f to %.2f)", SIGN_IN,
                one.median(), one.min(), one.max(), signIns.size(), rounds.fastestHash(), rounds.slowestHash(),
                sideBySide.median(), sideBySide.min(), sideBySide.max()));
        return rounds;
    }

    private double pairedPass(Operation op) throws InterruptedException {
        return Load.maxThroughput(op, options.inFlight(), Duration.ZERO, PAIRED_PASS).await().throughput();
    }

    /**
     * A maximum-throughput pass, with what the server's metrics say of it: the bytes allocated per
     * call ended and the mean time of its password hashes, both over the pass and its warm-up.
     */
    private record Measured(Load.PassResult pass, double bytesPerCall, double hashMillis) {}

    private Measured maxMeasured(ServerProcess server, Operation op, int inFlight)
            throws IOException, InterruptedException {
        ServerMetrics.Sample before = server.metrics();
        Load.PassResult pass = max(op, inFlight);
        ServerMetrics.Sample after = server.metrics();
        return new Measured(pass, ServerMetrics.bytesPerCall(before, after), ServerMetrics.hashMillis(before, after));
    }

    private Load.PassResult max(Operation op, int inFlight) throws InterruptedException {
        Load.PassResult r = Load.maxThroughput(op, inFlight, options.warmup(), options.measure()).await();
        log.accept(String.format("  %-38s max   %,10.0f /s  p50 %7.2f ms  p99 %7.2f ms%s", op.name(), r.throughput(),
                r.latency().p50(), r.latency().p99(), r.unexpected() > 0 ? "  other outcomes: " + r.outcomes() : ""));
        return r;
    }

    private Results.OperationResult measure(ServerProcess server, Operation op, String name, String what, int inFlight)
            throws IOException, InterruptedException {
        // The recording is named by the pass's --profile key: jcmd splits its arguments at spaces and commas.
        String recording = name.equals(PROFILED_PASSES.get(options.profiled())) ? options.profiled() : null;
        if (recording != null) {
            server.startRecording(recording);
        }
        Measured measured = maxMeasured(server, op, inFlight);
        Load.PassResult max = measured.pass();
        Profile profile = null;
        if (recording != null) {
            Path jfr = workDir.resolve(recording + ".jfr");
            server.stopRecording(recording, jfr);
            profile = Profile.read(name, jfr);
        }
        return new Results.OperationResult(name, what, max, paced(server, op, name, max), null, profile,
                measured.bytesPerCall(), measured.hashMillis());
    }

    /**
     * {@code op} paced at 70 % of its {@code max} pass, by h2load for single calls when there is
     * one; null when the maximum pass completed nothing.
     */
    private Load.PassResult paced(ServerProcess server, Operation op, String name, Load.PassResult max)
            throws IOException, InterruptedException {
        if (max.throughput() <= 0) {
            return null;
        }
        double rate = PACED_SHARE * max.throughput();
        Load.PassResult paced = h2load.isPresent() && op instanceof Operation.Unary unary
                ? new H2load(h2load.get(), workDir.resolve("h2load"), server.port(), server.metricsPort())
                        .paced(unary, rate, options.warmup(), options.paced())
                : Load.paced(op, rate, options.warmup(), options.paced(), PACED_MAX_IN_FLIGHT);
        log.accept(String.format("  %-38s 70%%   %,10.0f /s  p50 %7.2f ms  p99 %7.2f ms  (%s)", name,
                paced.throughput(), paced.latency().p50(), paced.latency().p99(), paced.mode()));
        return paced;
    }

    /** EnumSessions may not be served yet: one probe call decides. */
    private Results.OperationResult enumSessions(ServerProcess server, Driver driver, Operations ops, String adminToken)
            throws IOException, InterruptedException {
        CompletableFuture<Outcome> probe = new CompletableFuture<>();
        ops.enumSessions().invoke(0, probe::complete);
        Outcome outcome;
        try {
            outcome = probe.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (outcome.code() == Status.Code.UNIMPLEMENTED) {
            log.accept("  " + ENUM + ": not served (UNIMPLEMENTED)");
            return new Results.OperationResult(ENUM, "", null, null, "the server answers UNIMPLEMENTED", null,
                    Double.NaN, Double.NaN);
        }
        return measure(server, ops.enumSessions(), ENUM, "level 1, default page size, no filter, caller: the administrator",
                options.inFlight());
    }

    /** Validation at its maximum while logins arrive at several times the hashing capacity. */
    private Results.Flood flood(Operations ops, double hashMillis) throws InterruptedException, ExecutionException {
        double offered = FLOOD_FACTOR * cores * 1000.0 / hashMillis;
        Load.Running validate = Load.maxThroughput(ops.validate(), options.inFlight(), options.warmup(), options.measure());
        CompletableFuture<Load.PassResult> logins = CompletableFuture.supplyAsync(() -> {
            try {
                return Load.paced(ops.signIn(), offered, options.warmup(), options.measure(), options.floodLogins());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        Load.PassResult v = validate.await();
        Load.PassResult l = logins.get();
        log.accept(String.format("  login flood (%.0f logins/s offered): validate %,.0f /s; logins %s", offered,
                v.throughput(), l.outcomes()));
        return new Results.Flood(offered, v, l);
    }

    private static Map<String, String> inOrder(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The same token with the first character of its mac changed: well-formed, wrongly signed. */
    static String badSignature(String token) {
        int mac = token.lastIndexOf('.') + 1;
        char first = token.charAt(mac);
        return token.substring(0, mac) + (first == 'A' ? 'B' : 'A') + token.substring(mac + 1);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The operations, with their requests encoded once. */
    private record Operations(Driver driver, Seeder.Fixture fixture) {

        Operation health() {
            // grpc.health.v1.HealthCheckRequest{service: ""} encodes to no bytes at all.
            return Operation.unary(HEALTH, driver, "grpc.health.v1.Health/Check", List.of(new byte[0]), new Metadata(),
                    Set.of(Status.Code.OK));
        }

        Operation validate() {
            return Operation.unary(VALIDATE, driver, SessionServerServiceGrpc.getValidateAndGetSessionMethod(),
                    fixture.sessions().stream().map(s -> ValidateAndGetSessionRequest.newBuilder()
                            .setToken(s.token()).build().toByteArray()).toList(),
                    service(), Set.of(Status.Code.OK));
        }

        Operation validateBadSignature() {
            return Operation.unary(VALIDATE_BAD, driver, SessionServerServiceGrpc.getValidateAndGetSessionMethod(),
                    fixture.sessions().stream().map(s -> ValidateAndGetSessionRequest.newBuilder()
                            .setToken(badSignature(s.token())).build().toByteArray()).toList(),
                    service(), Set.of(Status.Code.UNAUTHENTICATED));
        }

        Operation basicFields() {
            return Operation.unary(BASIC, driver, SessionServerServiceGrpc.getValidateBasicFieldsMethod(),
                    fixture.sessions().stream().map(s -> ValidateBasicFieldsRequest.newBuilder()
                            .setToken(s.token()).build().toByteArray()).toList(),
                    service(), Set.of(Status.Code.OK));
        }

        Operation updateLastActivity() {
            return Operation.unary(ACTIVITY, driver, SessionServerServiceGrpc.getUpdateLastActivityMethod(),
                    fixture.sessions().stream().map(s -> UpdateLastActivityRequest.newBuilder()
                            .setSessionId(s.id()).build().toByteArray()).toList(),
                    service(), Set.of(Status.Code.OK));
        }

        Operation enumSessions() {
            return Operation.unary(ENUM, driver, SessionDirectoryServiceGrpc.getEnumSessionsMethod(),
                    List.of(EnumSessionsRequest.newBuilder().setLevel(SessionInfoLevel.SESSION_INFO_LEVEL_1).build()
                            .toByteArray()),
                    Driver.bearer(fixture.adminToken()), Set.of(Status.Code.OK));
        }

        Operation openCloseCycle() {
            return Operation.openCloseCycle(driver,
                    i -> Seeder.openRequest(fixture.holderIds(), i).toByteArray(), service());
        }

        Operation signIn() {
            return Operation.unary(SIGN_IN, driver, SessionClientServiceGrpc.getOpenSessionMethod(),
                    fixture.logins().stream().map(login -> OpenSessionRequest.newBuilder().setLogin(login)
                            .setPassword(Seeder.PASSWORD).setApplicationId("web-client").build().toByteArray()).toList(),
                    new Metadata(), Set.of(Status.Code.OK));
        }

        private Metadata service() {
            return Driver.bearer(fixture.serviceToken());
        }
    }
}
