package io.luo4j.bench.core;

import io.luo4j.Handover;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import java.util.ArrayList;
import java.util.List;
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
 * The orchestrator's operations, single-threaded, on the {@link Workload}: each invocation does one
 * operation per file (or per session) of the whole workload on a fresh orchestrator, so the score
 * is operations per second at 10,000 sessions x 10 files.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OrchestratorBenchmark {

    /** A predecessor with its sessions created and nothing preserved yet. */
    @State(Scope.Thread)
    public static class Outgoing {
        final List<Workload.BenchFile> files = Workload.files();
        List<Session> sessions;

        @Setup(Level.Invocation)
        public void freshSessions() {
            sessions = Workload.createSessions(Workload.orchestrator());
        }
    }

    /** A successor that loaded the workload's handover, with its sessions retrieved. */
    @State(Scope.Thread)
    public static class Incoming {
        Handover handover;
        List<Session> sessions;

        @Setup(Level.Trial)
        public void handover() {
            handover = Workload.handover();
        }

        @Setup(Level.Invocation)
        public void freshSuccessor() {
            LiveUpdateOrchestrator luo = Workload.successor(handover);
            sessions = new ArrayList<>(Workload.SESSIONS);
            for (int s = 0; s < Workload.SESSIONS; s++) {
                sessions.add(luo.retrieveSession(Workload.sessionName(s)));
            }
        }
    }

    /** A fresh orchestrator, for creating sessions. */
    @State(Scope.Thread)
    public static class Empty {
        LiveUpdateOrchestrator luo;

        @Setup(Level.Invocation)
        public void fresh() {
            luo = Workload.orchestrator();
        }
    }

    /** A successor that loaded the handover and retrieved nothing, for retrieving sessions. */
    @State(Scope.Thread)
    public static class Loaded {
        Handover handover;
        LiveUpdateOrchestrator luo;

        @Setup(Level.Trial)
        public void handover() {
            handover = Workload.handover();
        }

        @Setup(Level.Invocation)
        public void freshSuccessor() {
            luo = Workload.successor(handover);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.OPERATIONS)
    public void preserve(Outgoing state) {
        Workload.preserveAll(state.sessions, state.files);
    }

    @Benchmark
    @OperationsPerInvocation(Workload.OPERATIONS)
    public void retrieve(Incoming state, Blackhole sink) {
        for (Session session : state.sessions) {
            for (int f = 0; f < Workload.FILES; f++) {
                sink.consume(session.retrieve(f));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.SESSIONS)
    public void createSession(Empty state, Blackhole sink) {
        for (int s = 0; s < Workload.SESSIONS; s++) {
            sink.consume(state.luo.createSession(Workload.sessionName(s)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(Workload.SESSIONS)
    public void retrieveSession(Loaded state, Blackhole sink) {
        for (int s = 0; s < Workload.SESSIONS; s++) {
            sink.consume(state.luo.retrieveSession(Workload.sessionName(s)));
        }
    }
}
