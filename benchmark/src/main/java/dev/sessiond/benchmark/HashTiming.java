package dev.sessiond.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Times one Argon2id password hash with the server's parameters (m = 19,456 KiB, t = 2,
 * p = 1, Bouncy Castle like the server), on this machine, in this run: sign-in cannot be
 * faster than the cores divided by this time, so the OpenSession target is made from it.
 */
final class HashTiming {

    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;

    private HashTiming() {}

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
        double[] millis = new double[BATCHES * PER_BATCH];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            hash(salt);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return lowestBatchMedian(millis, PER_BATCH);
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
