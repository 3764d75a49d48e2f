package org.manifoldlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsTailTest {

    @TempDir
    Path dir;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> types(EventsTail.Poll poll) {
        return poll.events().stream().map(e -> e.path("type").asText()).toList();
    }

    @Test
    void readsOnlyWhatWasAppendedAndWaitsForAnUnfinishedLine() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventsTail tail = new EventsTail(file);
        assertTrue(tail.poll().isEmpty(), "no file yet: nothing, and no restart");
        append(file, "{\"type\":\"a\"}\n{\"type\":\"b\"}\n{\"type\":\"c\",\"x\":");
        EventsTail.Poll first = tail.poll();
        assertEquals(List.of("a", "b"), types(first));
        assertFalse(first.restarted());
        assertEquals(Files.size(file), tail.offset(), "the unfinished line's bytes are read once and kept");
        assertTrue(tail.poll().isEmpty());
        append(file, "1}\n{\"type\":\"d\"}\n");
        assertEquals(List.of("c", "d"), types(tail.poll()));
    }

    @Test
    void aFileThatShrankOrWasReplacedIsReadFromItsStart() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventsTail tail = new EventsTail(file);
        append(file, "{\"type\":\"a\"}\n{\"type\":\"b\"}\n");
        assertEquals(List.of("a", "b"), types(tail.poll()));
        Files.writeString(file, "{\"type\":\"x\"}\n");  // truncated and rewritten: shorter than the offset
        EventsTail.Poll shrank = tail.poll();
        assertTrue(shrank.restarted());
        assertEquals(List.of("x"), types(shrank));
        Path other = dir.resolve("new.jsonl");
        Files.writeString(other, "{\"type\":\"y\"}\n{\"type\":\"z\"}\n{\"type\":\"w\"}\n");
        Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);  // another inode, longer than before
        EventsTail.Poll replaced = tail.poll();
        assertTrue(replaced.restarted());
        assertEquals(List.of("y", "z", "w"), types(replaced));
        Files.delete(file);
        assertTrue(tail.poll().restarted(), "a file that went is a restart too");
        append(file, "{\"type\":\"again\"}\n");
        assertEquals(List.of("again"), types(tail.poll()));
    }

    @Test
    void aLineThatIsNotAJsonObjectIsNamedAndSkipped() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventsTail tail = new EventsTail(file);
        append(file, "{\"type\":\"a\"}\nnot json at all\n[1,2]\n{\"type\":\"b\"}\n");
        EventsTail.Poll poll = tail.poll();
        assertEquals(List.of("a", "b"), types(poll));
        assertEquals(2, poll.problems().size());
        assertTrue(poll.problems().get(0).contains(file + ": line 2: expected one JSON object a line"), poll.problems().get(0));
        assertTrue(poll.problems().get(1).contains("line 3"), poll.problems().get(1));
    }

    @Test
    void aLargeAppendIsReadInBoundedPieces() throws Exception {
        Path file = dir.resolve("events.jsonl");
        StringBuilder text = new StringBuilder();
        int lines = 0;
        while (text.length() < 3 * EventsTail.MAX_READ) {
            text.append("{\"type\":\"progress\",\"n\":").append(lines++).append(",\"pad\":\"").append("x".repeat(200)).append("\"}\n");
        }
        append(file, text.toString());
        EventsTail tail = new EventsTail(file);
        int seen = 0;
        int polls = 0;
        for (EventsTail.Poll p = tail.poll(); !p.isEmpty(); p = tail.poll()) {
            for (var e : p.events()) {
                assertEquals(seen++, e.path("n").asInt(), "in order, none lost or doubled");
            }
            polls++;
        }
        assertEquals(lines, seen);
        assertTrue(polls >= 3, "read in pieces of at most " + EventsTail.MAX_READ + " bytes: " + polls + " polls");
    }
}
