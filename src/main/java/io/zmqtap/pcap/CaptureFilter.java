package io.zmqtap.pcap;

import java.util.List;

/**
 * The BPF expression a live capture runs in the kernel: built from the ZeroMQ ports and a host,
 * or given raw.
 *
 * <p>Usage:
 * <pre>{@code
 * CaptureFilter.expression(null, List.of(5555, 5556), "10.0.0.7"); // (tcp port 5555 or tcp port 5556) and host 10.0.0.7
 * CaptureFilter.expression(null, List.of(), null);                   // tcp
 * CaptureFilter.expression("tcp and net 10.0.0.0/8", List.of(5555), null); // the raw expression, as given
 * }</pre>
 */
public final class CaptureFilter {
    private CaptureFilter() {
    }

    /**
     * The filter: {@code bpf} when given (the ports then only tell the reassembly which ports are
     * ZeroMQ), else {@code tcp port P or tcp port Q ...}, {@code and host H} when a host is given;
     * with neither ports nor host, {@code tcp}.
     */
    public static String expression(String bpf, List<Integer> ports, String host) {
        if (bpf != null && !bpf.isBlank()) {
            return bpf.strip();
        }
        StringBuilder b = new StringBuilder();
        if (ports.isEmpty()) {
            b.append("tcp");
        } else {
            boolean group = ports.size() > 1 && host != null;
            if (group) {
                b.append('(');
            }
            for (int i = 0; i < ports.size(); i++) {
                b.append(i == 0 ? "" : " or ").append("tcp port ").append(ports.get(i));
            }
            if (group) {
                b.append(')');
            }
        }
        if (host != null) {
            b.append(" and host ").append(host.strip());
        }
        return b.toString();
    }
}
