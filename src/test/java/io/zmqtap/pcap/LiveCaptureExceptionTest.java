package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-line messages of a live capture that cannot start, built from libpcap's own words, without capturing. */
class LiveCaptureExceptionTest {
    private static final List<String> KNOWN = List.of("eth0", "any", "lo");

    @Test
    void withoutThePrivilegeItSaysHowToGetIt() {
        String expected = "capturing on lo needs root or CAP_NET_RAW: run as root, or grant it once with "
                + "sudo setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which java))";
        assertThat(LiveCaptureException.openFailed("lo",
                "lo: You don't have permission to capture on that device (socket: Operation not permitted)", KNOWN)
                .getMessage()).isEqualTo(expected);
        assertThat(LiveCaptureException.openFailed("lo", "socket: Operation not permitted", KNOWN).getMessage())
                .isEqualTo(expected);
        assertThat(expected).doesNotContain("\n");
    }

    @Test
    void anUnknownInterfaceIsNamedWithThoseThereAre() {
        assertThat(LiveCaptureException.unknownInterface("eth9", KNOWN).getMessage())
                .isEqualTo("no interface named 'eth9': pcap sees eth0, any, lo");
        assertThat(LiveCaptureException.openFailed("eth9", "eth9: No such device exists (SIOCGIFHWADDR: No such device)",
                KNOWN).getMessage()).isEqualTo("no interface named 'eth9': pcap sees eth0, any, lo");
    }

    @Test
    void anyOtherFailureIsLibpcapsReasonInOneLine() {
        assertThat(LiveCaptureException.openFailed("eth0", "eth0: That device is not up\n", KNOWN).getMessage())
                .isEqualTo("cannot capture on eth0: eth0: That device is not up");
        assertThat(LiveCaptureException.badFilter("tcp prot 1", "syntax error").getMessage())
                .isEqualTo("bad capture filter 'tcp prot 1': syntax error");
    }

    @Test
    void withoutLibpcapItSaysWhatToInstall() {
        assertThat(LiveCaptureException.noLibpcap(new UnsatisfiedLinkError("Unable to load library 'pcap'")).getMessage())
                .isEqualTo("live capture needs libpcap, which could not be loaded: install it "
                        + "(Debian, Ubuntu: sudo apt-get install libpcap0.8)");
    }
}
