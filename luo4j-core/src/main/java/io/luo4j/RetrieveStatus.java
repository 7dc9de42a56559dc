package io.luo4j;

/**
 * What happened to a preserved file in the successor, as {@code can_finish} and {@code finish} are
 * told it (the kernel's {@code retrieve_status}: 0, positive, negative).
 */
public enum RetrieveStatus {
    /** Nobody asked for the file; {@code finish} is expected to discard what was preserved. */
    NOT_ATTEMPTED,
    /** The file was retrieved and now belongs to the application. */
    RETRIEVED,
    /** The handler's retrieve failed; the failure is sticky and every later retrieve reports it. */
    FAILED
}
