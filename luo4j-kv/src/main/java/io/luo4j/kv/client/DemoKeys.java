package io.luo4j.kv.client;

import io.luo4j.kv.resp.RespClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's and the benchmarks' data set: key i holds a value derived from i (about 100 bytes),
 * so any reader can check it. Loaded with pipelined MSETs, verified with MGETs.
 */
public final class DemoKeys {
    private static final String FILLER = "-luo4j-keeps-this-value-in-a-memfd-across-live-updates".repeat(4);
    private static final int LOAD_BATCH = 500;
    private static final int LOAD_PIPELINE = 20;
    private static final int VERIFY_BATCH = 1000;

    private DemoKeys() {}

    public static String key(int i) {
        return "demo:key:" + i;
    }

    /** About 100 bytes, different for every key. */
    public static String value(int i) {
        return "value-" + i + FILLER.substring(0, 90 - Integer.toString(i).length());
    }

    /** Sets keys 0 .. count-1 on the service at {@code port}. */
    public static void load(int port, int count) throws IOException {
        try (RespClient client = new RespClient("127.0.0.1", port, 30_000)) {
            int pending = 0;
            for (int start = 0; start < count; start += LOAD_BATCH) {
                List<Object> command = new ArrayList<>();
                command.add("MSET");
                for (int i = start; i < Math.min(count, start + LOAD_BATCH); i++) {
                    command.add(key(i));
                    command.add(value(i));
                }
                client.send(command.toArray());
                pending++;
                if (pending == LOAD_PIPELINE) {
                    expectOk(client, pending);
                    pending = 0;
                }
            }
            expectOk(client, pending);
        }
    }

    private static void expectOk(RespClient client, int replies) throws IOException {
        client.flush();
        for (int i = 0; i < replies; i++) {
            Object reply = client.read();
            if (!"OK".equals(reply)) {
                throw new IOException("loading the keys failed: " + reply);
            }
        }
    }

    /** How many of keys 0 .. count-1 hold their value on the service at {@code port}. */
    public static int verify(int port, int count) throws IOException {
        int verified = 0;
        try (RespClient client = new RespClient("127.0.0.1", port, 30_000)) {
            for (int start = 0; start < count; start += VERIFY_BATCH) {
                List<Object> command = new ArrayList<>();
                command.add("MGET");
                for (int i = start; i < Math.min(count, start + VERIFY_BATCH); i++) {
                    command.add(key(i));
                }
                List<?> values = (List<?>) client.call(command.toArray());
                for (int i = 0; i < values.size(); i++) {
                    if (value(start + i).equals(RespClient.text(values.get(i)))) {
                        verified++;
                    }
                }
            }
        }
        return verified;
    }
}
