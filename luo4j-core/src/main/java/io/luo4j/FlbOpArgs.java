package io.luo4j;

/**
 * The arguments of one FLB callback, the kernel's {@code liveupdate_flb_op_args}.
 *
 * <ul>
 *   <li>{@code preserve}: sets the {@link #setSerializedData serialized data} carried to the
 *       successor, the live {@link #setObject object} and the {@link #setDescriptors descriptors}
 *       sent beside the image.</li>
 *   <li>{@code unpreserve}: gets serialized data, object and descriptors back, to release them.</li>
 *   <li>{@code retrieve} (successor): gets the serialized data and the received descriptors and
 *       must set the rebuilt object.</li>
 *   <li>{@code finish} (successor): gets the object, to clean it up.</li>
 * </ul>
 */
public final class FlbOpArgs extends CallbackArgs {
    private final Flb flb;
    private Object object;

    FlbOpArgs(Flb flb, byte[] serializedData, Object object, int[] descriptors) {
        super(serializedData, descriptors);
        this.flb = flb;
        this.object = object;
    }

    /** The FLB being called. */
    public Flb flb() {
        return flb;
    }

    /** The live shared object: set by {@code preserve} or {@code retrieve}, null before. */
    public Object object() {
        return object;
    }

    /** For {@code preserve} and {@code retrieve}: the live shared object. */
    public void setObject(Object object) {
        this.object = object;
    }
}
