package dev.sessiond.server.config;

/** A setting has a bad value; the message is one line that names the variable. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem, null, false, false);
    }
}
