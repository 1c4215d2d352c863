package dev.sessiond.client.cli;

import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sessionctl login [LOGIN]}: opens a session and caches its token for the other commands. */
@Command(name = "login", description = "Signs in and caches the session token (file mode 0600) for the other commands.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    SessionCtl root;

    @Parameters(index = "0", arity = "0..1", defaultValue = "admin", paramLabel = "LOGIN",
            description = "the login (default: ${DEFAULT-VALUE})")
    String login;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "the password; other users can see it in "
            + "the process list, so prefer $SESSIOND_PASSWORD, the prompt, or a line on standard input")
    String password;

    @Option(names = "--application", paramLabel = "ID", defaultValue = "cli",
            description = "the application id of the session (default: ${DEFAULT-VALUE})")
    String applicationId;

    @Override
    public Integer call() {
        String secret = root.passwords().read(password, "SESSIOND_PASSWORD", "Password for " + login + ": ");
        TokenFile cache = root.tokenFile();
        try (Api api = root.api()) {
            OpenSessionResponse opened = SessionCtl.call(api, () -> api.client(Optional.empty()).openSession(
                    OpenSessionRequest.newBuilder().setLogin(login).setPassword(secret)
                            .setApplicationId(applicationId).build()));
            cache.write(opened.getToken());
            root.out().println("Logged in as " + opened.getSession().getUser().getLogin() + " (session "
                    + opened.getSession().getId() + "); token saved to " + cache.path());
        }
        return 0;
    }
}
