package io.luo4j;

/**
 * What the arguments of a file handler callback ({@link FileOpArgs}) and of an FLB callback
 * ({@link FlbOpArgs}) have in common: the two things that travel to the successor, the serialized
 * data carried in the image and the descriptors sent beside it.
 *
 * <p>In the predecessor, {@code preserve} (and a file's {@code freeze}) sets them; the orchestrator
 * reads them back when the callback returns and writes them into the image. In the successor,
 * {@code retrieve} finds them here as they arrived: the data as written, the descriptors under their
 * new numbers, in the order they were set.
 *
 * <p>Neither is ever null (empty instead), and arrays are not copied: once handed over they belong
 * to the orchestrator and must not be changed.
 */
abstract sealed class CallbackArgs permits FileOpArgs, FlbOpArgs {
    private static final byte[] NO_DATA = new byte[0];
    private static final int[] NO_DESCRIPTORS = new int[0];

    private byte[] serializedData;
    private int[] descriptors;

    CallbackArgs(byte[] serializedData, int[] descriptors) {
        this.serializedData = serializedData == null ? NO_DATA : serializedData;
        this.descriptors = descriptors == null ? NO_DESCRIPTORS : descriptors;
    }

    /** The callback's own serialized state, carried in the image; empty, never null, when none was set. */
    public byte[] serializedData() {
        return serializedData;
    }

    /**
     * For {@code preserve} (and a file's {@code freeze}): the state to carry to the successor in the
     * image; null means none.
     */
    public void setSerializedData(byte[] data) {
        this.serializedData = data == null ? NO_DATA : data;
    }

    /**
     * The descriptors that travel beside the image. In the predecessor, those {@code preserve} (or a
     * file's {@code freeze}) set; in the successor, the received ones, in the same order. Empty,
     * never null.
     */
    public int[] descriptors() {
        return descriptors;
    }

    /**
     * For {@code preserve} (and a file's {@code freeze}): the descriptors to send beside the image;
     * null means none.
     */
    public void setDescriptors(int... descriptors) {
        this.descriptors = descriptors == null ? NO_DESCRIPTORS : descriptors;
    }
}
