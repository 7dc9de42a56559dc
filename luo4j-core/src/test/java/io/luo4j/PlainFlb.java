package io.luo4j;

/** An FLB whose four callbacks do nothing. Tests subclass it (anonymously) and override what they exercise. */
class PlainFlb implements Flb {
    private final String compatible;

    PlainFlb(String compatible) {
        this.compatible = compatible;
    }

    @Override
    public String compatible() {
        return compatible;
    }

    @Override
    public void preserve(FlbOpArgs args) throws Exception {}

    @Override
    public void unpreserve(FlbOpArgs args) throws Exception {}

    @Override
    public void retrieve(FlbOpArgs args) throws Exception {}

    @Override
    public void finish(FlbOpArgs args) throws Exception {}
}
