package io.luo4j;

/**
 * A handler for one type of live-updatable file, the kernel's {@code liveupdate_file_handler}: a
 * versioned {@link #compatible() compatible} string and the callbacks that carry files of that type
 * through a live update. The methods keep the kernel's callback names, in camelCase.
 *
 * <table>
 *   <caption>Callbacks</caption>
 *   <tr><th>callback</th><th>required</th><th>called</th></tr>
 *   <tr><td>{@link #canPreserve canPreserve}</td><td>yes</td><td>on preserve, handlers probed in registration order, first yes wins</td></tr>
 *   <tr><td>{@link #preserve preserve}</td><td>yes</td><td>on preserve: the heavy work, done while the service runs</td></tr>
 *   <tr><td>{@link #unpreserve unpreserve}</td><td>yes</td><td>when an outgoing session is closed: undo preserve</td></tr>
 *   <tr><td>{@link #freeze freeze}</td><td>no: does nothing</td><td>during the upgrade, last chance to update the serialized data</td></tr>
 *   <tr><td>{@link #unfreeze unfreeze}</td><td>no: does nothing</td><td>when an upgrade is rolled back after this file was frozen</td></tr>
 *   <tr><td>{@link #retrieve retrieve}</td><td>yes</td><td>in the successor, the first time the application asks for the file</td></tr>
 *   <tr><td>{@link #canFinish canFinish}</td><td>no: yes, it can</td><td>in the successor, before any file of the session is finished</td></tr>
 *   <tr><td>{@link #finish finish}</td><td>yes</td><td>in the successor, last: the orchestrator gives the file up</td></tr>
 *   <tr><td>{@link #identity identity}</td><td>no: the object itself, by reference</td><td>on preserve and retrieve: the key that tells two references to one underlying file apart</td></tr>
 * </table>
 *
 * <p>The required callbacks are the abstract methods, so a handler that lacks one does not compile;
 * the optional ones are default methods that behave as the kernel does when the callback is not set.
 * The orchestrator checks the compatible string when the handler is
 * {@linkplain LiveUpdateOrchestrator#registerHandler registered}, before anything else: null, empty,
 * over 47 bytes, with a control character or with an unpaired surrogate (no exact UTF-8 form) is
 * EINVAL there.
 *
 * <pre>{@code
 * final class LedgerHandler implements FileHandler {
 *     public String compatible() { return "ledger-v1"; }
 *     public boolean canPreserve(Object file) { return file instanceof Ledger; }
 *     public void preserve(FileOpArgs args) { args.setSerializedData(((Ledger) args.file()).toBytes()); }
 *     public void unpreserve(FileOpArgs args) {}
 *     public void retrieve(FileOpArgs args) { args.setFile(Ledger.fromBytes(args.serializedData())); }
 *     public void finish(FileOpArgs args) {}
 * }
 * }</pre>
 *
 * <p>Callbacks may throw anything: a {@link LiveUpdateException} keeps its reason, an
 * {@link OutOfMemoryError} becomes ENOMEM, anything else (another {@link Error} too) EIO, with what
 * was thrown as the cause; whatever the callbacks the kernel declares void (unpreserve, unfreeze,
 * finish) throw is logged and the orchestrator goes on. Callbacks run with the session's lock
 * held and must not call back into the orchestrator. Registries tell handlers apart by reference,
 * never by {@code equals}.
 */
public interface FileHandler {

    /**
     * The versioned type name matched against the image in the successor, e.g. "memfd-v1": 1 to 47
     * bytes of UTF-8 without control characters, unique among the registered handlers. It must
     * return the same string on every call.
     */
    String compatible();

    /**
     * {@code can_preserve}: whether this handler can preserve {@code file}. Called for every preserve
     * until a handler says yes, so it must be cheap and have no effect.
     *
     * @param file the object the application asked to preserve, never null
     * @return true to take the file: this handler's {@link #preserve} runs next
     * @throws Exception EIO for the preserve, unless it is a {@link LiveUpdateException}
     */
    boolean canPreserve(Object file) throws Exception;

    /**
     * {@code preserve}: records what the successor needs to rebuild {@link FileOpArgs#file()}. Sets
     * the serialized data, the private data for this process and the descriptors to send beside
     * the image. Runs while the service serves: this is where the heavy work belongs.
     *
     * @param args the file, its token and session; the place for the results
     * @throws Exception the preserve fails and nothing of it is kept
     */
    void preserve(FileOpArgs args) throws Exception;

    /**
     * {@code unpreserve}: undoes {@link #preserve} when the outgoing session is closed before an
     * upgrade, or when the orchestrator refuses what preserve produced. Gets preserve's serialized
     * and private data back.
     *
     * @param args the file and what preserve set
     * @throws Exception logged; the file is unpreserved anyway
     */
    void unpreserve(FileOpArgs args) throws Exception;

    /**
     * {@code freeze}: the last step before the image is written, with every session operation
     * held. May replace the serialized data and the descriptors (state that moved since preserve);
     * the replacement is dropped again if the upgrade is rolled back. Does nothing by default.
     *
     * @param args the file and what preserve set
     * @throws Exception the upgrade fails: every file frozen before this one is unfrozen
     */
    default void freeze(FileOpArgs args) throws Exception {}

    /**
     * {@code unfreeze}: the upgrade is rolled back after this file was frozen; the service serves on
     * with it. Gets the data freeze set. Does nothing by default.
     *
     * @param args the file and what freeze set
     * @throws Exception logged; the file is unfrozen anyway
     */
    default void unfreeze(FileOpArgs args) throws Exception {}

    /**
     * {@code retrieve}, in the successor: rebuilds the file from the serialized data and the
     * received descriptors and {@linkplain FileOpArgs#setFile sets} it. Runs once per file, the first
     * time the application asks for it; a failure is remembered and reported again.
     *
     * @param args the serialized data and received descriptors; the place for the rebuilt file
     * @throws Exception the retrieve fails, for good
     */
    void retrieve(FileOpArgs args) throws Exception;

    /**
     * {@code can_finish}, in the successor: whether the file may be finished now. Every file of a
     * session is asked before any is finished; one no makes the finish EBUSY with nothing finished.
     * Yes by default.
     *
     * @param args the file (null if never retrieved) and its {@linkplain FileOpArgs#retrieveStatus() retrieve status}
     * @return false to hold the session's finish back
     * @throws Exception the finish fails with nothing finished
     */
    default boolean canFinish(FileOpArgs args) throws Exception {
        return true;
    }

    /**
     * {@code finish}, in the successor: the orchestrator gives the file up, retrieved or not. A file
     * never retrieved is the handler's to discard (close its received descriptors, for example).
     *
     * @param args the file (null if never retrieved) and its {@linkplain FileOpArgs#retrieveStatus() retrieve status}
     * @throws Exception logged; the file is finished anyway
     */
    void finish(FileOpArgs args) throws Exception;

    /**
     * A key equal for every reference to the same underlying file (device and inode of a
     * descriptor, for example), so that a file preserved twice, through two objects, is EBUSY. By
     * default the object itself, compared by reference; a null key means the same.
     *
     * @param file the object being preserved, or the one retrieve built
     * @return the key, with {@code equals} and {@code hashCode} that match the underlying file
     * @throws Exception EIO for the preserve, unless it is a {@link LiveUpdateException}
     */
    default Object identity(Object file) throws Exception {
        return new ByReference<>(file);
    }
}
