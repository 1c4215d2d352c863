package dev.sessiond.server.auth;

import java.util.Arrays;

/**
 * Decodes base64url without padding (RFC 4648 §5) from bytes into a caller's array, so that
 * checking a token allocates nothing. Strict: a character outside the alphabet, a length no
 * encoding produces, or set bits in the unused low end of the last character are refused,
 * so each byte string has exactly one accepted encoding.
 */
final class Base64Url {

    /** A character outside the alphabet, or a length (4n + 1) that no encoding has. */
    static final int INVALID = -1;
    /** Well-formed, but the last character's unused bits are not zero: not the encoding issue() writes. */
    static final int NOT_CANONICAL = -2;
    /** Well-formed, but longer than the destination. */
    static final int TOO_LONG = -3;

    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() {}

    /**
     * Decodes {@code src[from, to)} into the start of {@code dst}.
     *
     * @return the number of bytes decoded, or {@link #INVALID}, {@link #NOT_CANONICAL} or {@link #TOO_LONG}
     */
    static int decode(byte[] src, int from, int to, byte[] dst) {
        int chars = to - from;
        if (chars % 4 == 1) {
            return INVALID;
        }
        int decoded = chars / 4 * 3 + Math.max(0, chars % 4 - 1);
        boolean fits = decoded <= dst.length;
        int out = 0;
        int bits = 0;
        int pending = 0;
        for (int i = from; i < to; i++) {
            int c = src[i] & 0xff;
            int value = c < VALUES.length ? VALUES[c] : -1;
            if (value < 0) {
                return INVALID;
            }
            pending = (pending << 6) | value;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                if (fits) {
                    dst[out] = (byte) (pending >>> bits);
                }
                out++;
                pending &= (1 << bits) - 1;
            }
        }
        if (!fits) {
            return TOO_LONG;
        }
        return pending != 0 ? NOT_CANONICAL : out;
    }
}
