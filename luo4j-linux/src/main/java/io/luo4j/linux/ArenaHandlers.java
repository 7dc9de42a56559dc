package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.FileHandler;
import io.luo4j.FileOpArgs;
import io.luo4j.Flb;
import io.luo4j.FlbOpArgs;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.linux.internal.Libc;
import java.util.function.Supplier;

/**
 * The arena's FLB ({@code memfd-arena-v1}) and the handler of its regions ({@code arena-region-v1}).
 *
 * <p>Predecessor: preserving the first region preserves the FLB, which takes its own duplicate of the
 * arena's memfd and sends it; each region records only its offset and length. Successor: the first
 * region retrieved asks for the incoming FLB, whose retrieve maps the received memfd as the arena;
 * every region is then a slice of it. The FLB finishes with the last region, and the arena then
 * belongs to the application.
 *
 * <p>The two share the process's arena, so they live together here: {@link ArenaFlb} and
 * {@link RegionHandler}, one instance of each per orchestrator.
 */
final class ArenaHandlers {
    static final String FLB_COMPATIBLE = "memfd-arena-v1";
    static final String REGION_COMPATIBLE = "arena-region-v1";

    private final Supplier<LiveUpdateOrchestrator> orchestrator;
    private final ArenaFlb flb = new ArenaFlb();
    private final RegionHandler regionHandler = new RegionHandler();
    /** The arena the process preserves regions of; the FLB carries it from the first region to the last. */
    private MemoryArena outgoingArena;

    /** Handlers for the arena of {@code orchestrator}'s process; the region handler asks it for the incoming FLB. */
    ArenaHandlers(Supplier<LiveUpdateOrchestrator> orchestrator) {
        this.orchestrator = orchestrator;
    }

    /** The inode of the arena's memfd and where the region starts: one region, however many objects name it. */
    private record RegionKey(long arenaInode, long offset) {}

    /** The arena's FLB, to register for {@link #regionHandler()}. */
    Flb flb() {
        return flb;
    }

    /** The handler of the arena's regions. */
    FileHandler regionHandler() {
        return regionHandler;
    }

    /** The arena whose regions this process preserves (in a successor, the one the FLB retrieved). */
    synchronized void useArena(MemoryArena arena) {
        this.outgoingArena = arena;
    }

    private synchronized MemoryArena outgoingArena() {
        return outgoingArena;
    }

    /**
     * {@code memfd-arena-v1}: the arena's memfd, preserved with the first region and sent once, as
     * a duplicate of its descriptor, with its name and size.
     */
    private final class ArenaFlb implements Flb {

        /** {@value ArenaHandlers#FLB_COMPATIBLE}. */
        @Override
        public String compatible() {
            return FLB_COMPATIBLE;
        }

        /** Sends a duplicate of the arena's memfd, with its name and size. */
        @Override
        public void preserve(FlbOpArgs args) {
            synchronized (ArenaHandlers.this) {
                if (outgoingArena == null) {
                    throw new LiveUpdateException(Errno.EINVAL, "a region is preserved but no arena was set up: create it with LiveUpdate.arena");
                }
                int reference = Libc.dupCloexec(outgoingArena.memfd().fd());
                args.setObject(outgoingArena);
                args.setDescriptors(reference);
                args.setSerializedData(HandlerState.write(out -> {
                    out.writeUTF(outgoingArena.memfd().name());
                    out.writeLong(outgoingArena.memfd().size());
                }));
            }
        }

        /** Closes the duplicate preserve took. */
        @Override
        public void unpreserve(FlbOpArgs args) {
            Libc.close(args.descriptors()[0]);
        }

        /** Maps the received memfd as the arena, which becomes this process's arena too. */
        @Override
        public void retrieve(FlbOpArgs args) {
            String name = HandlerState.read(args.serializedData(), FLB_COMPATIBLE, in -> {
                String n = in.readUTF();
                in.readLong();
                return n;
            });
            MemoryArena arena = MemoryArena.adopt(Memfd.adopt(name, args.descriptors()[0]));
            useArena(arena);
            args.setObject(arena);
        }

        /** Nothing: the arena stays mapped, it belongs to the application now. */
        @Override
        public void finish(FlbOpArgs args) {}
    }

    /**
     * {@code arena-region-v1}: a region of the process's arena travels as its offset and length; no
     * descriptor of its own (the FLB carries the arena's).
     */
    private final class RegionHandler implements FileHandler {

        /** {@value ArenaHandlers#REGION_COMPATIBLE}. */
        @Override
        public String compatible() {
            return REGION_COMPATIBLE;
        }

        /** Any {@link ArenaRegion}; preserve refuses one of another arena. */
        @Override
        public boolean canPreserve(Object file) {
            return file instanceof ArenaRegion;
        }

        /** The arena's inode and the region's offset. */
        @Override
        public Object identity(Object file) {
            ArenaRegion region = (ArenaRegion) file;
            return new RegionKey(region.arena().memfd().inode(), region.offset());
        }

        /** Records offset and length; EINVAL for a region of another arena than the process's. */
        @Override
        public void preserve(FileOpArgs args) {
            ArenaRegion region = (ArenaRegion) args.file();
            if (region.arena() != outgoingArena()) {
                throw new LiveUpdateException(Errno.EINVAL, "only regions of the process's arena (LiveUpdate.arena) can be preserved");
            }
            args.setSerializedData(HandlerState.write(out -> {
                out.writeLong(region.offset());
                out.writeLong(region.length());
            }));
        }

        /** Nothing: a region holds no resource of its own. */
        @Override
        public void unpreserve(FileOpArgs args) {}

        /** The region of the incoming arena, which the FLB retrieves on the first call. */
        @Override
        public void retrieve(FileOpArgs args) {
            long[] place = HandlerState.read(args.serializedData(), REGION_COMPATIBLE, in -> new long[] {in.readLong(), in.readLong()});
            MemoryArena arena = (MemoryArena) orchestrator.get().flbIncoming(flb);
            args.setFile(arena.region(place[0], place[1]));
        }

        /** Nothing: the region belongs to the application, and the arena goes with the FLB. */
        @Override
        public void finish(FileOpArgs args) {}
    }
}
