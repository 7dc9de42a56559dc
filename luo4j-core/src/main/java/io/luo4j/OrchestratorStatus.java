package io.luo4j;

import java.util.List;

/**
 * A consistent snapshot of an orchestrator, for {@code luoctl status} and for logs.
 *
 * @param generation       live updates so far: 0 in a process started cold, the image's value in a successor
 * @param phase            what the orchestrator is doing
 * @param outgoing         sessions that the next upgrade will hand over, in creation order
 * @param incoming         sessions from the predecessor not yet finished
 * @param handlers         compatible strings of the registered handlers, in probe order
 * @param flbs             the registered FLBs
 */
public record OrchestratorStatus(long generation, Phase phase, List<SessionStatus> outgoing, List<SessionStatus> incoming,
        List<String> handlers, List<FlbStatus> flbs) {

    /** Copies the lists: a status does not change after it was taken. */
    public OrchestratorStatus {
        outgoing = List.copyOf(outgoing);
        incoming = List.copyOf(incoming);
        handlers = List.copyOf(handlers);
        flbs = List.copyOf(flbs);
    }

    /** What the orchestrator is doing. */
    public enum Phase {
        /** Serving: sessions can be created, files preserved, retrieved and finished. */
        RUNNING,
        /** An upgrade is freezing, or is prepared and waits to be committed or rolled back. */
        UPGRADING,
        /** An upgrade was committed: everything belongs to the successor. */
        HANDED_OVER
    }

    /**
     * A session as {@link LiveUpdateOrchestrator#status()} reports it.
     *
     * @param name      the session's name
     * @param incoming  whether it came from the predecessor
     * @param retrieved for an incoming session, whether the application has retrieved it
     * @param files     its files in preservation order
     */
    public record SessionStatus(String name, boolean incoming, boolean retrieved, List<FileStatus> files) {

        /** Copies {@code files}: a status does not change after it was taken. */
        public SessionStatus {
            files = List.copyOf(files);
        }

        /**
         * One preserved file.
         *
         * @param token          the application's token
         * @param compatible     its handler
         * @param retrieveStatus in the successor, what happened to it
         * @param dataBytes      size of its serialized state
         * @param descriptors    how many descriptors travel with it
         */
        public record FileStatus(long token, String compatible, RetrieveStatus retrieveStatus, int dataBytes, int descriptors) {}
    }

    /**
     * One FLB.
     *
     * @param compatible its name
     * @param users      preserved files that use it in this process
     */
    public record FlbStatus(String compatible, long users) {}
}
