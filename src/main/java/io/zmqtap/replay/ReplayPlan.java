package io.zmqtap.replay;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.FrameText;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The client side of a recording, ready to send again: one {@link Conversation} per client, each
 * request paired with its recorded reply. No I/O: give it the recorded events in order.
 *
 * <p>A client is a connection ({@code c1}) or, when it chose its identity itself, that identity
 * (its reconnects are one client: a server's ROUTER would refuse two at once). Requests are the
 * messages from client to server ({@code dir in}) without a ROUTER's routing id; the recorded reply
 * is the message back whose {@code reply_to} is the request's {@code seq}, or, when the recording
 * did not pair them, the next reply on that conversation. A REQ's requests (handshake
 * {@code REQ}, or each starting with the empty delimiter) are sent by a REQ; the rest by a DEALER,
 * routing frames and all.
 *
 * <pre>{@code
 * ReplayPlan.Builder b = ReplayPlan.builder(Filter.parse("dir in and payload ~ \"7\""));
 * RecordingReader.read(in, file, b::accept);
 * ReplayPlan plan = b.build();
 * plan.notes().forEach(err::println);   // what cannot be replayed, and why
 * }</pre>
 *
 * @param conversations the conversations, in the order of their first request
 * @param notes one sentence each: what was left out or could not be kept, and why
 * @param filteredOut requests the filter left out
 */
public record ReplayPlan(List<Conversation> conversations, List<String> notes, long filteredOut) {
    private static final Set<String> CLIENTS = Set.of("REQ", "DEALER");

    public ReplayPlan {
        conversations = List.copyOf(conversations);
        notes = List.copyOf(notes);
    }

    /** A plan from {@code events}, with every request (null filter) or those {@code filter} selects. */
    public static ReplayPlan of(Iterable<? extends CaptureEvent> events, Predicate<CaptureEvent> filter) {
        Builder b = builder(filter);
        events.forEach(b::accept);
        return b.build();
    }

    public static Builder builder(Predicate<CaptureEvent> filter) {
        return new Builder(filter);
    }

    /** Every request in the plan. */
    public int requests() {
        return conversations.stream().mapToInt(c -> c.requests().size()).sum();
    }

    /** Collects events one at a time (a recording can be read straight into it). */
    public static final class Builder {
        private final Predicate<CaptureEvent> filter;
        private final Map<String, String> clientTypes = new HashMap<>(); // source|conn -> client socket type
        private final Map<String, Frame> chosenIdentities = new HashMap<>(); // source|conn -> identity the client set
        private final Map<String, Draft> drafts = new LinkedHashMap<>();
        private final Map<String, Pending> bySeq = new HashMap<>(); // source|seq -> request
        private final List<String> notes = new ArrayList<>();
        private final Map<String, Long> skipped = new LinkedHashMap<>();
        private Instant first;
        private long filteredOut;
        private long undirected;

        private Builder(Predicate<CaptureEvent> filter) {
            this.filter = filter;
        }

        /** One recorded event, in recorded order. */
        public void accept(CaptureEvent event) {
            // the filter sees every event: it learns socket types from handshakes
            boolean selected = filter == null || filter.test(event);
            if (event instanceof HandshakeEvent h) {
                if (h.direction() == Direction.IN) {
                    String key = h.source() + "|" + h.conn();
                    if (h.socketType() != null) {
                        clientTypes.put(key, h.socketType());
                    }
                    if (h.identity() != null && !h.identity().isEmpty()) {
                        chosenIdentities.put(key, h.identity());
                    }
                }
            } else if (event instanceof ConnectionEvent c) {
                if (c.clientSocketType() != null) {
                    clientTypes.putIfAbsent(c.source() + "|" + c.conn(), c.clientSocketType());
                }
            } else if (event instanceof MessageEvent m) {
                if (m.direction() == Direction.IN) {
                    request(m, selected);
                } else if (m.direction() == Direction.OUT) {
                    reply(m);
                } else {
                    undirected++;
                }
            }
        }

        private void request(MessageEvent m, boolean selected) {
            String type = clientTypes.get(m.source() + "|" + m.conn());
            Draft d = drafts.computeIfAbsent(conversationKey(m), k -> new Draft(name(m), identityToKeep(m), type));
            List<Frame> frames = withoutRoutingId(m);
            Pending p = new Pending(m, frames, selected);
            d.requests.add(p);
            bySeq.put(m.source() + "|" + m.seq(), p);
            if (!selected) {
                filteredOut++;
            } else if (first == null) {
                first = m.time();
            }
        }

        private void reply(MessageEvent m) {
            Pending p = null;
            if (m.replyTo() > 0) {
                p = bySeq.get(m.source() + "|" + m.replyTo());
            } else {
                Draft d = drafts.get(conversationKey(m));
                if (d != null) {
                    p = d.nextUnanswered();
                }
            }
            if (p != null && p.reply == null) {
                p.reply = m;
            }
        }

        /** The conversations, and notes on what could not be replayed. */
        public ReplayPlan build() {
            List<Conversation> conversations = new ArrayList<>();
            for (Draft d : drafts.values()) {
                Conversation c = d.build();
                if (c != null && !c.requests().isEmpty()) {
                    conversations.add(c);
                }
            }
            if (undirected > 0) {
                skip(undirected + " messages without a direction (a raw capture) cannot be replayed");
            }
            List<String> all = new ArrayList<>(notes);
            skipped.forEach((what, n) -> all.add(n == 1 ? what : what + " (" + n + " times)"));
            return new ReplayPlan(conversations, all, filteredOut);
        }

        private void skip(String what) {
            skipped.merge(what, 1L, Long::sum);
        }

        private String conversationKey(MessageEvent m) {
            Frame kept = identityToKeep(m);
            return kept != null ? m.source() + "|id|" + kept.hex() : m.source() + "|" + m.conn() + "|"
                    + (m.identity() == null ? "" : m.identity().hex());
        }

        private String name(MessageEvent m) {
            Frame kept = identityToKeep(m);
            if (kept != null || m.conn() == null) {
                return FrameText.identity(m.identity());
            }
            return m.conn();
        }

        /**
         * The identity the client chose itself: from its handshake, or (a queue's feed has no
         * handshake) one that does not start with a zero byte, which ROUTERs keep for the ids they
         * make up.
         */
        private Frame identityToKeep(MessageEvent m) {
            Frame chosen = chosenIdentities.get(m.source() + "|" + m.conn());
            if (chosen != null) {
                return chosen;
            }
            Frame id = m.identity();
            boolean handshakeSeen = clientTypes.containsKey(m.source() + "|" + m.conn());
            if (id == null || id.isEmpty() || id.data().length == 0 || id.truncated() || handshakeSeen) {
                return null; // a handshake without an identity: the server made the id up
            }
            return id.data()[0] == 0 ? null : id;
        }

        private static List<Frame> withoutRoutingId(MessageEvent m) {
            List<Frame> f = m.frames();
            return m.routed() && !f.isEmpty() ? f.subList(1, f.size()) : f;
        }

        private final class Draft {
            final String name;
            final Frame identity;
            final String socketType;
            final List<Pending> requests = new ArrayList<>();
            int unanswered; // requests before it all have a recorded reply

            Draft(String name, Frame identity, String socketType) {
                this.name = name;
                this.identity = identity;
                this.socketType = socketType;
            }

            Pending nextUnanswered() {
                while (unanswered < requests.size() && requests.get(unanswered).reply != null) {
                    unanswered++;
                }
                return unanswered < requests.size() ? requests.get(unanswered) : null;
            }

            Conversation build() {
                if (socketType != null && !CLIENTS.contains(socketType)) {
                    skip("conversation " + name + " is a " + socketType + "'s, not a REQ's or a DEALER's: not replayed");
                    return null;
                }
                boolean req = "REQ".equals(socketType) || socketType == null
                        && requests.stream().allMatch(p -> startsWithDelimiter(p.frames));
                if (req && !requests.stream().allMatch(p -> startsWithDelimiter(p.frames))) {
                    req = false; // a REQ's handshake, yet not a REQ's messages: send them as they were
                }
                if (identity == null && !requests.isEmpty() && requests.get(0).recorded.identity() != null
                        && requests.stream().anyMatch(p -> p.selected)) {
                    notes.add("conversation " + name + ": its identity "
                            + FrameText.identity(requests.get(0).recorded.identity())
                            + " was made up by the server's ROUTER; the replay gets a new one");
                }
                List<Request> out = new ArrayList<>();
                for (Pending p : requests) {
                    if (!p.selected) {
                        continue;
                    }
                    Frame cut = p.frames.stream().filter(Frame::truncated).findFirst().orElse(null);
                    if (cut != null) {
                        skip("a request recorded with a frame cut short (" + cut.data().length + " of " + cut.size()
                                + " B, --snap) cannot be sent again: left out");
                        continue;
                    }
                    if (p.frames.isEmpty()) {
                        continue;
                    }
                    List<Frame> send = req ? p.frames.subList(1, p.frames.size()) : p.frames;
                    List<Frame> expected = p.reply == null ? null : withoutRoutingId(p.reply);
                    long offset = Duration.between(first, p.recorded.time()).toNanos();
                    out.add(new Request(p.recorded, Math.max(0, offset), send, p.reply, expected));
                }
                return new Conversation(name, req ? Conversation.Kind.REQ : Conversation.Kind.DEALER, identity, out);
            }
        }

        private static boolean startsWithDelimiter(List<Frame> frames) {
            return frames.size() >= 2 && frames.get(0).isEmpty();
        }

        private static final class Pending {
            final MessageEvent recorded;
            final List<Frame> frames;
            final boolean selected;
            MessageEvent reply;

            Pending(MessageEvent recorded, List<Frame> frames, boolean selected) {
                this.recorded = recorded;
                this.frames = frames;
                this.selected = selected;
            }
        }
    }
}
