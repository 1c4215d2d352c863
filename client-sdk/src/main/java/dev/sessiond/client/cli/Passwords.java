package dev.sessiond.client.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where sessionctl gets a password, in this order: the command's option, an environment
 * variable, a prompt on the terminal without echo, or the first line of standard input when
 * it is not a terminal (for scripts: {@code printf '%s\n' "$pw" | sessionctl login}). Passwords
 * are only ever sent to sessiond: never printed, logged or cached. Immutable.
 */
final class Passwords {

    private final Map<String, String> env;
    private final InputStream stdin;

    Passwords(Map<String, String> env, InputStream stdin) {
        this.env = Map.copyOf(env);
        this.stdin = stdin;
    }

    /**
     * @param option the value of the command's password option, or null
     * @param variable the environment variable to look at next
     * @param prompt what to ask on a terminal
     */
    String read(String option, String variable, String prompt) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get(variable);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        Console console = System.console();
        if (stdin == System.in && isTerminal(console)) {
            char[] typed = console.readPassword("%s", prompt);
            if (typed == null) {
                throw new CliException("no password given (end of input)");
            }
            return new String(typed);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException("no password given (expected: the password option, " + variable
                        + ", a terminal to type it on, or a line on standard input)");
            }
            return line;
        } catch (IOException e) {
            throw new CliException("cannot read the password from standard input: " + e.getMessage());
        }
    }

    /**
     * Before JDK 22 a console exists only on a terminal; since then it always exists and says
     * whether it is one (Console.isTerminal, called reflectively because sessionctl targets 21).
     */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
