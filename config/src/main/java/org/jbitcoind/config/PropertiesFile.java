package org.jbitcoind.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code jbitcoind.properties}: {@code key=value} lines, {@code #} comment lines, and
 * per-network keys written either as {@code regtest.port=18555} or after a {@code [regtest]}
 * section line (Bitcoin Core's bitcoin.conf sections). A key may repeat: list keys accumulate,
 * for the others the last line wins.
 */
final class PropertiesFile {
    private PropertiesFile() {
    }

    static List<Assignment> read(Path file, AssignmentReader reader) throws ConfigException {
        List<String> lines = readLines(file);
        List<Assignment> out = new ArrayList<>();
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String origin = file + ":" + (i + 1);
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = sectionName(line, origin);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new ConfigException("expected key=value at " + origin + ", found '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.startsWith("-")) {
                throw new ConfigException("write '" + key.replaceFirst("^-+", "") + "=...' without a dash at "
                        + origin);
            }
            if (!section.isEmpty() && key.contains(".")) {
                throw new ConfigException("network-scoped key " + key + " inside [" + section + "] at " + origin);
            }
            Assignment a = reader.read(section.isEmpty() ? key : section + "." + key, value, origin);
            if (a.def().commandLineOnly()) {
                throw new ConfigException("-" + a.def().name() + " can only be given on the command line (found at "
                        + origin + ")");
            }
            out.add(a);
        }
        return out;
    }

    /**
     * The file's lines, decoded as UTF-8. Bytes that are not UTF-8 stop start-up naming their
     * line: decoding them leniently would silently change a value such as a password.
     */
    private static List<String> readLines(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + describe(e));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new ConfigException("invalid UTF-8 at " + file + ":" + lineAt(bytes, in.position())
                    + " (the configuration file must be UTF-8 text)");
        }
        return out.flip().toString().lines().toList();
    }

    /** The 1-based line of byte {@code offset}, counting \n, \r\n and \r as line ends, as {@link String#lines()} does. */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    private static String sectionName(String line, String origin) throws ConfigException {
        String name = line.substring(1, line.length() - 1).strip();
        Optional<Network> network = Network.fromId(name);
        if (network.isEmpty()) {
            throw new ConfigException("unknown section [" + name + "] at " + origin
                    + " (expected main, test, testnet4, signet or regtest)");
        }
        return network.get().id();
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
