package io.luo4j.kv.store;

/** What a key holds; the code is stored in its entry. */
public enum ValueType {
    STRING(1), LIST(2), SET(3), HASH(4), ZSET(5);

    final byte code;

    ValueType(int code) {
        this.code = (byte) code;
    }

    static ValueType of(byte code) {
        for (ValueType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalStateException("corrupt entry type " + code);
    }

    /** The name Redis's TYPE command uses. */
    public String redisName() {
        return name().toLowerCase();
    }
}
