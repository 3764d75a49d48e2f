package org.manifoldlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that once cost far more than a bad spec should: each is refused with one message
 * naming what is wrong. The timeout is a wide backstop against a hang (a bad spec takes
 * milliseconds), not a measurement.
 */
class HostileSpecTest {

    private static final Duration BACKSTOP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private String refusal(String fileName, String text) {
        return refusal(fileName, text, false);
    }

    private String refusal(String fileName, String text, boolean confirmed) {
        return assertTimeoutPreemptively(BACKSTOP, () -> {
            Path file = dir.resolve(fileName);
            Files.writeString(file, text);
            SpecException e = assertThrows(SpecException.class, () -> Specs.load(file, s -> null, confirmed));
            assertEquals(1, e.problems().size(), "one message: " + e.problems());
            return e.getMessage();
        });
    }

    @Test
    void aliasBombUnderTheAliasLimitIsRefusedByItsExpandedSize() {
        StringBuilder yaml = new StringBuilder("name: bomb\nx0: &a0 [lol, lol]\n");
        for (int level = 1; level <= 24; level++) {  // 48 aliases, 2^24 values once expanded
            yaml.append("x").append(level).append(": &a").append(level).append(" [*a").append(level - 1)
                    .append(", *a").append(level - 1).append("]\n");
        }
        String message = refusal("bomb.yaml", yaml.toString());
        assertTrue(message.contains("aliases are expanded"), message);
    }

    @Test
    void duplicateKeysAreRefusedInJsonAndYaml() {
        assertTrue(refusal("dup.json", "{\"name\": \"a\", \"seed\": 1, \"seed\": 2}").contains("Duplicate field 'seed'"));
        String yaml = refusal("dup.yaml", "name: a\nseed: 1\nseed: 2\n");
        assertTrue(yaml.contains("duplicate key seed"), yaml);
    }

    @Test
    void jsonWithTrailingContentIsRefused() {
        String message = refusal("trailing.json", "{\"name\": \"a\"} {\"seed\": 3}");
        assertTrue(message.contains("not valid JSON") && message.contains("Trailing token"), message);
    }

    @Test
    void anEmptySpecIsRefusedWithAHint() {
        for (String text : new String[] {"", "# only a comment\n", "{}"}) {
            String message = refusal(text.equals("{}") ? "empty.json" : "empty.yaml", text);
            assertTrue(message.contains("the spec is empty") && message.contains("name: my-run"), message);
        }
    }

    @Test
    void aHugeValueIsQuotedInAtMostEightyCharactersAndAHugeFileIsNotRead() {
        String message = refusal("long.yaml", "name: a\nseed: " + "x".repeat(500_000) + "\n");
        assertTrue(message.length() < 300 && message.contains("(500002 characters)"), message);
        String file = refusal("huge.yaml", "name: a\nseed: " + "x".repeat(10 * 1024 * 1024) + "\n");
        assertTrue(file.contains("a spec file is at most"), file);
    }

    private static String values(int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i <= to; i++) {
            out.append(i == from ? "" : ", ").append(i);
        }
        return "[" + out + "]";
    }

    @Test
    void aSweepOfAMillionNeedsConfirmationAndAnOverflowingOneIsRefused() {
        String million = refusal("million.yaml", "name: big\nsweep:\n  seed: " + values(1, 1000) + "\n  data.probeSamples: "
                + values(1, 1000) + "\n");
        assertTrue(million.contains("1000 x 1000 = 1000000") && million.contains("--yes"), million);
        String cube = "name: cube\nsweep:\n  seed: " + values(1, 1300) + "\n  data.probeSamples: " + values(1, 1300)
                + "\n  training.epochs: " + values(1, 1300) + "\n";
        String overflow = refusal("cube.yaml", cube, true);
        assertTrue(overflow.contains("1300 x 1300 x 1300 = 2197000000") && overflow.contains("at most 1000000"), overflow);
    }

    @Test
    void infinityIsRefusedWhereItMakesNoSense() {
        assertTrue(refusal("scale.yaml", "name: a\nnetwork: {readoutScale: .inf}\n").contains("network.readoutScale: expected a positive finite number, got .inf"));
        assertTrue(refusal("eps.yaml", "name: a\ntraining: {optimizer: {epsilon: .inf}}\n").contains("training.optimizer.epsilon"));
        assertTrue(refusal("step.yaml", "name: a\nattacks: {pgd: {stepSize: .inf}}\n").contains("attacks.pgd.stepSize"));
    }

    @Test
    void aDirectoryGivenAsASpecIsNamed() {
        SpecException e = assertThrows(SpecException.class, () -> Specs.load(dir, s -> null));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }
}
