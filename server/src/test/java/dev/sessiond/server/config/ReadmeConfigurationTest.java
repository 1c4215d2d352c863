package dev.sessiond.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table and the settings the server reads stay the same list: the
 * global settings, and each per-domain setting written with {@code <DOMAIN>}.
 */
class ReadmeConfigurationTest {

    @Test
    void readmeTable_listsExactlyTheSettings() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher rows = Pattern.compile("(?m)^\\| `(SESSIOND_[A-Z_<>]+)` \\|").matcher(readme);
        Set<String> documented = rows.results().map(r -> r.group(1)).collect(Collectors.toSet());
        Set<String> read = Stream.concat(
                        Arrays.stream(Setting.values()).map(Setting::variable),
                        Arrays.stream(DomainSetting.values()).map(DomainSetting::genericVariable))
                .collect(Collectors.toSet());

        assertThat(documented).isEqualTo(read);
    }
}
