package io.luo4j.kv.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luo4j.kv.store.KvError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespParserTest {
    private static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> words(List<byte[]> command) {
        return command.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void arraysOfBulkStringsAndInlineCommandsArePipelined() {
        ByteBuffer in = buffer("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv a l\r\nPING\r\n  GET   k  \r\n");
        assertEquals(List.of("SET", "k", "v a l"), words(RespParser.next(in)));
        assertEquals(List.of("PING"), words(RespParser.next(in)));
        assertEquals(List.of("GET", "k"), words(RespParser.next(in)));
        assertNull(RespParser.next(in));
    }

    @Test
    void aCommandThatArrivesByteByByteWaitsUntilItIsWhole() {
        String command = "*2\r\n$3\r\nGET\r\n$10\r\n0123456789\r\n";
        for (int cut = 0; cut < command.length(); cut++) {
            ByteBuffer partial = buffer(command.substring(0, cut));
            assertNull(RespParser.next(partial), "cut at " + cut);
            assertEquals(0, partial.position(), "an incomplete command consumes nothing");
        }
        assertEquals(List.of("GET", "0123456789"), words(RespParser.next(buffer(command))));
    }

    @Test
    void malformedInputIsAProtocolError() {
        for (String bad : List.of("*x\r\n", "*1\r\n#3\r\nGET\r\n", "*1\r\n$-5\r\n", "*1\r\n$3\r\nGETxx", "*99999999\r\n",
                "*1\r\n$999999999\r\n")) {
            KvError e = assertThrows(KvError.class, () -> RespParser.next(buffer(bad)), bad);
            assertEquals(true, e.getMessage().startsWith("ERR Protocol error"), e.getMessage());
        }
        assertThrows(KvError.class, () -> RespParser.next(buffer("x".repeat(70_000))));
    }
}
