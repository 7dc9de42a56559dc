package io.luo4j.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.Errno;
import io.luo4j.FileHandler;
import io.luo4j.FileOpArgs;
import io.luo4j.FileTable;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Scenario 45 (command decoding), the GET_NAME parts of 11 and 54, and the device rules. */
class LiveUpdateDeviceTest {
    /** Descriptors 10.. are "open files": strings. */
    private static final class Table implements FileTable {
        final Map<Integer, Object> files = new HashMap<>();
        int next = 10;

        @Override
        public Object acquire(int fd) {
            Object file = files.get(fd);
            if (file == null) {
                throw new LiveUpdateException(Errno.EBADF, "test: descriptor " + fd + " is not open");
            }
            return file;
        }

        @Override
        public void release(Object file) {}

        @Override
        public int install(Object file) {
            files.put(next, file);
            return next++;
        }
    }

    /** {@code string-v1}: a String file travels as its UTF-8 bytes. */
    private static final class StringHandler implements FileHandler {
        @Override
        public String compatible() {
            return "string-v1";
        }

        @Override
        public boolean canPreserve(Object file) {
            return file instanceof String;
        }

        @Override
        public void preserve(FileOpArgs a) {
            a.setSerializedData(((String) a.file()).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void unpreserve(FileOpArgs a) {}

        @Override
        public void retrieve(FileOpArgs a) {
            a.setFile(new String(a.serializedData(), StandardCharsets.UTF_8));
        }

        @Override
        public void finish(FileOpArgs a) {}
    }

    private static final FileHandler STRINGS = new StringHandler();

    private final Table table = new Table();
    private final LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.builder().fileTable(table).build();
    private final LiveUpdateDevice device;
    private final int dev;

    LiveUpdateDeviceTest() {
        luo.registerHandler(STRINGS);
        device = new LiveUpdateDevice(luo);
        dev = device.open();
    }

    private static Errno reasonOf(Executable call) {
        return assertThrows(LiveUpdateException.class, call).reason();
    }

    private int create(String name) {
        ByteBuffer arg = Commands.createSession(name);
        device.ioctl(dev, Commands.CREATE_SESSION, arg);
        return Commands.fd(arg);
    }

    @Test
    void aWholeRoundTripThroughCommands() {
        int session = create("cmd");
        int fileFd = table.install("hello");
        device.ioctl(session, Commands.PRESERVE_FD, Commands.preserveFd(fileFd, 42));
        Handover handover = luo.upgrade();

        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.builder().fileTable(table).build();
        next.registerHandler(STRINGS);
        next.loadIncoming(handover);
        LiveUpdateDevice nextDevice = new LiveUpdateDevice(next);
        int nextDev = nextDevice.open();
        ByteBuffer retrieve = Commands.retrieveSession("cmd");
        nextDevice.ioctl(nextDev, Commands.RETRIEVE_SESSION, retrieve);
        int in = Commands.fd(retrieve);
        ByteBuffer fd = Commands.retrieveFd(42);
        nextDevice.ioctl(in, Commands.RETRIEVE_FD, fd);
        assertEquals("hello", table.files.get(Commands.fd(fd)));
        nextDevice.ioctl(in, Commands.FINISH, Commands.finish());
        assertEquals(java.util.List.of(), next.incomingSessionNames(), "FINISH finished the session");
        nextDevice.close(in);
        assertEquals(Errno.EBADF, reasonOf(() -> nextDevice.ioctl(in, Commands.FINISH, Commands.finish())));
    }

    @Test
    void scenario45_numberOutsideTheTableIsEinval() {
        int session = create("s");
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(session, Commands.code(0x44), Commands.finish())));
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(session, Commands.code(0x3F), Commands.finish())));
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(dev, Commands.code(0x02), Commands.createSession("x"))));
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(dev, Commands.code(0x40), Commands.finish())));
    }

    @Test
    void scenario45_aNumberInTheTableWithAnotherFullCodeIsEnotty() {
        int session = create("s");
        int wrongType = (0xBB << 8) | 0x42;
        assertEquals(Errno.ENOTTY, reasonOf(() -> device.ioctl(session, wrongType, Commands.finish())));
        int withDirectionBits = Commands.FINISH | (3 << 30) | (8 << 16); // _IOWR instead of _IO
        assertEquals(Errno.ENOTTY, reasonOf(() -> device.ioctl(session, withDirectionBits, Commands.finish())));
        assertEquals(Errno.ENOTTY, reasonOf(() -> device.ioctl(dev, 0xBB00, Commands.createSession("x"))));
    }

    @Test
    void scenario45_wrongKindOfSessionIsEinvalBeforeTheSizeIsChecked() {
        int out = create("s");
        ByteBuffer tooSmall = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(4).putInt(0).flip();
        // on an outgoing session, RETRIEVE_FD and FINISH are EINVAL for the direction even with a bad size
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(out, Commands.RETRIEVE_FD, Commands.retrieveFd(1))));
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(out, Commands.FINISH, tooSmall)));
        // and ENOTTY (code) comes before the direction check
        assertEquals(Errno.ENOTTY, reasonOf(() -> device.ioctl(out, 0xBB42, Commands.finish())));
    }

    @Test
    void scenario45_sizeBelowTheMinimumIsEinval() {
        int session = create("s");
        ByteBuffer fifteen = Commands.preserveFd(table.install("x"), 1);
        fifteen.putInt(0, 15);
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, fifteen)));
        ByteBuffer seventyOne = Commands.createSession("x");
        seventyOne.putInt(0, 71);
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, seventyOne)));
        ByteBuffer shortName = Commands.getName();
        shortName.putInt(0, 15); // GET_NAME's minimum is 16, as in the seed's table (see getNameIsDecodedAsTheSeedsTableSaysIt)
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(session, Commands.GET_NAME, shortName)));
        ByteBuffer empty = ByteBuffer.allocate(2);
        assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(session, Commands.GET_NAME, empty)));
        ByteBuffer liar = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 100);
        assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, liar)));
    }

    @Test
    void scenario45_nonZeroBytesBeyondWhatIsUnderstoodAreE2bigAndZeroBytesAreFine() {
        int session = create("s");
        int fileFd = table.install("x");
        ByteBuffer larger = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(24).putInt(fileFd).putLong(1).putLong(0).flip();
        device.ioctl(session, Commands.PRESERVE_FD, larger);
        ByteBuffer dirty = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(24).putInt(table.install("y")).putLong(2)
                .putLong(1L << 40).flip();
        assertEquals(Errno.E2BIG, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, dirty)));
        ByteBuffer create = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN).putInt(80).putInt(-1);
        create.put("ext".getBytes(StandardCharsets.UTF_8)).position(79).put((byte) 1).flip();
        assertEquals(Errno.E2BIG, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, create)));
        create.put(79, (byte) 0);
        device.ioctl(dev, Commands.CREATE_SESSION, create);
        assertTrue(Commands.fd(create) > 0);
    }

    @Test
    void scenario45_aReplyWritesBackNoMoreThanTheCallersSize() {
        int session = create("reply");
        ByteBuffer larger = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN).putInt(80).putInt(0);
        for (int i = 80; i < 96; i++) {
            larger.put(i, (byte) 0x5A); // beyond the caller's size: must stay untouched
        }
        larger.clear();
        device.ioctl(session, Commands.GET_NAME, larger);
        assertEquals("reply", Commands.name(larger));
        for (int i = 72; i < 80; i++) {
            assertEquals(0, larger.get(i));
        }
        for (int i = 80; i < 96; i++) {
            assertEquals(0x5A, larger.get(i));
        }
    }

    @Test
    void scenario45_createSessionNamesAreCheckedLikeTheKernel() {
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, Commands.createSession(""))));
        ByteBuffer unterminated = Commands.createSession("x".repeat(64));
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, unterminated)));
        ByteBuffer badUtf8 = Commands.createSession("ab");
        badUtf8.put(8, (byte) 0xC3).put(9, (byte) 0x28);
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, badUtf8)));
        assertEquals(Errno.ENOENT, reasonOf(() -> device.ioctl(dev, Commands.RETRIEVE_SESSION, Commands.retrieveSession("x".repeat(64)))));
        create("x".repeat(63));
        assertEquals(Errno.EEXIST, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, Commands.createSession("x".repeat(63)))));
    }

    @Test
    void scenario11_getNameWithANonZeroReservedFieldIsEinval() {
        int session = create("s");
        ByteBuffer arg = Commands.getName();
        arg.putInt(4, 1);
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(session, Commands.GET_NAME, arg)));
    }

    @Test
    void scenario54_getNameReturnsTheWhole63ByteNameForOutgoingAndIncomingSessions() {
        String name = "n".repeat(60) + "end";
        int out = create(name);
        ByteBuffer arg = Commands.getName();
        device.ioctl(out, Commands.GET_NAME, arg);
        assertEquals(name, Commands.name(arg));
        assertEquals(0, arg.get(8 + 63), "zero-padded after the name");

        Handover h = luo.upgrade();
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.registerHandler(STRINGS);
        next.loadIncoming(h);
        LiveUpdateDevice nextDevice = new LiveUpdateDevice(next);
        int nextDev = nextDevice.open();
        ByteBuffer retrieve = Commands.retrieveSession(name);
        nextDevice.ioctl(nextDev, Commands.RETRIEVE_SESSION, retrieve);
        ByteBuffer in = Commands.getName();
        in.put(20, (byte) 0); // caller's name buffer may hold anything zero
        nextDevice.ioctl(Commands.fd(retrieve), Commands.GET_NAME, in);
        assertEquals(name, Commands.name(in));
    }

    @Test
    void finishIgnoresItsReservedFieldAsTheKernelDoes() {
        luo.createSession("s");
        Handover h = luo.upgrade();
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.loadIncoming(h);
        LiveUpdateDevice d = new LiveUpdateDevice(next);
        int nd = d.open();
        ByteBuffer r = Commands.retrieveSession("s");
        d.ioctl(nd, Commands.RETRIEVE_SESSION, r);
        ByteBuffer finish = Commands.finish();
        finish.putInt(4, 7);
        d.ioctl(Commands.fd(r), Commands.FINISH, finish);
        assertEquals(java.util.List.of(), next.incomingSessionNames(), "FINISH finished the session despite the field");
        assertEquals(java.util.List.of(), next.status().incoming());
        assertEquals(Errno.EINVAL, reasonOf(() -> next.retrieveSession("s")), "finished, but its descriptor is open");
        d.close(Commands.fd(r));
        assertEquals(Errno.ENOENT, reasonOf(() -> next.retrieveSession("s")), "a finished and closed session is gone");
    }

    @Test
    void theDeviceIsExclusiveAndClosingItLeavesSessionsAlone() {
        assertEquals(Errno.EBUSY, reasonOf(device::open));
        int session = create("s");
        device.close(dev);
        ByteBuffer name = Commands.getName();
        device.ioctl(session, Commands.GET_NAME, name);
        assertEquals("s", Commands.name(name));
        assertEquals(Errno.EBADF, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, Commands.createSession("t"))));
        int again = device.open();
        assertTrue(again != dev);
        device.close(session);
        assertEquals(0, luo.status().outgoing().size(), "closing the session descriptor closed the session");
        assertEquals(Errno.EBADF, reasonOf(() -> device.close(session)));
    }

    @Test
    void openingReportsTheDeserializationErrorEveryTime() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        o.registerHandler(STRINGS);
        o.createSession("s").preserve(1, "x");
        Handover h = o.upgrade();
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create(); // no handler for string-v1
        next.loadIncoming(h);
        LiveUpdateDevice d = new LiveUpdateDevice(next);
        LiveUpdateException first = assertThrows(LiveUpdateException.class, d::open);
        assertEquals(Errno.EIO, first.reason(), "the kernel's luo_open answers EIO for any deserialization failure");
        assertEquals(Errno.ENOENT, ((LiveUpdateException) first.getCause()).reason(), "the deserialization error is the cause");
        assertTrue(first.getMessage().contains("ENOENT"), first.getMessage());
        assertEquals(Errno.EIO, reasonOf(d::open), "the same error, and not EBUSY: the failed open holds nothing");
        assertEquals(Errno.EIO, reasonOf(d::open));
    }

    // ---------------------------------------------------------------- issue 10 item 11 and luod-design 1.2/1.3

    private static ByteBuffer zeroes(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void aSizeOf2To31OrMoreIsUnsignedAndGetsTheKernelsErrorNeverAnIndexOutOfBounds() {
        int session = create("s");
        for (int size : new int[] {0x80000000, 0xFFFFFFFF, 0xFFFFFF00}) {
            ByteBuffer create = Commands.createSession("big");
            create.putInt(0, size);
            assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, create)),
                    "the bytes past the buffer cannot be read: " + Integer.toUnsignedString(size));
            ByteBuffer preserve = zeroes(24).putInt(0, size).putInt(4, table.install("x")).putLong(8, 1);
            assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, preserve)));
            preserve.put(20, (byte) 1);
            assertEquals(Errno.E2BIG, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, preserve)),
                    "a non-zero byte is found before the end of the buffer");
            ByteBuffer name = Commands.getName();
            name.putInt(0, size);
            assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(session, Commands.GET_NAME, name)));
        }
        assertEquals(java.util.List.of("s"), luo.status().outgoing().stream().map(o -> o.name()).toList());
        assertEquals(0, luo.status().outgoing().get(0).files().size());
    }

    @Test
    void theTailIsScannedBeforeTheBufferLengthIsTrustedSoE2bigComesBeforeEfault() {
        int session = create("s");
        int fileFd = table.install("x");
        ByteBuffer dirty = zeroes(24).putInt(0, 100).putInt(4, fileFd).putLong(8, 1).put(23, (byte) 7);
        assertEquals(Errno.E2BIG, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, dirty)));
        ByteBuffer clean = zeroes(24).putInt(0, 100).putInt(4, fileFd).putLong(8, 1);
        assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, clean)));
        ByteBuffer shortStruct = zeroes(12).putInt(0, 16).putInt(4, fileFd);
        assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, shortStruct)),
                "the struct itself runs past the buffer");
        ByteBuffer atPosition = zeroes(40).position(8);
        atPosition.putInt(8, 32).putInt(12, fileFd).putLong(16, 3);
        atPosition.put(8 + 31, (byte) 1);
        assertEquals(Errno.E2BIG, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, atPosition)), "offsets count from the position");
        atPosition.put(8 + 31, (byte) 0);
        device.ioctl(session, Commands.PRESERVE_FD, atPosition);
        assertEquals(java.util.List.of(3L), luo.status().outgoing().get(0).files().stream().map(f -> f.token()).toList());
    }

    @Test
    void aReadOnlyArgumentFailsWithEfaultBeforeTheCommandRuns() {
        ByteBuffer create = Commands.createSession("ro").asReadOnlyBuffer();
        assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, create)));
        assertEquals(java.util.List.of(), luo.status().outgoing(), "no session was created");
        int session = create("ro"); // the name is free
        int fileFd = table.install("x");
        ByteBuffer preserve = Commands.preserveFd(fileFd, 1).asReadOnlyBuffer();
        assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(session, Commands.PRESERVE_FD, preserve)));
        assertEquals(0, luo.status().outgoing().get(0).files().size(), "nothing was preserved");
        ByteBuffer name = Commands.getName().asReadOnlyBuffer();
        assertEquals(Errno.EFAULT, reasonOf(() -> device.ioctl(session, Commands.GET_NAME, name)));
        ByteBuffer badReserved = Commands.getName();
        badReserved.putInt(4, 1);
        ByteBuffer badReservedReadOnly = badReserved.asReadOnlyBuffer();
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(session, Commands.GET_NAME, badReservedReadOnly)),
                "GET_NAME checks its reserved field before it would write the reply");
        ByteBuffer emptyName = Commands.createSession("").asReadOnlyBuffer();
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, emptyName)),
                "the name is checked before the reply would be written");
        device.ioctl(session, Commands.PRESERVE_FD, Commands.preserveFd(fileFd, 1));

        Handover h = luo.upgrade();
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.builder().fileTable(table).build();
        next.registerHandler(STRINGS);
        next.loadIncoming(h);
        LiveUpdateDevice nextDevice = new LiveUpdateDevice(next);
        int nextDev = nextDevice.open();
        ByteBuffer retrieve = Commands.retrieveSession("ro").asReadOnlyBuffer();
        assertEquals(Errno.EFAULT, reasonOf(() -> nextDevice.ioctl(nextDev, Commands.RETRIEVE_SESSION, retrieve)));
        ByteBuffer again = Commands.retrieveSession("ro");
        nextDevice.ioctl(nextDev, Commands.RETRIEVE_SESSION, again); // not marked retrieved by the failed call
        int in = Commands.fd(again);
        int installed = table.next;
        assertEquals(Errno.EFAULT, reasonOf(() -> nextDevice.ioctl(in, Commands.RETRIEVE_FD, Commands.retrieveFd(1).asReadOnlyBuffer())));
        assertEquals(installed, table.next, "no descriptor was installed");
        assertEquals(Errno.EFAULT, reasonOf(() -> nextDevice.ioctl(in, Commands.FINISH, Commands.finish().asReadOnlyBuffer())));
        assertEquals(java.util.List.of("ro"), next.incomingSessionNames(), "not finished");
    }

    @Test
    void getNameIsDecodedAsTheSeedsTableSaysIt() {
        String name = "abcdefghij-" + "n".repeat(52); // 63 bytes
        int session = create(name);

        ByteBuffer sixteen = zeroes(32).putInt(0, 16);
        for (int i = 16; i < 32; i++) {
            sixteen.put(i, (byte) 0x5A);
        }
        device.ioctl(session, Commands.GET_NAME, sixteen);
        assertEquals("abcdefgh", Commands.name(sixteen.duplicate().limit(16)), "size 16 returns 8 bytes of the name");
        for (int i = 16; i < 32; i++) {
            assertEquals(0x5A, sixteen.get(i), "nothing past the caller's size is written");
        }

        ByteBuffer forty = zeroes(40).putInt(0, 40);
        forty.put(9, (byte) 'z').put(15, (byte) 'z'); // bytes 8..15 are copied in and ignored
        device.ioctl(session, Commands.GET_NAME, forty);
        assertEquals(name.substring(0, 32), Commands.name(forty), "size 40 returns 32 bytes");

        ByteBuffer dirty = Commands.getName();
        dirty.put(30, (byte) 1);
        assertEquals(Errno.E2BIG, reasonOf(() -> device.ioctl(session, Commands.GET_NAME, dirty)),
                "bytes past the 16 copied in must be zero: the caller clears the name buffer");

        ByteBuffer whole = Commands.getName();
        device.ioctl(session, Commands.GET_NAME, whole);
        assertEquals(name, Commands.name(whole), "size 72 with a zeroed buffer returns the whole name");
        assertEquals(0, whole.get(8 + 63), "NUL-terminated");
    }

    @Test
    void retrievingANameThatIsNotUtf8IsEnoentAndCreatingOneIsEinval() {
        ByteBuffer retrieve = Commands.retrieveSession("ab");
        retrieve.put(8, (byte) 0xFF).put(9, (byte) 0xFE);
        assertEquals(Errno.ENOENT, reasonOf(() -> device.ioctl(dev, Commands.RETRIEVE_SESSION, retrieve)),
                "no session can have that name");
        ByteBuffer create = Commands.createSession("ab");
        create.put(8, (byte) 0xFF);
        assertEquals(Errno.EINVAL, reasonOf(() -> device.ioctl(dev, Commands.CREATE_SESSION, create)),
                "luo4j's names are UTF-8: a documented deviation");
        // the builders refuse a name without an exact UTF-8 form rather than send a '?' in its place
        assertEquals(Errno.EINVAL, reasonOf(() -> Commands.createSession("a\uD800")));
        assertEquals(Errno.EINVAL, reasonOf(() -> Commands.retrieveSession("\uDC00")));
        ByteBuffer pair = Commands.createSession("\uD83D\uDE00");
        device.ioctl(dev, Commands.CREATE_SESSION, pair);
        ByteBuffer name = Commands.getName();
        device.ioctl(Commands.fd(pair), Commands.GET_NAME, name);
        assertEquals("\uD83D\uDE00", Commands.name(name));
        assertEquals(java.util.List.of(), luo.status().outgoing().stream().filter(s -> s.name().contains("?")).toList());
    }

    @Test
    void afterFinishRetrieveSessionIsEinvalUntilTheSessionIsClosedThenEnoent() {
        luo.createSession("s");
        Handover h = luo.upgrade();
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.loadIncoming(h);
        LiveUpdateDevice d = new LiveUpdateDevice(next);
        int nd = d.open();
        ByteBuffer r = Commands.retrieveSession("s");
        d.ioctl(nd, Commands.RETRIEVE_SESSION, r);
        int in = Commands.fd(r);
        d.ioctl(in, Commands.FINISH, Commands.finish());
        assertEquals(Errno.EINVAL, reasonOf(() -> d.ioctl(nd, Commands.RETRIEVE_SESSION, Commands.retrieveSession("s"))));
        d.ioctl(in, Commands.FINISH, Commands.finish()); // again: nothing to do
        ByteBuffer name = Commands.getName();
        d.ioctl(in, Commands.GET_NAME, name);
        assertEquals("s", Commands.name(name), "a finished session still answers GET_NAME");
        assertEquals(Errno.ENOENT, reasonOf(() -> d.ioctl(in, Commands.RETRIEVE_FD, Commands.retrieveFd(1))));
        d.close(in);
        assertEquals(Errno.ENOENT, reasonOf(() -> d.ioctl(nd, Commands.RETRIEVE_SESSION, Commands.retrieveSession("s"))));
    }
}
