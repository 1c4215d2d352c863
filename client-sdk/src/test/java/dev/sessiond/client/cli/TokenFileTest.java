package dev.sessiond.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void write_createsAnOwnerOnlyFileInAnOwnerOnlyDirectory() throws IOException {
        TokenFile file = new TokenFile(dir.resolve("config/sessiond/token"));

        file.write("sd1.token");
        file.write("sd1.newer");

        assertThat(file.read()).contains("sd1.newer");
        assertThat(Files.getPosixFilePermissions(file.path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.path().getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (var left = Files.list(file.path().getParent())) {
            assertThat(left).as("no temporary files left").containsExactly(file.path());
        }
    }

    @Test
    void read_isEmptyWithoutAFile_andRefusesAFileOthersCanRead() throws IOException {
        TokenFile file = new TokenFile(dir.resolve("token"));
        assertThat(file.read()).isEmpty();

        Files.writeString(file.path(), "sd1.token\n");
        Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(file::read).isInstanceOf(CliException.class).hasMessageContaining("chmod 600");
        assertThat(file.delete()).isTrue();
        assertThat(file.read()).isEmpty();
    }
}
