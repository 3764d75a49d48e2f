package org.manifoldlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.actors.run.Admission;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.SpecException;
import org.manifoldlab.config.Specs;
import org.manifoldlab.core.data.DataSources;
import picocli.CommandLine.Option;

/** The options every command that runs experiments shares, and reading its spec files. */
final class ExperimentOptions {

    @Option(names = "--runs-dir", description = "where run (or sweep) directories go (default: ${DEFAULT-VALUE})", defaultValue = "runs")
    Path runsDir;

    @Option(names = "--max-concurrent", description = "exactly this many experiments at once (default: up to one per core, while their working sets fit the shared cache together)")
    Integer maxConcurrent;

    @Option(names = "--seed", description = "override every experiment's seed")
    Long seed;

    Admission admission() {
        return maxConcurrent != null ? Admission.fixed(maxConcurrent) : Admission.automatic();
    }

    /**
     * Reads and validates every spec file, the options too. Returns the experiments, or null after
     * printing every problem (then nothing may run and no run directory be created).
     */
    List<ExperimentSpec> load(List<Path> specs) {
        List<ExperimentSpec> experiments = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : specs) {
            try {
                for (ExperimentSpec e : Specs.load(file, DataSources::problem).experiments()) {
                    experiments.add((seed != null ? e.withSeed(seed) : e).withVersion(Version.current()));
                }
            } catch (SpecException e) {
                problems.addAll(e.problems());
            }
        }
        if (maxConcurrent != null && maxConcurrent < 1) {
            problems.add("--max-concurrent: expected a positive integer, got " + maxConcurrent);
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("lab: " + p));
            return null;
        }
        return experiments;
    }
}
