package dev.sessiond.benchmark;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code bin/benchmark}: measures a real sessiond server, started from its packaged jar as its
 * own process, from this separate JVM, and writes {@code report.md} and {@code report.json}.
 *
 * <p>Exit codes: 0 when the report was written, whatever the targets say (a MISS is a finding,
 * not a failure); 1 when the harness could not measure (the server did not start, a pass
 * crashed, or an operation's calls did not end as they must, so its figure would mean
 * nothing); 2 for a bad command line.
 */
public final class Benchmark {

    /** More than this share of calls ending otherwise than expected makes a figure meaningless. */
    private static final double MAX_UNEXPECTED = 0.01;

    private Benchmark() {}

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.print(Options.USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            System.err.println("benchmark: " + e.getMessage() + "\n\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(Benchmark::stopChildren, "benchmark-cleanup"));
        System.exit(run(options));
    }

    static int run(Options options) {
        long started = System.nanoTime();
        String loadBefore = loadAverage();
        List<Results.StoreResult> results = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Store.Kind kind : options.stores()) {
            Consumer<String> log = line -> System.err.printf("%s [%s] %s%n",
                    LocalTime.now().truncatedTo(ChronoUnit.SECONDS), kind.label, line);
            Path workDir = options.out().resolve("runs").resolve(kind.name().toLowerCase(Locale.ROOT));
            Store store;
            try {
                store = Store.create(kind, workDir.resolve("data"));
            } catch (Store.Unavailable e) {
                log.accept("skipped: " + e.getMessage());
                results.add(Results.StoreResult.skipped(kind, e.getMessage()));
                continue;
            } catch (IOException e) {
                problems.add(kind.label + ": cannot prepare the store: " + e);
                continue;
            }
            try (store) {
                log.accept("benchmark against " + kind.label + "; server log: " + workDir.resolve("server.log"));
                Results.StoreResult result = new StoreRun(options, store, workDir, log).run();
                results.add(result);
                problems.addAll(check(result));
            } catch (Exception e) {
                e.printStackTrace();
                problems.add(kind.label + ": the run failed: " + e);
            }
        }
        List<Targets.Target> targets = new ArrayList<>();
        results.forEach(r -> targets.addAll(Targets.evaluate(r)));
        Report report = new Report(new Report.Run(Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), commit(), options.quick(),
                Runtime.getRuntime().availableProcessors(), memoryMiB(), System.getProperty("os.name") + " "
                + System.getProperty("os.version"), "Java " + System.getProperty("java.version"), loadBefore,
                loadAverage(), options, (System.nanoTime() - started) / 1e9), results, targets);
        try {
            Files.createDirectories(options.out());
            String markdown = report.markdown();
            Files.writeString(options.out().resolve("report.md"), markdown, UTF_8);
            Files.writeString(options.out().resolve("report.json"), Json.write(report.json()), UTF_8);
            System.out.println();
            System.out.print(markdown);
            System.out.println("\nreport: " + options.out().resolve("report.md") + ", " + options.out().resolve("report.json"));
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            problems.add("cannot write the report: " + e);
        }
        if (!problems.isEmpty()) {
            System.err.println("\nbenchmark: the harness could not measure:");
            problems.forEach(p -> System.err.println("  - " + p));
            return 1;
        }
        return 0;
    }

    /**
     * Passes whose calls did not end as they must: their figures would mean nothing. The login
     * flood is left out: what the server does under it (even failing calls) is the finding.
     */
    static List<String> check(Results.StoreResult r) {
        List<String> problems = new ArrayList<>();
        List<Load.PassResult> passes = new ArrayList<>(List.of(r.baseline(), r.baselineAgain()));
        for (var op : r.operations()) {
            if (op.notServed() == null) {
                passes.add(op.max());
                if (op.paced() != null) {
                    passes.add(op.paced());
                }
            }
        }
        for (var scale : r.scales()) {
            passes.add(scale.baseline());
            passes.add(scale.validate());
        }
        for (var p : passes) {
            if (p.expected() == 0) {
                problems.add(r.store().label + ": " + p.operation() + " (" + p.mode() + "): no call ended as expected; "
                        + "outcomes " + p.outcomes());
            } else if (p.unexpectedShare() > MAX_UNEXPECTED) {
                problems.add(String.format(Locale.ROOT, "%s: %s (%s): %.1f %% of the calls ended otherwise than expected: %s",
                        r.store().label, p.operation(), p.mode(), 100 * p.unexpectedShare(), p.outcomes()));
            }
        }
        return problems;
    }

    /** Servers still running when the benchmark is interrupted are this JVM's children: stop them. */
    private static void stopChildren() {
        ProcessHandle.current().children().forEach(child -> {
            child.destroy();
            try {
                child.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        });
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long memoryMiB() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / (1024 * 1024);
        }
        return -1;
    }

    /** The checked-out commit, with {@code -dirty} when tracked files differ; "unknown" outside a git tree. */
    private static String commit() {
        try {
            String head = git("rev-parse", "--short=12", "HEAD");
            String dirty = git("status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (dirty.isEmpty() ? "" : "-dirty");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            return "";
        }
        return out;
    }
}
