package io.luo4j;

import java.util.List;

/**
 * A session as {@link LiveUpdateOrchestrator#status()} reports it.
 *
 * @param name      the session's name
 * @param incoming  whether it came from the predecessor
 * @param retrieved for an incoming session, whether the application has retrieved it
 * @param files     its files in preservation order
 */
public record SessionStatus(String name, boolean incoming, boolean retrieved, List<FileStatus> files) {
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
