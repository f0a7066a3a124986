package io.zmqtap.pcap;

import io.zmqtap.testing.ZmtpBytes;
import java.util.ArrayList;
import java.util.List;

/**
 * A REQ client ({@code abc}) and a REP server over one TCP connection, segment by segment as libzmq
 * sends them: handshake, greetings in pieces of 10, 1 and 53 bytes each way, READYs, two requests
 * and their replies, FIN each way and the last ACK.
 */
final class ReqRep {
    static final byte[] GREETING = new ZmtpBytes().greeting(1).bytes();
    static final byte[] CLIENT_READY = new ZmtpBytes().ready("REQ", "abc").bytes();
    static final byte[] SERVER_READY = new ZmtpBytes().ready("REP", null).bytes();
    static final byte[] REQUEST_3 = new ZmtpBytes().message("", "3").bytes();
    static final byte[] REPLY_6 = new ZmtpBytes().message("", "6").bytes();
    static final byte[] REQUEST_4 = new ZmtpBytes().message("", "4").bytes();
    static final byte[] REPLY_8 = new ZmtpBytes().message("", "8").bytes();
    /** Bytes each way: greeting, READY, two messages. */
    static final int CLIENT_BYTES = 64 + CLIENT_READY.length + 2 * REQUEST_3.length;
    static final int SERVER_BYTES = 64 + SERVER_READY.length + 2 * REPLY_6.length;

    /** What the dissector makes of the whole conversation (connection {@code conn}, messages from {@code seq}). */
    static List<String> events(String conn, String client, String server, int seq) {
        return List.of(
                conn + " in ready REQ 3.1 identity \"abc\"",
                conn + " out ready REP 3.1 identity null",
                conn + " OPENED " + client + " -> " + server + " REQ -> REP in 0 msgs " + (64 + CLIENT_READY.length)
                        + " B out 0 msgs " + (64 + SERVER_READY.length) + " B",
                conn + " in #" + seq + " \"abc\" [\"\", \"3\"]",
                conn + " out #" + (seq + 1) + " \"abc\" [\"\", \"6\"]",
                conn + " in #" + (seq + 2) + " \"abc\" [\"\", \"4\"]",
                conn + " out #" + (seq + 3) + " \"abc\" [\"\", \"8\"]",
                closed(conn, client, server, 2, CLIENT_BYTES, 2, SERVER_BYTES));
    }

    static String closed(String conn, String client, String server, int messagesIn, long bytesIn, int messagesOut, long bytesOut) {
        return conn + " CLOSED " + client + " -> " + server + " REQ -> REP in " + messagesIn + " msgs " + bytesIn + " B out "
                + messagesOut + " msgs " + bytesOut + " B";
    }

    /** The handshake: SYN, SYN-ACK, ACK. */
    static List<TcpSegment> handshake(TcpConversation c) {
        return List.of(c.syn(), c.synAck(), c.ack());
    }

    /** The ZMTP part, in causal order: greetings, READYs, requests and replies. */
    static List<TcpSegment> zmtp(TcpConversation c) {
        return turns(c, Integer.MAX_VALUE).stream().flatMap(List::stream).toList();
    }

    /**
     * The ZMTP part as turns, each what one end sends before the other answers (the greetings in
     * pieces of 10, 1 and 53 bytes, then READY, request, reply, request, reply), each turn in
     * segments of at most {@code piece} bytes.
     */
    static List<List<TcpSegment>> turns(TcpConversation c, int piece) {
        List<List<TcpSegment>> turns = greetings(c, piece);
        turns.addAll(messages(c, piece));
        return turns;
    }

    /** The first 8 turns: greetings (10, 1, 53 bytes) and READYs. */
    static List<List<TcpSegment>> greetings(TcpConversation c, int piece) {
        List<List<TcpSegment>> turns = new ArrayList<>();
        for (int[] range : new int[][] {{0, 10}, {10, 11}, {11, 64}}) {
            turns.add(c.client(slice(GREETING, range[0], range[1]), sizes(piece)));
            turns.add(c.server(slice(GREETING, range[0], range[1]), sizes(piece)));
        }
        turns.add(c.client(CLIENT_READY, sizes(piece)));
        turns.add(c.server(SERVER_READY, sizes(piece)));
        return turns;
    }

    /** The last 4 turns: request, reply, request, reply. */
    static List<List<TcpSegment>> messages(TcpConversation c, int piece) {
        List<List<TcpSegment>> turns = new ArrayList<>();
        for (byte[][] turn : new byte[][][] {{REQUEST_3, REPLY_6}, {REQUEST_4, REPLY_8}}) {
            turns.add(c.client(turn[0], sizes(piece)));
            turns.add(c.server(turn[1], sizes(piece)));
        }
        return turns;
    }

    private static int[] sizes(int piece) {
        int[] sizes = new int[64];
        java.util.Arrays.fill(sizes, piece);
        return sizes;
    }

    /** The close: FIN each way, the last ACK. */
    static List<TcpSegment> close(TcpConversation c) {
        return List.of(c.clientFin(), c.serverFin(), c.ack());
    }

    /** A conversation made in causal order, kept apart so that tests can change its turns before flattening it. */
    record Script(List<TcpSegment> handshake, List<List<TcpSegment>> turns, List<TcpSegment> close) {
        /** Handshake, turns, close. */
        List<TcpSegment> all() {
            List<TcpSegment> all = new ArrayList<>(handshake);
            turns.forEach(all::addAll);
            all.addAll(close);
            return all;
        }
    }

    /** Handshake, the turns in segments of at most {@code piece} bytes (in mutable lists), close. */
    static Script script(TcpConversation c, int piece) {
        List<TcpSegment> handshake = handshake(c);
        List<List<TcpSegment>> turns = new ArrayList<>();
        turns(c, piece).forEach(t -> turns.add(new ArrayList<>(t)));
        return new Script(handshake, turns, close(c));
    }

    /** The whole conversation in causal order. */
    static List<TcpSegment> all(TcpConversation c) {
        List<TcpSegment> s = new ArrayList<>(handshake(c));
        s.addAll(zmtp(c));
        s.addAll(close(c));
        return s;
    }

    static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }
}
