package org.jbitcoind.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared beside the repository for benchmark inputs (override with -Djbitcoind.shared=DIR). */
final class BenchData {
    private BenchData() {
    }

    static Path shared() {
        String p = System.getProperty("jbitcoind.shared");
        for (Path candidate : new Path[] {p == null ? null : Path.of(p), Path.of("../shared"), Path.of("../../shared")}) {
            if (candidate != null && Files.isDirectory(candidate.resolve("vectors"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find ../shared; pass -Djbitcoind.shared=DIR");
    }

    static byte[] read(String relative) {
        try {
            return Files.readAllBytes(shared().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
