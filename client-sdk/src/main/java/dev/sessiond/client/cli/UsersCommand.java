package dev.sessiond.client.cli;

import com.google.protobuf.FieldMask;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.ListUsersRequest;
import dev.sessiond.proto.v1.ListUsersResponse;
import dev.sessiond.proto.v1.SetPasswordRequest;
import dev.sessiond.proto.v1.UpdateUserRequest;
import dev.sessiond.proto.v1.User;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sessionctl users list|create|block|set-password}: user accounts (administrators only). */
@Command(name = "users", description = "Lists, creates, blocks users and sets their passwords (administrators only).",
        subcommands = {UsersCommand.ListUsers.class, UsersCommand.Create.class, UsersCommand.Block.class,
                UsersCommand.SetPassword.class})
final class UsersCommand implements Runnable {

    private static final int MAX_PAGES = 10_000;
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    @ParentCommand
    SessionCtl root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed (list, create, block, set-password)");
    }

    /** Every user, by login; sessiond addresses users by id, people by login. */
    static List<User> all(Api api, String token) {
        List<User> users = new ArrayList<>();
        String pageToken = "";
        for (int page = 0; page < MAX_PAGES; page++) {
            String next = pageToken;
            ListUsersResponse response = SessionCtl.call(api, () -> api.users(token).listUsers(
                    ListUsersRequest.newBuilder().setPageSize(1000).setPageToken(next).build()));
            users.addAll(response.getUsersList());
            pageToken = response.getNextPageToken();
            if (pageToken.isEmpty()) {
                break;
            }
        }
        return users;
    }

    static User byLogin(Api api, String token, String login) {
        String key = login.toLowerCase(Locale.ROOT);
        return all(api, token).stream().filter(u -> u.getLogin().toLowerCase(Locale.ROOT).equals(key)).findFirst()
                .orElseThrow(() -> new CliException("NOT_FOUND: no user with login '" + login + "'"));
    }

    static String license(LicenseType type) {
        return switch (type) {
            case LICENSE_TYPE_PERSONAL -> "personal";
            case LICENSE_TYPE_CONCURRENT -> "concurrent";
            default -> "-";
        };
    }

    @Command(name = "list", description = "Lists the users by login.")
    static final class ListUsers implements Callable<Integer> {

        @ParentCommand
        UsersCommand users;

        @Option(names = "--json", description = "one JSON object per line instead of a table")
        boolean json;

        @Override
        public Integer call() {
            SessionCtl root = users.root;
            PrintWriter out = root.out();
            String token = root.token();
            List<User> all;
            try (Api api = root.api()) {
                all = all(api, token);
            }
            if (json) {
                for (User user : all) {
                    try {
                        out.println(JSON.print(user));
                    } catch (InvalidProtocolBufferException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return 0;
            }
            Table table = new Table(List.of("LOGIN", "DISPLAY NAME", "ROLES", "LICENSE", "BLOCKED", "ID"));
            for (User user : all) {
                List<String> roles = new ArrayList<>();
                if (user.getIsAdmin()) {
                    roles.add("admin");
                }
                if (user.getIsService()) {
                    roles.add("service");
                }
                table.add(List.of(user.getLogin(), user.getDisplayName(), roles.isEmpty() ? "-" : String.join(",", roles),
                        license(user.getLicenseType()), user.getIsBlocked() ? "yes" : "no", user.getId()));
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "create", description = "Creates a user.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        UsersCommand users;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOGIN", description = "the new user's login")
        String login;

        @Option(names = "--display-name", paramLabel = "NAME", defaultValue = "", description = "default: the login")
        String displayName;

        @Option(names = "--admin", description = "an administrator")
        boolean admin;

        @Option(names = "--service", description = "a service account (trusted server code)")
        boolean service;

        @Option(names = "--license", paramLabel = "TYPE", description = "personal or concurrent (default: the server's)")
        String license;

        @Option(names = "--password", paramLabel = "PASSWORD",
                description = "the password; prefer $SESSIOND_NEW_PASSWORD, the prompt, or standard input")
        String password;

        @Option(names = "--no-password", description = "create the user without a password (no password login)")
        boolean noPassword;

        @Override
        public Integer call() {
            LicenseType licenseType = license == null ? LicenseType.LICENSE_TYPE_UNSPECIFIED
                    : switch (license.toLowerCase(Locale.ROOT)) {
                        case "personal" -> LicenseType.LICENSE_TYPE_PERSONAL;
                        case "concurrent" -> LicenseType.LICENSE_TYPE_CONCURRENT;
                        default -> throw new ParameterException(spec.commandLine(),
                                "--license: '" + license + "' (expected: personal or concurrent)");
                    };
            SessionCtl root = users.root;
            String token = root.token();
            String secret = noPassword ? ""
                    : root.passwords().read(password, "SESSIOND_NEW_PASSWORD", "Password for " + login + ": ");
            try (Api api = root.api()) {
                User user = SessionCtl.call(api, () -> api.users(token).createUser(CreateUserRequest.newBuilder()
                        .setLogin(login).setPassword(secret).setDisplayName(displayName).setIsAdmin(admin)
                        .setIsService(service).setLicenseType(licenseType).build())).getUser();
                root.out().println("Created user " + user.getLogin() + " (" + user.getId() + ").");
            }
            return 0;
        }
    }

    @Command(name = "block", description = "Blocks a user, which ends the user's sessions (--unblock undoes it).")
    static final class Block implements Callable<Integer> {

        @ParentCommand
        UsersCommand users;

        @Parameters(index = "0", paramLabel = "LOGIN", description = "the user's login")
        String login;

        @Option(names = "--unblock", description = "unblock instead")
        boolean unblock;

        @Override
        public Integer call() {
            SessionCtl root = users.root;
            String token = root.token();
            try (Api api = root.api()) {
                User user = byLogin(api, token, login);
                User changed = SessionCtl.call(api, () -> api.users(token).updateUser(UpdateUserRequest.newBuilder()
                        .setUser(user.toBuilder().setIsBlocked(!unblock))
                        .setUpdateMask(FieldMask.newBuilder().addPaths("is_blocked")).build())).getUser();
                root.out().println((changed.getIsBlocked() ? "Blocked " : "Unblocked ") + changed.getLogin() + ".");
            }
            return 0;
        }
    }

    @Command(name = "set-password", description = "Sets a user's password, which ends the user's sessions.")
    static final class SetPassword implements Callable<Integer> {

        @ParentCommand
        UsersCommand users;

        @Parameters(index = "0", paramLabel = "LOGIN", description = "the user's login")
        String login;

        @Option(names = "--password", paramLabel = "PASSWORD",
                description = "the new password; prefer $SESSIOND_NEW_PASSWORD, the prompt, or standard input")
        String password;

        @Override
        public Integer call() {
            SessionCtl root = users.root;
            String token = root.token();
            String secret = root.passwords().read(password, "SESSIOND_NEW_PASSWORD", "New password for " + login + ": ");
            try (Api api = root.api()) {
                User user = byLogin(api, token, login);
                SessionCtl.call(api, () -> api.users(token).setPassword(SetPasswordRequest.newBuilder()
                        .setUserId(user.getId()).setPassword(secret).build()));
                root.out().println("Password of " + user.getLogin() + " set; the user's sessions were closed.");
            }
            return 0;
        }
    }
}
