package org.manifoldlab.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a JSON/YAML tree to the spec records. A missing key takes the default record's value;
 * an unknown key, a wrong type or a bad enum value is recorded (with the field path and the
 * closest known key) and binding goes on, so one pass reports every problem.
 */
final class SpecBinder {

    private final Validation errors;

    SpecBinder(Validation errors) {
        this.errors = errors;
    }

    @SuppressWarnings("unchecked")
    <T extends Record> T bindRecord(JsonNode node, Class<T> type, T defaults, String path) {
        if (!node.isObject()) {
            errors.error(path.isEmpty() ? "(top level)" : path, "a mapping of " + keys(type), node);
            return defaults;
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> known = Arrays.stream(components).map(RecordComponent::getName).toList();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String suggestion = closest(key, known);
                errors.raw(join(path, key) + ": unknown key" + (suggestion != null ? "; did you mean '" + suggestion + "'?"
                        : "; known keys: " + String.join(", ", known)));
            }
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            Object fallback = read(c, defaults);
            JsonNode child = node.get(c.getName());
            values[i] = child == null ? fallback : convert(child, c.getGenericType(), fallback, join(path, c.getName()));
        }
        try {
            Constructor<T> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object convert(JsonNode node, Type type, Object fallback, String path) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == int.class || raw == Integer.class) {
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return node.intValue();
            }
            return mismatch(path, "an integer", node, fallback);
        }
        if (raw == long.class || raw == Long.class) {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            return mismatch(path, "an integer", node, fallback);
        }
        if (raw == double.class || raw == Double.class) {
            if (node.isNumber()) {
                return node.doubleValue();
            }
            if (node.isTextual() && List.of(".inf", "inf", "infinity", "+inf").contains(node.textValue().toLowerCase(Locale.ROOT))) {
                return Double.POSITIVE_INFINITY;
            }
            // A number whose default is NaN means "auto" (analysis.manifoldDim): it takes the word auto (NaN as JSON writes it).
            if (fallback instanceof Double f && f.isNaN() && node.isTextual()
                    && List.of("auto", "nan").contains(node.textValue().toLowerCase(Locale.ROOT))) {
                return Double.NaN;
            }
            return mismatch(path, "a number", node, fallback);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return node.isBoolean() ? node.booleanValue() : mismatch(path, "true or false", node, fallback);
        }
        if (raw == String.class) {
            return node.isTextual() ? node.textValue() : mismatch(path, "a string", node, fallback);
        }
        if (raw.isEnum()) {
            List<String> names = Arrays.stream(raw.getEnumConstants())
                    .map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
            String text = node.isTextual() ? node.textValue().toLowerCase(Locale.ROOT).replace('_', '-') : null;
            if (text != null && names.contains(text)) {
                return Enum.valueOf((Class<Enum>) raw, text.replace('-', '_').toUpperCase(Locale.ROOT));
            }
            return mismatch(path, "one of " + String.join(", ", names), node, fallback);
        }
        if (raw == List.class) {
            if (!node.isArray()) {
                return mismatch(path, "a list", node, fallback);
            }
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                Object value = convert(node.get(i), element, null, path + "[" + i + "]");
                if (value != null) {
                    out.add(value);
                }
            }
            return List.copyOf(out);
        }
        if (raw.isRecord()) {
            return bindRecord(node, (Class<Record>) raw, (Record) fallback, path);
        }
        throw new IllegalStateException("no binding for " + type);
    }

    private Object mismatch(String path, String expected, JsonNode node, Object fallback) {
        errors.error(path, expected, node);
        return fallback;
    }

    private static Object read(RecordComponent c, Object instance) {
        try {
            return c.getAccessor().invoke(instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String keys(Class<?> type) {
        return String.join(", ", Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The known key within edit distance 2 (or a case-insensitive match), if any. */
    static String closest(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = k.equalsIgnoreCase(key) ? 0 : distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** How a value reads in an error message: strings quoted, JSON nodes by type and text. */
    /** How an error message quotes a value: cut to {@link #QUOTE_LIMIT} characters, so a huge value is not echoed whole. */
    static String describe(Object value) {
        String text = quote(value);
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT - 3) + "... (" + text.length() + " characters)";
    }

    static final int QUOTE_LIMIT = 80;

    private static String quote(Object value) {
        if (value instanceof JsonNode n) {
            if (n.isNull()) {
                return "nothing (null)";
            }
            if (n.isTextual()) {
                return "\"" + n.textValue() + "\"";
            }
            if (n.isObject()) {
                return "a mapping";
            }
            return n.toString();
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Double d && d.isInfinite()) {
            return d > 0 ? ".inf" : "-.inf";
        }
        if (value instanceof Double d && d.isNaN()) {
            return "auto";
        }
        return String.valueOf(value);
    }
}
