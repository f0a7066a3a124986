package io.zmqtap.replay;

import io.zmqtap.BadValueException;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.event.Frame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Sends a {@link ReplayPlan} to a server again and compares every new reply with the recorded one.
 *
 * <p>Each conversation gets a socket of its own (a REQ or a DEALER, with the recorded client's
 * identity when it chose one), connected to the server. All run on the calling thread: a request
 * goes when it is due ({@link Speed}) and its conversation may send (a REQ's reply before it came,
 * fewer than {@code window} of a DEALER's in flight); each reply is waited for at most
 * {@code timeout}. A DEALER's replies are matched with its requests by their routing frames (what
 * comes before the delimiter), in order among equal ones; one that matches nothing in flight came
 * after its request was given up and is counted as late.
 *
 * <pre>{@code
 * ReplaySummary s = Replayer.to(Endpoint.parse(">tcp://127.0.0.1:5555")).speed(Speed.MAX)
 *         .timeout(Duration.ofSeconds(5)).run(plan, r -> System.out.println(r.describe(64)));
 * System.exit(s.ok() ? 0 : 1);
 * }</pre>
 */
public final class Replayer {
    /** Longest pause between two looks at sockets that cannot send yet (no connection). */
    private static final long RETRY_NANOS = 10_000_000;

    private final Endpoint server;
    private Speed speed = Speed.RECORDED;
    private Duration timeout = Duration.ofSeconds(5);
    private int window = 100;
    private ReplayClock clock = ReplayClock.system();

    private Replayer(Endpoint server) {
        this.server = server;
    }

    /** A replayer that connects to {@code server} ({@code >tcp://host:port}). */
    public static Replayer to(Endpoint server) {
        if (server.bind()) {
            throw new BadValueException("cannot replay to " + server + ": the server is connected to, e.g. >"
                    + server.address().replace("*", "localhost"));
        }
        return new Replayer(server);
    }

    public Replayer speed(Speed speed) {
        this.speed = Objects.requireNonNull(speed);
        return this;
    }

    /** How long each reply is waited for (default 5 s). */
    public Replayer timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new BadValueException("the reply timeout must be longer than 0, not " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** At most this many of a DEALER conversation's requests in flight at once (default 100). */
    public Replayer window(int window) {
        if (window < 1) {
            throw new BadValueException("the window must be at least 1 request, not " + window);
        }
        this.window = window;
        return this;
    }

    public Replayer clock(ReplayClock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    /** Replays {@code plan}, giving each result to {@code results} as it is known; returns the counts. */
    public ReplaySummary run(ReplayPlan plan, Consumer<RequestResult> results) throws InterruptedException {
        Tally tally = new Tally(results);
        try (ZContext context = new ZContext(1); ZMQ.Poller poller = context.createPoller(4)) {
            List<Client> clients = new ArrayList<>();
            for (Conversation c : plan.conversations()) {
                clients.add(new Client(c, context, poller));
            }
            long start = clock.nanoTime();
            while (!clients.isEmpty()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("replay interrupted");
                }
                long now = clock.nanoTime() - start;
                boolean inFlight = false;
                long wake = Long.MAX_VALUE;
                for (Client c : clients) {
                    c.sendDue(now, tally);
                    inFlight |= !c.inFlight.isEmpty();
                    wake = Math.min(wake, c.wake(now));
                }
                long wait = Math.max(0, wake - now);
                if (inFlight) {
                    long ms = Math.min((wait + 999_999) / 1_000_000, timeout.toMillis() + 1);
                    poller.poll(Math.max(ms, 0));
                } else if (wait > 0) {
                    clock.sleep(wait);
                }
                now = clock.nanoTime() - start;
                for (Iterator<Client> it = clients.iterator(); it.hasNext(); ) {
                    Client c = it.next();
                    c.receive(now, tally);
                    c.expire(now, tally);
                    if (c.done()) {
                        c.close();
                        it.remove();
                    }
                }
            }
        }
        return tally.summary();
    }

    /** A request on its way: when it went, and the routing frames its reply should carry. */
    private record InFlight(Request request, long sentAt, List<Frame> envelope) {}

    /** One conversation's socket and progress. */
    private final class Client {
        final Conversation conversation;
        final ZContext context;
        final ZMQ.Poller poller;
        final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        ZMQ.Socket socket;
        int next;
        long blockedSince = -1; // the next request could not be sent (no connection yet) since then

        Client(Conversation conversation, ZContext context, ZMQ.Poller poller) {
            this.conversation = conversation;
            this.context = context;
            this.poller = poller;
        }

        boolean req() {
            return conversation.kind() == Conversation.Kind.REQ;
        }

        boolean mayAddOne() {
            return next < conversation.requests().size() && (req() ? inFlight.isEmpty() : inFlight.size() < window);
        }

        void sendDue(long now, Tally tally) {
            while (mayAddOne() && speed.due(conversation.requests().get(next).offsetNanos()) <= now) {
                Request r = conversation.requests().get(next);
                if (!send(r.send())) {
                    if (blockedSince < 0) {
                        blockedSince = now;
                    } else if (now - blockedSince >= timeout.toNanos()) {
                        tally.result(new RequestResult(conversation.name(), r, Outcome.UNANSWERED, null, null, -1,
                                "not sent within " + text(timeout) + ": no connection to " + server.address()));
                        next++;
                        blockedSince = -1;
                        continue;
                    }
                    return;
                }
                blockedSince = -1;
                inFlight.add(new InFlight(r, now, envelope(wire(r.send()))));
                next++;
            }
        }

        /** When this client next needs a look: its next request's time, its oldest reply's deadline. */
        long wake(long now) {
            long wake = Long.MAX_VALUE;
            if (blockedSince >= 0) {
                wake = now + RETRY_NANOS;
            } else if (mayAddOne()) {
                wake = speed.due(conversation.requests().get(next).offsetNanos());
            }
            if (!inFlight.isEmpty()) {
                wake = Math.min(wake, inFlight.peek().sentAt() + timeout.toNanos());
            }
            return wake;
        }

        private boolean send(List<Frame> frames) {
            if (socket == null) {
                open();
            }
            // the first frame decides: IMMEDIATE keeps it back until the connection is up
            if (!socket.send(frames.get(0).data(), ZMQ.DONTWAIT | (frames.size() > 1 ? ZMQ.SNDMORE : 0))) {
                return false;
            }
            for (int i = 1; i < frames.size(); i++) {
                socket.send(frames.get(i).data(), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
            return true;
        }

        private void open() {
            socket = context.createSocket(req() ? SocketType.REQ : SocketType.DEALER);
            socket.setLinger(0);
            if (req()) {
                // a reply given up on must not block the next request, nor be taken for its reply
                socket.setReqRelaxed(true);
                socket.setReqCorrelate(true);
            }
            if (conversation.identity() != null) {
                socket.setIdentity(conversation.identity().data());
            }
            Sockets.attach(socket, List.of(server), "replay client");
            poller.register(socket, ZMQ.Poller.POLLIN);
        }

        void receive(long now, Tally tally) {
            if (socket == null) {
                return;
            }
            // a REQ with nothing in flight refuses to receive (and has nothing to)
            for (List<Frame> reply; !(req() && inFlight.isEmpty()) && (reply = receiveOne()) != null; ) {
                List<Frame> wire = req() ? withDelimiter(reply) : reply;
                InFlight f = match(wire);
                if (f == null) {
                    tally.late++;
                    continue;
                }
                inFlight.remove(f);
                tally.compare(conversation.name(), f.request(), wire, now - f.sentAt());
            }
        }

        private List<Frame> receiveOne() {
            byte[] first = socket.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return null;
            }
            List<Frame> frames = new ArrayList<>();
            frames.add(Frame.of(first));
            while (socket.hasReceiveMore()) {
                frames.add(Frame.of(socket.recv(0)));
            }
            return frames;
        }

        private InFlight match(List<Frame> wire) {
            if (req() || inFlight.isEmpty()) {
                return inFlight.peek();
            }
            List<Frame> envelope = envelope(wire);
            for (InFlight f : inFlight) {
                if (f.envelope().equals(envelope)) {
                    return f;
                }
            }
            return inFlight.peek();
        }

        void expire(long now, Tally tally) {
            while (!inFlight.isEmpty() && now - inFlight.peek().sentAt() >= timeout.toNanos()) {
                InFlight f = inFlight.poll();
                tally.result(new RequestResult(conversation.name(), f.request(), Outcome.UNANSWERED, null, null, -1,
                        "no reply within " + text(timeout)));
            }
        }

        boolean done() {
            return next >= conversation.requests().size() && inFlight.isEmpty();
        }

        void close() {
            if (socket != null) {
                poller.unregister(socket);
                context.destroySocket(socket);
                socket = null;
            }
        }

        private List<Frame> wire(List<Frame> send) {
            return req() ? withDelimiter(send) : send;
        }
    }

    private static List<Frame> withDelimiter(List<Frame> body) {
        List<Frame> wire = new ArrayList<>(body.size() + 1);
        wire.add(Frame.EMPTY);
        wire.addAll(body);
        return wire;
    }

    /** The routing frames before the first empty delimiter; empty when there is none. */
    private static List<Frame> envelope(List<Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).isEmpty()) {
                return List.copyOf(frames.subList(0, i));
            }
        }
        return List.of();
    }

    /** {@code 5 s}, {@code 200 ms}. */
    static String text(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** Counts results and hands them on. */
    private static final class Tally {
        final Consumer<RequestResult> results;
        long requests;
        long same;
        long differs;
        long unanswered;
        long unrecorded;
        long late;

        Tally(Consumer<RequestResult> results) {
            this.results = results;
        }

        void compare(String conversation, Request r, List<Frame> reply, long latency) {
            if (r.expected() == null) {
                result(new RequestResult(conversation, r, Outcome.UNRECORDED, reply, null, latency, null));
                return;
            }
            ReplyDiff diff = ReplyDiff.of(r.expected(), reply);
            result(new RequestResult(conversation, r, diff == null ? Outcome.SAME : Outcome.DIFFERS, reply, diff,
                    latency, null));
        }

        void result(RequestResult r) {
            requests++;
            switch (r.outcome()) {
                case SAME -> same++;
                case DIFFERS -> differs++;
                case UNANSWERED -> unanswered++;
                default -> unrecorded++;
            }
            results.accept(r);
        }

        ReplaySummary summary() {
            return new ReplaySummary(requests, same, differs, unanswered, unrecorded, late);
        }
    }
}
