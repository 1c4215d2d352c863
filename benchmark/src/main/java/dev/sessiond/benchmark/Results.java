package dev.sessiond.benchmark;

import java.util.List;

/** What one run measured, per store: the report is made from these. */
final class Results {

    private Results() {}

    /**
     * One store's figures; {@code skipped} says why a store was not measured (then the rest is empty).
     *
     * @param hashMillis one Argon2id hash alone
     * @param hashesSideBySide hashes per second with one per core at once: what the cores can hash
     * @param baseline {@code Health/Check} before the operations
     * @param baselineAgain {@code Health/Check} after them: E is the mean of the two, their gap shows drift
     * @param baselineAllocated bytes the server allocated per call during {@code baseline}
     * @param memory the server's resident memory before the password logins (which allocate 19 MiB each), at the
     *     first stored-session count
     * @param scales the validate pass after a restart at every stored-session count, when there are several
     * @param paired the validations' ratios to E from passes alternating with E passes
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
            Load.PassResult baselineAgain,
            double baselineAllocated,
            List<OperationResult> operations,
            Flood flood,
            ServerProcess.Memory memory,
            List<Scale> scales,
            List<Paired> paired) {

        static StoreResult skipped(Store.Kind store, String why) {
            return new StoreResult(store, why, 0, 0, 0, Double.NaN, Double.NaN, null, null, Double.NaN, List.of(),
                    null, null, List.of(), List.of());
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
     * 15 % between the start and the end of one quick run) moves both alike.
     */
    record Paired(String name, List<Double> ratios) {

        Paired {
            ratios = List.copyOf(ratios);
            if (ratios.isEmpty()) {
                throw new IllegalArgumentException("no ratios");
            }
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
