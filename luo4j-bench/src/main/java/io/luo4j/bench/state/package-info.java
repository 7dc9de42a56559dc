/**
 * State size: {@link io.luo4j.bench.state.StateSizeBench} fills the kv service to each size, hands
 * it over with luo4j several times and restarts it through a snapshot file several times, and
 * checks after each that the data's checksum is unchanged. {@link io.luo4j.bench.state.SizeResult}
 * holds one size's figures.
 */
package io.luo4j.bench.state;
