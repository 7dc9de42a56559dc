package io.luo4j;

/**
 * A file-lifecycle-bound shared object (the kernel's {@code liveupdate_flb}): state that many
 * preserved files need, born with the first of them and dropped with the last.
 *
 * <p>An FLB is {@linkplain LiveUpdateOrchestrator#registerFlb registered} for one or more file
 * handlers. Every file those handlers preserve counts as a user, across all sessions:
 * <ul>
 *   <li>{@link #preserve} runs when the first user is preserved, {@link #unpreserve} when the last is
 *       unpreserved;</li>
 *   <li>the upgrade carries the FLB's serialized data and user count to the successor;</li>
 *   <li>{@link #retrieve} runs there on demand, the first time someone asks for the
 *       {@linkplain LiveUpdateOrchestrator#flbIncoming incoming object}, once (or just before finish
 *       when nobody asked);</li>
 *   <li>{@link #finish} runs when the last user is finished.</li>
 * </ul>
 * All four callbacks are required, as in the kernel: they are the abstract methods, so an FLB that
 * lacks one does not compile. The compatible string is checked at registration, before anything
 * else (EINVAL when null, empty, over 47 bytes, with a control character or an unpaired
 * surrogate). Callbacks run under the FLB's own lock, the innermost of the orchestrator's, and must
 * not call back into the orchestrator; a {@link LiveUpdateException} keeps its reason, an
 * {@link OutOfMemoryError} becomes ENOMEM, anything else EIO, and whatever the void callbacks
 * (unpreserve, finish) throw is logged. The orchestrator tells FLBs apart by reference, never by
 * {@code equals}.
 */
public interface Flb {

    /**
     * The versioned name matched against the image in the successor, e.g. "memfd-arena-v1": 1 to 47
     * bytes of UTF-8, unique among the registered FLBs. It must return the same string on every call.
     */
    String compatible();

    /**
     * {@code preserve}: the first file that uses this FLB is being preserved. Sets the live
     * {@linkplain FlbOpArgs#setObject object}, the serialized data for the successor and the
     * descriptors to send beside the image.
     *
     * @param args the place for the results
     * @throws Exception the file's preserve fails, and nothing of either is kept
     */
    void preserve(FlbOpArgs args) throws Exception;

    /**
     * {@code unpreserve}: the last file that used this FLB was unpreserved. Gets what preserve set,
     * to release it.
     *
     * @param args the object, serialized data and descriptors preserve set
     * @throws Exception logged; the FLB is unpreserved anyway
     */
    void unpreserve(FlbOpArgs args) throws Exception;

    /**
     * {@code retrieve}, in the successor: rebuilds the shared object from the serialized data and the
     * received descriptors and {@linkplain FlbOpArgs#setObject sets} it. Runs once; a failure is
     * retried on the next request for the incoming object.
     *
     * @param args the serialized data and received descriptors; the place for the object
     * @throws Exception the request for the incoming object fails
     */
    void retrieve(FlbOpArgs args) throws Exception;

    /**
     * {@code finish}, in the successor: the last file that used this FLB was finished. Gets the
     * object retrieve built, to clean up or hand over to the application.
     *
     * @param args the object, serialized data and received descriptors
     * @throws Exception logged; the FLB is finished anyway
     */
    void finish(FlbOpArgs args) throws Exception;
}
