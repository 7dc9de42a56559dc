package io.luo4j;

import io.luo4j.image.ImageEntry;
import io.luo4j.image.ImageSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What happens to preserved files, one file set at a time (the kernel's luo_file.c). The callers
 * hold the lock of the session that owns the set.
 *
 * <p>Happy path: {@link #preserve} probes the handlers, takes the file's FLB users and runs the
 * handler's preserve; {@link #freeze} runs freeze on every file in preservation order; in the
 * successor {@link #deserialize} rebuilds the records, {@link #retrieve} runs the handler's retrieve
 * once per file, and {@link #finish} asks every file whether it can finish before finishing them all,
 * newest first.
 *
 * <p>Unhappy paths: a failed preserve leaves no trace (FLB users, identity, reference all undone);
 * a failed freeze unfreezes the files frozen before it and reports the error; a failed retrieve is
 * remembered and reported again without calling the handler; a file that cannot finish blocks the
 * whole finish (EBUSY) before anything is finished; {@link #unpreserveAll} (session closed before an
 * upgrade) undoes preserve for every file, newest first. Whatever a callback throws, an Error too,
 * these hold: the void callbacks (unpreserve, unfreeze, finish) are logged and the walk goes on.
 */
final class FileLifecycle {
    private final HandlerRegistry handlers;
    private final FlbRegistry flbs;
    private final Limits limits;
    /** Identities of every file preserved or retrieved and not yet given up, over all sessions. */
    private final Set<Object> inUse = ConcurrentHashMap.newKeySet();

    FileLifecycle(HandlerRegistry handlers, FlbRegistry flbs, Limits limits) {
        this.handlers = handlers;
        this.flbs = flbs;
        this.limits = limits;
    }

    /**
     * Preserves one file under {@code token}. Checks, in the kernel's order: token in use (EEXIST),
     * set full (ENOSPC), no file (EBADF), no handler (ENOENT), file already preserved (EBUSY); then
     * the FLBs' and the handler's preserve, whose errors pass through.
     */
    void preserve(FileSet set, String session, long token, FileSource source) {
        if (set.contains(token)) {
            throw new LiveUpdateException(Errno.EEXIST, "token " + token + " is already used in session \"" + session
                    + "\": tokens are unique within a session; pick another");
        }
        if (set.size() >= limits.maxFilesPerSession()) {
            throw new LiveUpdateException(Errno.ENOSPC, "session \"" + session + "\" holds " + set.size()
                    + " files, the configured maximum: use another session or raise Limits.maxFilesPerSession");
        }
        Object file = source.acquire();
        boolean preserved = false;
        try {
            FileHandler handler = handlers.probe(file);
            Object identity = identityOf(handler, file);
            if (!inUse.add(identity)) {
                throw new LiveUpdateException(Errno.EBUSY, "this " + file.getClass().getSimpleName() + " is already preserved"
                        + " (or not yet finished): a file can be preserved once, in one session, under one token");
            }
            try {
                flbs.takeUsers(handler);
                try {
                    set.add(runPreserve(handler, session, token, file, identity, () -> source.release(file)));
                    preserved = true;
                } finally {
                    if (!preserved) {
                        flbs.dropUsers(handler);
                    }
                }
            } finally {
                if (!preserved) {
                    inUse.remove(identity);
                }
            }
        } finally {
            if (!preserved) {
                source.release(file);
            }
        }
    }

    private PreservedFile runPreserve(FileHandler handler, String session, long token, Object file, Object identity,
            Runnable release) {
        PreservedFile record = new PreservedFile(handler, token, file, release);
        FileOpArgs args = record.args(session);
        Callbacks.run(() -> what(args, "preserve"), () -> handler.preserve(args));
        record.serializedData = args.serializedData();
        record.privateData = args.privateData();
        record.descriptors = args.descriptors();
        record.identityKey = identity;
        if (record.serializedData.length > limits.maxEntryDataBytes()) {
            FileOpArgs undo = record.args(session);
            Callbacks.runQuietly(() -> what(undo, "unpreserve"), () -> handler.unpreserve(undo));
            throw tooMuchData(handler, session, token, record.serializedData.length);
        }
        return record;
    }

    /**
     * Undoes preserve for every file, newest first; the caller drops the set afterwards. Nothing a
     * callback throws stops the walk: unpreserve and the file table's release are void.
     */
    void unpreserveAll(FileSet set, String session) {
        for (PreservedFile file : set.newestFirst()) {
            Callbacks.runQuietly(() -> what(file.handler, "unpreserve", session, file.token),
                    () -> file.handler.unpreserve(file.args(session)));
            flbs.dropUsers(file.handler);
            inUse.remove(file.identityKey);
            Callbacks.runQuietly(() -> "releasing the file of token " + file.token + " in session \"" + session + "\"",
                    file.releaseReference::run);
        }
    }

    /**
     * Freezes every file in preservation order. If one fails, the files frozen before it are
     * unfrozen (in preservation order), the failing one gets neither, later ones are never frozen,
     * and the error is thrown.
     */
    void freeze(FileSet set, String session) {
        List<PreservedFile> frozen = new ArrayList<>(set.size()); // sized: adding cannot fail half way
        for (PreservedFile file : set.inOrder()) {
            try {
                freezeOne(file, session);
            } catch (Throwable e) {
                LiveUpdateException failure = Callbacks.failure(() -> what(file.handler, "freeze", session, file.token), e);
                Callbacks.warnQuietly(() -> "freeze failed for token " + file.token + " (" + file.handler.compatible()
                        + ") in session \"" + session + "\"; unfreezing the " + frozen.size() + " files frozen before it",
                        failure);
                for (PreservedFile done : frozen) {
                    unfreezeOne(done, session);
                }
                throw failure;
            }
            frozen.add(file);
        }
    }

    private void freezeOne(PreservedFile file, String session) {
        FileOpArgs args = file.args(session);
        Callbacks.run(() -> what(args, "freeze"), () -> file.handler.freeze(args));
        file.frozenData = args.serializedData();
        file.frozenDescriptors = args.descriptors();
        file.frozen = true;
        if (file.frozenData.length > limits.maxEntryDataBytes()) {
            int size = file.frozenData.length;
            unfreezeOne(file, session);
            throw tooMuchData(file.handler, session, file.token, size);
        }
    }

    /** Unfreezes every frozen file of the set, in preservation order. */
    void unfreeze(FileSet set, String session) {
        for (PreservedFile file : set.inOrder()) {
            if (file.frozen) {
                unfreezeOne(file, session);
            }
        }
    }

    private void unfreezeOne(PreservedFile file, String session) {
        Callbacks.runQuietly(() -> what(file.handler, "unfreeze", session, file.token),
                () -> file.handler.unfreeze(file.args(session)));
        file.frozen = false;
        file.frozenData = null;
        file.frozenDescriptors = null;
    }

    /**
     * The file under {@code token}: retrieved by its handler the first time, the same object every
     * later time; a failed retrieve is reported again, without calling the handler.
     */
    Object retrieve(FileSet set, String session, long token) {
        PreservedFile file = set == null ? null : set.get(token);
        if (file == null) {
            throw new LiveUpdateException(Errno.ENOENT, "session \"" + session + "\" has no file with token " + token
                    + (set == null || set.isEmpty() ? " (it holds no files)" : ": check the token the predecessor used"));
        }
        switch (file.retrieveStatus) {
            case RETRIEVED -> {
                return file.file;
            }
            case FAILED -> throw new LiveUpdateException(file.retrieveFailure.reason(), "retrieving token " + token
                    + " of session \"" + session + "\" failed before and is not retried: " + file.retrieveFailure.detail(),
                    file.retrieveFailure);
            case NOT_ATTEMPTED -> {
                return runRetrieve(file, session);
            }
        }
        throw new AssertionError(file.retrieveStatus);
    }

    private Object runRetrieve(PreservedFile file, String session) {
        FileOpArgs args = file.args(session);
        try {
            Callbacks.run(() -> what(args, "retrieve"), () -> file.handler.retrieve(args));
            if (args.file() == null) {
                throw new LiveUpdateException(Errno.EIO, what(file.handler, "retrieve", session, file.token)
                        + " returned without setting a file: the handler must call args.setFile");
            }
        } catch (LiveUpdateException e) {
            file.retrieveStatus = RetrieveStatus.FAILED;
            file.retrieveFailure = e;
            throw e;
        }
        Object identity = identityOf(file.handler, args.file());
        file.identityKey = inUse.add(identity) ? identity : null;
        file.file = args.file();
        file.retrieveStatus = RetrieveStatus.RETRIEVED;
        return file.file;
    }

    /**
     * Finishes every file: can_finish is asked of each in preservation order first, and if any
     * says no nothing is finished (EBUSY); then finish runs newest first.
     */
    void finish(FileSet set, String session) {
        for (PreservedFile file : set.inOrder()) {
            FileOpArgs args = file.args(session);
            boolean ready = Callbacks.invoke(() -> what(args, "canFinish"), () -> file.handler.canFinish(args));
            if (!ready) {
                throw new LiveUpdateException(Errno.EBUSY, "token " + file.token + " (" + file.handler.compatible()
                        + ") of session \"" + session + "\" is not ready to finish; nothing was finished: retry later");
            }
        }
        finishAll(set, session);
    }

    /**
     * Finishes every file newest first without asking; used to finish, and to discard at the next
     * upgrade. The caller drops the set afterwards.
     */
    void finishAll(FileSet set, String session) {
        for (PreservedFile file : set.newestFirst()) {
            Callbacks.runQuietly(() -> what(file.handler, "finish", session, file.token),
                    () -> file.handler.finish(file.args(session)));
            flbs.finishUsers(file.handler);
            if (file.identityKey != null) {
                inUse.remove(file.identityKey);
            }
        }
    }

    /**
     * Rebuilds a session's files from the image: each compatible string must name a registered
     * handler (ENOENT otherwise); a token may appear once (EEXIST).
     */
    FileSet deserialize(ImageSession session, int[] received) {
        FileSet set = new FileSet();
        for (ImageEntry entry : session.files()) {
            FileHandler handler = handlers.byCompatible(entry.compatible());
            if (handler == null) {
                throw new LiveUpdateException(Errno.ENOENT, "no file handler is registered for \"" + entry.compatible()
                        + "\" (token " + entry.token() + " of session \"" + session.name() + "\"): register every handler"
                        + " the predecessor used before loading its image");
            }
            if (set.contains(entry.token())) {
                throw new LiveUpdateException(Errno.EEXIST, "the image holds token " + entry.token() + " twice in session \""
                        + session.name() + "\"");
            }
            PreservedFile file = new PreservedFile(handler, entry.token(), null, () -> {});
            file.serializedData = entry.data();
            file.descriptors = DescriptorList.slice(received, entry);
            set.add(file);
        }
        return set;
    }

    /** The image entries of a set, in preservation order, their descriptors appended to {@code descriptors}. */
    List<ImageEntry> imageEntries(FileSet set, DescriptorList descriptors) {
        List<ImageEntry> entries = new ArrayList<>(set.size());
        for (PreservedFile file : set.inOrder()) {
            int[] fds = file.descriptorsForImage();
            int first = descriptors.addAll(fds);
            entries.add(new ImageEntry(file.handler.compatible(), file.token, file.dataForImage(), first, fds.length));
        }
        return entries;
    }

    /** The handler's identity of {@code file}; a null key counts as the default, the object by reference. */
    private static Object identityOf(FileHandler handler, Object file) {
        Object key = Callbacks.invoke(() -> "file handler " + handler.compatible() + " identity", () -> handler.identity(file));
        return key == null ? new ByReference<>(file) : key;
    }

    private LiveUpdateException tooMuchData(FileHandler handler, String session, long token, int size) {
        return new LiveUpdateException(Errno.E2BIG, what(handler, "serialized data", session, token) + " is " + size
                + " bytes, over the limit of " + limits.maxEntryDataBytes()
                + ": keep bulk state in a memfd, or raise Limits.maxEntryDataBytes");
    }

    private static String what(FileHandler handler, String callback, String session, long token) {
        return "file handler " + handler.compatible() + " " + callback + " (session \"" + session + "\", token " + token + ")";
    }

    private static String what(FileOpArgs args, String callback) {
        return what(args.handler(), callback, args.sessionName(), args.token());
    }
}
