/**
 * luo4j-linux: live update of a service process on Linux. Applications use {@code io.luo4j.linux}
 * (start at {@link io.luo4j.linux.LiveUpdate}) with the core's {@code io.luo4j}. The control socket's
 * client and reports go to luoctl and the benchmarks only; the handover between processes and the
 * system calls ({@code handover}, {@code internal}) are not exported.
 *
 * <p>The module makes its system calls through the FFM API and adopts descriptors as the JDK's
 * own channels: it needs {@code --enable-native-access=io.luo4j.linux} and
 * {@code --add-opens java.base/sun.nio.ch=io.luo4j.linux --add-opens java.base/java.io=io.luo4j.linux}
 * ({@link io.luo4j.linux.JavaCommand#requiredOptions()}).
 */
module io.luo4j.linux {
    requires transitive io.luo4j.core;
    requires com.fasterxml.jackson.jr.ob;
    requires com.fasterxml.jackson.core;
    requires java.management;
    requires jdk.management;

    exports io.luo4j.linux;
    exports io.luo4j.linux.control to io.luo4j.cli, io.luo4j.bench;
}
