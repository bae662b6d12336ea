package org.jbitcoind.protocol.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.primitives.Block;

import com.github.luben.zstd.ZstdInputStream;

/**
 * Access to the read-only fixtures in {@code ../shared} beside the repository (data/ and
 * vectors/bitcoin-core/). Surefire passes the folder as the {@code jbitcoind.shared} property.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String p = System.getProperty("jbitcoind.shared");
        Path dir = p != null ? Path.of(p) : Path.of("../../shared");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("../shared");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared test data not found (jbitcoind.shared=" + p + ")");
        }
        return dir.toAbsolutePath().normalize();
    }

    public static Path data(String relative) {
        return root().resolve("data").resolve(relative);
    }

    public static Path vector(String name) {
        return root().resolve("vectors/bitcoin-core").resolve(name);
    }

    /** File contents, transparently decompressing .bz2 and .zst. */
    public static byte[] read(Path file) {
        try {
            String name = file.getFileName().toString();
            if (name.endsWith(".bz2")) {
                try (InputStream in = new BZip2CompressorInputStream(Files.newInputStream(file))) {
                    return in.readAllBytes();
                }
            }
            if (name.endsWith(".zst")) {
                try (InputStream in = new ZstdInputStream(Files.newInputStream(file))) {
                    return in.readAllBytes();
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] readData(String relative) {
        return read(data(relative));
    }

    public static String readText(Path file) {
        return new String(read(file), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Raw block bytes from a Core blk-record file (magic, length, block), stopping at a short tail. */
    public static List<byte[]> blkRecords(byte[] file) {
        List<byte[]> out = new ArrayList<>();
        ByteReader r = new ByteReader(file);
        try {
            while (r.remaining() >= 8) {
                r.skip(4);
                long len = r.readU32LE();
                if (len > r.remaining()) {
                    break;
                }
                out.add(r.readBytes((int) len));
            }
        } catch (DecodeException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static List<Block> blkBlocks(String relative) {
        List<Block> blocks = new ArrayList<>();
        for (byte[] raw : blkRecords(readData(relative))) {
            blocks.add(decodeBlock(raw));
        }
        return blocks;
    }

    public static Block decodeBlock(byte[] raw) {
        try {
            return Block.deserialize(raw);
        } catch (DecodeException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] hexFile(String relative) {
        return Hex.decode(readText(data(relative)).trim());
    }

    public static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
