package io.luo4j;

import java.nio.channels.Channel;

/** A stand-in for a descriptor-backed file: a typed, named channel that can be closed. */
final class TestFile implements Channel {
    final String type;
    final String id;
    private volatile boolean open = true;

    TestFile(String type, String id) {
        this.type = type;
        this.id = id;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public String toString() {
        return type + ":" + id;
    }
}
