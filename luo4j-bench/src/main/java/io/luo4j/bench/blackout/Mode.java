package io.luo4j.bench.blackout;

import java.util.function.Function;

/** The ways a running kv service is replaced: luo4j's, and the two baselines. */
enum Mode {
    LUO4J("luo4j", "luo4j live update", LiveUpgradeSwitcher::new),
    NAIVE_RESTART("restart", "naive restart + snapshot", NaiveRestartSwitcher::new),
    REUSEPORT_OVERLAP("reuseport", "SO_REUSEPORT overlap", OverlapSwitcher::new);

    final String id;
    final String label;
    private final Function<KvServices, Switcher> switcher;

    Mode(String id, String label, Function<KvServices, Switcher> switcher) {
        this.id = id;
        this.label = label;
        this.switcher = switcher;
    }

    Switcher switcher(KvServices services) {
        return switcher.apply(services);
    }
}
