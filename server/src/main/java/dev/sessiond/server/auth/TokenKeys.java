package dev.sessiond.server.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HMAC keys that sign tokens. The key file has one key per line, {@code <key id> <base64
 * key>}; lines starting with {@code #} are comments. The first key signs new tokens, every key
 * verifies, so keys rotate by putting a new key first and dropping the old one once its tokens
 * have expired. Replicas share one file. Immutable.
 */
public final class TokenKeys {

    private static final Logger log = LoggerFactory.getLogger(TokenKeys.class);
    private static final int KEY_BYTES = 32;

    private final String signingKeyId;
    /** Key ids and their keys, side by side: an id is looked up inside a token without cutting it out. */
    private final String[] ids;
    private final byte[][] values;

    TokenKeys(String signingKeyId, Map<String, byte[]> keys) {
        this.signingKeyId = requireNonNull(signingKeyId, "signingKeyId");
        Map<String, byte[]> copy = Map.copyOf(keys);
        this.ids = copy.keySet().toArray(String[]::new);
        this.values = new byte[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            values[i] = copy.get(ids[i]);
        }
    }

    /** Reads the key file, creating it with one fresh random key (owner-only permissions) when it is missing. */
    public static TokenKeys loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("token key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        byte[] id = new byte[4];
        random.nextBytes(id);
        String content = "# sessiond token signing keys: <key id> <base64 key>; the first one signs.\n"
                + HexFormat.of().formatHex(id) + " " + Base64.getEncoder().encodeToString(key) + "\n";
        // Write a private temporary file, then link it into place: the link fails if another
        // replica got there first, and nobody ever reads a half-written key file.
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + HexFormat.of().formatHex(id));
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            return; // another replica created it first; use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
        log.info("created token key file {}", file);
    }

    static TokenKeys parse(Path file, List<String> lines) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String first = null;
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            byte[] key;
            try {
                key = parts.length == 2 ? Base64.getDecoder().decode(parts[1]) : null;
            } catch (IllegalArgumentException e) {
                key = null;
            }
            if (key == null || key.length < KEY_BYTES || !parts[0].matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("token key file " + file + " line " + number
                        + ": expected '<key id> <base64 key of at least 32 bytes>'");
            }
            keys.put(parts[0], key);
            if (first == null) {
                first = parts[0];
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("token key file " + file + " holds no key");
        }
        return new TokenKeys(first, keys);
    }

    /** The id of the key that signs new tokens. */
    public String signingKeyId() {
        return signingKeyId;
    }

    /**
     * A key for something other than session tokens (page tokens, say), derived from the token
     * key {@code keyId} as HMAC-SHA-256(key, purpose): it rotates with the token keys, replicas
     * derive the same one, and a value signed for one purpose never verifies for another.
     *
     * @return empty when there is no key with that id
     */
    public Optional<byte[]> derivedKey(String keyId, String purpose) {
        byte[] key = key(keyId);
        if (key == null) {
            return Optional.empty();
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Optional.of(mac.doFinal(("sessiond derived key: " + purpose).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    byte[] key(String keyId) {
        return key(keyId, 0, keyId.length());
    }

    /** The key whose id is {@code text[from, to)}, or null. */
    byte[] key(String text, int from, int to) {
        int length = to - from;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length() == length && text.regionMatches(from, ids[i], 0, length)) {
                return values[i];
            }
        }
        return null;
    }
}
