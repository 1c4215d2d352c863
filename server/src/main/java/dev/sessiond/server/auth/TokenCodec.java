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
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
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
    /**
     * Above the longest token issue() can produce: server code and instance name of 128
     * characters take up to 384 bytes each in the payload, which makes tokens of ~1,210 characters.
     */
    private static final int MAX_TOKEN_LENGTH = 2048;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    private final TokenKeys keys;
    private final String serverCode;
    private final String instanceName;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenCodec(TokenKeys keys, String serverCode, String instanceName, Clock clock) {
        this.keys = requireNonNull(keys, "keys");
        this.serverCode = requireNonNull(serverCode, "serverCode");
        this.instanceName = requireNonNull(instanceName, "instanceName");
        this.clock = requireNonNull(clock, "clock");
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
        return new IssuedToken(token, hashSecret(secret));
    }

    /**
     * Checks format, signature, deployment and absolute lifetime without the store.
     *
     * @throws AuthenticationException with TOKEN_MALFORMED, TOKEN_SIGNATURE_INVALID,
     *     SERVER_CODE_MISMATCH, INSTANCE_NAME_MISMATCH or SESSION_EXPIRED
     */
    public Claims verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw malformed();
        }
        int macDot = token.lastIndexOf('.');
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            throw malformed();
        }
        byte[] key = keys.key(parts[1]);
        byte[] presentedMac = decode(parts[3]);
        // The decoder ignores the unused low bits of the last character, so several strings
        // decode to the right mac; only the canonical one is the token that was issued.
        if (key == null || !MessageDigest.isEqual(presentedMac, mac(key, token.substring(0, macDot)))
                || !B64.encodeToString(presentedMac).equals(parts[3])) {
            throw new AuthenticationException(Reason.TOKEN_SIGNATURE_INVALID,
                    "the token's signature is not valid for this deployment");
        }
        // The signature is ours, so the payload was written by issue(); a failure below means
        // a format this server does not know.
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(decode(parts[2])))) {
            if (in.readUnsignedByte() != FORMAT_VERSION) {
                throw malformed();
            }
            UUID sessionId = readUuid(in);
            UUID userId = readUuid(in);
            Instant lifetimeEnd = Instant.ofEpochMilli(in.readLong());
            String tokenServerCode = in.readUTF();
            String tokenInstance = in.readUTF();
            byte[] secret = in.readNBytes(SECRET_BYTES + 1);
            if (secret.length != SECRET_BYTES) {
                throw malformed();
            }
            if (!serverCode.equals(tokenServerCode)) {
                throw new AuthenticationException(Reason.SERVER_CODE_MISMATCH,
                        "the token was issued for server code '" + tokenServerCode + "', this is '" + serverCode + "'");
            }
            if (!instanceName.equals(tokenInstance)) {
                throw new AuthenticationException(Reason.INSTANCE_NAME_MISMATCH,
                        "the token was issued by instance '" + tokenInstance + "', this is '" + instanceName + "'");
            }
            if (!clock.instant().isBefore(lifetimeEnd)) {
                throw new AuthenticationException(Reason.SESSION_EXPIRED,
                        "the session reached its maximum lifetime at " + lifetimeEnd);
            }
            return new Claims(sessionId, userId, lifetimeEnd, hashSecret(secret));
        } catch (IOException e) {
            throw malformed();
        }
    }

    private static byte[] decode(String part) {
        try {
            return B64_DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static AuthenticationException malformed() {
        return new AuthenticationException(Reason.TOKEN_MALFORMED,
                "the token cannot be parsed (expected: a token issued by sessiond, sent as 'Bearer <token>')");
    }

    /**
     * HMAC-SHA-256 of {@code signed} with {@code key}. Every validation computes one, so each
     * thread keeps a Mac per key: looking up the provider and scheduling the key cost more than
     * the mac itself.
     */
    private byte[] mac(byte[] key, String signed) {
        Map<byte[], Mac> macs = this.macs.get();
        Mac mac = macs.get(key);
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
            macs.put(key, mac); // keys live as long as the server: a handful per thread
        }
        return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    }

    /** Per-thread Macs, by key (identity: TokenKeys hands out the same array for a key every time). */
    private final ThreadLocal<Map<byte[], Mac>> macs = ThreadLocal.withInitial(IdentityHashMap::new);

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    static String hashSecret(byte[] secret) {
        return HexFormat.of().formatHex(SHA256.get().digest(secret));
    }

    private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }
}
