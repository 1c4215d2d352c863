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
     * With 5 untimed hashes the median of the timed ones had come out anywhere from 20.5 to
     * 47.3 ms between runs, and the OpenSession target with it.
     */
    private static final int WARM_UP = 60;

    /** The median of {@code rounds} timed hashes after {@link #WARM_UP} untimed ones, in milliseconds. */
    static double medianMillis(int rounds) {
        byte[] salt = new byte[16];
        Arrays.fill(salt, (byte) 7);
        for (int i = 0; i < WARM_UP; i++) {
            hash(salt);
        }
        double[] millis = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            hash(salt);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[rounds / 2];
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
