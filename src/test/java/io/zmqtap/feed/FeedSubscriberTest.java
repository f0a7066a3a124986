package io.zmqtap.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** The feed subscriber under a flood and under frames larger than it accepts. */
class FeedSubscriberTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int KIB = 1024;

    private final ZContext context = new ZContext(1);
    private final List<FeedSubscriber> feeds = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        feeds.forEach(FeedSubscriber::close);
        context.close();
    }

    /** A publisher that queues without limit (so it never drops) and shows us its subscriptions. */
    private ZMQ.Socket publisher() {
        ZMQ.Socket pub = context.createSocket(SocketType.XPUB);
        pub.setLinger(0);
        pub.setSndHWM(0);
        pub.setXpubVerbose(true);
        pub.setReceiveTimeOut((int) TIMEOUT.toMillis());
        pub.bind("tcp://127.0.0.1:*");
        return pub;
    }

    private FeedSubscriber start(FeedSubscriber.Builder builder) {
        FeedSubscriber feed = builder.start();
        feeds.add(feed);
        return feed;
    }

    /** Waits for the next subscription (a message starting 0x01) on the publisher. */
    private static void awaitSubscription(ZMQ.Socket pub) {
        byte[] m;
        do {
            m = pub.recv();
            assertThat(m).as("a subscription within %d s", TIMEOUT.toSeconds()).isNotNull();
        } while (m.length == 0 || m[0] != 1);
    }

    private static void publish(ZMQ.Socket pub, byte[] payload) {
        pub.sendMore("in");
        pub.sendMore(new byte[] {0, 1, 2, 3, 4});
        pub.sendMore(new byte[0]);
        pub.send(payload);
    }

    @Test
    void aConsumerThatCannotKeepUpCostsCountedDropsNotMemory() throws Exception {
        ZMQ.Socket pub = publisher();
        long bufferBytes = 1 << 20;
        FeedSubscriber feed = start(FeedSubscriber.builder(">" + pub.getLastEndpoint())
                .buffer(bufferBytes)
                .onFrames(frames -> {
                    try {
                        release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // a terminal nobody reads
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        awaitSubscription(pub);

        int sent = 200; // 12.5 MiB of 64 KiB messages into a 1 MiB buffer
        for (int i = 0; i < sent; i++) {
            publish(pub, new byte[64 * KIB]);
        }
        await().atMost(TIMEOUT).until(() -> feed.received() == sent);

        assertThat(feed.bufferedBytes()).isLessThanOrEqualTo(bufferBytes);
        // one message in the consumer's hands, the buffer full behind it, every other one dropped
        long fits = bufferBytes / MessageBuffer.cost(List.of(new byte[2], new byte[5], new byte[0], new byte[64 * KIB]));
        assertThat(feed.dropped()).isEqualTo(sent - 1 - fits);
        release.countDown();
        await().atMost(TIMEOUT).until(() -> feed.delivered() + feed.dropped() == sent);
        assertThat(feed.delivered()).isEqualTo(1 + fits);
    }

    @Test
    void aFrameOverTheLimitIsReportedOnceAndTheConnectionReopened() throws Exception {
        ZMQ.Socket pub = publisher();
        List<String> notices = Collections.synchronizedList(new ArrayList<>());
        List<String> payloads = Collections.synchronizedList(new ArrayList<>());
        String address = pub.getLastEndpoint();
        FeedSubscriber feed = start(FeedSubscriber.builder(">" + address)
                .maxFrameSize(64 * KIB)
                .notices(notices::add)
                .onFrames(frames -> payloads.add(new String(frames.get(3)))));
        awaitSubscription(pub);

        publish(pub, "before".getBytes());
        publish(pub, new byte[100 * KIB]); // JeroMQ gives this connection up for good
        awaitSubscription(pub); // and it is back
        publish(pub, "after".getBytes());
        await().atMost(TIMEOUT).until(() -> payloads.contains("after"));

        publish(pub, new byte[100 * KIB]);
        awaitSubscription(pub);
        await().atMost(TIMEOUT).until(() -> feed.connectionDrops() == 2);

        assertThat(payloads).containsExactly("before", "after");
        assertThat(notices).as("said once").containsExactly("JeroMQ dropped the connection to " + address
                + " after a frame over the 64 KiB limit (or a broken frame); reconnecting, but what was on its way"
                + " is lost uncounted");
    }
}
