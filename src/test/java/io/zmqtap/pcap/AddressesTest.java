package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void ipv4IsDottedWithItsPort() {
        assertThat(Addresses.text(new InetSocketAddress("127.0.0.1", 53122))).isEqualTo("127.0.0.1:53122");
    }

    @Test
    void ipv6IsBracketedInItsShortestForm() {
        assertThat(text("::1")).isEqualTo("[::1]:5555");
        assertThat(text("::")).isEqualTo("[::]:5555");
        assertThat(text("2001:db8:0:0:1:0:0:1")).isEqualTo("[2001:db8::1:0:0:1]:5555"); // the first of two equal runs
        assertThat(text("2001:db8:0:1:1:1:1:1")).isEqualTo("[2001:db8:0:1:1:1:1:1]:5555"); // one zero group stays
        assertThat(text("fe80:0:0:0:0:0:0:abcd")).isEqualTo("[fe80::abcd]:5555");
        assertThat(text("1:0:0:2:0:0:0:3")).isEqualTo("[1:0:0:2::3]:5555"); // the longest run
        assertThat(text("1:2:3:4:5:6:7:0")).isEqualTo("[1:2:3:4:5:6:7:0]:5555");
        assertThat(text("1:2:3:4:5:6:0:0")).isEqualTo("[1:2:3:4:5:6::]:5555");
    }

    private static String text(String v6) {
        return Addresses.text(new InetSocketAddress(v6, 5555));
    }
}
