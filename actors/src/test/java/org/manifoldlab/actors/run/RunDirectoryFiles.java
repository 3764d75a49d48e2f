package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.manifoldlab.rundir.RunLock;

/** Run directories in tests: their metrics files (to compare two runs byte for byte), copies, and resuming one. */
final class RunDirectoryFiles {

    private RunDirectoryFiles() {
    }

    static Map<String, String> metrics(Path runDir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (var files = Files.list(runDir.resolve("metrics"))) {
            for (Path p : files.sorted().toList()) {
                out.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return out;
    }

    /** The one run directory under runs (fails when there is not exactly one). */
    static Path onlyRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> all = s.toList();
            if (all.size() != 1) {
                throw new AssertionError("expected one run directory in " + runs + ", found " + all);
            }
            return all.get(0);
        }
    }

    /** A copy of a run directory, without its lock file. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                }
            }
        }
    }

    /** Resumes a run directory as lab resume does and waits for its outcome. */
    static ExperimentSupervisor.Outcome resume(ActorTestKit kit, Path runDir) throws Exception {
        RunLock lock = RunLock.acquire(runDir);
        Resume.Plan plan = Resume.prepare(runDir, "");
        TestProbe<ExperimentSupervisor.Outcome> outcome = kit.createTestProbe();
        kit.spawn(ExperimentSupervisor.resume(plan.spec(), plan.run(), plan.checkpoint(), outcome.getRef(), lock));
        return outcome.expectMessageClass(ExperimentSupervisor.Outcome.class, Duration.ofMinutes(3));
    }
}
