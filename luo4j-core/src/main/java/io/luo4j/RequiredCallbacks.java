package io.luo4j;

/** Collects the names of required callbacks that are missing from a handler or an FLB. */
final class RequiredCallbacks {
    private final StringBuilder missing = new StringBuilder();

    /** Notes {@code name} as missing when {@code callback} is null. */
    RequiredCallbacks require(String name, Object callback) {
        if (callback == null) {
            missing.append(missing.isEmpty() ? "" : ", ").append(name);
        }
        return this;
    }

    /** The missing names, comma separated, or null when none is missing. */
    String missing() {
        return missing.isEmpty() ? null : missing.toString();
    }
}
