package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line a successor starts with: the one the service configured, else this process's
 * own (the same java, options, class or module path and arguments), read from the kernel.
 */
final class ServiceCommandLine {
    private ServiceCommandLine() {}

    /**
     * {@code configured} when it is not empty, else this process's own command line.
     *
     * @throws LiveUpdateException EOPNOTSUPP when this process's command line cannot be read
     */
    static List<String> of(List<String> configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> executable = info.command();
        Optional<String[]> arguments = info.arguments();
        if (executable.isEmpty() || arguments.isEmpty()) {
            throw new LiveUpdateException(Errno.EOPNOTSUPP, "cannot read this process's command line to start its successor:"
                    + " pass the successor's command (luoctl upgrade --exec)");
        }
        List<String> own = new ArrayList<>();
        own.add(executable.get());
        own.addAll(List.of(arguments.get()));
        return own;
    }
}
