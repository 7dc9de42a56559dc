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
 */
final class ArenaHandlers {
    static final String FLB_COMPATIBLE = "memfd-arena-v1";
    static final String REGION_COMPATIBLE = "arena-region-v1";

    private final Supplier<LiveUpdateOrchestrator> orchestrator;
    private final Flb flb;
    private final FileHandler regionHandler;
    /** The arena the process preserves regions of; the FLB carries it from the first region to the last. */
    private MemoryArena outgoingArena;

    ArenaHandlers(Supplier<LiveUpdateOrchestrator> orchestrator) {
        this.orchestrator = orchestrator;
        this.flb = Flb.builder(FLB_COMPATIBLE)
                .preserve(this::preserveArena)
                .unpreserve(args -> Libc.close(args.descriptors()[0]))
                .retrieve(this::retrieveArena)
                .finish(args -> {}) // the arena stays mapped: it belongs to the application now
                .build();
        this.regionHandler = FileHandler.builder(REGION_COMPATIBLE)
                .canPreserve((handler, file) -> file instanceof ArenaRegion)
                .identity(file -> new RegionKey(((ArenaRegion) file).arena().memfd().identity().inode(), ((ArenaRegion) file).offset()))
                .preserve(this::preserveRegion)
                .unpreserve(args -> {})
                .retrieve(this::retrieveRegion)
                .finish(args -> {})
                .build();
    }

    private record RegionKey(long arenaInode, long offset) {}

    Flb flb() {
        return flb;
    }

    FileHandler regionHandler() {
        return regionHandler;
    }

    synchronized void useArena(MemoryArena arena) {
        this.outgoingArena = arena;
    }

    private synchronized void preserveArena(FlbOpArgs args) {
        if (outgoingArena == null) {
            throw new LiveUpdateException(Errno.EINVAL, "a region is preserved but no arena was set up: create it with LiveUpdate.arena");
        }
        int reference = Libc.dupCloexec(outgoingArena.memfd().fd());
        args.setObject(outgoingArena);
        args.setDescriptors(reference);
        args.setData(HandlerState.write(out -> {
            out.writeUTF(outgoingArena.memfd().name());
            out.writeLong(outgoingArena.memfd().size());
        }));
    }

    private void retrieveArena(FlbOpArgs args) {
        String name = HandlerState.read(args.data(), FLB_COMPATIBLE, in -> {
            String n = in.readUTF();
            in.readLong();
            return n;
        });
        MemoryArena arena = MemoryArena.adopt(Memfd.adopt(name, args.descriptors()[0]));
        useArena(arena);
        args.setObject(arena);
    }

    private void preserveRegion(FileOpArgs args) {
        ArenaRegion region = (ArenaRegion) args.file();
        synchronized (this) {
            if (region.arena() != outgoingArena) {
                throw new LiveUpdateException(Errno.EINVAL, "only regions of the process's arena (LiveUpdate.arena) can be preserved");
            }
        }
        args.setSerializedData(HandlerState.write(out -> {
            out.writeLong(region.offset());
            out.writeLong(region.length());
        }));
    }

    private void retrieveRegion(FileOpArgs args) {
        long[] place = HandlerState.read(args.serializedData(), REGION_COMPATIBLE, in -> new long[] {in.readLong(), in.readLong()});
        MemoryArena arena = (MemoryArena) orchestrator.get().flbIncoming(flb);
        args.setFile(arena.region(place[0], place[1]));
    }
}
