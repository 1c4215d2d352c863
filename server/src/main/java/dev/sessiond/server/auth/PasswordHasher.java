package dev.sessiond.server.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (Bouncy Castle), stored in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. New hashes use the OWASP
 * recommendation (19 MiB, 2 passes, 1 lane); verification reads the parameters from the
 * stored string, so they can be raised later without invalidating old hashes. Every hash runs
 * in one of the {@link HashingSlots}, so a flood of sign-ins cannot exhaust memory. Thread-safe.
 */
public final class PasswordHasher {

    /** The cost parameters of new hashes. */
    public record Cost(int memoryKiB, int iterations, int parallelism) {
        /** OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1. */
        public static final Cost OWASP = new Cost(19_456, 2, 1);

        public Cost {
            if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
                throw new IllegalArgumentException("bad Argon2 cost: " + memoryKiB + "/" + iterations + "/" + parallelism);
            }
        }
    }

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
    private static final int SALT_BYTES = 16;
    /** The most memory a stored hash may ask for (1 GiB); far above any sane cost. */
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int HASH_BYTES = 32;

    private final Cost cost;
    private final HashingSlots slots;
    private final SecureRandom random = new SecureRandom();
    /** Verified against when the login is unknown, so that a miss costs as much as a hit. */
    private final String decoy;
    /**
     * Argon2's memory, reused from hash to hash while sign-ins keep coming: each hash otherwise
     * allocates 19 MiB of short-lived arrays, which the garbage collector copies whenever a young
     * collection catches a hash running. One hash's worth per hashing slot (per processor when
     * unbounded); a hash that finds none free gets fresh memory, which is kept afterwards only if
     * there is room.
     *
     * <p>It is dropped once no hash has run for {@link #KEEP_MEMORY}. Kept for good, the 19 to
     * 38 MiB are live data in the old generation; with the heap G1 sizes for a validating
     * server (~100 MiB), that alone crossed the threshold of a concurrent cycle, and the server
     * ran one, with a 5 ms remark pause, every ~0.6 s while it only answered validations.
     */
    private final BlockingQueue<HashMemory> memories;
    private final long keepMemoryNanos;
    private volatile long lastHashEnd;
    private final AtomicBoolean dropScheduled = new AtomicBoolean();

    /** How long Argon2's memory outlives the last hash. */
    static final Duration KEEP_MEMORY = Duration.ofSeconds(10);

    /** A hasher without bounds on concurrent hashing, for tools and tests. */
    public PasswordHasher(Cost cost) {
        this(cost, new HashingSlots(HashingLimits.UNBOUNDED));
    }

    public PasswordHasher(Cost cost, HashingSlots slots) {
        this(cost, slots, KEEP_MEMORY);
    }

    PasswordHasher(Cost cost, HashingSlots slots, Duration keepMemory) {
        this.cost = requireNonNull(cost, "cost");
        this.slots = requireNonNull(slots, "slots");
        this.keepMemoryNanos = keepMemory.toNanos();
        int pooledHashes = Math.min(slots.limits().concurrency(), Runtime.getRuntime().availableProcessors());
        this.memories = new ArrayBlockingQueue<>(pooledHashes);
        this.decoy = hash("decoy password for unknown logins");
    }

    /** Hashes a password with a fresh random salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = slots.run(() -> derive(password, salt, cost, HASH_BYTES));
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches {@code stored}; false for a malformed stored hash.
     *
     * @throws dev.sessiond.server.error.LimitExceededException LOGIN_THROTTLED when every hashing slot and
     *     queue place is taken
     */
    public boolean verify(String password, String stored) {
        Matcher m = PHC.matcher(stored);
        if (!m.matches()) {
            return false;
        }
        try {
            Cost storedCost = new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            if (storedCost.memoryKiB() > MAX_MEMORY_KIB) {
                return false; // a corrupt or hostile row must not make the server allocate gigabytes
            }
            byte[] salt = Base64.getDecoder().decode(m.group(4));
            byte[] expected = Base64.getDecoder().decode(m.group(5));
            byte[] actual = slots.runOrRefuse(() -> derive(password, salt, storedCost, expected.length));
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false; // impossible parameters or base64 of an impossible length
        }
    }

    /** Spends the time of one verification without a real hash, for logins that do not exist. */
    public void verifyDecoy(String password) {
        verify(password, decoy);
    }

    private byte[] derive(String password, byte[] salt, Cost cost, int length) {
        HashMemory free = memories.poll();
        HashMemory memory = free != null ? free : new HashMemory(this.cost.memoryKiB());
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKiB())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .withBlockPool(memory)
                .build();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            byte[] out = new byte[length];
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
            return out;
        } finally {
            keep(memory);
        }
    }

    /** Hash memory kept for the next hash; {@link #KEEP_MEMORY} after the last hash it is dropped. */
    private void keep(HashMemory memory) {
        lastHashEnd = System.nanoTime();
        memories.offer(memory);
        if (dropScheduled.compareAndSet(false, true)) {
            dropLater(keepMemoryNanos);
        }
    }

    private void dropLater(long delayNanos) {
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, Runnable::run).execute(this::dropIfIdle);
    }

    private void dropIfIdle() {
        long idle = System.nanoTime() - lastHashEnd;
        if (idle < keepMemoryNanos) {
            dropLater(keepMemoryNanos - idle);
            return;
        }
        // Cleared after the flag: memory a hash gives back from here on schedules its own drop.
        dropScheduled.set(false);
        memories.clear();
    }

    /** Hashes' worth of memory kept right now, for tests. */
    int keptMemories() {
        return memories.size();
    }
}
