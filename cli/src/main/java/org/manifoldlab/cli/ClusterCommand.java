package org.manifoldlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.manifoldlab.actors.cluster.ClusterCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab cluster init-ca DIR} and {@code lab cluster issue-cert DIR NAME}: the cluster's own certificates, for TLS with mutual authentication. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Make the cluster's certificates: a CA of its own (init-ca), then one key store per node and coordinator (issue-cert).",
                "Give each its key store with --tls DIR/NAME.p12; a peer without a certificate from this CA cannot connect. Keep DIR private."},
        subcommands = {ClusterCommand.InitCa.class, ClusterCommand.IssueCert.class})
final class ClusterCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "init-ca", mixinStandardHelpOptions = true,
            description = "Make a new certificate authority in DIR: ca.p12, ca.pem, truststore.p12 and the stores' password (readable by its owner only).")
    static final class InitCa implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "a directory for the cluster's certificates")
        Path dir;

        @Override
        public Integer call() {
            try {
                ClusterCertificates.initCa(dir);
                System.out.println("a CA in " + dir + "; now: lab cluster issue-cert " + dir + " NAME, for each node and the coordinator");
                return ExitCodes.OK;
            } catch (java.io.IOException e) {
                System.err.println("lab: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        }
    }

    @Command(name = "issue-cert", mixinStandardHelpOptions = true,
            description = "Issue DIR/NAME.p12: a key and a certificate the cluster's CA signed, for a node or a coordinator (--tls DIR/NAME.p12).")
    static final class IssueCert implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "the directory lab cluster init-ca made")
        Path dir;

        @Parameters(index = "1", paramLabel = "NAME", description = "the node's name, e.g. its host name")
        String name;

        @Override
        public Integer call() {
            try {
                System.out.println(ClusterCertificates.issue(dir, name));
                return ExitCodes.OK;
            } catch (java.io.IOException e) {
                System.err.println("lab: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        }
    }
}
