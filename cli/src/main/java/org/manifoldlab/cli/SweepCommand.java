package org.manifoldlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.manifoldlab.actors.run.ExperimentScheduler;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.actors.run.RunDirectory;
import org.manifoldlab.config.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab sweep SPEC}: every experiment of a sweep in one sweep directory, with an index. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the experiments of a spec's sweep section (the cartesian product of its lists) into one",
                "sweep directory, runs/<name>-sweep-<timestamp>/, which holds sweep.json: the index of its experiments."})
final class SweepCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC", description = "a YAML or JSON spec with a sweep section")
    Path spec;

    @Option(names = "--runs-dir", description = "where the sweep directory goes (default: ${DEFAULT-VALUE})", defaultValue = "runs")
    Path runsDir;

    @Option(names = "--max-concurrent", description = "experiments running at once (default: cores / 2, at least 1)")
    Integer maxConcurrent;

    @Option(names = "--seed", description = "override every experiment's seed")
    Long seed;

    @Override
    public Integer call() throws Exception {
        List<ExperimentSpec> experiments = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        RunCommand.load(List.of(spec), seed, experiments, problems);
        if (maxConcurrent != null && maxConcurrent < 1) {
            problems.add("--max-concurrent: expected a positive integer, got " + maxConcurrent);
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("lab: " + p));
            return Lab.BAD_INPUT;
        }
        String name = experiments.get(0).name().replaceAll("-\\d{3}$", "");
        Path dir = runsDir.resolve(name + "-sweep-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (int k = 2; Files.exists(dir); k++) {
            dir = dir.resolveSibling(dir.getFileName() + "-" + k);
        }
        Files.createDirectories(dir);
        ObjectNode index = RunDirectory.JSON.createObjectNode();
        index.put("name", name).put("spec", spec.toAbsolutePath().toString()).put("created", java.time.Instant.now().toString());
        ArrayNode list = index.putArray("experiments");
        for (ExperimentSpec e : experiments) {
            list.addObject().put("name", e.name()).put("seed", e.seed());
        }
        RunDirectory.writeAtomically(dir.resolve("sweep.json"), RunDirectory.JSON.writeValueAsBytes(index));
        System.err.println("lab: sweep of " + experiments.size() + " experiments in " + dir);
        List<ExperimentSupervisor.Outcome> outcomes = RunCommand.runAll(experiments, dir,
                maxConcurrent != null ? maxConcurrent : ExperimentScheduler.defaultMaxConcurrent());
        list.removeAll();
        for (ExperimentSupervisor.Outcome o : outcomes) {
            ExperimentSpec e = experiments.stream().filter(x -> x.name().equals(o.name())).findFirst().orElseThrow();
            list.addObject().put("name", o.name()).put("seed", e.seed()).put("runDir", dir.relativize(o.runDir()).toString())
                    .put("status", o.completed() ? "completed" : "failed").put("fingerprint", o.fingerprint()).put("reason", o.reason());
        }
        RunDirectory.writeAtomically(dir.resolve("sweep.json"), RunDirectory.JSON.writeValueAsBytes(index));
        return RunCommand.exitCode(outcomes);
    }
}
