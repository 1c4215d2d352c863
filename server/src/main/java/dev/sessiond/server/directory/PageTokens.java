package dev.sessiond.server.directory;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.auth.TokenKeys;
import dev.sessiond.server.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and reads the opaque page tokens of EnumSessions (AIP-158).
 *
 * <p>A token is the keyset cursor, the (create time, id) of the last session returned, the
 * walk's total_size, and a fingerprint of the filter it was issued for, signed with HMAC-SHA-256 under a key derived
 * from the token signing keys ({@link TokenKeys#derivedKey}) and named by its key id. So a
 * caller cannot forge a cursor or carry one over to other filters, any replica can continue a
 * walk another one started, and tokens keep working across a key rotation as long as the old
 * key stays in the key file. Thread-safe.
 */
final class PageTokens {

    /**
     * Where the last page ended: the next page starts after this (create time, id).
     *
     * @param totalSize the walk's total_size, counted once on its first page
     */
    record Cursor(long createTimeMs, UUID id, int totalSize) {
        Cursor {
            requireNonNull(id, "id");
        }
    }

    private static final String PURPOSE = "EnumSessions page token";
    private static final int VERSION = 1;
    private static final int FINGERPRINT_BYTES = 16;
    private static final int MAC_BYTES = 32;
    /** Far above what {@link #issue} makes (about 150 characters with the longest key id). */
    private static final int MAX_LENGTH = 256;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    private final TokenKeys keys;

    PageTokens(TokenKeys keys) {
        this.keys = requireNonNull(keys, "keys");
    }

    String issue(SessionFilter filter, Cursor after) {
        String keyId = keys.signingKeyId();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(keyId);
            out.writeLong(after.createTimeMs());
            out.writeLong(after.id().getMostSignificantBits());
            out.writeLong(after.id().getLeastSignificantBits());
            out.writeInt(after.totalSize());
            out.write(fingerprint(filter));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] payload = bytes.toByteArray();
        byte[] mac = mac(keyId, payload);
        byte[] token = Arrays.copyOf(payload, payload.length + mac.length);
        System.arraycopy(mac, 0, token, payload.length, mac.length);
        return B64.encodeToString(token);
    }

    /**
     * The cursor of a token this server (or a replica sharing its key file) issued for {@code filter}.
     *
     * @throws InvalidArgumentException for anything else: garbage, a changed token, one signed
     *     with a key that is gone, or one issued for other filters
     */
    Cursor read(String token, SessionFilter filter) {
        byte[] bytes = decode(token);
        if (bytes.length <= MAC_BYTES) {
            throw notOurs();
        }
        byte[] payload = Arrays.copyOf(bytes, bytes.length - MAC_BYTES);
        byte[] presentedMac = Arrays.copyOfRange(bytes, payload.length, bytes.length);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readUnsignedByte() != VERSION) {
                throw notOurs();
            }
            String keyId = in.readUTF();
            if (keys.derivedKey(keyId, PURPOSE).isEmpty()
                    || !MessageDigest.isEqual(presentedMac, mac(keyId, payload))) {
                throw notOurs();
            }
            // Signed by us: the rest was written by issue().
            long createTimeMs = in.readLong();
            UUID id = new UUID(in.readLong(), in.readLong());
            int totalSize = in.readInt();
            byte[] fingerprint = in.readNBytes(FINGERPRINT_BYTES + 1);
            if (!MessageDigest.isEqual(fingerprint, fingerprint(filter))) {
                throw new InvalidArgumentException("page_token", "issued for other filters (expected: the same "
                        + "client_host and user_name as the call that returned it)");
            }
            return new Cursor(createTimeMs, id, totalSize);
        } catch (IOException e) {
            throw notOurs();
        }
    }

    private static byte[] decode(String token) {
        if (token.length() > MAX_LENGTH) {
            throw notOurs();
        }
        try {
            byte[] bytes = B64_DECODER.decode(token);
            // The decoder ignores the unused low bits of the last character; only the canonical
            // spelling is the token that was issued.
            if (!B64.encodeToString(bytes).equals(token)) {
                throw notOurs();
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw notOurs();
        }
    }

    /** Filters in the form they are matched in, so "WS-1" and "ws-1" share their tokens. */
    private static byte[] fingerprint(SessionFilter filter) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(filter.hostKey().orElse(""));
            out.writeUTF(filter.userKey().orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()), FINGERPRINT_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private byte[] mac(String keyId, byte[] payload) {
        byte[] key = keys.derivedKey(keyId, PURPOSE).orElseThrow();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static InvalidArgumentException notOurs() {
        return new InvalidArgumentException("page_token",
                "not a next_page_token of EnumSessions from this deployment (expected: a token from the previous "
                        + "response, or empty for the first page)");
    }
}
