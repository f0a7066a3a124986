package io.zmqtap.zmtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ZMTP command frame, decoded as far as a passive observer can.
 *
 * <p>Byte-array components are compared by content, so recorded events can be asserted with
 * {@code equals}. Arrays are handed over, not copied: do not modify them.
 *
 * <p>Usage: {@code if (command instanceof ZmtpCommand.Ready r) { r.socketType(); // "REQ" }}
 */
public sealed interface ZmtpCommand {
    /** The command's wire name, e.g. {@code READY}, {@code SUBSCRIBE}. */
    String name();

    /** READY (NULL mechanism handshake; also synthesised for ZMTP/2.0 and 1.0 peers). */
    record Ready(Map<String, byte[]> properties) implements ZmtpCommand {
        public Ready {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }

        @Override
        public String name() {
            return "READY";
        }

        /** The {@code Socket-Type} property, e.g. "REQ", or null. */
        public String socketType() {
            return Properties.text(properties, "Socket-Type");
        }

        /** The {@code Identity} property (the peer's routing id), or null when absent or empty. */
        public byte[] identity() {
            byte[] id = Properties.get(properties, "Identity");
            return id == null || id.length == 0 ? null : id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ready r && Properties.equal(properties, r.properties);
        }

        @Override
        public int hashCode() {
            return properties.keySet().hashCode();
        }

        @Override
        public String toString() {
            return "READY " + Properties.toString(properties);
        }
    }

    /** ERROR: the peer rejected the handshake. */
    record Error(String reason) implements ZmtpCommand {
        @Override
        public String name() {
            return "ERROR";
        }
    }

    /**
     * A subscription: a SUBSCRIBE command (3.1) or a data frame starting 0x01 from a SUB/XSUB peer
     * (3.0 and 2.0, {@code viaDataFrame}).
     */
    record Subscribe(byte[] topic, boolean viaDataFrame) implements ZmtpCommand {
        @Override
        public String name() {
            return "SUBSCRIBE";
        }

        public String topicText() {
            return new String(topic, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Subscribe s && s.viaDataFrame == viaDataFrame && Arrays.equals(s.topic, topic);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(topic);
        }

        @Override
        public String toString() {
            return Properties.topic(name(), topic, viaDataFrame);
        }
    }

    /** An unsubscription: CANCEL command (3.1) or data frame starting 0x00 (3.0, 2.0). */
    record Cancel(byte[] topic, boolean viaDataFrame) implements ZmtpCommand {
        @Override
        public String name() {
            return "CANCEL";
        }

        public String topicText() {
            return new String(topic, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cancel c && c.viaDataFrame == viaDataFrame && Arrays.equals(c.topic, topic);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(topic);
        }

        @Override
        public String toString() {
            return Properties.topic(name(), topic, viaDataFrame);
        }
    }

    /** PING (3.1 heartbeat): {@code ttl} in tenths of a second, then up to 16 bytes of context. */
    record Ping(int ttl, byte[] context) implements ZmtpCommand {
        @Override
        public String name() {
            return "PING";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ping p && p.ttl == ttl && Arrays.equals(p.context, context);
        }

        @Override
        public int hashCode() {
            return ttl * 31 + Arrays.hashCode(context);
        }

        @Override
        public String toString() {
            return "PING ttl=" + ttl + " context=" + Properties.quote(context);
        }
    }

    /** PONG: answers a PING, echoing its context. */
    record Pong(byte[] context) implements ZmtpCommand {
        @Override
        public String name() {
            return "PONG";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pong p && Arrays.equals(p.context, context);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(context);
        }

        @Override
        public String toString() {
            return "PONG context=" + Properties.quote(context);
        }
    }

    /** PLAIN HELLO. The password is never kept: {@code password} is always {@code "****"}. */
    record Hello(String username, String password) implements ZmtpCommand {
        public static final String MASK = "****";

        public Hello {
            password = MASK;
        }

        public Hello(String username) {
            this(username, MASK);
        }

        @Override
        public String name() {
            return "HELLO";
        }
    }

    /** PLAIN WELCOME (no body). */
    record Welcome() implements ZmtpCommand {
        @Override
        public String name() {
            return "WELCOME";
        }
    }

    /** PLAIN INITIATE: the client's metadata, like READY's. */
    record Initiate(Map<String, byte[]> properties) implements ZmtpCommand {
        public Initiate {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }

        @Override
        public String name() {
            return "INITIATE";
        }

        public String socketType() {
            return Properties.text(properties, "Socket-Type");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Initiate i && Properties.equal(properties, i.properties);
        }

        @Override
        public int hashCode() {
            return properties.keySet().hashCode();
        }

        @Override
        public String toString() {
            return "INITIATE " + Properties.toString(properties);
        }
    }

    /** A CURVE command (HELLO, WELCOME, INITIATE, READY, MESSAGE): encrypted, not decoded. */
    record CurveCommand(String name, int size) implements ZmtpCommand {
        /** Always true: the payload is encrypted and was not decoded. */
        public boolean encrypted() {
            return true;
        }
    }

    /** A command this decoder does not know; {@code size} is the data size after the name. */
    record Unknown(String name, int size) implements ZmtpCommand {}
}
