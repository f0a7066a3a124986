package io.zmqtap.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentKeysTest {
    private final RecentKeys<String> recent = new RecentKeys<>();

    @Test
    void aKeyIsFoundByItsInstanceNotByAnEqualOne() {
        String c1 = new String("c1");
        recent.put(c1, "state of c1");
        assertThat(recent.get(c1)).isEqualTo("state of c1");
        assertThat(recent.get(new String("c1"))).isNull(); // equal, another instance: the caller asks its map
        recent.put(c1, "new state");
        assertThat(recent.get(c1)).isEqualTo("new state");
    }

    @Test
    void twoKeysThatShareAHashBothStayAndAThirdPushesOutTheOlder() {
        List<Object> sharing = keysSharingOneSet(3);
        Object a = sharing.get(0);
        Object b = sharing.get(1);
        Object c = sharing.get(2);
        recent.put(a, "a");
        recent.put(b, "b");
        for (int i = 0; i < 3; i++) { // taking turns, as interleaved connections do
            assertThat(recent.get(a)).isEqualTo("a");
            assertThat(recent.get(b)).isEqualTo("b");
        }
        recent.put(c, "c");
        assertThat(recent.get(c)).isEqualTo("c");
        assertThat(recent.get(b)).isEqualTo("b");
        assertThat(recent.get(a)).isNull();
    }

    /** Objects whose identity hashes pick the same set: found by trying, as a capture's names would fall. */
    private static List<Object> keysSharingOneSet(int n) {
        List<List<Object>> bySet = new ArrayList<>();
        for (int i = 0; i < RecentKeys.SETS; i++) {
            bySet.add(new ArrayList<>());
        }
        for (;;) {
            Object o = new Object();
            List<Object> set = bySet.get(System.identityHashCode(o) & (RecentKeys.SETS - 1));
            set.add(o);
            if (set.size() == n) {
                return set;
            }
        }
    }
}
