package dev.sessiond.server.auth;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks session tokens (SPEC §3).
 *
 * <p>A token is {@code sd1.<key id>.<payload>.<mac>}: the payload (base64url) carries the
 * session id, user id, end of the session's lifetime, server code, instance name and a
 * 256-bit secret from a CSPRNG; the mac is HMAC-SHA-256 over everything before it, with the
 * key named by the key id. The store keeps only the SHA-256 of the secret, so a leaked
 * database cannot be turned into tokens. Tokens never appear in logs or error messages.
 * Thread-safe.
 */
public final class TokenCodec {

    private static final String PREFIX = "sd1";
    private static final int FORMAT_VERSION = 1;
    private static final int SECRET_BYTES = 32;
    private static final int MAC_BYTES = 32;
    /** Version, two ids, lifetime end, two name lengths and the secret: a payload is at least this long. */
    private static final int FIXED_PAYLOAD_BYTES = 1 + 16 + 16 + 8 + 2 + 2 + SECRET_BYTES;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /**
     * Above the longest token issue() can produce: server code and instance name of 128
     * characters take up to 384 bytes each in the payload, which makes tokens of ~1,210 characters.
     */
    private static final int MAX_TOKEN_LENGTH = 2048;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final TokenKeys keys;
    private final String serverCode;
    private final String instanceName;
    private final Clock clock;
    private final byte[] serverCodeBytes;
    private final byte[] instanceNameBytes;
    private final SecureRandom random = new SecureRandom();

    public TokenCodec(TokenKeys keys, String serverCode, String instanceName, Clock clock) {
        this.keys = requireNonNull(keys, "keys");
        this.serverCode = requireNonNull(serverCode, "serverCode");
        this.instanceName = requireNonNull(instanceName, "instanceName");
        this.clock = requireNonNull(clock, "clock");
        this.serverCodeBytes = modifiedUtf8(serverCode);
        this.instanceNameBytes = modifiedUtf8(instanceName);
    }

    /** A freshly issued token and the hash of its secret, which is what the store keeps. */
    public record IssuedToken(String token, String secretHash) {
        public IssuedToken {
            requireNonNull(token, "token");
            requireNonNull(secretHash, "secretHash");
        }

        @Override
        public String toString() {
            return "IssuedToken[secretHash=" + secretHash + "]";
        }
    }

    /** What a token whose signature and deployment were checked says about itself. */
    public record Claims(UUID sessionId, UUID userId, Instant lifetimeEnd, String secretHash) {
        public Claims {
            requireNonNull(sessionId, "sessionId");
            requireNonNull(userId, "userId");
            requireNonNull(lifetimeEnd, "lifetimeEnd");
            requireNonNull(secretHash, "secretHash");
        }
    }

    public String serverCode() {
        return serverCode;
    }

    public String instanceName() {
        return instanceName;
    }

    /** Issues a token for a session of this deployment. */
    public IssuedToken issue(UUID sessionId, UUID userId, Instant lifetimeEnd) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            writeUuid(out, sessionId);
            writeUuid(out, userId);
            out.writeLong(lifetimeEnd.toEpochMilli());
            out.writeUTF(serverCode);
            out.writeUTF(instanceName);
            out.write(secret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String keyId = keys.signingKeyId();
        String signed = PREFIX + "." + keyId + "." + B64.encodeToString(bytes.toByteArray());
        String token = signed + "." + B64.encodeToString(mac(keys.key(keyId), signed));
        return new IssuedToken(token, scratch.get().secretHash(secret, 0));
    }

    /**
     * Checks format, signature, deployment and absolute lifetime without the store.
     *
     * <p>Every call to sessiond validates a token, so this works in per-thread memory and
     * allocates only what it returns: the token's text is copied once, the mac and the payload
     * are decoded in place, and the deployment names are compared as the bytes the token holds.
     *
     * @throws AuthenticationException with TOKEN_MALFORMED, TOKEN_SIGNATURE_INVALID,
     *     SERVER_CODE_MISMATCH, INSTANCE_NAME_MISMATCH or SESSION_EXPIRED
     */
    public Claims verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw malformed();
        }
        Scratch s = scratch.get();
        byte[] text = s.text;
        int length = token.length();
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            if (c > 0x7f) {
                throw malformed();
            }
            text[i] = (byte) c;
        }
        int keyDot = PREFIX.length();
        int payloadDot = token.indexOf('.', keyDot + 1);
        int macDot = payloadDot < 0 ? -1 : token.indexOf('.', payloadDot + 1);
        if (!token.startsWith(PREFIX) || token.indexOf('.') != keyDot || macDot < 0 || token.indexOf('.', macDot + 1) >= 0) {
            throw malformed();
        }
        byte[] key = keys.key(token, keyDot + 1, payloadDot);
        int macLength = Base64Url.decode(text, macDot + 1, length, s.presentedMac);
        if (macLength == Base64Url.INVALID) {
            throw malformed();
        }
        // A lenient decoder would ignore the unused low bits of the last character, so several
        // strings would decode to the right mac; Base64Url accepts only the one that was issued.
        if (key == null || macLength != MAC_BYTES || !s.macMatches(key, macDot)) {
            throw new AuthenticationException(Reason.TOKEN_SIGNATURE_INVALID,
                    "the token's signature is not valid for this deployment");
        }
        // The signature is ours, so the payload was written by issue(); a failure below means
        // a format this server does not know.
        byte[] p = s.payload;
        int end = Base64Url.decode(text, payloadDot + 1, macDot, p);
        if (end < FIXED_PAYLOAD_BYTES || p[0] != FORMAT_VERSION) {
            throw malformed();
        }
        UUID sessionId = new UUID(readLong(p, 1), readLong(p, 9));
        UUID userId = new UUID(readLong(p, 17), readLong(p, 25));
        long lifetimeEndMillis = readLong(p, 33);
        int codeAt = 41;
        int instanceAt = nextName(p, codeAt, end);
        int secretAt = nextName(p, instanceAt, end);
        if (end - secretAt != SECRET_BYTES) {
            throw malformed();
        }
        if (!nameIs(p, codeAt, serverCodeBytes)) {
            throw new AuthenticationException(Reason.SERVER_CODE_MISMATCH,
                    "the token was issued for server code '" + name(p, codeAt) + "', this is '" + serverCode + "'");
        }
        if (!nameIs(p, instanceAt, instanceNameBytes)) {
            throw new AuthenticationException(Reason.INSTANCE_NAME_MISMATCH,
                    "the token was issued by instance '" + name(p, instanceAt) + "', this is '" + instanceName + "'");
        }
        if (clock.millis() >= lifetimeEndMillis) {
            throw new AuthenticationException(Reason.SESSION_EXPIRED,
                    "the session reached its maximum lifetime at " + Instant.ofEpochMilli(lifetimeEndMillis));
        }
        return new Claims(sessionId, userId, Instant.ofEpochMilli(lifetimeEndMillis), s.secretHash(p, secretAt));
    }

    private static AuthenticationException malformed() {
        return new AuthenticationException(Reason.TOKEN_MALFORMED,
                "the token cannot be parsed (expected: a token issued by sessiond, sent as 'Bearer <token>')");
    }

    private static long readLong(byte[] bytes, int at) {
        return (long) BIG_ENDIAN_LONG.get(bytes, at);
    }

    /** Where the name (DataOutput.writeUTF: a length, then modified UTF-8) at {@code at} ends. */
    private static int nextName(byte[] payload, int at, int end) {
        int next = at + 2 > end ? end + 1 : at + 2 + nameLength(payload, at);
        if (next > end) {
            throw malformed();
        }
        return next;
    }

    private static int nameLength(byte[] payload, int at) {
        return ((payload[at] & 0xff) << 8) | (payload[at + 1] & 0xff);
    }

    private static boolean nameIs(byte[] payload, int at, byte[] expected) {
        int from = at + 2;
        return Arrays.equals(payload, from, from + nameLength(payload, at), expected, 0, expected.length);
    }

    /** The name at {@code at} as text, for the message of a mismatch. */
    private static String name(byte[] payload, int at) {
        try {
            return new DataInputStream(new ByteArrayInputStream(payload, at, 2 + nameLength(payload, at))).readUTF();
        } catch (IOException e) {
            throw malformed();
        }
    }

    /** A name as issue() writes it into the payload, without the length in front. */
    private static byte[] modifiedUtf8(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Arrays.copyOfRange(bytes.toByteArray(), 2, bytes.size());
    }

    /** HMAC-SHA-256 of {@code signed} with {@code key}, for issue(). */
    private byte[] mac(byte[] key, String signed) {
        return scratch.get().mac(key).doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * One thread's working memory for tokens. It keeps a Mac per key as well: looking up the
     * provider and scheduling the key cost more than the mac itself.
     */
    private static final class Scratch {
        final byte[] text = new byte[MAX_TOKEN_LENGTH];
        final byte[] payload = new byte[MAX_TOKEN_LENGTH / 4 * 3];
        final byte[] presentedMac = new byte[MAC_BYTES];
        final byte[] expectedMac = new byte[MAC_BYTES];
        final byte[] digest = new byte[32];
        final MessageDigest sha256 = newSha256();
        /** By identity: TokenKeys hands out the same array for a key every time; a handful per thread. */
        final Map<byte[], Mac> macs = new IdentityHashMap<>();

        Mac mac(byte[] key) {
            Mac mac = macs.get(key);
            if (mac == null) {
                try {
                    mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(key, "HmacSHA256"));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("HmacSHA256 is not available", e);
                }
                macs.put(key, mac);
            }
            return mac;
        }

        /** Whether the mac of {@code text[0, signedEnd)} is the one decoded into presentedMac. */
        boolean macMatches(byte[] key, int signedEnd) {
            Mac mac = mac(key);
            mac.update(text, 0, signedEnd);
            try {
                mac.doFinal(expectedMac, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 failed", e);
            }
            return MessageDigest.isEqual(expectedMac, presentedMac);
        }

        /** The hex SHA-256 of the secret at {@code bytes[at]}: what the store keeps of it. */
        String secretHash(byte[] bytes, int at) {
            sha256.update(bytes, at, SECRET_BYTES);
            try {
                sha256.digest(digest, 0, digest.length);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 failed", e);
            }
            return HexFormat.of().formatHex(digest);
        }
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }
}
