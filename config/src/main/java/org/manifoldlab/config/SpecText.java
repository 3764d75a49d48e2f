package org.manifoldlab.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns a spec's text into a tree with bounds on everything a hostile file could inflate: its
 * size, its nesting, its aliases and the nodes they expand to. JSON is strict (no trailing
 * content, no duplicate keys); YAML refuses duplicate keys too.
 */
final class SpecText {

    /** A spec is a page of settings; a sweep of hundreds of values still fits many times over. */
    static final int MAX_CHARS = 1 << 20;
    /** Nodes of the tree after aliases are expanded: far above any real spec, far below a heap. */
    static final int MAX_NODES = 100_000;
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        STRICT_JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_CHARS).maxDocumentLength(MAX_CHARS).build());
    }

    private SpecText() {
    }

    /** The tree of a JSON or YAML text; an IOException's message says what is wrong, in one line. */
    static JsonNode parse(String text, boolean json) throws IOException {
        if (text.length() > MAX_CHARS) {
            throw new IOException("the text is " + text.length() + " characters long; a spec is at most " + MAX_CHARS);
        }
        return json ? STRICT_JSON.readTree(text) : yaml(text);
    }

    /**
     * YAML through SnakeYAML's own resolver, which reads YAML's special floats (.inf, .nan)
     * that Jackson's YAML parser refuses; then to a tree like JSON's, counting every node an
     * alias expands to (a few hundred bytes of nested aliases can stand for billions of nodes).
     */
    static JsonNode yaml(String text) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CHARS);
        Object value;
        try {
            value = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new IOException(oneLine(e.getMessage()), e);
        }
        return value == null ? null : new Budget().tree(value, 0);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\n\\s*", " ").trim();
    }

    /** Builds the tree and stops at {@link #MAX_NODES}. */
    private static final class Budget {
        private final JsonNodeFactory nodes = JsonNodeFactory.instance;
        private int used;

        JsonNode tree(Object value, int depth) throws IOException {
            if (++used > MAX_NODES) {
                throw new IOException("more than " + MAX_NODES + " values once its aliases are expanded; a spec is far smaller");
            }
            if (depth > MAX_DEPTH) {
                throw new IOException("nested deeper than " + MAX_DEPTH + " levels");
            }
            if (value instanceof Map<?, ?> map) {
                ObjectNode object = nodes.objectNode();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    object.set(String.valueOf(e.getKey()), tree(e.getValue(), depth + 1));
                }
                return object;
            }
            if (value instanceof List<?> list) {
                ArrayNode array = nodes.arrayNode();
                for (Object item : list) {
                    array.add(tree(item, depth + 1));
                }
                return array;
            }
            return scalar(value);
        }

        private JsonNode scalar(Object value) {
            if (value == null) {
                return nodes.nullNode();
            }
            if (value instanceof Integer i) {
                return nodes.numberNode(i);
            }
            if (value instanceof Long l) {
                return nodes.numberNode(l);
            }
            if (value instanceof BigInteger b) {
                return nodes.numberNode(b);
            }
            if (value instanceof Double d) {
                return nodes.numberNode(d);
            }
            if (value instanceof Float f) {
                return nodes.numberNode(f.doubleValue());
            }
            if (value instanceof Boolean b) {
                return nodes.booleanNode(b);
            }
            if (value instanceof Date d) {
                return nodes.textNode(d.toInstant().toString());
            }
            if (value instanceof byte[] bytes) {
                return nodes.binaryNode(bytes);
            }
            return nodes.textNode(String.valueOf(value));
        }
    }
}
