package io.zmqtap.proxy;

/**
 * What a queue knows about one server address on its backend.
 *
 * <p>Usage: {@code queue.statistics().servers().forEach(s -> System.out.println(s.address() + " " + s.unanswered()));}
 *
 * @param address the server as dialled ({@code localhost:5555}) or as it connected ({@code 127.0.0.1:40312})
 * @param connections connections that finished their handshake
 * @param requests requests sent to it
 * @param replies replies it sent
 * @param inFlight requests it has not answered yet (REP servers; 0 for others, whose replies cannot be matched)
 * @param unanswered requests it never answered because its connection closed first (REP servers)
 */
public record ServerStatistics(String address, long connections, long requests, long replies, long inFlight,
                               long unanswered) {}
