package dev.sessiond.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.sessiond.server.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenKeysTest {

    private static final String GOOD_KEY = Base64.getEncoder().encodeToString(bytes(32, 7));
    private static final String SHORT_KEY = Base64.getEncoder().encodeToString(bytes(16, 7));

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atSomeFixedInstant();

    @Test
    void loadOrCreate_createsAMissingFileWithOneKeyAndOwnerOnlyPermissions() throws IOException {
        Path file = dir.resolve("not/yet/there/token-keys");

        TokenKeys.loadOrCreate(file);

        assertThat(file).isRegularFile();
        List<String> keyLines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();
        assertThat(keyLines).hasSize(1);
        assertThat(Base64.getDecoder().decode(keyLines.get(0).split("\\s+")[1])).hasSizeGreaterThanOrEqualTo(32);
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            assertThat(siblings).as("no temporary file left behind").containsExactly(file);
        }
        assumeThat(file.getFileSystem().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void loadOrCreate_createsDifferentKeysForDifferentFiles() throws IOException {
        Path first = dir.resolve("a/token-keys");
        Path second = dir.resolve("b/token-keys");
        TokenKeys.loadOrCreate(first);
        TokenKeys.loadOrCreate(second);

        assertThat(Files.readString(second)).isNotEqualTo(Files.readString(first));
    }

    @Test
    void loadOrCreate_secondLoadReturnsTheSameKey() throws IOException {
        Path file = dir.resolve("data/token-keys");
        TokenKeys first = TokenKeys.loadOrCreate(file);
        String content = Files.readString(file);

        TokenKeys second = TokenKeys.loadOrCreate(file);

        assertThat(Files.readString(file)).isEqualTo(content);
        assertThat(second.signingKeyId()).isEqualTo(first.signingKeyId());
        UUID sessionId = UUID.randomUUID();
        String token = new TokenCodec(first, "code", "instance", clock)
                .issue(sessionId, UUID.randomUUID(), clock.instant().plus(Duration.ofHours(1)))
                .token();
        assertThat(new TokenCodec(second, "code", "instance", clock).verify(token).sessionId()).isEqualTo(sessionId);
    }

    @Test
    void loadOrCreate_readsAWrittenFileWithCommentsAndBlankLines() throws IOException {
        Path file = write("# keys\n\n  new " + GOOD_KEY + "  \nold " + GOOD_KEY + "\n");

        TokenKeys keys = TokenKeys.loadOrCreate(file);

        assertThat(keys.signingKeyId()).isEqualTo("new");
        assertThat(keys.key("old")).isEqualTo(bytes(32, 7));
        assertThat(keys.key("missing")).isNull();
    }

    static Stream<Arguments> malformedFiles() {
        return Stream.of(
                Arguments.of("bad base64", "# comment\nk1 " + GOOD_KEY + "\nk2 not*base64!\n", 3),
                Arguments.of("short key", "k1 " + SHORT_KEY + "\n", 1),
                Arguments.of("key id without key", "# comment\nk1\n", 2),
                Arguments.of("three fields", "k1 " + GOOD_KEY + " extra\n", 1),
                Arguments.of("bad key id", "k/1 " + GOOD_KEY + "\n", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void loadOrCreate_rejectsAMalformedFileNamingFileAndLine(String description, String content, int line)
            throws IOException {
        Path file = write(content);

        assertThatThrownBy(() -> TokenKeys.loadOrCreate(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line " + line)
                .message().doesNotContain(GOOD_KEY).doesNotContain(SHORT_KEY);
    }

    @Test
    void loadOrCreate_rejectsAFileWithoutKeysNamingTheFile() throws IOException {
        Path file = write("# all keys removed\n\n");

        assertThatThrownBy(() -> TokenKeys.loadOrCreate(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no key");
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("token-keys");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static byte[] bytes(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
