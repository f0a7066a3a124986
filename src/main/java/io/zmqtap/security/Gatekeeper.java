package io.zmqtap.security;

import io.zmqtap.endpoint.Notices;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZMsg;

/**
 * The ZAP handler of a context: JeroMQ's {@link ZAuth} actor, bound to
 * {@code inproc://zeromq.zap.01}, asks this for each client of a CURVE or PLAIN server socket (and
 * of a NULL one with a ZAP domain, when addresses are filtered), following {@link AccessRules}.
 * Every refusal is counted ({@link #refusals()}) and reported as a notice naming the socket (its
 * ZAP domain), the client's address and its key or user name; repeats are summed up by
 * {@link Notices}. Start it before the sockets it guards bind: a client whose handshake finds no
 * handler is let in.
 *
 * <pre>{@code
 * try (Gatekeeper gate = Gatekeeper.start(ctx, AccessRules.none().allowDirectory(dir), notices)) {
 *     SocketSecurity.curveServer(serverCert).apply(socket, "frontend");
 *     socket.bind("tcp://*:4444");
 *     ...
 * }
 * }</pre>
 */
public final class Gatekeeper implements AutoCloseable {
    private final ZAuth auth;
    private final AtomicLong refusals = new AtomicLong();
    private final Map<String, AtomicLong> byDomain = new ConcurrentHashMap<>();

    private Gatekeeper(ZContext context, AccessRules rules, Notices notices) {
        AllowedKeys allowed = rules.allowDirectory() == null ? null
                : new AllowedKeys(rules.allowDirectory(), line -> notices.report(line, line));
        ZAuth.SimplePlainAuth plain = rules.plainUsers() == null ? null : new ZAuth.SimplePlainAuth();
        Map<String, ZAuth.Auth> auths = Map.of(
                "CURVE", new Door(rules, notices, null, request -> allowed == null || allowed.contains(request.clientKey)
                        ? null : "key not in --allow " + rules.allowDirectory()),
                "PLAIN", new Door(rules, notices, plain, request -> plain == null ? "no PLAIN users (--in-plain)"
                        : plain.authorize(request, false) ? null : "wrong user name or password"),
                "NULL", new Door(rules, notices, null, request -> null));
        this.auth = new ZAuth(context, "zmqtap-zap", auths);
        if (plain != null) {
            auth.configurePlain("*", rules.plainUsers().toString());
        }
    }

    /** Starts the handler in {@code context}; refusals go to {@code notices}. */
    public static Gatekeeper start(ZContext context, AccessRules rules, Notices notices) {
        return new Gatekeeper(context, rules, notices);
    }

    /** Clients refused so far, on every socket. */
    public long refusals() {
        return refusals.get();
    }

    /** Clients refused so far per socket (ZAP domain), e.g. {@code capture=3}. */
    public Map<String, Long> refusalsBySocket() {
        Map<String, Long> m = new java.util.TreeMap<>();
        byDomain.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Override
    public void close() {
        auth.close();
    }

    private interface Check {
        /** Why the client may not connect, or null. */
        String refuse(ZAuth.ZapRequest request);
    }

    /** One mechanism's check, with the address rules first and every refusal counted and reported. */
    private final class Door implements ZAuth.Auth {
        private final AccessRules rules;
        private final Notices notices;
        private final ZAuth.Auth configured;
        private final Check check;

        Door(AccessRules rules, Notices notices, ZAuth.Auth configured, Check check) {
            this.rules = rules;
            this.notices = notices;
            this.configured = configured;
            this.check = check;
        }

        @Override
        public boolean configure(ZMsg msg, boolean verbose) {
            return configured == null || configured.configure(msg, verbose);
        }

        @Override
        public boolean authorize(ZAuth.ZapRequest request, boolean verbose) {
            String why;
            try {
                why = rules.refuseAddress(request.address);
                if (why == null) {
                    why = check.refuse(request);
                }
            } catch (RuntimeException e) {
                why = "the check failed: " + e; // an exception here would end ZAuth's thread: every client would hang
            }
            if (why != null) {
                refused(request, why);
            }
            return why == null;
        }

        private void refused(ZAuth.ZapRequest request, String why) {
            refusals.incrementAndGet();
            String socket = request.domain == null || request.domain.isEmpty() ? "server" : request.domain;
            byDomain.computeIfAbsent(socket, k -> new AtomicLong()).incrementAndGet();
            String who = request.clientKey != null ? " (key " + request.clientKey + ")"
                    : request.username != null ? " (user '" + request.username + "')" : "";
            notices.report(socket + ": refused " + request.mechanism + " clients (" + why + ")",
                    socket + ": refused " + request.mechanism + " client " + request.address + who + ": " + why);
        }
    }
}
