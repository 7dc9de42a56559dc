package io.luo4j.bench.blackout;

import io.luo4j.bench.BenchFailure;
import io.luo4j.kv.client.KvProcess;
import io.luo4j.kv.resp.RespClient;
import java.io.IOException;

/** SAVE and SHUTDOWN sent to one process of a service. */
final class AdminCommands {
    private AdminCommands() {}

    /** SAVE; a refusal is a failure of the harness. */
    static void save(KvProcess process) throws IOException, BenchFailure {
        try (RespClient admin = process.connect()) {
            Object reply = admin.call("SAVE");
            if (!"OK".equals(reply)) {
                throw new BenchFailure(process.name() + " refused SAVE: " + reply);
            }
        }
    }

    /** SHUTDOWN with {@code mode} (SAVE or NOSAVE): the connection closes with no reply when it goes ahead. */
    static void shutdown(KvProcess process, String mode) throws IOException, BenchFailure {
        try (RespClient admin = process.connect()) {
            admin.send("SHUTDOWN", mode);
            admin.flush();
            Object reply;
            try {
                reply = admin.read();
            } catch (IOException closed) {
                return; // shut down
            }
            throw new BenchFailure(process.name() + " refused SHUTDOWN " + mode + ": " + reply);
        }
    }
}
