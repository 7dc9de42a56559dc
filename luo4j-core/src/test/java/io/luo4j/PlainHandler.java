package io.luo4j;

/**
 * A file handler whose required callbacks do nothing and that takes every file: the smallest
 * complete handler. Tests subclass it (anonymously) and override the callbacks they exercise.
 */
class PlainHandler implements FileHandler {
    private final String compatible;

    PlainHandler(String compatible) {
        this.compatible = compatible;
    }

    @Override
    public String compatible() {
        return compatible;
    }

    @Override
    public boolean canPreserve(Object file) throws Exception {
        return true;
    }

    @Override
    public void preserve(FileOpArgs args) throws Exception {}

    @Override
    public void unpreserve(FileOpArgs args) throws Exception {}

    @Override
    public void retrieve(FileOpArgs args) throws Exception {}

    @Override
    public void finish(FileOpArgs args) throws Exception {}
}
