package org.manifoldlab.cli.data;

import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;

/** The text of {@code lab data info}. */
final class InfoReport {

    private InfoReport() {
    }

    /**
     * Prints the inventory; returns how many files differ from the checksums recorded in a PROVENANCE
     * ({@code recorded} is empty when there is none).
     */
    static int print(PrintWriter out, String source, String where, IdxInventory.Inventory inv,
                     Map<String, String> recorded, double defaultTestFraction) {
        IdxInventory.SplitStats first = inv.splits().get(0);
        out.printf("source    %s  (%s)%n", source, where);
        if (inv.ownSplit()) {
            out.println("layout    its own split: train-* and t10k-* files");
        } else {
            int all = first.count();
            long test = Math.round(defaultTestFraction * all);
            out.printf("layout    one set, split when loaded by data.testFraction (default %s: %d train, %d test)%n",
                    defaultTestFraction, all - test, test);
        }
        out.printf("samples   %s%n", inv.splits().stream().map(s -> s.split() + " " + s.count())
                .collect(Collectors.joining(", ")));
        out.printf("image     %d x %d pixels (%d features)%n", first.rows(), first.cols(), first.rows() * first.cols());
        int min = inv.splits().stream().mapToInt(IdxInventory.SplitStats::minPixel).min().orElse(0);
        int max = inv.splits().stream().mapToInt(IdxInventory.SplitStats::maxPixel).max().orElse(0);
        String perSplit = inv.splits().size() < 2 ? "" : inv.splits().stream()
                .map(s -> s.split() + " " + s.minPixel() + ".." + s.maxPixel()).collect(Collectors.joining(", ", " (", ")"));
        out.printf("pixels    %d..%d%s; loading scales them by 1/255 into [0, 1]%n", min, max, perSplit);
        out.printf("classes   %d (labels 0..%d)%n", inv.classes(), inv.classes() - 1);
        out.println();
        printClassCounts(out, inv);
        out.println();
        return printFiles(out, inv, recorded);
    }

    private static void printClassCounts(PrintWriter out, IdxInventory.Inventory inv) {
        StringBuilder header = new StringBuilder(String.format("%5s", "label"));
        inv.splits().forEach(s -> header.append(String.format("  %8s", s.split())));
        out.println(header);
        for (int c = 0; c < inv.classes(); c++) {
            StringBuilder row = new StringBuilder(String.format("%5d", c));
            for (IdxInventory.SplitStats s : inv.splits()) {
                row.append(String.format("  %8d", c < s.perClass().length ? s.perClass()[c] : 0));
            }
            out.println(row);
        }
        StringBuilder total = new StringBuilder(String.format("%5s", "total"));
        inv.splits().forEach(s -> total.append(String.format("  %8d", s.count())));
        out.println(total);
    }

    private static int printFiles(PrintWriter out, IdxInventory.Inventory inv, Map<String, String> recorded) {
        int width = inv.files().stream().mapToInt(f -> f.name().length()).max().orElse(4);
        out.printf("%-" + width + "s  %10s  %s%n", "file", "bytes",
                recorded.isEmpty() ? "sha256" : String.format("%-64s  PROVENANCE", "sha256"));
        int mismatches = 0;
        for (IdxInventory.FileEntry f : inv.files()) {
            String check = "";
            if (!recorded.isEmpty()) {
                String want = recorded.get(f.name());
                if (want == null) {
                    check = "  not listed";
                } else if (want.equals(f.sha256())) {
                    check = "  ok";
                } else {
                    check = "  DIFFERS: recorded " + want;
                    mismatches++;
                }
            }
            out.printf("%-" + width + "s  %10d  %s%s%n", f.name(), f.bytes(), f.sha256(), check);
        }
        return mismatches;
    }
}
