/**
 * luo4j-cli: {@code luoctl}, the command line ({@link io.luo4j.cli.Luoctl}): demo, kv, upgrade,
 * status, inspect, bench, walkthrough. picocli reads its commands' annotations reflectively.
 */
module io.luo4j.cli {
    requires io.luo4j.bench;
    requires io.luo4j.kv;
    requires io.luo4j.linux;
    requires info.picocli;
    requires com.fasterxml.jackson.jr.ob;

    opens io.luo4j.cli to info.picocli;
}
