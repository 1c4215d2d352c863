package dev.sessiond.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Times Argon2id password hashes with the server's parameters (m = 19,456 KiB, t = 2, p = 1,
 * Bouncy Castle like the server), on this machine, in this run: one hash alone, from which the
 * OpenSession target is made (sign-in cannot be faster than the cores divided by that time),
 * and the rate of one hash per core side by side, which is what the cores can hash. On the
 * 2-core development machine that rate was 0.74 to 0.96 of cores / one hash in nine runs:
 * two hashes side by side each take longer than one alone.
 */
final class HashTiming {

    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;

    private HashTiming() {}

    /**
     * What hashing costs here.
     *
     * @param oneMillis one hash alone ({@link #steadyMillis()})
     * @param sideBySidePerSecond hashes per second with one hash per core at once ({@link #sideBySidePerSecond(int)})
     */
    record Timing(double oneMillis, double sideBySidePerSecond) {}

    /** Both figures, one hash alone first (its untimed hashes warm the side-by-side ones up too). */
    static Timing measure(int cores) throws InterruptedException {
        double one = steadyMillis();
        return new Timing(one, sideBySidePerSecond(cores));
    }

    /**
     * Untimed hashes first. The JIT takes dozens of hashes to settle: in three runs of 150
     * hashes in a fresh JVM on the 2-core machine, hashes 5 to ~40 came in phases of ~70 ms
     * around others of ~22 ms, and from the 60th on the median was 22.4-22.5 ms (p90 23-25 ms).
     * With 5 untimed hashes and the median of 15 timed ones, the figure had come out anywhere
     * from 20.5 to 47.3 ms between runs of one day, and the OpenSession target with it.
     */
    private static final int WARM_UP = 60;
    private static final int BATCHES = 3;
    private static final int PER_BATCH = 10;

    /**
     * The time of one hash once compiled, in milliseconds: the lowest of {@link #BATCHES}
     * batch medians of {@link #PER_BATCH} timed hashes, after {@link #WARM_UP} untimed ones. A
     * hash is the same work every time, so what makes one slower is the machine (a slow phase
     * of the JIT even after the warm-up, another process on the cores): the lowest batch is the
     * one least disturbed, and its median drops a single outlier.
     */
    static double steadyMillis() {
        byte[] salt = new byte[16];
        Arrays.fill(salt, (byte) 7);
        for (int i = 0; i < WARM_UP; i++) {
            hash(salt);
        }
        return lowestBatchMedian(timedMillis(salt, BATCHES * PER_BATCH), PER_BATCH);
    }

    /**
     * Hashes per second with {@code threads} threads hashing at once, after {@link #steadyMillis()}
     * compiled the hash: the highest of {@link #BATCHES} rounds in which every thread runs
     * {@link #PER_BATCH} hashes (the least disturbed round, as for one hash).
     */
    static double sideBySidePerSecond(int threads) throws InterruptedException {
        return sideBySidePerSecond(threads, BATCHES, PER_BATCH);
    }

    private static double sideBySidePerSecond(int threads, int rounds, int perThread) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> batch = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte[] salt = new byte[16];
                Arrays.fill(salt, (byte) t);
                batch.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        hash(salt);
                    }
                    return null;
                });
            }
            double highest = 0;
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                for (Future<Void> done : pool.invokeAll(batch)) {
                    done.get();
                }
                highest = Math.max(highest, threads * perThread * 1e9 / (System.nanoTime() - start));
            }
            return highest;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a hash failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Both figures again, briefly and with no warm-up, for timings between the benchmark's passes
     * once {@link #measure} compiled the hash: the median of {@code hashes} hashes one after
     * another, then one round of {@code hashes} per core side by side.
     */
    static Timing briefly(int cores, int hashes) throws InterruptedException {
        byte[] salt = new byte[16];
        Arrays.fill(salt, (byte) 7);
        double one = lowestBatchMedian(timedMillis(salt, hashes), hashes);
        return new Timing(one, sideBySidePerSecond(cores, 1, hashes));
    }

    private static double[] timedMillis(byte[] salt, int hashes) {
        double[] millis = new double[hashes];
        for (int i = 0; i < hashes; i++) {
            long start = System.nanoTime();
            hash(salt);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return millis;
    }

    /** The lowest median of consecutive batches of {@code perBatch} timings (whole batches only). */
    static double lowestBatchMedian(double[] millis, int perBatch) {
        if (perBatch < 1 || millis.length < perBatch) {
            throw new IllegalArgumentException(millis.length + " timings in batches of " + perBatch);
        }
        double lowest = Double.POSITIVE_INFINITY;
        for (int from = 0; from + perBatch <= millis.length; from += perBatch) {
            double[] batch = Arrays.copyOfRange(millis, from, from + perBatch);
            Arrays.sort(batch);
            lowest = Math.min(lowest, batch[perBatch / 2]);
        }
        return lowest;
    }

    private static byte[] hash(byte[] salt) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(MEMORY_KIB)
                .withIterations(ITERATIONS)
                .withParallelism(PARALLELISM)
                .withSalt(salt)
                .build());
        byte[] out = new byte[32];
        generator.generateBytes(Seeder.PASSWORD.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
