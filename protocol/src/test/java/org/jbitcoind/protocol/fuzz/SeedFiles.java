package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The committed seed inputs of a fuzz target in another module, checked against the generator
 * that made them (as {@link SeedCorpusTest} does for this module). Seeds live where Jazzer looks
 * for them: {@code src/test/resources/<package>/<Class>Inputs/<method>/seed-<name>}. Run the
 * checking test with {@code -Djbitcoind.fuzz.writeSeeds=true} to (re)write them.
 */
public final class SeedFiles {
    private SeedFiles() {
    }

    public static void check(Class<?> target, String method, Map<String, byte[]> seeds) throws IOException {
        Path dir = Path.of("src/test/resources", target.getPackageName().replace('.', '/'),
                target.getSimpleName() + "Inputs", method);
        boolean write = Boolean.getBoolean("jbitcoind.fuzz.writeSeeds");
        if (write) {
            Files.createDirectories(dir);
        }
        assertTrue(!seeds.isEmpty(), "a target needs seeds");
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Path file = dir.resolve("seed-" + seed.getKey());
            if (write) {
                Files.write(file, seed.getValue());
            }
            assertTrue(Files.isRegularFile(file), file + " missing: run this test with -Djbitcoind.fuzz.writeSeeds=true");
            assertArrayEquals(seed.getValue(), Files.readAllBytes(file), file + " differs from the generator");
        }
    }
}
