package io.luo4j;

/**
 * The arguments of one FLB callback, the kernel's {@code liveupdate_flb_op_args}.
 *
 * <ul>
 *   <li>{@code preserve}: sets the {@link #setData data} carried to the successor, the live
 *       {@link #setObject object} and the {@link #setDescriptors descriptors} sent beside the image.</li>
 *   <li>{@code unpreserve}: gets data and object back, to release them.</li>
 *   <li>{@code retrieve} (successor): gets the data and the received descriptors and must set the
 *       rebuilt object.</li>
 *   <li>{@code finish} (successor): gets the object, to clean it up.</li>
 * </ul>
 */
public final class FlbOpArgs {
    private static final byte[] NO_DATA = new byte[0];
    private static final int[] NO_DESCRIPTORS = new int[0];

    private final Flb flb;
    private byte[] data;
    private Object object;
    private int[] descriptors;

    FlbOpArgs(Flb flb, byte[] data, Object object, int[] descriptors) {
        this.flb = flb;
        this.data = data == null ? NO_DATA : data;
        this.object = object;
        this.descriptors = descriptors == null ? NO_DESCRIPTORS : descriptors;
    }

    /** The FLB being called. */
    public Flb flb() {
        return flb;
    }

    /** The serialized state of the shared object; empty, never null, when none was set. */
    public byte[] data() {
        return data;
    }

    /** For {@code preserve}: the state to carry to the successor. */
    public void setData(byte[] data) {
        this.data = data == null ? NO_DATA : data;
    }

    /** The live shared object. */
    public Object object() {
        return object;
    }

    /** For {@code preserve} and {@code retrieve}: the live shared object. */
    public void setObject(Object object) {
        this.object = object;
    }

    /** Descriptors that travel beside the image; empty, never null. */
    public int[] descriptors() {
        return descriptors;
    }

    /** For {@code preserve}: descriptors to send beside the image. */
    public void setDescriptors(int... descriptors) {
        this.descriptors = descriptors == null ? NO_DESCRIPTORS : descriptors;
    }
}
