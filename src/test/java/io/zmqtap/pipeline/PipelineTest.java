package io.zmqtap.pipeline;

import static io.zmqtap.event.Direction.IN;
import static io.zmqtap.event.Direction.OUT;
import static io.zmqtap.pipeline.Events.routed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static final long SECOND = 1_000_000_000L;
    private final List<Pipeline> started = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        started.forEach(Pipeline::close);
    }

    private Pipeline start(Pipeline.Builder b) {
        Pipeline p = b.start();
        started.add(p);
        return p;
    }

    private static MessageEvent request(long seq) {
        return routed(seq, seq, IN, "client", "", "x");
    }

    /** A sink that stops in its first event until the test ends. */
    private final class StuckSink implements Sink {
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicLong calls = new AtomicLong();

        @Override
        public void accept(CaptureEvent event) {
            calls.incrementAndGet();
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("sink called").isTrue();
        }
    }

    @Test
    void aPipelineThatWaitsWhenFullLosesNothingToASlowSink() throws Exception {
        StuckSink stuck = new StuckSink();
        Recorder after = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(stuck).sink(after).queueEvents(2).waitWhenFull(true));
        Thread reader = new Thread(() -> {
            for (long i = 1; i <= 50; i++) {
                p.accept(request(i)); // a file being read: waits while the sinks are behind
            }
        });
        reader.start();
        stuck.awaitEntered();
        reader.join(200);
        assertThat(reader.isAlive()).as("accept waits while the queue is full").isTrue();
        release.countDown();
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
        p.close();
        assertThat(p.dropped()).isZero();
        assertThat(after.messages()).extracting(MessageEvent::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
    }

    @Test
    void everySinkGetsEveryEventInTheOrderAccepted() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(a).sink(b));
        for (long i = 1; i <= 10_000; i++) {
            p.accept(request(i));
        }
        p.close();

        for (Recorder r : List.of(a, b)) {
            assertThat(r.messages()).extracting(MessageEvent::seq).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, 10_000).boxed().toList());
            assertThat(r.all().get(r.all().size() - 1)).isInstanceOfSatisfying(StatisticsEvent.class, s -> {
                assertThat(s.last()).isTrue();
                assertThat(s.counter("messages")).isEqualTo(10_000);
            });
            assertThat(r.statistics()).hasSize(1);
            assertThat(r.closes()).isEqualTo(1);
        }
        assertThat(p.dropped()).isZero();
    }

    @Test
    void twoSourceThreadsAtOnceLoseNothingAndKeepTheirOwnOrder() throws Exception {
        Recorder r = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(r));
        List<Thread> threads = new ArrayList<>();
        for (String client : List.of("a", "b")) {
            threads.add(new Thread(() -> {
                for (long i = 1; i <= 5_000; i++) {
                    p.accept(routed(i, i, IN, client, "", "x"));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        p.close();

        for (String client : List.of("a", "b")) {
            assertThat(r.messages().stream().filter(m -> m.identity().text().equals(client)).map(MessageEvent::seq))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 5_000).boxed().toList());
        }
    }

    @Test
    void closeSendsExactlyOneLastStatisticsEventToTheStatisticsSinkOnly() {
        Recorder out = new Recorder();
        Recorder err = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(out).statsSink(err));
        p.accept(request(1));
        p.close();
        p.close();
        p.accept(request(2)); // after close: dropped and counted

        assertThat(out.messages()).hasSize(1);
        assertThat(out.statistics()).isEmpty();
        assertThat(out.closes()).isEqualTo(1);
        assertThat(err.all()).singleElement().isInstanceOfSatisfying(StatisticsEvent.class, s -> {
            assertThat(s.last()).isTrue();
            assertThat(s.source()).isEqualTo(Events.QUEUE);
            assertThat(s.counters().keySet()).containsExactly("messages", "messages_in", "messages_out", "commands",
                    "events_dropped", "unanswered", "awaiting_reply", "unanswered_evicted", "sink_failures");
        });
        assertThat(err.closes()).isZero();
        assertThat(p.dropped()).isEqualTo(1);
    }

    @Test
    void aSinkThatThrowsIsCountedAndStillGetsTheNextEvents() {
        Recorder seen = new Recorder();
        Sink flaky = e -> {
            if (e instanceof MessageEvent m && m.seq() == 2) {
                throw new IllegalStateException("boom");
            }
            seen.accept(e);
        };
        Recorder good = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(flaky).sink(good));
        for (long i = 1; i <= 3; i++) {
            p.accept(request(i));
        }
        p.close();

        assertThat(seen.messages()).extracting(MessageEvent::seq).containsExactly(1L, 3L);
        assertThat(good.messages()).extracting(MessageEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(good.statistics()).singleElement().satisfies(s -> assertThat(s.counter("sink_failures")).isEqualTo(1));
    }

    @Test
    void aSinkThatNeverReturnsNeitherBlocksTheSourceNorClose() throws Exception {
        StuckSink stuck = new StuckSink();
        Recorder stats = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(stuck).statsSink(stats).queueEvents(4)
                .closeTimeout(Duration.ofMillis(100)));
        p.accept(request(1));
        stuck.awaitEntered();
        for (long i = 2; i <= 101; i++) {
            p.accept(request(i)); // 4 wait, 96 are dropped
        }
        assertThat(p.dropped()).isEqualTo(96);
        assertThat(p.statistics(false).counter("events_dropped")).isEqualTo(96);

        assertTimeoutPreemptively(Duration.ofSeconds(30), p::close);

        assertThat(stats.all()).singleElement().isInstanceOfSatisfying(StatisticsEvent.class, s -> {
            assertThat(s.last()).isTrue();
            assertThat(s.counter("events_dropped")).isGreaterThanOrEqualTo(96);
        });
        release.countDown();
        assertThat(p.awaitStopped(TimeUnit.SECONDS.toNanos(10))).isTrue();
        assertThat(stuck.calls.get()).isEqualTo(1); // what waited was dropped, not delivered after the last statistics
        assertThat(p.dropped()).isEqualTo(100);
        assertThat(stats.all()).hasSize(1);
    }

    @Test
    void theQueueIsBoundedByHeapBytesToo() throws Exception {
        StuckSink stuck = new StuckSink();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(stuck).queueBytes(400).closeTimeout(Duration.ZERO));
        p.accept(request(1));
        stuck.awaitEntered();
        // 16 B of frames + 96 for the event + 48 per frame = 256: fits
        p.accept(routed(2, 2, IN, "client", "", "0123456789"));
        p.accept(routed(3, 3, IN, "client", "", "0123456789")); // would make 512: dropped
        p.accept(new NoticeEvent(Events.at(4), Events.QUEUE, NoticeEvent.Level.INFO, "128 B")); // 384: fits
        assertThat(p.dropped()).isEqualTo(1);
    }

    @Test
    void runningStatisticsComeEveryIntervalOfTheClock() {
        AtomicLong now = new AtomicLong(42 * SECOND);
        Recorder out = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(out).statsEvery(Duration.ofSeconds(5)).clock(now::get));

        now.addAndGet(5 * SECOND);
        assertThat(out.next()).isInstanceOfSatisfying(StatisticsEvent.class, s -> {
            assertThat(s.last()).isFalse();
            assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(5));
        });
        now.addAndGet(4 * SECOND);
        p.accept(request(1));
        assertThat(out.next()).isInstanceOf(MessageEvent.class); // 9 s: no statistics due
        now.addAndGet(SECOND);
        assertThat(out.next()).isInstanceOfSatisfying(StatisticsEvent.class, s -> {
            assertThat(s.last()).isFalse();
            assertThat(s.elapsed()).isEqualTo(Duration.ofSeconds(10));
            assertThat(s.counter("messages")).isEqualTo(1);
        });
        p.close();
        assertThat(out.next()).isInstanceOfSatisfying(StatisticsEvent.class, s -> assertThat(s.last()).isTrue());
        assertThat(out.statistics()).hasSize(3);
    }

    @Test
    void repliesLeavePairedAndTheStatisticsShowLatencyAndWhatWasNotAnswered() {
        Recorder out = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(out));
        p.accept(routed(1, 0, IN, "a", "", "2"));
        p.accept(routed(2, 10, IN, "b", "", "3"));
        p.accept(routed(3, 61, OUT, "a", "", "4"));
        p.close();

        assertThat(out.messages().get(2).replyTo()).isEqualTo(1);
        assertThat(out.messages().get(2).latencyNanos()).isEqualTo(61_000);
        StatisticsEvent last = out.statistics().get(0);
        assertThat(last.counter("unanswered")).isEqualTo(1);
        assertThat(last.unanswered()).extracting(StatisticsEvent.Pending::seq).containsExactly(2L);
        assertThat(last.peers()).hasSize(2);
        assertThat(last.peers().get(0).latency().p50Nanos()).isCloseTo(61_000, within(610L)); // within 1 %
        assertThat(last.peers().get(1).latency().count()).isZero();
    }

    @Test
    void aRequestStillWaitingIsAwaitingItsReplyUntilTheSourceStops() {
        Recorder out = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(out));
        p.accept(routed(1, 0, IN, "a", "", "2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> p.statistics(false).counter("awaiting_reply") == 1);
        StatisticsEvent running = p.statistics(false);
        assertThat(running.counter("unanswered")).isZero();
        assertThat(running.unanswered()).isEmpty();
        StatisticsEvent last = p.statistics(true);
        assertThat(last.counter("unanswered")).isEqualTo(1);
        assertThat(last.counter("awaiting_reply")).isZero();
        assertThat(last.unanswered()).extracting(StatisticsEvent.Pending::seq).containsExactly(1L);
        p.close();
    }

    @Test
    void withoutCorrelationRepliesStayUnpaired() {
        Recorder out = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(out).correlate(false));
        p.accept(routed(1, 0, IN, "a", "", "2"));
        p.accept(routed(2, 61, OUT, "a", "", "4"));
        p.close();
        assertThat(out.messages()).extracting(MessageEvent::replyTo).containsExactly(0L, 0L);
        assertThat(out.statistics().get(0).counter("unanswered")).isZero();
    }

    @Test
    void theSourceCountersComeFirstAndKeepTheirValues() {
        Map<String, Long> source = new LinkedHashMap<>();
        source.put("connections", 3L);
        source.put("messages", 99L);
        Pipeline p = start(Pipeline.builder(Events.QUEUE).counters(() -> source));
        StatisticsEvent s = p.statistics(false);
        assertThat(s.counters().keySet()).startsWith("connections", "messages", "messages_in");
        assertThat(s.counter("messages")).isEqualTo(99);

        Pipeline broken = start(Pipeline.builder(Events.QUEUE).counters(() -> {
            throw new IllegalStateException("source gone");
        }));
        assertThat(broken.statistics(true).counters()).containsKey("messages");
    }

    @Test
    void statisticsCanBeTakenFromAnotherThreadWhileEventsFlow() throws Exception {
        Recorder out = new Recorder();
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(out));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    p.statistics(false);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (long i = 1; i <= 20_000; i++) {
            p.accept(routed(i, i, i % 2 == 1 ? IN : OUT, "client" + (i % 50), "", "x"));
        }
        p.close();
        done.set(true);
        reader.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(failure.get()).isNull();
        StatisticsEvent last = out.statistics().get(0);
        assertThat(last.counter("messages") + last.counter("events_dropped")).isEqualTo(20_000);
    }

    @Test
    void eventsLostBeforeAReplyLeaveTheWaitingRequestsForgotten() {
        Tally tally = new Tally(new Correlator(10, 10), new TrafficStatistics(10));
        tally.process(routed(1, 0, IN, "a", "", "x"), false);
        CaptureEvent reply = tally.process(routed(3, 5, OUT, "a", "", "y"), true);
        assertThat(((MessageEvent) reply).replyTo()).isZero();
        assertThat(tally.snapshot(true).unanswered()).isZero();
    }

    @Test
    void anInlinePipelineDeliversOnTheCallersThreadBeforeAcceptReturnsAndDropsNothing() {
        List<String> threads = new ArrayList<>();
        Recorder out = new Recorder();
        Pipeline p = Pipeline.builder(Events.QUEUE).inline(true).queueEvents(1).sink(e -> {
            threads.add(Thread.currentThread().getName());
            out.accept(e);
        }).start();
        for (int i = 0; i < 1_000; i++) {
            p.accept(routed(2L * i + 1, i, IN, "a", "", "q"));
            p.accept(routed(2L * i + 2, i + 1, OUT, "a", "", "r"));
            assertThat(out.messages()).hasSize(2 * i + 2); // delivered before accept returned
        }
        p.close();
        assertThat(threads).containsOnly(Thread.currentThread().getName());
        assertThat(out.messages().get(1).replyTo()).isEqualTo(1);
        StatisticsEvent last = out.statistics().get(0);
        assertThat(last.counter("events_dropped")).isZero(); // one event of queue: it is never used
        assertThat(last.counter("messages")).isEqualTo(2_000);
    }

    @Test
    void aConfinedPipelineDeliversInlineWithoutItsMonitorAndRefusesAnotherThread() throws Exception {
        List<Boolean> locked = new ArrayList<>();
        Recorder out = new Recorder();
        Pipeline[] p = new Pipeline[1];
        p[0] = Pipeline.builder(Events.QUEUE).confined(true).sink(e -> {
            locked.add(Thread.holdsLock(p[0]));
            out.accept(e);
        }).start();
        p[0].accept(routed(1, 0, IN, "a", "", "q"));
        p[0].accept(routed(2, 1, OUT, "a", "", "r"));
        assertThat(out.messages()).hasSize(2); // delivered before accept returned
        assertThat(locked).containsExactly(false, false);

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                p[0].accept(routed(3, 2, IN, "a", "", "q"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.start();
        other.join(5_000);
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("confined");
        assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> p[0].statistics(false)).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class);

        p[0].close();
        assertThat(out.messages()).hasSize(2);
        assertThat(out.messages().get(1).replyTo()).isEqualTo(1);
        assertThat(out.statistics().get(0).counter("messages")).isEqualTo(2);
    }

    @Test
    void sinksAreFlushedWhenNothingMoreWaitsSoBufferedOutputShowsPromptly() {
        AtomicLong delivered = new AtomicLong();
        AtomicLong flushedAt = new AtomicLong(-1);
        Sink buffered = new Sink() {
            @Override
            public void accept(CaptureEvent event) {
                delivered.incrementAndGet();
            }

            @Override
            public void flush() {
                flushedAt.set(delivered.get());
            }
        };
        Pipeline p = start(Pipeline.builder(Events.QUEUE).sink(buffered));
        p.accept(routed(1, 0, IN, "a", "", "q"));
        p.accept(routed(2, 1, OUT, "a", "", "r"));
        // the source then goes quiet: what was delivered is flushed without waiting for more
        await().atMost(Duration.ofSeconds(5)).until(() -> flushedAt.get() == 2);
    }

    @Test
    void withEventTimeTheStatisticsCoverTheCapturesSpanNotHowLongReadingIt() {
        Recorder out = new Recorder();
        Pipeline p = Pipeline.builder(Events.QUEUE).inline(true).eventTime(true).sink(out).start();
        p.accept(routed(1, 0, IN, "a", "", "q"));
        p.accept(routed(2, 10_000_000, OUT, "a", "", "r")); // ten seconds of capture, read at once
        p.close();
        StatisticsEvent last = out.statistics().get(0);
        assertThat(last.elapsed()).isEqualTo(Duration.ofSeconds(10));
        assertThat(last.time()).isEqualTo(out.messages().get(1).time());
        assertThat(last.peers().get(0).rate(last.elapsed())).isEqualTo(0.2); // 2 messages in 10 s
    }

    @Test
    void whatWasPrintedIsFlushedBeforeTheSummarySoATerminalShowsItFirst() {
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        Sink buffered = new Sink() {
            @Override
            public void accept(CaptureEvent event) {
                order.add("event");
            }

            @Override
            public void flush() {
                order.add("flush");
            }
        };
        Pipeline p = Pipeline.builder(Events.QUEUE).inline(true).sink(buffered).statsSink(e -> order.add("summary")).start();
        p.accept(routed(1, 0, IN, "a", "", "q")); // inline, so nothing flushes it before the close
        p.close();
        assertThat(order).containsSubsequence("event", "flush", "summary");
        assertThat(order.indexOf("flush")).isLessThan(order.indexOf("summary"));
    }
}
