package dev.sessiond.it.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README.md's Java examples and the compiled classes they are copied from: a README section's
 * first {@code java} code block must be, character for character, the code between
 * {@code // README:begin} and {@code // README:end} of its example class, less the class body's
 * indentation.
 */
final class Readme {

    private Readme() {}

    /** The first java code block of README.md's section {@code ## <title>}; empty if there is none. */
    static Optional<String> javaBlock(String title) {
        Matcher section = Pattern.compile("(?s)\n## " + Pattern.quote(title) + "\n(.*?)(\n## |\\z)")
                .matcher(read(Path.of(System.getProperty("sessiond.readme", "../README.md"))));
        if (!section.find()) {
            return Optional.empty();
        }
        Matcher block = Pattern.compile("(?s)```java\n(.*?)```").matcher(section.group(1));
        return block.find() ? Optional.of(block.group(1)) : Optional.empty();
    }

    /** The marked code of example class {@code name} (a file beside ReadmeExample.java), dedented; empty without markers. */
    static Optional<String> markedCode(String name) {
        Path example = Path.of(System.getProperty("sessiond.sdk.example",
                "src/test/java/dev/sessiond/it/sdk/ReadmeExample.java")).resolveSibling(name + ".java");
        Matcher marked = Pattern.compile("(?s)// README:begin\n(.*?)[ \t]*// README:end").matcher(read(example));
        return marked.find() ? Optional.of(dedent(marked.group(1))) : Optional.empty();
    }

    /** {@code text} without the indentation its non-blank lines share (the class body's). */
    private static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return out.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
