package org.manifoldlab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.actors.run.Admission;
import org.manifoldlab.actors.run.Preflight;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.Overrides;
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

    @Option(names = "--yes", description = "run a sweep of more than 10,000 experiments")
    boolean yes;

    @Option(names = "--verbose", description = "show stack traces on the console too (they always go to each run's lab.log)")
    boolean verbose;

    /** The shape of each data source the specs name, read once per source while the specs are checked. */
    private final Map<String, DataSources.Shape> shapes = new HashMap<>();
    private final Map<String, String> dataProblems = new HashMap<>();

    Admission admission() {
        return (maxConcurrent != null ? Admission.fixed(maxConcurrent) : Admission.automatic()).withShapes(shapes);
    }

    /** Reads a data source whole, once, with every check a run makes: its problem, or null. */
    private String dataProblem(String source, double testFraction) {
        return dataProblems.computeIfAbsent(source, s -> {
            String missing = DataSources.problem(s);
            if (missing != null) {
                return missing;
            }
            try {
                shapes.put(s, DataSources.inspect(s, 1, testFraction));
                return null;
            } catch (IOException e) {
                return e.getMessage();
            }
        });
    }

    /**
     * Reads and validates every spec file, the options too. Returns the experiments, or null after
     * printing every problem (then nothing may run and no run directory be created).
     */
    List<ExperimentSpec> load(List<Path> specs) {
        return load(specs, List.of(), List.of());
    }

    /**
     * As {@link #load(List)}, with key=value overrides and key=v1,v2 multirun axes applied to
     * every spec file.
     */
    List<ExperimentSpec> load(List<Path> specs, List<String> overrideArguments, List<String> multirunArguments) {
        List<ExperimentSpec> experiments = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Overrides overrides = Overrides.NONE;
        try {
            overrides = Overrides.parse(overrideArguments, multirunArguments);
        } catch (SpecException e) {
            problems.addAll(e.problems());
        }
        for (Path file : problems.isEmpty() ? specs : List.<Path>of()) {
            try {
                for (ExperimentSpec e : Specs.load(file, source -> dataProblem(source, 0.2), yes, overrides).experiments()) {
                    experiments.add((seed != null ? e.withSeed(seed) : e).withVersion(Version.current()));
                }
            } catch (SpecException e) {
                problems.addAll(e.problems());
            }
        }
        if (maxConcurrent != null && maxConcurrent < 1) {
            problems.add("--max-concurrent: expected a positive integer, got " + maxConcurrent);
        }
        if (problems.isEmpty()) {
            Preflight.Result preflight = Preflight.check(experiments, runsDir, shapes, Preflight.processMemoryBytes());
            problems.addAll(preflight.problems());
            preflight.warnings().forEach(w -> System.err.println("lab: warning: " + w));
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("lab: " + p));
            return null;
        }
        return experiments;
    }
}
