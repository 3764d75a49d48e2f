package org.manifoldlab.rundir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.config.SpecException;
import org.manifoldlab.config.Specs;

/**
 * A sweep directory's plan, sweep.json, written before anything runs: every member's resolved
 * spec, in order, and the run directory made for it (with its spec.json). Each member's state
 * is then its run directory's own (its manifest and checkpoints), so a sweep whose coordinator
 * was killed at any moment can be finished from the plan: completed members are kept,
 * interrupted ones continue, unstarted ones start.
 */
public final class SweepPlan {

    public static final String FILE = "sweep.json";

    /** One member: its name, resolved spec, and run directory. */
    public record Member(String name, ExperimentSpec spec, Path runDir) {
    }

    private SweepPlan() {
    }

    /** Makes each member's run directory (spec.json first) under dir and writes the plan. */
    public static List<Member> write(Path dir, String name, Path specFile, List<ExperimentSpec> experiments) throws IOException {
        List<Member> members = members(dir, experiments);
        ObjectNode plan = RunDirectory.JSON.createObjectNode();
        plan.put("name", name).put("spec", specFile.toAbsolutePath().toString()).put("created", Instant.now().toString()).put("format", 1);
        ArrayNode list = plan.putArray("experiments");
        for (Member m : members) {
            ObjectNode entry = list.addObject().put("name", m.name()).put("seed", m.spec().seed());
            m.spec().settings().forEach(entry.putArray("settings")::add);
            entry.put("runDir", dir.relativize(m.runDir()).toString());
            entry.set("resolved", RunDirectory.JSON.readTree(Specs.toJson(m.spec())));
        }
        RunDirectory.writeAtomically(dir.resolve(FILE), RunDirectory.JSON.writeValueAsBytes(plan));
        return members;
    }

    /**
     * Makes each experiment's run directory under dir, its spec.json first (a directory is emptied
     * for a fresh start only when its spec.json names the experiment), without a plan file.
     */
    public static List<Member> members(Path dir, List<ExperimentSpec> experiments) throws IOException {
        Files.createDirectories(dir);
        List<Member> members = new ArrayList<>();
        for (ExperimentSpec spec : experiments) {
            RunDirectory run = RunDirectory.create(dir, spec.name());
            RunDirectory.writeAtomically(run.spec(), Specs.toJson(spec).getBytes(StandardCharsets.UTF_8));
            members.add(new Member(spec.name(), spec, run.root()));
        }
        return members;
    }

    /** The plan of a sweep directory; an IOException's message names the file and what is wrong. */
    public static List<Member> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": not a sweep directory (no " + FILE + ")");
        }
        JsonNode plan = RunDirectory.JSON.readTree(file.toFile());
        List<Member> members = new ArrayList<>();
        for (JsonNode e : plan.path("experiments")) {
            Path runDir = dir.resolve(e.path("runDir").asText()).normalize();
            if (!runDir.startsWith(dir.normalize()) || runDir.equals(dir.normalize())) {
                throw new IOException(file + ": member " + e.path("name").asText() + " names a run directory outside the sweep");
            }
            if (!e.has("resolved")) {
                throw new IOException(file + ": written before sweeps recorded their plan; it cannot be resumed");
            }
            try {
                members.add(new Member(e.path("name").asText(), Specs.parseOne(e.get("resolved").toString(), true), runDir));
            } catch (SpecException bad) {
                throw new IOException(file + ": member " + e.path("name").asText() + ": " + bad.getMessage(), bad);
            }
        }
        return members;
    }

    /** How a member ended. */
    public record Ended(String name, boolean completed, String fingerprint, String reason) {
    }

    /** Records each member's outcome (status, fingerprint, reason) beside its plan. */
    public static void record(Path dir, List<Ended> outcomes) throws IOException {
        Path file = dir.resolve(FILE);
        ObjectNode plan = (ObjectNode) RunDirectory.JSON.readTree(file.toFile());
        for (JsonNode e : plan.path("experiments")) {
            outcomes.stream().filter(o -> o.name().equals(e.path("name").asText())).findFirst().ifPresent(o -> ((ObjectNode) e)
                    .put("status", o.completed() ? Manifest.COMPLETED : Manifest.FAILED).put("fingerprint", o.fingerprint())
                    .put("reason", o.reason()));
        }
        plan.put("updated", Instant.now().toString());
        RunDirectory.writeAtomically(file, RunDirectory.JSON.writeValueAsBytes(plan));
    }
}
