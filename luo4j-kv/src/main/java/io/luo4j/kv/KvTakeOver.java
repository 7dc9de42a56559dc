package io.luo4j.kv;

import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.kv.store.KvStore;
import io.luo4j.kv.store.SegmentHeap;
import io.luo4j.linux.Memfd;
import io.luo4j.linux.TcpConnection;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a successor takes over from its predecessor's sessions: the heap segments (attached in
 * place as the store), the listener, and every client connection, with the incoming sessions that
 * held them (to finish once the service serves). The kv service runs it once for real and, in its
 * warm-up, many times on throwaway handovers, so that the real one runs compiled code.
 */
record KvTakeOver(KvStore store, ServerSocketChannel listener, List<TcpConnection> connections, List<Session> incoming) {

    /** Retrieves everything from {@code luo}'s incoming sessions; new heap segments go to {@code onNewSegment}. */
    static KvTakeOver from(LiveUpdateOrchestrator luo, String name, long memory, Consumer<Memfd> onNewSegment) {
        List<Session> incoming = new ArrayList<>();
        Session heap = luo.retrieveSession(KvService.HEAP_SESSION);
        List<Memfd> segments = new ArrayList<>();
        for (long token : heap.tokens()) {
            segments.add(heap.retrieve(token, Memfd.class));
        }
        KvStore store = KvStore.attach(SegmentHeap.attach(name, memory, segments, onNewSegment));
        Session listenerSession = luo.retrieveSession(KvService.LISTENER_SESSION);
        ServerSocketChannel listener = listenerSession.retrieve(1, ServerSocketChannel.class);
        incoming.add(heap);
        incoming.add(listenerSession);
        List<TcpConnection> connections = new ArrayList<>();
        for (String session : luo.incomingSessionNames()) {
            if (session.startsWith("conn-")) {
                Session connection = luo.retrieveSession(session);
                connections.add(connection.retrieve(1, TcpConnection.class));
                incoming.add(connection);
            }
        }
        return new KvTakeOver(store, listener, connections, incoming);
    }
}
