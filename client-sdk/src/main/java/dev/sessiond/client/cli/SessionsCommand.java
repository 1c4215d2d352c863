package dev.sessiond.client.cli;

import dev.sessiond.proto.v1.DeleteSessionsRequest;
import dev.sessiond.proto.v1.EnumSessionsRequest;
import dev.sessiond.proto.v1.EnumSessionsResponse;
import dev.sessiond.proto.v1.GetSessionInfoRequest;
import dev.sessiond.proto.v1.SessionInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sessionctl sessions list|info|delete}: the session directory, like {@code net session}. */
@Command(name = "sessions", description = "Lists, shows and ends sessions (administrators only).",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Info.class, SessionsCommand.Delete.class})
final class SessionsCommand implements Runnable {

    /** Guards against a server that never ends a walk: 10,000 pages of up to 1,000 sessions. */
    private static final int MAX_PAGES = 10_000;

    @ParentCommand
    SessionCtl root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed (list, info, delete)");
    }

    static SessionInfoFormat format(CommandSpec spec, int level) {
        try {
            return SessionInfoFormat.of(level);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--level: " + level + " (expected: 0, 1, 2, 10 or 502)");
        }
    }

    @Command(name = "list", description = "Lists the open sessions, oldest first, optionally of one client host and/or user.")
    static final class ListSessions implements Callable<Integer> {

        @ParentCommand
        SessionsCommand sessions;

        @Spec
        CommandSpec spec;

        @Option(names = "--client", paramLabel = "HOST", defaultValue = "", description = "only sessions from this client host")
        String client;

        @Option(names = "--user", paramLabel = "NAME", defaultValue = "", description = "only sessions of this user")
        String user;

        @Option(names = "--level", paramLabel = "N", defaultValue = "2",
                description = "detail: 0, 1, 2, 10 or 502, as SESSION_INFO_<N> (default: ${DEFAULT-VALUE})")
        int level;

        @Option(names = "--json", description = "one JSON object per line instead of a table")
        boolean json;

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "500",
                description = "sessions per call, 1 to 1000 (default: ${DEFAULT-VALUE})")
        int pageSize;

        @Option(names = "--limit", paramLabel = "N", description = "stop after this many sessions")
        Integer limit;

        @Override
        public Integer call() {
            SessionInfoFormat format = format(spec, level);
            if (limit != null && limit < 0) {
                throw new ParameterException(spec.commandLine(), "--limit: " + limit + " (expected: >= 0)");
            }
            SessionCtl root = sessions.root;
            PrintWriter out = root.out();
            String token = root.token();
            Table table = format.table();
            int shown = 0;
            int total = 0;
            try (Api api = root.api()) {
                var request = EnumSessionsRequest.newBuilder().setClientHost(client).setUserName(user)
                        .setLevel(format.level).setPageSize(pageSize).build();
                String pageToken = "";
                for (int page = 0; page < MAX_PAGES; page++) {
                    String next = pageToken;
                    EnumSessionsResponse response = SessionCtl.call(api, () -> api.directory(token)
                            .enumSessions(request.toBuilder().setPageToken(next).build()));
                    total = page == 0 ? response.getTotalSize() : total;
                    for (SessionInfo info : response.getSessionsList()) {
                        if (limit != null && shown >= limit) {
                            break;
                        }
                        if (json) {
                            out.println(format.toJson(info));
                        } else {
                            format.addRow(table, info);
                        }
                        shown++;
                    }
                    pageToken = response.getNextPageToken();
                    if (pageToken.isEmpty() || (limit != null && shown >= limit)) {
                        break;
                    }
                }
            }
            if (!json) {
                if (table.isEmpty()) {
                    out.println("There are no entries in the list.");
                } else {
                    table.print(out);
                    out.println();
                    out.println(shown < total ? shown + " of " + total + " sessions shown."
                            : shown + (shown == 1 ? " session." : " sessions."));
                }
            }
            return 0;
        }
    }

    @Command(name = "info", description = "Shows the newest session of a user on a client host.")
    static final class Info implements Callable<Integer> {

        @ParentCommand
        SessionsCommand sessions;

        @Spec
        CommandSpec spec;

        @Option(names = "--client", paramLabel = "HOST", required = true, description = "the client host")
        String client;

        @Option(names = "--user", paramLabel = "NAME", required = true, description = "the user")
        String user;

        @Option(names = "--level", paramLabel = "N", defaultValue = "502",
                description = "detail: 0, 1, 2, 10 or 502 (default: ${DEFAULT-VALUE})")
        int level;

        @Option(names = "--json", description = "one JSON object instead of lines of text")
        boolean json;

        @Override
        public Integer call() {
            SessionInfoFormat format = format(spec, level);
            SessionCtl root = sessions.root;
            String token = root.token();
            try (Api api = root.api()) {
                SessionInfo info = SessionCtl.call(api, () -> api.directory(token).getSessionInfo(
                        GetSessionInfoRequest.newBuilder().setClientHost(client).setUserName(user)
                                .setLevel(format.level).build())).getSession();
                if (json) {
                    root.out().println(format.toJson(info));
                } else {
                    format.printDetails(root.out(), info);
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Ends every session of a client host and/or user (at least one is needed).")
    static final class Delete implements Callable<Integer> {

        @ParentCommand
        SessionsCommand sessions;

        @Option(names = "--client", paramLabel = "HOST", defaultValue = "", description = "sessions from this client host")
        String client;

        @Option(names = "--user", paramLabel = "NAME", defaultValue = "", description = "sessions of this user")
        String user;

        @Override
        public Integer call() {
            SessionCtl root = sessions.root;
            String token = root.token();
            try (Api api = root.api()) {
                int deleted = SessionCtl.call(api, () -> api.directory(token).deleteSessions(
                        DeleteSessionsRequest.newBuilder().setClientHost(client).setUserName(user).build()))
                        .getDeletedCount();
                root.out().println("Closed " + deleted + (deleted == 1 ? " session." : " sessions."));
            }
            return 0;
        }
    }
}
