/**
 * Descriptor count: {@link io.luo4j.bench.fds.DescriptorService} is a service that preserves N
 * memfds in one session and checks, as a successor, that each arrived as itself;
 * {@link io.luo4j.bench.fds.DescriptorBench} live-updates it and measures the raw SCM_RIGHTS
 * transfer of as many as the baseline ({@code RawDescriptorTransfer}). It raises the open-file
 * limit when it may; counts over what the hard limit allows are skipped with the reason, and the
 * largest count it allows is measured in their place.
 */
package io.luo4j.bench.fds;
