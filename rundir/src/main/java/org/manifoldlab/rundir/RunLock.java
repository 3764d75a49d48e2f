package org.manifoldlab.rundir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process owns a run directory at a time: an OS file lock on {@code .lock} in it, which the
 * kernel releases when the owner dies (kill -9 included), so a dead owner never keeps it. The
 * lock file holds the owner's host and pid, for the message a refused second owner gets.
 *
 * <p>OS locks belong to a JVM, not a thread or actor: within one JVM (the cluster tests run
 * several nodes in one) an in-process registry refuses a second owner. On NFS, fcntl locks hold
 * across clients only where the server runs the lock manager (NFSv4, or v3 with lockd); on a
 * mount without it (nolock) the lock protects one machine only.
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE = ".lock";

    private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();
    private static final int PROBE_RETRIES = 5;

    /** The directory is owned by another process, or another owner in this one; the message names it. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the run directory, or says who holds it. */
    public static RunLock acquire(Path runDir) throws HeldException, IOException {
        Path root = runDir.toAbsolutePath().normalize();
        String self = Manifest.thisHost() + " pid " + ProcessHandle.current().pid();
        RunLock[] made = new RunLock[1];
        IOException[] failed = new IOException[1];
        HeldException[] held = new HeldException[1];
        HELD.computeIfAbsent(root, r -> {
            try {
                made[0] = lockFile(r, self);
            } catch (IOException e) {
                failed[0] = e;
            } catch (HeldException e) {
                held[0] = e;
            }
            return made[0];
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        if (held[0] != null) {
            throw held[0];
        }
        if (made[0] == null) {
            throw new HeldException(root + ": in use by another experiment of this process (" + self + ")");
        }
        return made[0];
    }

    private static RunLock lockFile(Path root, String self) throws IOException, HeldException {
        FileChannel channel = FileChannel.open(root.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock = null;
        // a few tries: isHeld, from another process, holds the lock for an instant to probe it
        for (int attempt = 0; attempt < PROBE_RETRIES && lock == null; attempt++) {
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            if (lock == null && attempt + 1 < PROBE_RETRIES) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (lock == null) {
            channel.close();
            throw new HeldException(root + ": in use by " + owner(root) + "; wait for it to end, or stop it first");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new RunLock(root, channel, lock);
    }

    /** Who the lock file names (host and pid), as written by its last owner. */
    static String owner(Path root) {
        try {
            List<String> lines = Files.readAllLines(root.resolve(FILE), StandardCharsets.UTF_8);
            return lines.isEmpty() || lines.get(0).isBlank() ? "another process" : lines.get(0).strip();
        } catch (IOException e) {
            return "another process";
        }
    }

    /**
     * Whether some process holds the directory now (this one included). It probes by taking the
     * lock for an instant, which {@link #acquire} tolerates by trying again.
     */
    public static boolean isHeld(Path runDir) {
        Path root = runDir.toAbsolutePath().normalize();
        if (HELD.containsKey(root)) {
            return true;
        }
        if (!Files.exists(root.resolve(FILE))) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(root.resolve(FILE), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The run directories this process holds now: what a signal handler names as interrupted. */
    public static List<Path> heldHere() {
        return List.copyOf(HELD.keySet());
    }

    public Path root() {
        return root;
    }

    /** Releases the directory; the lock file stays (its contents are only a hint). Idempotent. */
    @Override
    public void close() {
        if (HELD.remove(root, this)) {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the kernel drops the lock with the channel or the process in any case
            }
        }
    }
}
