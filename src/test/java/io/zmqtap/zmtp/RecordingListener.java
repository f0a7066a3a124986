package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Records decoder events in order; tests take them off the front and end with assertExhausted. */
final class RecordingListener implements ZmtpListener {
    final Deque<Object> events = new ArrayDeque<>();

    @Override
    public void greeting(Greeting greeting) {
        events.add(greeting);
    }

    @Override
    public void command(ZmtpCommand command) {
        events.add(command);
    }

    @Override
    public void message(List<Frame> frames) {
        events.add(new ArrayList<>(frames));
    }

    @Override
    public void protocolError(ProtocolError error) {
        events.add(error);
    }

    List<Object> all() {
        return new ArrayList<>(events);
    }

    RecordingListener assertGreeting(int major, int minor, String mechanism, boolean asServer) {
        assertThat(next()).isEqualTo(new Greeting(major, minor, mechanism, asServer));
        return this;
    }

    RecordingListener assertCommand(ZmtpCommand command) {
        assertThat(next()).isEqualTo(command);
        return this;
    }

    /** Asserts the next event is a command and returns it for closer inspection. */
    <T extends ZmtpCommand> T nextCommand(Class<T> type) {
        Object event = next();
        assertThat(event).isInstanceOf(type);
        return type.cast(event);
    }

    RecordingListener assertMessage(String... frames) {
        List<Frame> expected = new ArrayList<>();
        for (String f : frames) {
            expected.add(Frame.of(f));
        }
        return assertMessage(expected);
    }

    RecordingListener assertMessage(List<Frame> frames) {
        assertThat(next()).isEqualTo(frames);
        return this;
    }

    RecordingListener assertError(long offset, String message) {
        assertThat(next()).isEqualTo(new ProtocolError(offset, message));
        return this;
    }

    void assertExhausted() {
        assertThat(events).as("events left over").isEmpty();
    }

    private Object next() {
        assertThat(events).as("expected another event").isNotEmpty();
        return events.removeFirst();
    }
}
