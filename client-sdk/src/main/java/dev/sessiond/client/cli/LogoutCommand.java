package dev.sessiond.client.cli;

import dev.sessiond.proto.v1.CloseSessionRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code sessionctl logout}: closes the cached session and removes the login cache. */
@Command(name = "logout", description = "Closes the session of the last login and removes the cached token.")
final class LogoutCommand implements Callable<Integer> {

    @ParentCommand
    SessionCtl root;

    @Override
    public Integer call() {
        TokenFile cache = root.tokenFile();
        Optional<String> token = cache.read();
        if (token.isEmpty()) {
            root.out().println("Not logged in (no token in " + cache.path() + ").");
            return 0;
        }
        try (Api api = root.api()) {
            boolean wasOpen;
            try {
                wasOpen = SessionCtl.call(api, () -> api.client(token).closeSession(
                        CloseSessionRequest.getDefaultInstance())).getWasOpen();
            } catch (CliException e) {
                if (!e.getMessage().startsWith("SESSION_")) {
                    throw e; // keep the token when the server could not be told
                }
                wasOpen = false; // expired or closed already: nothing left to close
            }
            cache.delete();
            root.out().println(wasOpen ? "Logged out." : "Logged out (the session had ended already).");
        }
        return 0;
    }
}
