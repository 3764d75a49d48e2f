package org.manifoldlab.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class FetchProgressBarTest {

    @Test
    void aTerminalSeesOneLineRedrawnWithPercentSizeAndRate() {
        StringWriter text = new StringWriter();
        long[] now = {0};
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true, () -> now[0]);
        bar.started("train-images-idx3-ubyte.gz", 0, 10_000_000);
        now[0] = 1_000_000_000L;
        bar.progress(5_000_000);
        assertEquals("  train-images-idx3-ubyte.gz [###############---------------]  50%  5.0 / 10.0 MB  5.0 MB/s",
                bar.render());
        assertTrue(text.toString().contains("\r" + bar.render()), text.toString());
        bar.ended();
        assertTrue(text.toString().endsWith(System.lineSeparator()), "the finished bar keeps its line");
    }

    @Test
    void aLogGetsOneLinePerQuarterOnly() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false, () -> 0L);
        bar.started("f", 0, 1000);
        for (int i = 1; i <= 100; i++) {
            bar.progress(10L * i);
        }
        bar.ended();
        String[] lines = text.toString().split(System.lineSeparator());
        assertEquals(4, lines.length, text.toString());
        assertTrue(lines[0].contains(" 25%") && lines[3].contains("100%"), text.toString());
        assertTrue(!text.toString().contains("\r"), "no carriage returns in a log");
    }
}
