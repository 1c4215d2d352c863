package dev.sessiond.client.cli;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.sessiond.proto.v1.ClientKind;
import dev.sessiond.proto.v1.SessionInfo;
import dev.sessiond.proto.v1.SessionInfoFlag;
import dev.sessiond.proto.v1.SessionInfoLevel;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How sessionctl shows SessionInfo at each level: the table columns, the {@code info} lines,
 * and JSON lines with exactly the level's fields (zeros included, so a level-10 line always
 * has {@code idleSeconds}). Stateless.
 */
enum SessionInfoFormat {
    LEVEL_0(0, SessionInfoLevel.SESSION_INFO_LEVEL_0, "client_host"),
    LEVEL_1(1, SessionInfoLevel.SESSION_INFO_LEVEL_1,
            "client_host", "user_name", "open_count", "active_seconds", "idle_seconds", "flags"),
    LEVEL_2(2, SessionInfoLevel.SESSION_INFO_LEVEL_2,
            "client_host", "user_name", "client_type", "open_count", "active_seconds", "idle_seconds", "flags"),
    LEVEL_10(10, SessionInfoLevel.SESSION_INFO_LEVEL_10, "client_host", "user_name", "active_seconds", "idle_seconds"),
    LEVEL_502(502, SessionInfoLevel.SESSION_INFO_LEVEL_502,
            "client_host", "user_name", "client_type", "open_count", "active_seconds", "idle_seconds", "flags",
            "transport", "client_address");

    final int number;
    final SessionInfoLevel level;
    private final List<FieldDescriptor> fields;
    private final JsonFormat.Printer json;

    SessionInfoFormat(int number, SessionInfoLevel level, String... fieldNames) {
        this.number = number;
        this.level = level;
        List<FieldDescriptor> descriptors = new ArrayList<>();
        for (String name : fieldNames) {
            descriptors.add(requireField(name));
        }
        this.fields = List.copyOf(descriptors);
        this.json = jsonPrinter(Set.copyOf(descriptors));
    }

    @SuppressWarnings("deprecation") // the field-set overload is the one that prints exactly a level's zeros
    private static JsonFormat.Printer jsonPrinter(Set<FieldDescriptor> fields) {
        return JsonFormat.printer().includingDefaultValueFields(fields).omittingInsignificantWhitespace();
    }

    private static FieldDescriptor requireField(String name) {
        FieldDescriptor field = SessionInfo.getDescriptor().findFieldByName(name);
        if (field == null) {
            throw new IllegalStateException("SessionInfo has no field " + name);
        }
        return field;
    }

    /** The format for a {@code --level} number. */
    static SessionInfoFormat of(int number) {
        for (SessionInfoFormat format : values()) {
            if (format.number == number) {
                return format;
            }
        }
        throw new IllegalArgumentException("level: " + number + " (expected: 0, 1, 2, 10 or 502)");
    }

    Table table() {
        return new Table(fields.stream().map(f -> header(f.getName())).toList());
    }

    void addRow(Table table, SessionInfo info) {
        table.add(fields.stream().map(f -> cell(f.getName(), info)).toList());
    }

    /** The {@code info} form: one "Label  value" line per field of the level. */
    void printDetails(java.io.PrintWriter out, SessionInfo info) {
        int width = fields.stream().mapToInt(f -> label(f.getName()).length()).max().orElse(0);
        for (FieldDescriptor field : fields) {
            String label = label(field.getName());
            out.println(label + " ".repeat(width - label.length() + 2) + cell(field.getName(), info));
        }
    }

    /** One JSON object on one line, with the level's fields and only those. */
    String toJson(SessionInfo info) {
        try {
            return json.print(info);
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(String field) {
        return switch (field) {
            case "client_host" -> "CLIENT";
            case "user_name" -> "USER";
            case "client_type" -> "CLIENT TYPE";
            case "open_count" -> "OPENS";
            case "active_seconds" -> "ACTIVE";
            case "idle_seconds" -> "IDLE";
            case "flags" -> "FLAGS";
            case "transport" -> "TRANSPORT";
            case "client_address" -> "ADDRESS";
            default -> field.toUpperCase(Locale.ROOT);
        };
    }

    private static String label(String field) {
        return switch (field) {
            case "client_host" -> "Client";
            case "user_name" -> "User name";
            case "client_type" -> "Client type";
            case "open_count" -> "Nested sessions";
            case "active_seconds" -> "Session time";
            case "idle_seconds" -> "Idle time";
            case "flags" -> "Flags";
            case "transport" -> "Transport";
            case "client_address" -> "Client address";
            default -> field;
        };
    }

    private static String cell(String field, SessionInfo info) {
        return switch (field) {
            case "client_host" -> info.getClientHost().isEmpty() ? "-" : info.getClientHost();
            case "user_name" -> info.getUserName();
            case "client_type" -> info.getClientType().getApplicationId() + " (" + kind(info.getClientType().getClientKind()) + ")";
            case "open_count" -> Integer.toString(info.getOpenCount());
            case "active_seconds" -> duration(info.getActiveSeconds());
            case "idle_seconds" -> duration(info.getIdleSeconds());
            case "flags" -> flags(info.getFlagsList());
            case "transport" -> info.getTransport();
            case "client_address" -> info.getClientAddress();
            default -> "";
        };
    }

    private static String kind(ClientKind kind) {
        return switch (kind) {
            case CLIENT_KIND_DESKTOP -> "desktop";
            case CLIENT_KIND_WEB -> "web";
            case CLIENT_KIND_OTHER -> "other";
            default -> "?";
        };
    }

    private static String flags(List<SessionInfoFlag> flags) {
        if (flags.isEmpty()) {
            return "-";
        }
        return flags.stream().map(flag -> switch (flag) {
            case SESSION_INFO_FLAG_ADMIN -> "admin";
            case SESSION_INFO_FLAG_INACTIVE -> "inactive";
            case SESSION_INFO_FLAG_PLAINTEXT_TRANSPORT -> "plaintext";
            default -> "?";
        }).collect(Collectors.joining(","));
    }

    /** {@code HH:MM:SS} as {@code net session} shows times; hours go past 24. */
    static String duration(long seconds) {
        long s = Math.max(0, seconds);
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
