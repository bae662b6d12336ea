package org.jbitcoind.node.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jbitcoind.node.testing.DaemonProcesses;
import org.jbitcoind.testkit.DaemonProcess;

/**
 * What the crash tests share about their daemon processes: each runs in a 384 MiB heap with the
 * serial collector and does not listen for P2P; a stopped data folder can be copied as the start
 * of every round; the UTXO set is compared as gettxoutsetinfo reports it.
 */
final class Daemons {
    private Daemons() {
    }

    /** The daemons of one crash test (register with {@code @RegisterExtension}, or close them yourself). */
    static DaemonProcesses processes() {
        return new DaemonProcesses(List.of("-Xmx384m", "-XX:+UseSerialGC"), List.of("-listen=0"));
    }

    /** The UTXO set as gettxoutsetinfo reports it: tip, height, hash_serialized_3 and muhash. */
    record UtxoState(String bestBlock, int height, String hashSerialized3, String muhash, long txouts) {
    }

    static UtxoState utxoState(DaemonProcess d) throws Exception {
        JsonNode serialized = d.rpc().call("gettxoutsetinfo", "hash_serialized_3");
        JsonNode muhash = d.rpc().call("gettxoutsetinfo", "muhash");
        assertEquals(serialized.get("bestblock"), muhash.get("bestblock"));
        assertEquals(d.rpc().call("getbestblockhash").asText(), serialized.get("bestblock").asText());
        return new UtxoState(serialized.get("bestblock").asText(), serialized.get("height").asInt(),
                serialized.get("hash_serialized_3").asText(), muhash.get("muhash").asText(),
                serialized.get("txouts").asLong());
    }

    /** Copies a (stopped) data folder, e.g. a prepared chain every round starts from. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
