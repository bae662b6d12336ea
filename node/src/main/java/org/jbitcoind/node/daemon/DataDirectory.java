package org.jbitcoind.node.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jbitcoind.node.NodeService;
import org.jbitcoind.node.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the network's data folder, checks it is writable, and holds an exclusive lock on its
 * {@code .lock} file for as long as the node runs, so a second daemon on the same folder refuses
 * to start. The operating system drops the lock if the process dies, so a crash never leaves a
 * stale lock behind.
 */
public final class DataDirectory implements NodeService {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    static final String LOCK_FILE = ".lock";

    private final Path dir;
    private FileChannel channel;
    private FileLock lock;

    public DataDirectory(Path dir) {
        this.dir = dir;
    }

    @Override
    public String name() {
        return "data directory lock";
    }

    @Override
    public void start() throws StartupException {
        create(dir);
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this same process, e.g. a second node in one JVM
        } catch (IOException e) {
            closeChannel();
            throw new StartupException("Cannot write to data directory '" + dir + "': " + reason(e));
        }
        if (lock == null) {
            closeChannel();
            throw new StartupException("Cannot obtain a lock on data directory " + dir
                    + ". jbitcoind is probably already running.");
        }
        log.debug("Locked {}", dir.resolve(LOCK_FILE));
    }

    /** Creates the folder (and its parents) and proves a file can be written in it. */
    static void create(Path dir) throws StartupException {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".writetest", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new StartupException("Cannot write to data directory '" + dir + "': " + reason(e));
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException e) {
            log.warn("Could not release the lock on {}: {}", dir, e.toString());
        }
        closeChannel();
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            log.warn("Could not close {}: {}", dir.resolve(LOCK_FILE), e.toString());
        }
    }

    static String reason(Exception e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "it cannot be created there";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
