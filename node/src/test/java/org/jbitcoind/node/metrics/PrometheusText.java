package org.jbitcoind.node.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every line must
 * be a HELP, TYPE or other comment line, or a sample of a family whose TYPE came before it; label values
 * are unescaped. Anything else throws {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    private final Map<String, Family> families;

    private PrometheusText(Map<String, Family> families) {
        this.families = families;
    }

    public Map<String, Family> families() {
        return families;
    }

    /** The value of the one sample with this name and exactly these labels (key/value pairs). */
    public Optional<Double> value(String sampleName, String... labels) {
        Map<String, String> want = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(sampleName) && s.labels().equals(want)) {
                    return Optional.of(s.value());
                }
            }
        }
        return Optional.empty();
    }

    /** Every sample with this name, whatever its labels. */
    public List<Sample> samples(String sampleName) {
        List<Sample> out = new ArrayList<>();
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(sampleName)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    public static PrometheusText parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        String current = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + lineNo + " '" + line + "': ";
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                String name = parts[0];
                require(METRIC_NAME.matcher(name).matches(), where + "bad metric name");
                require(parts.length == 2, where + "missing text");
                if (line.startsWith("# HELP ")) {
                    require(help.put(name, unescape(parts[1], false, where)) == null, where + "second HELP");
                    Family f = families.get(name);
                    if (f != null) {
                        families.put(name, new Family(name, f.type(), help.get(name), f.samples()));
                    }
                } else {
                    require(TYPES.contains(parts[1]), where + "unknown type");
                    require(!families.containsKey(name), where + "second TYPE or TYPE after samples");
                    families.put(name, new Family(name, parts[1], help.get(name), new ArrayList<>()));
                    current = name;
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Sample s = sample(line, where);
            require(current != null && belongs(s.name(), families.get(current)),
                    where + "sample outside its family's block (no TYPE before it)");
            families.get(current).samples().add(s);
        }
        return new PrometheusText(families);
    }

    private static boolean belongs(String sample, Family f) {
        String base = f.name();
        return switch (f.type()) {
            case "counter" -> sample.equals(base + "_total") || sample.equals(base) || sample.equals(base + "_created");
            case "summary" -> sample.equals(base) || sample.equals(base + "_count") || sample.equals(base + "_sum")
                    || sample.equals(base + "_created");
            case "histogram" -> sample.equals(base + "_bucket") || sample.equals(base + "_count")
                    || sample.equals(base + "_sum") || sample.equals(base + "_created");
            default -> sample.equals(base);
        };
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC_NAME.matcher(name).matches(), where + "bad metric name");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                require(eq > i, where + "label without '='");
                String label = line.substring(i, eq);
                require(LABEL_NAME.matcher(label).matches(), where + "bad label name " + label);
                require(eq + 1 < line.length() && line.charAt(eq + 1) == '"', where + "unquoted label value");
                int j = eq + 2;
                StringBuilder raw = new StringBuilder();
                while (true) {
                    require(j < line.length(), where + "unterminated label value");
                    char c = line.charAt(j);
                    if (c == '\\') {
                        require(j + 1 < line.length(), where + "dangling escape");
                        raw.append(c).append(line.charAt(j + 1));
                        j += 2;
                    } else if (c == '"') {
                        break;
                    } else {
                        raw.append(c);
                        j++;
                    }
                }
                require(labels.put(label, unescape(raw.toString(), true, where)) == null, where + "repeated label");
                i = j + 1;
                require(i < line.length(), where + "unterminated labels");
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', where + "no value");
        String[] rest = line.substring(i + 1).trim().split(" ");
        require(rest.length == 1 || rest.length == 2, where + "extra fields");
        double value = number(rest[0], where);
        if (rest.length == 2) {
            require(rest[1].matches("-?[0-9]+"), where + "bad timestamp");
        }
        return new Sample(name, labels, value);
    }

    private static double number(String s, String where) {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + "bad value " + s);
                }
        }
    }

    /** HELP text escapes backslash and newline; label values also the double quote. */
    private static String unescape(String s, boolean quotes, String where) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                require(!(quotes && c == '"'), where + "unescaped quote");
                out.append(c);
                continue;
            }
            require(i + 1 < s.length(), where + "dangling escape");
            char n = s.charAt(++i);
            switch (n) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case '"' -> {
                    if (quotes) {
                        out.append('"');
                    } else {
                        out.append("\\\"");
                    }
                }
                default -> {
                    // Unknown escapes are kept as they are (the format says so for HELP).
                    out.append('\\').append(n);
                }
            }
        }
        return out.toString();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
