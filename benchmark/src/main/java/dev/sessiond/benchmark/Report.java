package dev.sessiond.benchmark;

import static dev.sessiond.benchmark.Targets.fmt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** Renders a run's figures and targets as Markdown (for people and the CI log) and as JSON (for tools). */
final class Report {

    /** The facts about the run that a reader needs to trust or compare its figures. */
    record Run(String started, String commit, boolean quick, int cores, long memoryMiB, String os, String java,
            String loadBefore, String loadAfter, Options options, double seconds) {}

    private final Run run;
    private final List<Results.StoreResult> stores;
    private final List<Targets.Target> targets;

    Report(Run run, List<Results.StoreResult> stores, List<Targets.Target> targets) {
        this.run = run;
        this.stores = List.copyOf(stores);
        this.targets = List.copyOf(targets);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        Options o = run.options();
        md.append("# sessiond benchmark").append(run.quick() ? " (--quick smoke form)" : "").append("\n\n");
        md.append(String.format(Locale.ROOT, """
                - run: %s, commit %s, %.0f s
                - machine: %d cores, %,d MiB, %s; load average before %s, after %s
                - server: `java -jar sessiond-server.jar` (%s), %s; load: a separate JVM (grpc-netty) on \
                the same machine, %d connections, %d calls in flight at the maximum
                - each pass: %s warm-up, then %s measured at the maximum and %s at 70 %% of it (open loop; the Java \
                driver counts latency from the moment a call was due, h2load from when it sent it; %s)

                """, run.started(), run.commit(), run.seconds(), run.cores(), run.memoryMiB(), run.os(),
                run.loadBefore(), run.loadAfter(), serverFlags(o),
                run.java(), o.connections(), o.inFlight(), human(o.warmup()),
                human(o.measure()), human(o.paced()), pacedDriver(o)));
        for (var s : stores) {
            store(md, s);
        }
        md.append("## Targets (issue 9)\n\n| store | target | required | measured | verdict |\n|---|---|---|---|---|\n");
        for (var t : targets) {
            md.append("| ").append(t.store().label).append(" | ").append(t.name()).append(" | ").append(t.required())
                    .append(" | ").append(t.measured()).append(" | **").append(t.verdict().label()).append("** |\n");
        }
        long miss = targets.stream().filter(t -> t.verdict() == Targets.Verdict.MISS).count();
        long pass = targets.stream().filter(t -> t.verdict() == Targets.Verdict.PASS).count();
        md.append(String.format(Locale.ROOT, "%n%d PASS, %d MISS, %d not judged. The benchmark reports; it does not "
                + "fail on a MISS. Figures from a busy machine are noise: compare ratios to E, rerun on a quiet one.%n",
                pass, miss, targets.size() - pass - miss));
        return md.toString();
    }

    private static String pacedDriver(Options o) {
        if (H2load.chosen(o.pacedDriver()).isPresent()) {
            return "single calls paced by h2load, " + H2load.PROCESSES + " processes with a token each, "
                    + "the open+close cycle by the Java driver";
        }
        return o.pacedDriver().equals("java") ? "paced by the Java driver (--paced-driver java)"
                : "paced by the Java driver: no h2load on the PATH (Debian: apt install nghttp2-client)";
    }

    private void store(StringBuilder md, Results.StoreResult s) {
        md.append("## ").append(s.store().label).append("\n\n");
        if (s.skipped() != null) {
            md.append("Not measured: ").append(s.skipped()).append(".\n\n");
            return;
        }
        double e = s.e();
        md.append(String.format(Locale.ROOT, "%,d stored sessions, %,d of them opened through the API (their tokens "
                + "are the ones validated, round-robin); the rest are filler rows.%n%n", s.storedSessions(), s.apiSessions()));
        md.append(String.format(Locale.ROOT, "E = %s calls/s (Health/Check before the operations %s, after %s). "
                + "One Argon2id hash (m=19456 KiB, t=2, p=1) took %s ms: sign-in capacity %d cores / hash = %s /s; "
                + "%d hashing side by side (without the server) made %s /s.%n%n",
                fmt(e), fmt(s.baseline().throughput()), fmt(s.baselineAgain().throughput()), fmt(s.hashMillis()),
                s.cores(), fmt(s.hashCapacity()), s.cores(), fmt(s.hashesSideBySide())));
        md.append("| operation | calls/s | x E | p50 ms | p99 ms | p99 ms at 70 % (rate; Java driver's send lag p99, or h2load) "
                + "| KiB allocated per RPC | other outcomes | what |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        md.append(row(StoreRun.HEALTH, s.baseline(), s.baselinePaced(), s.baselineAllocated(), e,
                "the empty RPC, before the operations; its p99 at 70 % is the floor the machine puts under the others'"));
        for (var op : s.operations()) {
            if (op.notServed() != null) {
                md.append("| ").append(op.name()).append(" | not served | | | | | | | ").append(op.notServed()).append(" |\n");
            } else {
                md.append(row(op.name(), op.max(), op.paced(), op.allocated(), e, op.what()));
            }
        }
        md.append(row(StoreRun.HEALTH, s.baselineAgain(), null, Double.NaN, e, "the empty RPC, after the operations"));
        if (!s.paired().isEmpty()) {
            md.append(String.format(Locale.ROOT, "%n**Paired with E** (%d rounds: a %s pass of the operation between "
                    + "two of Health/Check, its ratio to their mean; the median judges the targets, so that the machine's "
                    + "drift during the run cancels out):", StoreRun.PAIRED_ROUNDS, human(StoreRun.PAIRED_PASS)));
            for (var p : s.paired()) {
                md.append(String.format(Locale.ROOT, " %s %.2f E (%.2f to %.2f%s);", p.name(), p.median(), p.min(),
                        p.max(), storeReads(p)));
            }
            md.setLength(md.length() - 1);
            md.append(".\n");
        }
        var signIn = s.operation(StoreRun.SIGN_IN);
        if (signIn != null && !Double.isNaN(signIn.hashMillis())) {
            md.append(String.format(Locale.ROOT, "%n**Password hashes**: during the maximum %s pass the server's "
                    + "hashes took %s ms each on average (from their start on a hashing thread to their end); here, "
                    + "without the server, one alone took %s ms and %d side by side %s ms each.%n", StoreRun.SIGN_IN,
                    fmt(signIn.hashMillis()), fmt(s.hashMillis()), s.cores(),
                    fmt(s.cores() * 1e3 / s.hashesSideBySide())));
        }
        var one = s.signIns().toOneHash();
        var sideBySide = s.signIns().toSideBySide();
        md.append(String.format(Locale.ROOT, "%n**Sign-ins paired with hash timings** (%d rounds: a %s %s pass at its "
                + "maximum between two brief timings here, with the server idle: the median of %d hashes one after "
                + "another, then %d per core side by side; the median judges the target, so that the machine's drift "
                + "cancels out): sign-ins %.2f x %d cores / hash (%.2f to %.2f), with one hash %s to %s ms; %.2f x what "
                + "the cores hashed side by side (%.2f to %.2f).%n", one.ratios().size(),
                human(StoreRun.SIGN_IN_PAIRED_PASS), StoreRun.SIGN_IN, StoreRun.HASHES_PER_TIMING,
                StoreRun.HASHES_PER_TIMING, one.median(), s.cores(), one.min(), one.max(),
                fmt(s.signIns().fastestHash()), fmt(s.signIns().slowestHash()), sideBySide.median(), sideBySide.min(),
                sideBySide.max()));
        md.append(String.format(Locale.ROOT, "%nServer resident memory after the passes above the password logins, "
                + "before any of them: %s MiB (peak %s MiB).%n%n",
                fmt(s.memory().rssMiB()), fmt(s.memory().peakMiB())));
        var f = s.flood();
        md.append(String.format(Locale.ROOT, "**Login flood**: password logins offered at %s /s (%.0f x the hashing "
                + "capacity, at most %d outstanding) while validating at the maximum: validation %s /s = %.2f E "
                + "(p99 %s ms); logins: %s; accepted logins p50 %s ms, p99 %s ms (from when they were due)%s; "
                + "the driver's own send lag of the logins p99 %s ms.%n%n",
                fmt(f.offeredLoginRate()), StoreRun.FLOOD_FACTOR, f.logins().inFlight(), fmt(f.validate().throughput()),
                f.validate().throughput() / e, fmt(f.validate().latency().p99()), outcomes(f.logins().outcomes()),
                fmt(f.logins().latency().p50()), fmt(f.logins().latency().p99()), refusals(f.logins()),
                f.logins().sendLag() == null ? "-" : fmt(f.logins().sendLag().p99())));
        if (!s.scales().isEmpty()) {
            md.append("**Stored sessions** (the first row is the run above; then each count after a restart, warmed and "
                    + "measured the same way, with E measured again: the targets compare these):\n\n")
                    .append("| stored sessions | E calls/s | validate calls/s | x E | p50 ms | p99 ms | resident MiB (peak) |\n")
                    .append("|---:|---:|---:|---:|---:|---:|---:|\n");
            var v = s.operation(StoreRun.VALIDATE).max();
            md.append(String.format(Locale.ROOT, "| %,d | %s | %s | %.2f | %s | %s | %s (%s) |%n", s.storedSessions(),
                    fmt(e), fmt(v.throughput()), v.throughput() / e, fmt(v.latency().p50()), fmt(v.latency().p99()),
                    fmt(s.memory().rssMiB()), fmt(s.memory().peakMiB())));
            for (var sc : s.scales()) {
                double se = sc.baseline().throughput();
                md.append(String.format(Locale.ROOT, "| %,d | %s | %s | %.2f | %s | %s | %s (%s) |%n", sc.storedSessions(),
                        fmt(se), fmt(sc.validate().throughput()), sc.validate().throughput() / se,
                        fmt(sc.validate().latency().p50()), fmt(sc.validate().latency().p99()),
                        fmt(sc.memory().rssMiB()), fmt(sc.memory().peakMiB())));
            }
            md.append('\n');
        }
        if (s.profile() != null) {
            profile(md, s.profile());
        }
    }

    private static String serverFlags(Options o) {
        String flags = o.serverJvmOptions().isEmpty() ? "default JVM flags"
                : "JVM flags `" + String.join(" ", o.serverJvmOptions()) + "`";
        return o.profiled() != null ? flags + ", plus -XX:+DebugNonSafepoints and a JFR recording during the "
                + o.profiled() + " pass for --profile" : flags;
    }

    private static String row(String name, Load.PassResult max, Load.PassResult paced, double allocated, double e,
            String what) {
        return String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %s | %s | %s | %s | %s |%n", name, fmt(max.throughput()),
                max.throughput() / e, fmt(max.latency().p50()), fmt(max.latency().p99()),
                paced == null ? "" : fmt(paced.latency().p99()) + " (at " + fmt(paced.offeredRate()) + " /s; "
                        + (paced.sendLag() == null ? "by h2load" : "driver lag " + fmt(paced.sendLag().p99())) + ")",
                Double.isNaN(allocated) ? "" : String.format(Locale.ROOT, "%.1f", allocated / 1024), others(max), what);
    }

    private static String others(Load.PassResult pass) {
        List<String> parts = new ArrayList<>();
        pass.unexpectedOutcomes().forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, "%,d", v)));
        return String.join(", ", parts);
    }

    private static String outcomes(Map<String, Long> outcomes) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(outcomes).forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%,d %s", v, k)));
        return parts.isEmpty() ? "none completed" : String.join(", ", parts);
    }

    private static String refusals(Load.PassResult logins) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(logins.otherLatency()).forEach((k, l) -> out.append(String.format(Locale.ROOT,
                "; %s p50 %s ms, p99 %s ms", k, fmt(l.p50()), fmt(l.p99()))));
        return out.toString();
    }

    private static void profile(StringBuilder md, Profile p) {
        md.append(String.format(Locale.ROOT, "**Profile of the %s pass** (its maximum; JFR, `%s`, %,d %s):%n%n",
                p.pass(), p.file().getFileName(), p.samples(), p.sampleKind()));
        table(md, "thread pool", p.threads());
        table(md, "component (first known frame from the top)", p.components());
        table(md, "top frame (self time)", p.selfFrames());
        table(md, "sessiond method on the stack (inclusive)", p.sessiondFrames());
        table(md, "blocked, threads serving calls (JFR events over its 10-20 ms threshold)", "ms", p.waits());
    }

    private static void table(StringBuilder md, String title, List<Profile.Share> shares) {
        table(md, title, "samples", shares);
    }

    private static void table(StringBuilder md, String title, String unit, List<Profile.Share> shares) {
        md.append("| ").append(title).append(" | ").append(unit).append(" | % |\n|---|---:|---:|\n");
        for (var s : shares) {
            md.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f |%n", s.name(), s.samples(), s.percent()));
        }
        md.append('\n');
    }

    private static String human(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        Options o = run.options();
        root.put("run", map("started", run.started(), "commit", run.commit(), "quick", run.quick(),
                "seconds", run.seconds(), "cores", run.cores(), "memory_mib", run.memoryMiB(), "os", run.os(),
                "java", run.java(), "load_average_before", run.loadBefore(), "load_average_after", run.loadAfter(),
                "connections", o.connections(), "in_flight", o.inFlight(), "warmup_s", o.warmup().toMillis() / 1e3,
                "measure_s", o.measure().toMillis() / 1e3, "paced_s", o.paced().toMillis() / 1e3,
                "server_jvm_options", String.join(" ", o.serverJvmOptions()), "profile", o.profiled() == null ? "" : o.profiled()));
        List<Object> storeList = new ArrayList<>();
        for (var s : stores) {
            Map<String, Object> m = map("store", s.store().name().toLowerCase(Locale.ROOT), "skipped", s.skipped());
            if (s.skipped() == null) {
                m.putAll(map("stored_sessions", s.storedSessions(), "api_sessions", s.apiSessions(), "cores", s.cores(),
                        "hash_ms", s.hashMillis(), "sign_in_capacity_per_s", s.hashCapacity(),
                        "hashes_side_by_side_per_s", s.hashesSideBySide(), "e_per_s", s.e(),
                        "baseline", pass(s.baseline()),
                        "baseline_at_70_percent", s.baselinePaced() == null ? null : pass(s.baselinePaced()),
                        "baseline_after", pass(s.baselineAgain()),
                        "baseline_allocated_bytes_per_call", s.baselineAllocated()));
                List<Object> ops = new ArrayList<>();
                for (var op : s.operations()) {
                    ops.add(map("name", op.name(), "what", op.what(), "not_served", op.notServed(),
                            "ratio_to_e", op.max() == null ? null : op.max().throughput() / s.e(),
                            "max", op.max() == null ? null : pass(op.max()),
                            "at_70_percent", op.paced() == null ? null : pass(op.paced()),
                            "allocated_bytes_per_call", op.allocated(), "server_hash_ms", op.hashMillis()));
                }
                m.put("operations", ops);
                List<Object> paired = new ArrayList<>();
                for (var p : s.paired()) {
                    paired.add(paired(p));
                }
                m.put("paired_ratios_to_e", paired);
                m.put("sign_ins_paired_with_hash", map("sign_ins_per_s", s.signIns().signInsPerSecond(),
                        "hash_ms", s.signIns().timings().stream().map(HashTiming.Timing::oneMillis).toList(),
                        "side_by_side_per_s", s.signIns().timings().stream()
                                .map(HashTiming.Timing::sideBySidePerSecond).toList(),
                        "to_one_hash", paired(s.signIns().toOneHash()),
                        "to_side_by_side", paired(s.signIns().toSideBySide())));
                m.put("memory_mib", map("rss", s.memory().rssMiB(), "peak", s.memory().peakMiB()));
                m.put("login_flood", map("offered_logins_per_s", s.flood().offeredLoginRate(),
                        "validate", pass(s.flood().validate()), "validate_ratio_to_e", s.flood().validate().throughput() / s.e(),
                        "logins", pass(s.flood().logins())));
                List<Object> scales = new ArrayList<>();
                for (var sc : s.scales()) {
                    scales.add(map("stored_sessions", sc.storedSessions(), "baseline", pass(sc.baseline()),
                            "validate", pass(sc.validate()),
                            "memory_mib", map("rss", sc.memory().rssMiB(), "peak", sc.memory().peakMiB())));
                }
                m.put("stored_session_scales", scales);
                if (s.profile() != null) {
                    m.put("profile", map("pass", s.profile().pass(), "file", s.profile().file().toString(), "samples", s.profile().samples(),
                            "sample_kind", s.profile().sampleKind(),
                            "threads", shares(s.profile().threads()), "components", shares(s.profile().components()),
                            "self_frames", shares(s.profile().selfFrames()),
                            "sessiond_frames", shares(s.profile().sessiondFrames()),
                            "waits_ms", shares(s.profile().waits())));
                }
            }
            storeList.add(m);
        }
        root.put("stores", storeList);
        List<Object> t = new ArrayList<>();
        for (var target : targets) {
            t.add(map("store", target.store().name().toLowerCase(Locale.ROOT), "target", target.name(),
                    "required", target.required(), "measured", target.measured(), "verdict", target.verdict().label()));
        }
        root.put("targets", t);
        return root;
    }

    private static Map<String, Object> pass(Load.PassResult p) {
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", p.latency().p50());
        latency.put("p90", p.latency().p90());
        latency.put("p99", p.latency().p99());
        latency.put("max", p.latency().max());
        Map<String, Object> other = new LinkedHashMap<>();
        new TreeMap<>(p.otherLatency()).forEach((k, l) -> other.put(k, map("count", l.count(), "p50", l.p50(),
                "p99", l.p99())));
        return map("mode", p.mode(), "in_flight", p.inFlight(), "offered_per_s", p.offeredRate(), "seconds", p.seconds(),
                "calls_per_s", p.throughput(), "expected_calls", p.expected(), "latency_ms", latency,
                "outcomes", new TreeMap<>(p.outcomes()), "expected_outcomes", List.copyOf(new TreeSet<>(
                        p.expectedOutcomes())), "other_outcome_latency_ms", other, "drained", p.drained(),
                "driver_send_lag_ms", p.sendLag() == null ? null : map("p50", p.sendLag().p50(), "p99", p.sendLag().p99(),
                        "max", p.sendLag().max()));
    }

    /** "; sessions read from the store per round: ..." for the paired rounds of {@code p}, or "" when not counted. */
    static String storeReads(Results.Paired p) {
        return p.storeReads().isEmpty() ? "" : "; sessions read from the store per round: "
                + counts(p, Results.StoreReads::forCalls) + ", and ahead of their expiry: "
                + counts(p, Results.StoreReads::aheadOfExpiry);
    }

    private static String counts(Results.Paired p, ToLongFunction<Results.StoreReads> count) {
        return p.storeReads().stream().map(r -> String.format(Locale.ROOT, "%,d", count.applyAsLong(r)))
                .collect(Collectors.joining(", "));
    }

    private static Map<String, Object> paired(Results.Paired p) {
        Map<String, Object> m = map("name", p.name(), "median", p.median(), "min", p.min(), "max", p.max(),
                "ratios", p.ratios());
        if (!p.storeReads().isEmpty()) {
            m.put("store_reads_per_round", p.storeReads().stream().map(Results.StoreReads::forCalls).toList());
            m.put("re_reads_per_round", p.storeReads().stream().map(Results.StoreReads::aheadOfExpiry).toList());
        }
        return m;
    }

    private static List<Object> shares(List<Profile.Share> shares) {
        List<Object> out = new ArrayList<>();
        for (var s : shares) {
            out.add(map("name", s.name(), "samples", s.samples(), "percent", s.percent()));
        }
        return out;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
