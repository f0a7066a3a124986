package io.zmqtap.bench;

/**
 * What a bench run was measured under: where the echo server and the sniffer ran, and how many
 * CPU-bound neighbour threads shared the host. Which of the issues' targets apply depends on it.
 *
 * <p>Usage: {@code new Conditions(Topology.DEPLOYED, 2).label() // "as deployed, 2 CPU-bound neighbour threads"}
 *
 * @param topology where the echo server and the counting sniffer ran
 * @param neighbours CPU-bound neighbour threads ({@code --contended}; 0: an idle host)
 */
public record Conditions(Topology topology, int neighbours) {
    public Conditions {
        Neighbours.check(neighbours);
    }

    /** The conditions of {@code config}'s run. */
    public static Conditions of(BenchConfig config) {
        return new Conditions(config.topology(), config.contended());
    }

    public boolean deployed() {
        return topology == Topology.DEPLOYED;
    }

    /** True with CPU-bound neighbours. */
    public boolean contended() {
        return neighbours > 0;
    }

    /** {@code as deployed, idle host}, {@code in process, 2 CPU-bound neighbour threads}. */
    public String label() {
        String where = deployed() ? "as deployed" : "in process";
        String host = neighbours == 0 ? "idle host" : Neighbours.describe(neighbours);
        return where + ", " + host;
    }
}
