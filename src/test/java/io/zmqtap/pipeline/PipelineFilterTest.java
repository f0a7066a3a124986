package io.zmqtap.pipeline;

import static io.zmqtap.event.Direction.IN;
import static io.zmqtap.event.Direction.OUT;
import static io.zmqtap.pipeline.Events.routed;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.StatisticsEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Pipeline.Builder#filter}: after pairing, before the statistics and the sinks. */
class PipelineFilterTest {
    @Test
    void aFilterSeesPairedRepliesAndHidesWhatItRejectsFromTheSinksAndTheStatistics() {
        Recorder out = new Recorder();
        List<CaptureEvent> asked = new ArrayList<>();
        Pipeline p = Pipeline.builder(Events.QUEUE).sink(out).filter(e -> {
            asked.add(e);
            return !(e instanceof MessageEvent m) || m.latencyNanos() > 50_000; // slow replies only
        }).start();
        p.accept(routed(1, 0, IN, "a", "", "2"));
        p.accept(routed(2, 10, IN, "b", "", "3"));
        p.accept(routed(3, 20, OUT, "b", "", "6")); // 10 µs: hidden
        p.accept(routed(4, 61, OUT, "a", "", "4")); // 61 µs: shown
        p.accept(new NoticeEvent(Events.at(70), Events.QUEUE, NoticeEvent.Level.INFO, "kept"));
        p.close();

        assertThat(asked).hasSize(5);
        assertThat(out.messages()).extracting(MessageEvent::seq).containsExactly(4L);
        assertThat(out.messages().get(0).replyTo()).as("paired although its request was hidden").isEqualTo(1);
        assertThat(out.all()).filteredOn(e -> e instanceof NoticeEvent).hasSize(1);
        StatisticsEvent last = out.statistics().get(0);
        assertThat(last.counter("messages")).isEqualTo(1);
        assertThat(last.counter("filtered_out")).isEqualTo(3);
        assertThat(last.counter("unanswered")).as("the correlator saw every message").isZero();
        assertThat(last.peers()).hasSize(1);
        assertThat(last.peers().get(0).latency().count()).isEqualTo(1);
    }

    @Test
    void withoutAFilterThereIsNoFilteredOutCounter() {
        Recorder out = new Recorder();
        Pipeline p = Pipeline.builder(Events.QUEUE).sink(out).start();
        p.accept(routed(1, 0, IN, "a", "", "2"));
        p.close();
        assertThat(out.messages()).hasSize(1);
        assertThat(out.statistics().get(0).counters()).doesNotContainKey("filtered_out");
    }
}
