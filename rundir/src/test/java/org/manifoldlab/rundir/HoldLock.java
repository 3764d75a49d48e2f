package org.manifoldlab.rundir;

import java.nio.file.Path;

/** Holds a run directory's lock in a process of its own until killed or its stdin closes: a second owner for tests. */
public final class HoldLock {

    private HoldLock() {
    }

    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]))) {
            System.out.println("held " + lock.root());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close stdin or kill this process
            }
        }
    }
}
