/**
 * {@code luoctl}, luo4j's command line (picocli). {@link io.luo4j.cli.Luoctl} is the entry point;
 * each subcommand is one class. {@code demo} is the main job a new user runs; {@code walkthrough}
 * shows a live update inside one JVM with luo4j-core alone.
 */
package io.luo4j.cli;
