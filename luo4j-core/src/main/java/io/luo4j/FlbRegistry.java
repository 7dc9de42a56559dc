package io.luo4j;

import io.luo4j.image.ImageEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered FLBs and which handlers they are linked to (the kernel's luo_flb.c). An FLB is
 * registered once globally, however many handlers it serves; each handler lists its FLBs in link
 * order. Every file a handler preserves takes a user on each of its FLBs in that order and gives them
 * back in reverse. Handlers and FLBs are keyed by the object registered, compared by reference.
 */
final class FlbRegistry {
    private final int capacity;
    /** In global registration order (the order FLBs are written to the image). */
    private final Map<ByReference<Flb>, FlbState> states = new LinkedHashMap<>();
    private final Map<String, FlbState> byCompatible = new ConcurrentHashMap<>();
    /** Each handler's FLBs in link order; read without a lock on every preserve, finish and unpreserve. */
    private final Map<ByReference<FileHandler>, List<FlbState>> links = new ConcurrentHashMap<>();

    FlbRegistry(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Links {@code flb} to {@code handler}, registering it globally on its first link. The caller has
     * checked the compatible string.
     */
    synchronized void link(FileHandler handler, Flb flb) {
        List<FlbState> linked = linkedTo(handler);
        for (FlbState state : linked) {
            if (state.flb == flb) {
                throw new LiveUpdateException(Errno.EEXIST, "FLB " + flb.compatible() + " is already registered for handler "
                        + handler.compatible());
            }
        }
        FlbState state = states.get(new ByReference<>(flb));
        if (state == null) {
            if (byCompatible.containsKey(flb.compatible())) {
                throw new LiveUpdateException(Errno.EEXIST, "another FLB is already registered as \"" + flb.compatible()
                        + "\": share that FLB object between handlers, or give this one its own compatible string");
            }
            if (states.size() >= capacity) {
                throw new LiveUpdateException(Errno.ENOSPC, capacity + " FLBs are registered, the configured maximum:"
                        + " raise Limits.maxFlbs");
            }
            state = new FlbState(flb);
            states.put(new ByReference<>(flb), state);
            byCompatible.put(flb.compatible(), state);
        }
        state.links++;
        List<FlbState> updated = new ArrayList<>(linked);
        updated.add(state);
        links.put(new ByReference<>(handler), List.copyOf(updated));
    }

    /** Unlinks {@code flb} from {@code handler}; ENOENT if it was not linked. */
    synchronized void unlink(FileHandler handler, Flb flb) {
        List<FlbState> linked = new ArrayList<>(linkedTo(handler));
        FlbState state = states.get(new ByReference<>(flb));
        if (state == null || !linked.remove(state)) {
            throw new LiveUpdateException(Errno.ENOENT, "FLB " + flb.compatible() + " is not registered for handler "
                    + handler.compatible());
        }
        links.put(new ByReference<>(handler), List.copyOf(linked));
        if (--state.links == 0) {
            states.remove(new ByReference<>(flb));
            byCompatible.remove(flb.compatible());
        }
    }

    /** Unlinks every FLB of {@code handler} (when the handler goes). */
    synchronized void unlinkAll(FileHandler handler) {
        for (FlbState state : linkedTo(handler)) {
            unlink(handler, state.flb);
        }
        links.remove(new ByReference<>(handler));
    }

    /** A file of {@code handler} is preserved: take a user on each FLB, undoing all on failure. */
    void takeUsers(FileHandler handler) {
        List<FlbState> linked = linkedTo(handler);
        for (int i = 0; i < linked.size(); i++) {
            try {
                linked.get(i).takeOutgoing();
            } catch (Throwable e) {
                for (int j = i - 1; j >= 0; j--) {
                    linked.get(j).dropOutgoing();
                }
                throw e;
            }
        }
    }

    /** A file of {@code handler} is unpreserved: give back its users, in reverse link order. */
    void dropUsers(FileHandler handler) {
        List<FlbState> linked = linkedTo(handler);
        for (int i = linked.size() - 1; i >= 0; i--) {
            linked.get(i).dropOutgoing();
        }
    }

    /** A file of {@code handler} is finished in the successor, in reverse link order. */
    void finishUsers(FileHandler handler) {
        List<FlbState> linked = linkedTo(handler);
        for (int i = linked.size() - 1; i >= 0; i--) {
            linked.get(i).putIncoming();
        }
    }

    /** The image entries of every FLB with users, in registration order. */
    synchronized List<ImageEntry> outgoingEntries(DescriptorList descriptors) {
        List<ImageEntry> entries = new ArrayList<>();
        for (FlbState state : states.values()) {
            ImageEntry entry = state.outgoingEntry(descriptors);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** Hands each registered FLB its entry from the predecessor's image; EEXIST on a repeated name. */
    synchronized void offerIncoming(List<ImageEntry> entries, int[] descriptors) {
        Map<String, ImageEntry> byName = new LinkedHashMap<>();
        for (ImageEntry entry : entries) {
            if (byName.putIfAbsent(entry.compatible(), entry) != null) {
                throw new LiveUpdateException(Errno.EEXIST, "the image names FLB " + entry.compatible() + " twice");
            }
        }
        for (FlbState state : states.values()) {
            ImageEntry entry = byName.get(state.flb.compatible());
            state.offerIncoming(entry, entry == null ? null : DescriptorList.slice(descriptors, entry));
        }
    }

    FlbState state(Flb flb) {
        FlbState state;
        synchronized (this) {
            state = states.get(new ByReference<>(flb));
        }
        if (state == null) {
            throw new LiveUpdateException(Errno.EINVAL, "FLB " + flb.compatible() + " is not registered:"
                    + " register it for its handlers first (LiveUpdateOrchestrator.registerFlb)");
        }
        return state;
    }

    synchronized List<FlbState> inOrder() {
        return List.copyOf(states.values());
    }

    /** The FLBs linked to {@code handler}, in link order; empty when none. */
    List<FlbState> linkedTo(FileHandler handler) {
        return links.getOrDefault(new ByReference<>(handler), List.of());
    }
}
