package io.zmqtap.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Exposure}: which binds other machines can reach, and the control socket's loopback default. */
class ExposureTest {
    private static String warn(String endpoint, boolean curve) {
        return Exposure.warning(Endpoint.parse(endpoint), Exposure.CAPTURE_FEED, curve).orElse(null);
    }

    @Test
    void everyInterfaceOrAnOtherAddressWithoutCurveIsOneWarningNamingWhatIsExposed() {
        assertThat(warn("@tcp://*:7777", false)).isEqualTo("capture feed tcp://*:7777 is reachable from other machines "
                + "without CURVE: whoever connects reads every message forwarded (bind 127.0.0.1, or use --mon-curve "
                + "with --allow)");
        assertThat(warn("@tcp://0.0.0.0:7777", false)).contains("tcp://0.0.0.0:7777");
        assertThat(warn("@tcp://[0:0:0:0:0:0:0:0]:7777", false)).isNotNull();
        assertThat(warn("@tcp://192.168.1.20:7777", false)).isNotNull();
        assertThat(warn("@tcp://myhost:7777", false)).isNotNull(); // not resolved: the safe guess
        assertThat(Exposure.warning(Endpoint.parse("@tcp://*:6000"), Exposure.CONTROL_SOCKET, false))
                .hasValueSatisfying(w -> assertThat(w).contains("PAUSE, RESUME or TERMINATE"));
    }

    @Test
    void loopbackIpcInprocConnectsAndCurveAreQuiet() {
        assertThat(warn("@tcp://127.0.0.1:7777", false)).isNull();
        assertThat(warn("@tcp://127.0.1.1:7777", false)).isNull();
        assertThat(warn("@tcp://localhost:7777", false)).isNull();
        assertThat(warn("@tcp://[::1]:7777", false)).isNull();
        assertThat(warn("@tcp://[0:0:0:0:0:0:0:1]:7777", false)).isNull();
        assertThat(warn("@ipc:///tmp/feed", false)).isNull();
        assertThat(warn("@inproc://feed", false)).isNull();
        assertThat(warn(">tcp://collector:7777", false)).isNull();
        assertThat(warn("@tcp://*:7777", true)).isNull();
    }

    @Test
    void aControlBindOnEveryInterfaceBindsLoopbackAndAWrittenAddressBindsAsWritten() {
        assertThat(Exposure.loopbackControl("@tcp://*:6000")).isEqualTo("@tcp://127.0.0.1:6000");
        assertThat(Exposure.loopbackControl("tcp://*:*")).isEqualTo("@tcp://127.0.0.1:*");
        assertThat(Exposure.loopbackControl("@tcp://0.0.0.0:6000,@ipc:///tmp/ctl"))
                .isEqualTo("@tcp://0.0.0.0:6000,@ipc:///tmp/ctl");
        assertThat(Exposure.loopbackControl(">tcp://localhost:6000")).isEqualTo(">tcp://localhost:6000");
    }
}
