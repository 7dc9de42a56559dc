package io.luo4j.bench.fds;

import io.luo4j.bench.Samples;

/**
 * One descriptor count's figures.
 *
 * @param count       memfds preserved in the one session
 * @param handover    luo4j: freeze to ready, ms, per upgrade
 * @param baseline    raw SCM_RIGHTS transfer of as many, ms, per run
 * @param descriptors descriptors the last upgrade handed over (the service's own control socket included)
 * @param imageBytes  the last upgrade's image
 * @param error       why it was not measured ("" when it was; "skipped: ..." when the limit forbade it)
 */
public record CountResult(int count, Samples handover, Samples baseline, int descriptors, long imageBytes, String error) {}
