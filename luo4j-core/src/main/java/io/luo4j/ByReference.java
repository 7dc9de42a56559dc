package io.luo4j;

/**
 * A key that stands for one object and is equal only to a key for the very same object, whatever
 * that object's own {@code equals} says.
 *
 * <p>Two places need it: the default {@linkplain FileHandler#identity identity} of a preserved
 * file (the object the application handed over, so preserving that object twice is EBUSY), and the
 * registries, which key handlers and FLBs by the registered object, so that two handler objects
 * that happen to be equal (two records with the same components, say) remain two registrations.
 *
 * @param object the object this key stands for
 */
record ByReference<T>(T object) {

    @Override
    public boolean equals(Object other) {
        return other instanceof ByReference<?> that && that.object == object;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(object);
    }
}
