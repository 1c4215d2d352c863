package dev.sessiond.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** What one run measured, per store: the report is made from these. */
final class Results {

    private Results() {}

    /**
     * One store's figures; {@code skipped} says why a store was not measured (then the rest is empty).
     *
     * @param hashMillis one Argon2id hash alone
     * @param hashesSideBySide hashes per second with one per core at once: what the cores can hash
     * @param baseline {@code Health/Check} before the operations
     * @param baselinePaced {@code Health/Check} paced at 70 % of {@code baseline}, as the operations are: the p99 the
     *     machine gives the empty RPC under that load, beside which the operations' p99 at 70 % are read
     * @param baselineAgain {@code Health/Check} after them: E is the mean of the two, their gap shows drift
     * @param baselineAllocated bytes the server allocated per call during {@code baseline}
     * @param memory the server's resident memory before the password logins (which allocate 19 MiB each), at the
     *     first stored-session count
     * @param scales the validate pass after a restart at every stored-session count, when there are several
     * @param paired the validations' ratios to E from passes alternating with E passes
     * @param signIns the password sign-ins' passes alternating with brief timings of the hashes
     */
    record StoreResult(
            Store.Kind store,
            String skipped,
            int storedSessions,
            int apiSessions,
            int cores,
            double hashMillis,
            double hashesSideBySide,
            Load.PassResult baseline,
            Load.PassResult baselinePaced,
            Load.PassResult baselineAgain,
            double baselineAllocated,
            List<OperationResult> operations,
            Flood flood,
            ServerProcess.Memory memory,
            List<Scale> scales,
            List<Paired> paired,
            SignInRounds signIns) {

        static StoreResult skipped(Store.Kind store, String why) {
            return new StoreResult(store, why, 0, 0, 0, Double.NaN, Double.NaN, null, null, null, Double.NaN,
                    List.of(), null, null, List.of(), List.of(), null);
        }

        /** E: calls per second of the empty RPC, the mean of the passes before and after the operations. */
        double e() {
            return (baseline.throughput() + baselineAgain.throughput()) / 2;
        }

        /** Sign-in capacity: the cores divided by the time of one hash, in logins per second. */
        double hashCapacity() {
            return cores * 1000.0 / hashMillis;
        }

        /** The JFR profile of the pass {@code --profile} named, or null. */
        Profile profile() {
            return operations.stream().map(OperationResult::profile).filter(p -> p != null).findFirst().orElse(null);
        }

        OperationResult operation(String name) {
            return operations.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
        }

        /** The paired ratios of the operation {@code name}, or null when it was not paired. */
        Paired paired(String name) {
            return paired.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * An operation's throughput relative to E, from short passes alternating with E passes:
     * each ratio is one pass of the operation against the mean of the E passes just before and
     * just after it, so that a machine that speeds up or slows down during the run (E moved by
     * 15 % between the start and the end of one quick run) moves both alike. {@code storeReads}:
     * what the server read from the store during each pass of the operation, when it counts it;
     * empty otherwise.
     */
    record Paired(String name, List<Double> ratios, List<StoreReads> storeReads) {

        Paired {
            ratios = List.copyOf(ratios);
            storeReads = List.copyOf(storeReads);
            if (ratios.isEmpty()) {
                throw new IllegalArgumentException("no ratios");
            }
        }

        /** Without the server's session reads from the store per round (not counted, or not a validation). */
        Paired(String name, List<Double> ratios) {
            this(name, ratios, List.of());
        }

        /** The median ratio: the figure judged. */
        double median() {
            List<Double> sorted = ratios.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        double min() {
            return ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        double max() {
            return ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
    }

    /**
     * Sessions the server read from the store during one pass: for calls (its session cache's
     * misses), and in the background ahead of their expiry.
     */
    record StoreReads(long forCalls, long aheadOfExpiry) {}

    /**
     * The password sign-ins against the hashing measured around them: short passes of
     * {@code OpenSession} at its maximum, each between two brief timings in the driver, with the
     * server idle ({@link HashTiming#briefly}). On the 2-core development machine one hash alone
     * took 24-28 ms for a few seconds, then 33-43 ms for the next few, then 24 ms again, in one JVM
     * with nothing else running and no garbage collection or compilation at the changes: a hash
     * timed minutes before the sign-ins measured that as much as the server.
     *
     * @param cores the cores, which hash one each at once
     * @param signInsPerSecond each pass's sign-ins per second
     * @param timings the timings, one more than the passes
     */
    record SignInRounds(int cores, List<Double> signInsPerSecond, List<HashTiming.Timing> timings) {

        SignInRounds {
            signInsPerSecond = List.copyOf(signInsPerSecond);
            timings = List.copyOf(timings);
            if (signInsPerSecond.isEmpty() || timings.size() != signInsPerSecond.size() + 1) {
                throw new IllegalArgumentException(timings.size() + " timings around " + signInsPerSecond.size()
                        + " passes");
            }
        }

        /** Each pass against cores / one hash, the mean of the timings before and after it: the figure judged. */
        Paired toOneHash() {
            return paired(t -> cores * 1000.0 / t.oneMillis());
        }

        /** Each pass against what the cores hashed side by side before and after it: what the service costs. */
        Paired toSideBySide() {
            return paired(HashTiming.Timing::sideBySidePerSecond);
        }

        double fastestHash() {
            return timings.stream().mapToDouble(HashTiming.Timing::oneMillis).min().orElseThrow();
        }

        double slowestHash() {
            return timings.stream().mapToDouble(HashTiming.Timing::oneMillis).max().orElseThrow();
        }

        private Paired paired(ToDoubleFunction<HashTiming.Timing> rate) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < signInsPerSecond.size(); i++) {
                double around = (rate.applyAsDouble(timings.get(i)) + rate.applyAsDouble(timings.get(i + 1))) / 2;
                ratios.add(signInsPerSecond.get(i) / around);
            }
            return new Paired(StoreRun.SIGN_IN, ratios);
        }
    }

    /**
     * One operation: its maximum-throughput pass and its pass at 70 % of that maximum.
     *
     * @param notServed why the operation was not measured (e.g. the server answers UNIMPLEMENTED), else null
     * @param profile the JFR profile of its maximum-throughput pass when {@code --profile} named it, else null
     * @param allocated bytes the server allocated per call during the maximum-throughput pass (NaN: not measured)
     * @param hashMillis how long the server's password hashes took on average during that pass (NaN: it hashed none)
     */
    record OperationResult(String name, String what, Load.PassResult max, Load.PassResult paced, String notServed,
            Profile profile, double allocated, double hashMillis) {}

    /** Validation at its maximum while password logins arrive at {@code offeredLoginRate} per second. */
    record Flood(double offeredLoginRate, Load.PassResult validate, Load.PassResult logins) {}

    /** The validate pass at a larger number of stored sessions, after a restart, with its own baseline. */
    record Scale(int storedSessions, Load.PassResult baseline, Load.PassResult validate, ServerProcess.Memory memory) {}
}
