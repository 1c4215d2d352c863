package dev.sessiond.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A deliberately rude HTTP/2 client (prior knowledge, plaintext) that writes frames by hand, for
 * tests of the server's transport limits: ping floods, streams reset as fast as they open,
 * clients that never answer pings. It answers the server's SETTINGS, and its PINGs only when told
 * to. Not thread-safe.
 */
public final class RawHttp2 implements AutoCloseable {

    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int ENHANCE_YOUR_CALM = 0xb;
    public static final int NO_ERROR = 0x0;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A frame as received. */
    public record Frame(int type, int flags, int streamId, byte[] payload) {}

    /** A GOAWAY: its error code and debug data. */
    public record GoAway(int errorCode, String debugData) {}

    private final Socket socket;
    private final DataInputStream in;
    private OutputStream out;
    private boolean answerPings;

    private RawHttp2(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port} and sends the preface and empty SETTINGS. */
    public static RawHttp2 connect(int port) throws IOException {
        RawHttp2 client = new RawHttp2(new Socket(InetAddress.getLoopbackAddress(), port));
        client.out.write(PREFACE);
        client.frame(SETTINGS, 0, 0, new byte[0]);
        return client;
    }

    /** Whether to acknowledge the server's PINGs while reading (a live client does; a dead one does not). */
    public RawHttp2 answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    public void ping(long data) throws IOException {
        frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(data).array());
    }

    /** Opens stream {@code streamId} with a gRPC request's headers, without ending it. */
    public void openStream(int streamId, String path) throws IOException {
        frame(HEADERS, 0x4 /* END_HEADERS */, streamId, headerBlock(path, Map.of()));
    }

    /**
     * Sends a whole unary call on {@code streamId}: headers (with {@code extra} ones) and one
     * message (the serialized request), ending the stream.
     */
    public void unaryCall(int streamId, String path, Map<String, String> extra, byte[] message) throws IOException {
        frame(HEADERS, 0x4, streamId, headerBlock(path, extra));
        ByteBuffer data = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
        frame(DATA, 0x1 /* END_STREAM */, streamId, data.array());
    }

    /**
     * Reads the server's frames of {@code streamId} until it ends the stream (END_STREAM or
     * RST_STREAM), the connection ends, or {@code timeout} passes.
     */
    public java.util.List<Frame> readStream(int streamId, Duration timeout) throws IOException {
        java.util.List<Frame> frames = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Frame> frame = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (frame.isEmpty()) {
                break;
            }
            if (frame.get().streamId() != streamId) {
                continue;
            }
            frames.add(frame.get());
            boolean ended = frame.get().type() == RST_STREAM
                    || ((frame.get().type() == HEADERS || frame.get().type() == DATA) && (frame.get().flags() & 0x1) != 0);
            if (ended) {
                break;
            }
        }
        return frames;
    }

    private static byte[] headerBlock(String path, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":method", "POST");
        headers.put(":scheme", "http");
        headers.put(":path", path);
        headers.put(":authority", "localhost");
        headers.put("content-type", "application/grpc");
        headers.put("te", "trailers");
        headers.putAll(extra);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            // HPACK "literal header field without indexing, new name", no Huffman coding
            block.write(0x00);
            string(block, name);
            string(block, value);
        });
        return block.toByteArray();
    }

    /**
     * Opens {@code count} streams and resets each at once (stream ids 1, 3, 5...), written in one
     * go, the way a rapid-reset attack does.
     */
    public void openAndResetStreams(int count, String path) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream real = out;
        try {
            swapOut(all);
            for (int i = 0; i < count; i++) {
                openStream(2 * i + 1, path);
                resetStream(2 * i + 1);
            }
        } finally {
            swapOut(real);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    public void resetStream(int streamId) throws IOException {
        frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(0x8 /* CANCEL */).array());
    }

    /**
     * Reads frames until the server sends GOAWAY or closes the connection, for at most {@code timeout}.
     *
     * @return the GOAWAY; empty if the connection ended without one or the time ran out
     */
    public Optional<GoAway> awaitGoAway(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Frame> frame = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (frame.isEmpty()) {
                return Optional.empty();
            }
            if (frame.get().type() == GOAWAY) {
                ByteBuffer payload = ByteBuffer.wrap(frame.get().payload());
                payload.getInt(); // last stream id
                int code = payload.getInt();
                byte[] debug = new byte[payload.remaining()];
                payload.get(debug);
                return Optional.of(new GoAway(code, new String(debug, StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads frames until one of {@code type} arrives, for at most {@code timeout}.
     *
     * @return that frame; empty on timeout or end of the connection
     */
    public Optional<Frame> await(int type, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Frame> frame = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (frame.isEmpty() || frame.get().type() == type) {
                return frame;
            }
        }
        return Optional.empty();
    }

    /** Whether the server has closed the connection, waiting at most {@code timeout} for it (frames are read and dropped). */
    public boolean awaitClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                readFrame();
            } catch (EOFException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    /** One frame, answering SETTINGS (and PINGs if told to) on the way; empty on timeout or end of the connection. */
    private Optional<Frame> read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            return Optional.of(readFrame());
        } catch (EOFException | SocketTimeoutException e) {
            return Optional.empty();
        }
    }

    private Frame readFrame() throws IOException {
        byte[] header = new byte[9];
        in.readFully(header);
        int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        int type = header[3] & 0xff;
        int flags = header[4] & 0xff;
        int streamId = ByteBuffer.wrap(header, 5, 4).getInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & 0x1) == 0) {
            frame(SETTINGS, 0x1 /* ACK */, 0, new byte[0]);
        }
        if (type == PING && (flags & 0x1) == 0 && answerPings) {
            frame(PING, 0x1, 0, payload);
        }
        return new Frame(type, flags, streamId, payload);
    }

    private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        frame.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
        out.write(frame.array());
        out.flush();
    }

    private void swapOut(OutputStream target) {
        this.out = target;
    }

    /** An HPACK string literal: its length as a 7-bit-prefix integer (RFC 7541 §5.1), then the bytes. */
    private static void string(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            block.write(length);
        }
        block.write(bytes, 0, bytes.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
