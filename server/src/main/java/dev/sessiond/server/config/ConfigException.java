package dev.sessiond.server.config;

/** A setting has a bad value; the message is one line that names the variable. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String variable, String problem) {
        super(oneLine(variable + ": " + problem), null, false, false);
    }

    /** Bad values are quoted in the message; their line breaks must not split it. */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
