/**
 * luo4j-kv: the example service, a Redis-protocol cache whose data lives in memfds, live-updated
 * under luo4j ({@link io.luo4j.kv.KvService}). Its clients ({@code client}, {@code resp}) serve
 * luoctl's demo and the benchmarks.
 */
module io.luo4j.kv {
    requires io.luo4j.linux;

    exports io.luo4j.kv;
    exports io.luo4j.kv.client to io.luo4j.cli, io.luo4j.bench;
    exports io.luo4j.kv.resp to io.luo4j.cli, io.luo4j.bench;
}
