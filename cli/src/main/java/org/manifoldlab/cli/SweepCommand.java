package org.manifoldlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.manifoldlab.actors.cluster.ClusterSettings;
import org.manifoldlab.actors.Answer;
import org.manifoldlab.actors.cluster.ClusterSweep;
import org.manifoldlab.actors.run.ExperimentScheduler;
import org.manifoldlab.actors.run.ExperimentSupervisor;
import org.manifoldlab.config.ExperimentSpec;
import org.manifoldlab.rundir.RunDirectory;
import org.manifoldlab.rundir.SweepPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab sweep SPEC}: every experiment of a sweep in one sweep directory, with an index. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the experiments of a spec's sweep section (the cartesian product of its lists) into one sweep directory, runs/<name>-sweep-<timestamp>/, which holds sweep.json: the index of its experiments.",
                "With --cluster HOST:PORT the experiments run on the compute nodes (lab node) of the cluster that seed belongs to; --runs-dir must then be a directory every node sees at the same path."})
final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC|SWEEP_DIR", description = "a YAML or JSON spec (its sweep section, if any, and the -m axes are swept); with --resume, a sweep directory")
    Path spec;

    @Option(names = "--resume", description = "finish the sweep in SWEEP_DIR: completed members are kept, interrupted ones continue from their checkpoints, the rest start")
    boolean resume;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "overrides of the spec's keys: training.epochs=3")
    List<String> overrides = new java.util.ArrayList<>();

    @Option(names = {"-m", "--multirun"}, paramLabel = "KEY=V1,V2", description = {"sweep a key over values (commas inside [] or quotes do not split): -m seed=1,2,3 -m network.widths=[500,500],[1000]"})
    List<String> multirun = new java.util.ArrayList<>();

    @Mixin
    ExperimentOptions options = new ExperimentOptions();

    @Option(names = "--tls", paramLabel = "DIR/NAME.p12", description = "with --cluster: this coordinator's key store from the cluster's CA (lab cluster init-ca, issue-cert); required unless --host is loopback")
    Path tls;

    private ClusterSettings.Tls tlsSettings;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "run on the cluster this seed node belongs to")
    String cluster;

    @Option(names = "--host", description = "with --cluster: the address this coordinator is reached by (default: ${DEFAULT-VALUE})",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "with --cluster: the port this coordinator listens on (default: any free port)", defaultValue = "0")
    int port;

    @Override
    public Integer call() throws Exception {
        String clusterProblem = cluster == null ? null : ClusterSettings.hostPortProblem("--cluster", cluster);
        if (cluster != null && clusterProblem == null) {
            clusterProblem = ClusterSettings.loopbackProblem("--host", host, "--cluster", cluster);
        }
        if (cluster != null && clusterProblem == null) {
            try {
                tlsSettings = tls == null ? null : ClusterSettings.Tls.of(tls);
                clusterProblem = ClusterSettings.openDoorProblem("--host", host, tlsSettings);
            } catch (java.io.IOException e) {
                clusterProblem = "--tls: " + e.getMessage();
            }
        }
        if (clusterProblem != null) {
            System.err.println("lab: " + clusterProblem);
            return ExitCodes.BAD_INPUT;
        }
        Path dir;
        List<SweepPlan.Member> members;
        if (resume) {
            dir = spec;
            try {
                members = SweepPlan.read(dir);
            } catch (java.io.IOException e) {
                System.err.println("lab: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            long done = members.stream().filter(SweepCommand::completed).count();
            System.err.println("lab: resuming the sweep in " + dir + ": " + done + " of " + members.size() + " completed");
        } else {
            List<ExperimentSpec> experiments = options.load(List.of(spec), overrides, multirun);
            if (experiments == null) {
                return ExitCodes.BAD_INPUT;
            }
            String name = experiments.get(0).name().replaceAll("-\\d{3}$", "");
            dir = options.runsDir.resolve(name + "-sweep-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            for (int k = 2; Files.exists(dir); k++) {
                dir = dir.resolveSibling(dir.getFileName() + "-" + k);
            }
            members = SweepPlan.write(dir, name, spec, experiments);
            System.err.println("lab: sweep of " + experiments.size() + " experiments in " + dir + " (continue it with lab sweep --resume "
                    + dir + ")");
        }
        List<ExperimentSupervisor.Outcome> outcomes;
        try {
            outcomes = cluster == null ? RunCommand.runPlanned(members, options.admission()) : onCluster(members, dir);
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("lab: " + e.getCause().getMessage());
            return ExitCodes.FAILED;
        }
        SweepPlan.record(dir, outcomes.stream().map(o -> new SweepPlan.Ended(o.name(), o.completed(), o.fingerprint(), o.reason())).toList());
        return RunCommand.exitCode(outcomes);
    }

    private static boolean completed(SweepPlan.Member m) {
        try {
            return org.manifoldlab.rundir.Manifest.COMPLETED.equals(new RunDirectory(m.runDir()).readManifest().status());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** How long the coordinator waits for its actor system to stop after the sweep: leaving the cluster takes seconds. */
    private static final int LEAVE_TIMEOUT_SECONDS = 30;

    /** Joins the cluster as its coordinator, places the experiments on its compute nodes, then leaves. */
    private List<ExperimentSupervisor.Outcome> onCluster(List<SweepPlan.Member> members, Path dir) throws Exception {
        CompletableFuture<ExperimentScheduler.AllDone> done = new CompletableFuture<>();
        // Answer watches the coordinator: one that fails or stops without an answer fails the future at once
        ActorSystem<ExperimentScheduler.AllDone> system = ActorSystem.create(Answer.of(
                replyTo -> ClusterSweep.ofPlan(members, dir.toAbsolutePath().getParent(), null, replyTo), "sweep", done),
                ClusterSettings.SYSTEM_NAME, ClusterSettings.node(host, port, List.of(cluster), List.of(ClusterSettings.COORDINATOR_ROLE), tlsSettings));
        // a coordinator that cannot join, or is downed, ends its system before the sweep ends
        system.getWhenTerminated().thenRun(() -> done.completeExceptionally(new IllegalStateException(
                "the coordinator left the cluster of " + cluster + " before the sweep ended (see the log above); "
                        + "its runs in " + dir + " continue with lab resume RUN_DIR")));
        ExperimentScheduler.AllDone all = done.get(3650, TimeUnit.DAYS);
        system.terminate(); // leaves the cluster through CoordinatedShutdown
        try {
            system.getWhenTerminated().toCompletableFuture().get(LEAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // The sweep is over and every outcome is in. Over TLS, remoting's shutdown can wait on a
            // connection its peer (a compute node that stays up) has not closed (Pekko 1.7.0 bounds
            // neither; apache/pekko#3247); that must not turn a finished sweep into a failure.
            // The process exits when the command returns.
            System.err.println("lab: the coordinator's actor system did not stop within " + LEAVE_TIMEOUT_SECONDS
                    + " s of the sweep's end (remoting still closing); the sweep's results are complete");
        }
        all.outcomes().forEach(RunCommand::print);
        return all.outcomes();
    }
}
