package org.manifoldlab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.manifoldlab.rundir.RunDirectory;

/**
 * Follows one events.jsonl from the offset it has read to: each {@link #poll} reads only the
 * bytes appended since, and returns the complete lines among them as events (a line still being
 * written waits for the next poll). A file that shrank or was replaced (another inode) is read
 * again from its start, and the poll says so, so its reader can forget what it built from the old
 * one. A complete line that is not a JSON object is skipped and named in the poll's problems.
 */
final class EventsTail {

    /** Larger appends are read in several polls, so one poll's memory stays bounded. */
    static final int MAX_READ = 1 << 20;

    /** What one poll found: the new events, whether the file started over, lines it could not read. */
    record Poll(List<JsonNode> events, boolean restarted, List<String> problems) {
        boolean isEmpty() {
            return events.isEmpty() && !restarted && problems.isEmpty();
        }
    }

    private final Path file;
    private long offset;
    private long line;
    private Object fileKey;
    private byte[] pending = new byte[0];

    EventsTail(Path file) {
        this.file = file;
    }

    long offset() {
        return offset;
    }

    Poll poll() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
            boolean hadOne = fileKey != null || offset > 0;
            reset(null);
            return new Poll(List.of(), hadOne, List.of());
        }
        boolean restarted = false;
        Object key = attributes.fileKey();
        if ((fileKey != null && key != null && !Objects.equals(key, fileKey)) || attributes.size() < offset) {
            reset(key);
            restarted = true;
        }
        fileKey = key;
        if (attributes.size() == offset) {
            return new Poll(List.of(), restarted, List.of());
        }
        int want = (int) Math.min(MAX_READ, attributes.size() - offset);
        ByteBuffer buffer = ByteBuffer.allocate(want);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    break;
                }
            }
        }
        int read = buffer.position();
        offset += read;
        byte[] bytes = new byte[pending.length + read];
        System.arraycopy(pending, 0, bytes, 0, pending.length);
        System.arraycopy(buffer.array(), 0, bytes, pending.length, read);
        List<JsonNode> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
                String text = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
                start = i + 1;
                if (text.isEmpty()) {
                    continue;
                }
                JsonNode event = parse(text);
                if (event == null) {
                    problems.add(file + ": line " + line + ": expected one JSON object a line, got: " + abbreviate(text));
                } else {
                    events.add(event);
                }
            }
        }
        pending = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
        return new Poll(events, restarted, problems);
    }

    private void reset(Object key) {
        offset = 0;
        line = 0;
        pending = new byte[0];
        fileKey = key;
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = RunDirectory.JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
