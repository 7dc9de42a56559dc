/**
 * A service's control socket: {@link io.luo4j.linux.control.ControlServer} in the service,
 * {@link io.luo4j.linux.control.ControlClient} in luoctl, {@link io.luo4j.linux.control.ControlProtocol}
 * between them (one request line; progress, text, JSON and an exit code back). Only the service's
 * own uid is served.
 */
package io.luo4j.linux.control;
