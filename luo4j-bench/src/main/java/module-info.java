/**
 * luo4j-bench: the benchmarks, each against a baseline measured in the same run; luoctl's
 * {@code bench} command runs them ({@link io.luo4j.bench.Bench}) and prints their reports. The
 * core suite's JMH benchmarks run in forked JVMs on the class path.
 */
module io.luo4j.bench {
    requires io.luo4j.kv;
    requires io.luo4j.netty;
    requires io.luo4j.linux;
    requires jmh.core;
    requires com.fasterxml.jackson.jr.ob;
    requires java.desktop;
    requires java.management;

    exports io.luo4j.bench to io.luo4j.cli;
    exports io.luo4j.bench.report to io.luo4j.cli;
    exports io.luo4j.bench.state to io.luo4j.cli;
}
