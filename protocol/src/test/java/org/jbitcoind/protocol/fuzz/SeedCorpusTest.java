package org.jbitcoind.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.message.Message;
import org.jbitcoind.protocol.message.MessageCodec;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.junit.jupiter.api.Test;

/**
 * Keeps the committed seed corpus honest: the generated seeds ({@link SeedCorpus}) are on disk
 * byte for byte, and together they reach every message type. Run with
 * {@code -Djbitcoind.fuzz.writeSeeds=true} to (re)write them after an intended encoding change.
 */
class SeedCorpusTest {
    private static final Path INPUTS = Path.of("src/test/resources/org/jbitcoind/protocol/fuzz");

    @Test
    void committedSeedsMatchTheGenerator() throws IOException {
        boolean write = Boolean.getBoolean("jbitcoind.fuzz.writeSeeds");
        for (Map.Entry<String, Map<String, byte[]>> target : SeedCorpus.all().entrySet()) {
            Path dir = INPUTS.resolve(target.getKey());
            if (write) {
                Files.createDirectories(dir);
            }
            for (Map.Entry<String, byte[]> seed : target.getValue().entrySet()) {
                Path file = dir.resolve("seed-" + seed.getKey());
                if (write) {
                    Files.write(file, seed.getValue());
                }
                assertTrue(Files.isRegularFile(file), file + " missing: run SeedCorpusTest with -Djbitcoind.fuzz.writeSeeds=true");
                assertArrayEquals(seed.getValue(), Files.readAllBytes(file), file + " differs from the generator");
            }
        }
    }

    @Test
    void everyMessageTypeHasASeedThatDecodes() throws DecodeException {
        Set<String> decodedTypes = new TreeSet<>();
        Set<String> commands = new TreeSet<>();
        for (Message m : SeedCorpus.sampleMessages()) {
            Message back = MessageCodec.decode(m.command(), m.payload());
            assertArrayEquals(m.payload(), back.payload(), m.command());
            decodedTypes.add(back.getClass().getSimpleName());
            commands.add(m.command());
        }
        Set<String> permitted = new TreeSet<>();
        for (Class<?> c : Message.class.getPermittedSubclasses()) {
            if (c != UnknownMessage.class) {
                permitted.add(c.getSimpleName());
            }
        }
        assertEquals(permitted, decodedTypes, "a new Message type needs a seed in SeedCorpus");
        assertEquals(new TreeSet<>(FuzzCommands.ALL), commands, "FuzzCommands and the seeds must name the same commands");
    }

    /** The first entries are pinned: committed inputs start with these indexes. */
    @Test
    void commandSelectionIsStable() {
        assertEquals("version", FuzzCommands.select((byte) 0));
        assertEquals("tx", FuzzCommands.select((byte) 19));
        assertEquals("alert", FuzzCommands.select((byte) 35));
        assertNull(FuzzCommands.select((byte) FuzzCommands.ALL.size()));
        assertEquals(FuzzCommands.ALL.size(), new TreeSet<>(FuzzCommands.ALL).size(), "duplicate command");
    }
}
