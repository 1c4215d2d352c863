package dev.sessiond.client.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The login cache: one file holding the token of the last {@code sessionctl login}, readable by
 * its owner only (0600, in a 0700 directory it creates). Like ssh with its keys, sessionctl
 * refuses a token file that others can read. Immutable.
 */
final class TokenFile {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path file;

    TokenFile(Path file) {
        this.file = requireNonNull(file, "file");
    }

    /** {@code ~/.config/sessiond/token}. */
    static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".config", "sessiond", "token");
    }

    Path path() {
        return file;
    }

    /** The cached token; empty when there is no token file. */
    Optional<String> read() {
        try {
            if (isPosix() && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
                throw new CliException("token file " + file + " can be read by others; remove it, or make it "
                        + "private with: chmod 600 " + file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CliException("cannot read token file " + file + ": " + e.getMessage());
        }
    }

    /** Replaces the cached token; the file never exists with wider permissions, not even for a moment. */
    void write(String token) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                if (isPosix(dir.getParent())) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
            if (isPosix(dir)) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(tmp);
            }
            try {
                Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new CliException("cannot write token file " + file + ": " + e.getFile() + " is in the way");
        } catch (IOException e) {
            throw new CliException("cannot write token file " + file + ": " + e.getMessage());
        }
    }

    /** Removes the cached token. @return whether there was one */
    boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CliException("cannot remove token file " + file + ": " + e.getMessage());
        }
    }

    private boolean isPosix() {
        return isPosix(file.toAbsolutePath().getParent());
    }

    private static boolean isPosix(Path somewhere) {
        Path existing = somewhere;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
