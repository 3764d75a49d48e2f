package org.manifoldlab.cli;

import java.util.concurrent.Callable;
import org.manifoldlab.bench.Suite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lab bench [--quick]}: the benchmark suite, one table at the end (docs/PERFORMANCE.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure every hot path in one run and print one table: the gemm ceiling, training throughput (plain loop, actor pipeline with 1, 2 and 5 groups, and the PyTorch peer on the same network and data when python3-torch is installed), one layer's spectrum against numpy, the attack grid, PGD, 4 experiments at once against in a row, and the peak memory of the default run.",
                "Takes about 10 minutes (--quick: about 4, batch 64 only, no memory run). Run it on an otherwise idle machine."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "fewer repeats, batch 64 only, no peak-memory run")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        new Suite(quick, System.out).run();
        return ExitCodes.OK;
    }
}
