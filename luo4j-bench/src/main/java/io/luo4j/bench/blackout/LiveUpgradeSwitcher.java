package io.luo4j.bench.blackout;

import io.luo4j.bench.ServiceUpgrade;

/** luo4j: {@code luoctl upgrade}; the listener, every connection and the memfd heap are handed over. */
final class LiveUpgradeSwitcher implements Switcher {
    private static final String NAME = "bench-luo4j";
    private final KvServices services;

    LiveUpgradeSwitcher(KvServices services) {
        this.services = services;
    }

    @Override
    public void start() throws Exception {
        services.start(NAME);
    }

    @Override
    public double switchOnce(int number) throws Exception {
        return ServiceUpgrade.run(services.runtime(), NAME).blackoutMillis();
    }
}
