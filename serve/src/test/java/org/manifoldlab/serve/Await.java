package org.manifoldlab.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * Waiting for something the test does not drive (a page, a child process, a catalog that lists a
 * directory once a second), as the other modules' tests wait: a testkit probe's awaitAssert,
 * which polls the assertion at an interval and fails at the deadline with the last failure.
 * One actor system for the serve tests' JVM, made on first use.
 */
final class Await {

    /** An assertion that may do I/O. */
    interface Check {
        void run() throws Exception;
    }

    private static final class Kit {
        static final ActorTestKit KIT = ActorTestKit.create("serve-tests");
    }

    private Await() {
    }

    /** Polls check every interval until it passes; after max, throws its last AssertionError (or exception). */
    static void until(Duration max, Duration interval, Check check) {
        Kit.KIT.createTestProbe().awaitAssert(max, interval, () -> {
            try {
                check.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }
}
