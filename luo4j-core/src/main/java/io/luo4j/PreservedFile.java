package io.luo4j;

/**
 * One preserved file, the kernel's {@code struct luo_file}: the record that ties a file to its
 * handler, token and state. Guarded by the lock of the session that holds it.
 *
 * <p>In the predecessor it is created by preserve and carries the handler's serialized data,
 * private data and descriptors; freeze may lay a second version of data and descriptors over them,
 * which unfreeze clears again. In the successor it is created by deserialization with the data from
 * the image and the received descriptors, and the file appears when it is retrieved.
 */
final class PreservedFile {
    final FileHandler handler;
    final long token;
    /** The key under which the file is registered against double preservation; null while not registered. */
    Object identityKey;
    /** Undoes the reference preserve took on the file, when the caller took one (descriptor path). */
    final Runnable releaseReference;

    Object file;
    Object privateData;
    byte[] serializedData;
    int[] descriptors;

    /** What freeze produced; null when not frozen, cleared by unfreeze. */
    byte[] frozenData;
    int[] frozenDescriptors;
    boolean frozen;

    RetrieveStatus retrieveStatus = RetrieveStatus.NOT_ATTEMPTED;
    LiveUpdateException retrieveFailure;

    PreservedFile(FileHandler handler, long token, Object file, Runnable releaseReference) {
        this.handler = handler;
        this.token = token;
        this.file = file;
        this.releaseReference = releaseReference;
    }

    /** The data the image carries: freeze's when frozen, else preserve's. */
    byte[] dataForImage() {
        return frozen && frozenData != null ? frozenData : serializedData;
    }

    /** The descriptors the image carries: freeze's when frozen, else preserve's. */
    int[] descriptorsForImage() {
        return frozen && frozenDescriptors != null ? frozenDescriptors : descriptors;
    }

    FileOpArgs args(String sessionName) {
        return new FileOpArgs(handler, sessionName, token, file, dataForImage(), privateData, descriptorsForImage(),
                retrieveStatus, retrieveFailure);
    }
}
