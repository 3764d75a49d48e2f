package org.manifoldlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.actors.run.RunDirectory;
import org.manifoldlab.config.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lab sweep SPEC}: every experiment of a sweep in one sweep directory, with an index. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the experiments of a spec's sweep section (the cartesian product of its lists) into one",
                "sweep directory, runs/<name>-sweep-<timestamp>/, which holds sweep.json: the index of its experiments."})
final class SweepCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC", description = "a YAML or JSON spec with a sweep section")
    Path spec;

    @Mixin
    ExperimentOptions options = new ExperimentOptions();

    @Override
    public Integer call() throws Exception {
        List<ExperimentSpec> experiments = options.load(List.of(spec));
        if (experiments == null) {
            return Lab.BAD_INPUT;
        }
        String name = experiments.get(0).name().replaceAll("-\\d{3}$", "");
        Path dir = options.runsDir.resolve(name + "-sweep-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
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
        List<ExperimentSupervisor.Outcome> outcomes = RunCommand.runAll(experiments, dir, options.admission());
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
