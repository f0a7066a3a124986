package io.zmqtap.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.testing.HashFlood;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyedHashTest {
    @Test
    void isSipHash24AsItsAuthorsPublishedIt() {
        // the reference's key 00 01 .. 0f; its test vectors for the empty message and 00 01 .. 0e
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        byte[] fifteen = new byte[15];
        for (int i = 0; i < fifteen.length; i++) {
            fifteen[i] = (byte) i;
        }
        assertThat(KeyedHash.sipHash24(k0, k1, new byte[0])).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(KeyedHash.sipHash24(k0, k1, fifteen)).isEqualTo(0xa129ca6149be45e5L);
    }

    /**
     * 16,384 routing ids built from "Aa" and "BB", which {@code Arrays.hashCode} cannot tell apart:
     * as frames (a client's identity, a key of the statistics' peers and of pairing) they hash apart.
     */
    @Test
    void idsChosenToShareOneArraysHashCodeHashApart() {
        List<byte[]> ids = HashFlood.ids();
        Set<Integer> jdk = new HashSet<>();
        Set<Integer> frames = new HashSet<>();
        for (byte[] id : ids) {
            jdk.add(Arrays.hashCode(id));
            frames.add(Frame.of(id).hashCode());
        }
        assertThat(jdk).hasSize(1); // the attack is real
        assertThat(frames).hasSizeGreaterThan(16_300); // 32-bit hashes: a chance collision or two at most
    }
}
