package io.luo4j.bench.core;

import io.luo4j.image.Image;
import io.luo4j.image.ImageEntry;
import io.luo4j.image.ImageReader;
import io.luo4j.image.ImageSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The baselines of the core benchmarks, on the same {@link Workload}: the bookkeeping as plain
 * {@link HashMap}s (a map of sessions, each a map of tokens to files: what preserve and retrieve
 * would be without the kernel's rules, locks and checks), and the image as a Java-serialized object
 * graph of the same content (what a handover would carry without a format of its own).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BaselineBenchmark {

    /** One session of the serialized baseline. */
    public record SerialSession(String name, List<SerialFile> files) implements Serializable {}

    /** One file of the serialized baseline. */
    public record SerialFile(String compatible, long token, byte[] data) implements Serializable {}

    /** Empty session maps, for putting. */
    @State(Scope.Thread)
    public static class EmptyMaps {
        final List<Workload.BenchFile> files = Workload.files();
        List<Map<Long, Object>> sessions;

        @Setup(Level.Invocation)
        public void fresh() {
            sessions = new ArrayList<>(Workload.SESSIONS);
            for (int s = 0; s < Workload.SESSIONS; s++) {
                sessions.add(new HashMap<>());
            }
        }
    }

    /** An empty map of sessions, for adding sessions. */
    @State(Scope.Thread)
    public static class EmptyOuter {
        Map<String, Map<Long, Object>> all;

        @Setup(Level.Invocation)
        public void fresh() {
            all = new HashMap<>();
        }
    }

    /** Full session maps, for getting. */
    @State(Scope.Thread)
    public static class FullMaps {
        final Map<String, Map<Long, Object>> all = new HashMap<>();
        final List<Map<Long, Object>> sessions = new ArrayList<>(Workload.SESSIONS);

        @Setup(Level.Trial)
        public void fill() {
            List<Workload.BenchFile> files = Workload.files();
            for (int s = 0; s < Workload.SESSIONS; s++) {
                Map<Long, Object> session = new HashMap<>();
                for (int f = 0; f < Workload.FILES; f++) {
                    session.put((long) f, files.get(s * Workload.FILES + f));
                }
                all.put(Workload.sessionName(s), session);
                sessions.add(session);
            }
        }
    }

    /** The workload's image content as a serializable object graph, and its serialized bytes. */
    @State(Scope.Thread)
    public static class Graph {
        List<SerialSession> graph;
        byte[] bytes;

        @Setup(Level.Trial)
        public void build() throws IOException {
            graph = graph(ImageReader.read(Workload.handover().image()));
            bytes = serialize(graph);
        }
    }

    static List<SerialSession> graph(Image image) {
        List<SerialSession> sessions = new ArrayList<>();
        for (ImageSession session : image.sessions()) {
            List<SerialFile> files = new ArrayList<>();
            for (ImageEntry file : session.files()) {
                files.add(new SerialFile(file.compatible(), file.token(), file.data()));
            }
            sessions.add(new SerialSession(session.name(), files));
        }
        return sessions;
    }

    static byte[] serialize(Object graph) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(graph);
        }
        return bytes.toByteArray();
    }

    /** The size of the serialized baseline, in bytes. */
    public static long serializedBytes() throws IOException {
        return serialize(graph(ImageReader.read(Workload.handover().image()))).length;
    }

    @Benchmark
    @OperationsPerInvocation(Workload.OPERATIONS)
    public void hashMapPut(EmptyMaps state) {
        for (int s = 0; s < Workload.SESSIONS; s++) {
            Map<Long, Object> session = state.sessions.get(s);
            for (int f = 0; f < Workload.FILES; f++) {
                session.put((long) f, state.files.get(s * Workload.FILES + f));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.OPERATIONS)
    public void hashMapGet(FullMaps state, Blackhole sink) {
        for (Map<Long, Object> session : state.sessions) {
            for (int f = 0; f < Workload.FILES; f++) {
                sink.consume(session.get((long) f));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.SESSIONS)
    public void hashMapAddSession(EmptyOuter state) {
        for (int s = 0; s < Workload.SESSIONS; s++) {
            state.all.put(Workload.sessionName(s), new HashMap<>());
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.SESSIONS)
    public void hashMapLookupSession(FullMaps state, Blackhole sink) {
        for (int s = 0; s < Workload.SESSIONS; s++) {
            sink.consume(state.all.get(Workload.sessionName(s)));
        }
    }

    @Benchmark
    public byte[] javaSerializationWrite(Graph state) throws IOException {
        return serialize(state.graph);
    }

    @Benchmark
    public Object javaSerializationRead(Graph state) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(state.bytes))) {
            return in.readObject();
        }
    }
}
