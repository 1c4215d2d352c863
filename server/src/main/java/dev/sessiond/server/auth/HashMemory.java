package dev.sessiond.server.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator.Block;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator.BlockPool;

/**
 * The 1 KiB memory blocks of one Argon2 hash at a time, kept for the next hash. Bouncy
 * Castle's own {@code FixedBlockPool} is shared: it takes a lock for each of a hash's 19,456
 * blocks, twice, and clears each block twice; with two hashes running, a JFR profile put 12 %
 * of the sign-in pass in that pool, and two hashes ran at 54 per second where they ran at 67 to
 * 71 with one of these per hash. Blocks are cleared when a hash gives them back (they held
 * password-derived data); a block allocated anew is zeroed by the JVM. Not thread-safe: one
 * hash uses it at a time ({@link PasswordHasher} hands them out).
 */
final class HashMemory implements BlockPool {

    private final Block[] free;
    private int size;

    /** Keeps at most {@code blocks} blocks between hashes. */
    HashMemory(int blocks) {
        this.free = new Block[blocks];
    }

    @Override
    public Block allocate() {
        return size > 0 ? free[--size] : new Block();
    }

    @Override
    public void deallocate(Block block) {
        block.clear();
        if (size < free.length) {
            free[size++] = block;
        }
    }
}
