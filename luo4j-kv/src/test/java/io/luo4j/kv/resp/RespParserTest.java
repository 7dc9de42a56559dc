package io.luo4j.kv.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.kv.store.KvError;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RESP parser: commands whole, pipelined, split anywhere, malformed; and that a command arriving
 * in many pieces costs work in proportion to its length (the parser resumes where it stopped
 * instead of parsing from the command's start on every read).
 */
class RespParserTest {
    /** A command with a multi-digit count and lengths, an empty bulk string and binary bytes. */
    private static final String SPLIT_ME = "*12\r\n$3\r\nSET\r\n$0\r\n\r\n$12\r\nhello\r\nworld\r\n$1\r\n*\r\n$2\r\n$1\r\n"
            + "$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$10\r\n0123456789\r\n";
    private static final List<String> SPLIT_ME_WORDS = List.of("SET", "", "hello\r\nworld", "*", "$1", "a", "b", "c", "d", "e", "f",
            "0123456789");

    private static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> words(List<byte[]> command) {
        return command.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    /**
     * Delivers {@code pieces} one after the other into a buffer, as a connection's reads do (the
     * bytes not consumed stay; the buffer is compacted before each append, so what is pending moves
     * to its start), and returns every command the parser gives, in order.
     */
    private static List<List<String>> deliver(RespParser parser, List<byte[]> pieces) {
        int total = pieces.stream().mapToInt(p -> p.length).sum();
        ByteBuffer in = ByteBuffer.allocate(total).flip(); // empty, in read mode
        List<List<String>> commands = new ArrayList<>();
        for (byte[] piece : pieces) {
            in.compact().put(piece).flip();
            List<byte[]> command;
            while ((command = parser.next(in)) != null) {
                commands.add(words(command));
            }
        }
        assertEquals(0, in.remaining(), "every byte is consumed");
        return commands;
    }

    private static List<byte[]> split(byte[] bytes, int... cuts) {
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            pieces.add(java.util.Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        pieces.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        return pieces;
    }

    @Test
    void arraysOfBulkStringsAndInlineCommandsArePipelined() {
        RespParser parser = new RespParser();
        ByteBuffer in = buffer("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv a l\r\nPING\r\n  GET   k  \r\n*0\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(List.of("SET", "k", "v a l"), words(parser.next(in)));
        assertEquals(List.of("PING"), words(parser.next(in)));
        assertEquals(List.of("GET", "k"), words(parser.next(in)));
        assertEquals(List.of(), words(parser.next(in)));
        assertEquals(List.of("PING"), words(parser.next(in)));
        assertNull(parser.next(in));
        assertEquals(0, in.remaining());
    }

    @Test
    void aCommandSplitAtEveryByteBoundaryParsesAsWhole() {
        byte[] command = SPLIT_ME.getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(SPLIT_ME_WORDS), deliver(new RespParser(), List.of(command)));
        for (int cut = 0; cut <= command.length; cut++) {
            assertEquals(List.of(SPLIT_ME_WORDS), deliver(new RespParser(), split(command, cut)), "cut at " + cut);
        }
        for (int first = 1; first < command.length; first++) {
            for (int second = first; second < command.length; second += 7) {
                assertEquals(List.of(SPLIT_ME_WORDS), deliver(new RespParser(), split(command, first, second)),
                        "cut at " + first + " and " + second);
            }
        }
        List<byte[]> bytes = new ArrayList<>();
        for (byte b : command) {
            bytes.add(new byte[] {b});
        }
        assertEquals(List.of(SPLIT_ME_WORDS), deliver(new RespParser(), bytes), "byte by byte");
    }

    @Test
    void anIncompleteCommandConsumesNothingAndAnInlineOneResumesToo() {
        RespParser parser = new RespParser();
        String command = "*2\r\n$3\r\nGET\r\n$10\r\n0123456789\r\n";
        ByteBuffer in = ByteBuffer.allocate(command.length());
        for (int i = 0; i < command.length() - 1; i++) {
            in.put((byte) command.charAt(i));
            in.flip();
            assertNull(parser.next(in), "after " + (i + 1) + " bytes");
            assertEquals(0, in.position(), "an incomplete command consumes nothing");
            in.position(in.limit()).limit(in.capacity());
        }
        in.put((byte) '\n').flip();
        assertEquals(List.of("GET", "0123456789"), words(parser.next(in)));

        byte[] inline = "  SET   key  some-value \r\nPING\n".getBytes(StandardCharsets.US_ASCII);
        for (int cut = 0; cut <= inline.length; cut++) {
            assertEquals(List.of(List.of("SET", "key", "some-value"), List.of("PING")), deliver(new RespParser(), split(inline, cut)),
                    "inline cut at " + cut);
        }
    }

    @Test
    void pipelinedCommandsInPiecesComeOutInOrder() {
        StringBuilder stream = new StringBuilder();
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = "key:" + i;
            if (i % 3 == 0) {
                stream.append("GET ").append(key).append("\r\n");
                expected.add(List.of("GET", key));
            } else {
                String value = "v".repeat(i);
                stream.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$")
                        .append(value.length()).append("\r\n").append(value).append("\r\n");
                expected.add(List.of("SET", key, value));
            }
        }
        byte[] bytes = stream.toString().getBytes(StandardCharsets.US_ASCII);
        for (int size : new int[] {1, 2, 3, 5, 13, 64, 1000, bytes.length}) {
            List<byte[]> pieces = new ArrayList<>();
            for (int from = 0; from < bytes.length; from += size) {
                pieces.add(java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size)));
            }
            assertEquals(expected, deliver(new RespParser(), pieces), "pieces of " + size + " bytes");
        }
    }

    @Test
    void malformedInputIsAProtocolErrorHoweverItArrives() {
        for (String bad : List.of("*x\r\n", "*1\r\n#3\r\nGET\r\n", "*1\r\n$-5\r\n", "*1\r\n$3\r\nGETxx", "*99999999\r\n",
                "*1\r\n$999999999\r\n", "*\r\n", "*1\r\n$\r\n", "*2\r\n$1\r\na\r\n$1x")) {
            KvError whole = assertThrows(KvError.class, () -> new RespParser().next(buffer(bad)), bad);
            assertTrue(whole.getMessage().startsWith("ERR Protocol error"), whole.getMessage());
            RespParser parser = new RespParser();
            ByteBuffer in = ByteBuffer.allocate(bad.length()).flip();
            KvError inPieces = assertThrows(KvError.class, () -> {
                for (int i = 0; i < bad.length(); i++) {
                    in.compact().put((byte) bad.charAt(i)).flip();
                    parser.next(in);
                }
            }, bad + " byte by byte");
            assertEquals(whole.getMessage(), inPieces.getMessage(), bad);
        }
        assertThrows(KvError.class, () -> new RespParser().next(buffer("x".repeat(70_000))));
        RespParser inline = new RespParser();
        ByteBuffer in = ByteBuffer.allocate(80_000).flip();
        assertThrows(KvError.class, () -> {
            for (int i = 0; i < 70; i++) {
                in.compact().put("x".repeat(1000).getBytes(StandardCharsets.US_ASCII)).flip();
                inline.next(in);
            }
        }, "an inline request without end, in pieces");
    }

    @Test
    void aCommandOfNArgumentsInNPiecesCostsWorkInProportionToItsLength() {
        int n = 20_000;
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.writeBytes(("*" + (n + 1) + "\r\n$5\r\nRPUSH\r\n").getBytes(StandardCharsets.US_ASCII));
        List<Integer> boundaries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String argument = "element-" + i;
            command.writeBytes(("$" + argument.length() + "\r\n" + argument + "\r\n").getBytes(StandardCharsets.US_ASCII));
            boundaries.add(command.size());
        }
        byte[] bytes = command.toByteArray();

        // one piece per argument, then pieces of 7 bytes (cut mid-length, mid-CRLF, mid-data)
        RespParser byArgument = new RespParser();
        int[] cuts = boundaries.subList(0, n - 1).stream().mapToInt(Integer::intValue).toArray();
        List<List<String>> parsed = deliver(byArgument, split(bytes, cuts));
        assertEquals(1, parsed.size());
        assertEquals(n + 1, parsed.get(0).size());
        assertEquals("element-" + (n - 1), parsed.get(0).get(n));
        assertLinear(byArgument, bytes.length, "in " + n + " pieces, one per argument");

        RespParser bySevens = new RespParser();
        List<byte[]> sevens = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += 7) {
            sevens.add(java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + 7)));
        }
        assertEquals(parsed, deliver(bySevens, sevens));
        assertLinear(bySevens, bytes.length, "in " + sevens.size() + " pieces of 7 bytes");
    }

    private static void assertLinear(RespParser parser, int length, String how) {
        long examined = parser.bytesExamined();
        assertTrue(examined <= 3L * length, "a command of " + length + " bytes " + how + ": the parser examined " + examined
                + " bytes, " + String.format("%.1f", (double) examined / length) + " times its length (at most 3 allowed)");
        assertTrue(examined >= length, "every byte is examined at least once: " + examined + " for " + length);
    }
}
