package org.manifoldlab.actors.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.SpecException;
import org.manifoldlab.config.Specs;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.RunEnd;

/**
 * The checks a slot of a compute node makes of a job before it touches anything: its spec parses
 * here, it was planned by the same version of the project, and the run it names lies inside the
 * node's runs directory (a relative path that stays inside it, never the directory itself). On
 * a shared runs directory the run must also be visible here, and be a run directory or empty.
 */
final class JobAdmission {

    /** The job's spec and the run directory it names, resolved on this node. */
    record Admitted(ExperimentSpec spec, Path dir) {
    }

    /** Why a job was refused, in a sentence that names the node, the version or the path. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    private JobAdmission() {
    }

    /** @param local whether the node's runs directory is its own (the run is fetched into it), not shared */
    static Admitted admit(Jobs.RunExperiment job, String node, String version, Path runsDir, boolean local) throws Refused {
        ExperimentSpec spec;
        try {
            spec = Specs.parseOne(job.specJson(), true);
        } catch (SpecException e) {
            throw new Refused("the job's spec does not parse on " + node + ": " + e.getMessage());
        }
        if (!version.equals(spec.version())) {
            throw new Refused("the coordinator runs manifold-lab " + spec.version() + ", node " + node + " runs " + version
                    + "; every node must run the same version");
        }
        Path dir = resolve(runsDir, job.runDir());
        if (dir == null) {
            throw new Refused("refused: run " + job.runDir() + " is not a path inside this node's runs directory " + runsDir);
        }
        if (!local) {
            checkShared(spec, dir, node);
        }
        return new Admitted(spec, dir);
    }

    /** A run on the shared disk: visible from this node, and a run directory (or empty), never a foreign one. */
    private static void checkShared(ExperimentSpec spec, Path dir, String node) throws Refused {
        if (!Files.isDirectory(dir)) {
            throw new Refused("run directory " + dir + " is not visible on node " + node
                    + "; the runs directory must be shared by every node at the same path");
        }
        RunDirectory shared = new RunDirectory(dir);
        try {
            String foreign = Files.isRegularFile(shared.spec()) ? null : shared.resetRefusal(spec.name());
            if (foreign != null) {
                throw new Refused("run directory " + dir + ": " + foreign + "; the job was refused and nothing in it was touched");
            }
        } catch (IOException e) {
            throw new Refused("run directory " + dir + ": " + RunEnd.reason(e));
        }
    }

    /** The run a job names, relative to the runs directory; null when it is absolute or resolves outside it. */
    static Path resolve(Path runsDir, String run) {
        try {
            Path relative = Path.of(run);
            Path dir = runsDir.resolve(relative).normalize();
            return relative.isAbsolute() || !dir.startsWith(runsDir) || dir.equals(runsDir) ? null : dir;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
